"""Window list: round trip, broken files kept aside, bad entries dropped, duplicates, the cap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config.window_state import (
    MAX_WINDOWS,
    WINDOWS_FILE,
    WindowState,
    load_windows,
    save_windows,
)


def entry(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "conversation_id": "c1",
        "x": 10,
        "y": 20,
        "width": 800,
        "height": 600,
        "maximized": False,
        "tool_panel": None,
    }
    data.update(changes)
    return data


def write(config: Path, windows: list[Any], version: Any = 1) -> None:
    (config / WINDOWS_FILE).write_text(json.dumps({"version": version, "windows": windows}), "utf-8")


def test_missing_file_gives_no_windows_and_no_message(tmp_path: Path) -> None:
    assert load_windows(tmp_path / "does-not-exist") == ([], None)


def test_round_trip(tmp_path: Path) -> None:
    windows = [
        WindowState("c1", 10, 20, 800, 600),
        WindowState(None, -1200, 0, 1024, 768, maximized=True, tool_panel=False),
        WindowState("c2", 0, 0, 300, 200, tool_panel=True),
        WindowState(None, 40, 40, 640, 480),
    ]
    config = tmp_path / "nested" / "config"
    save_windows(config, windows)
    assert load_windows(config) == (windows, None)


def test_file_is_versioned_json(tmp_path: Path) -> None:
    save_windows(tmp_path, [WindowState("c1", 10, 20, 800, 600)])
    data = json.loads((tmp_path / WINDOWS_FILE).read_text("utf-8"))
    assert data == {"version": 1, "windows": [entry()]}


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_windows(tmp_path, [WindowState("first", 0, 0, 800, 600)])
    save_windows(tmp_path, [WindowState("second", 0, 0, 800, 600)])
    assert [p.name for p in tmp_path.iterdir()] == [WINDOWS_FILE]
    assert load_windows(tmp_path)[0] == [WindowState("second", 0, 0, 800, 600)]


def test_failed_save_removes_its_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_windows(tmp_path, [WindowState("old", 0, 0, 800, 600)])

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("desktop_app.core.config.window_state.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_windows(tmp_path, [WindowState("new", 0, 0, 800, 600)])
    assert [p.name for p in tmp_path.iterdir()] == [WINDOWS_FILE]
    assert load_windows(tmp_path)[0] == [WindowState("old", 0, 0, 800, 600)]


def test_empty_list_round_trips(tmp_path: Path) -> None:
    save_windows(tmp_path, [])
    assert load_windows(tmp_path) == ([], None)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "Expecting property name"),
        ("", "Expecting value"),
        ("[1, 2]", "does not hold a JSON object"),
        ("null", "does not hold a JSON object"),
        ('{"windows": []}', "no valid version"),
        ('{"version": "1", "windows": []}', "no valid version"),
        ('{"version": true, "windows": []}', "no valid version"),
        ('{"version": 1}', "no list of windows"),
        ('{"version": 1, "windows": {"x": 1}}', "no list of windows"),
        ("[" * 100_000 + "]" * 100_000, "recursion"),
    ],
)
def test_broken_file_is_moved_aside(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / WINDOWS_FILE
    path.write_text(content, encoding="utf-8")
    windows, problem = load_windows(tmp_path)
    assert windows == []
    aside = tmp_path / "windows.broken.json"
    assert not path.exists()
    assert aside.read_text(encoding="utf-8") == content  # nothing is lost
    assert problem is not None
    assert reason in problem
    assert str(aside) in problem


def test_undecodable_bytes_are_moved_aside(tmp_path: Path) -> None:
    (tmp_path / WINDOWS_FILE).write_bytes(b'{"version": 1, "windows": ["\xff"]}')
    windows, problem = load_windows(tmp_path)
    assert windows == []
    assert problem is not None
    assert (tmp_path / "windows.broken.json").exists()


def test_broken_file_then_save_starts_a_clean_file(tmp_path: Path) -> None:
    (tmp_path / WINDOWS_FILE).write_text("{oops", encoding="utf-8")
    load_windows(tmp_path)
    save_windows(tmp_path, [WindowState(None, 0, 0, 800, 600)])
    assert load_windows(tmp_path) == ([WindowState(None, 0, 0, 800, 600)], None)
    assert (tmp_path / "windows.broken.json").read_text(encoding="utf-8") == "{oops"


def test_unreadable_path_gives_no_windows_and_a_message(tmp_path: Path) -> None:
    (tmp_path / WINDOWS_FILE).mkdir()  # a directory where the file should be
    windows, problem = load_windows(tmp_path)
    assert windows == []
    assert problem is not None
    assert "Could not read" in problem
    assert (tmp_path / WINDOWS_FILE).is_dir()  # left alone


@pytest.mark.parametrize(
    "bad",
    [
        "not an object",
        None,
        [1, 2],
        entry(conversation_id=3),
        entry(conversation_id=["c1"]),
        entry(conversation_id=""),
        entry(x="10"),
        entry(y=1.5),
        entry(width=True),
        entry(height=None),
        entry(x=None),
        entry(maximized="yes"),
        entry(maximized=1),
        entry(tool_panel="auto"),
        entry(width=199),
        entry(height=150),
        entry(width=20_001),
        entry(height=10**9),
        entry(width=-800),
        entry(x=10**7),
        entry(y=-(10**7)),
    ],
)
def test_bad_entries_are_dropped_and_the_rest_kept(tmp_path: Path, bad: Any) -> None:
    write(tmp_path, [entry(conversation_id="before"), bad, entry(conversation_id="after")])
    windows, problem = load_windows(tmp_path)
    assert problem is None  # a bad entry costs that window only, with nothing to tell the user
    assert [w.conversation_id for w in windows] == ["before", "after"]
    assert (tmp_path / WINDOWS_FILE).exists()


def test_missing_optional_fields_take_their_defaults(tmp_path: Path) -> None:
    write(tmp_path, [{"conversation_id": None, "x": 1, "y": 2, "width": 300, "height": 400}])
    assert load_windows(tmp_path) == ([WindowState(None, 1, 2, 300, 400)], None)


def test_missing_required_field_drops_the_entry(tmp_path: Path) -> None:
    partial = entry()
    del partial["width"]
    write(tmp_path, [partial])
    assert load_windows(tmp_path) == ([], None)


def test_sizes_at_the_limits_are_kept(tmp_path: Path) -> None:
    write(tmp_path, [entry(width=200, height=20_000)])
    assert load_windows(tmp_path)[0] == [WindowState("c1", 10, 20, 200, 20_000)]


def test_unknown_fields_and_a_newer_version_are_tolerated(tmp_path: Path) -> None:
    write(tmp_path, [entry(zoom=1.25, splitter=[1, 2])], version=7)
    assert load_windows(tmp_path) == ([WindowState("c1", 10, 20, 800, 600)], None)


def test_a_conversation_is_restored_in_one_window_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        [
            entry(conversation_id="a", x=1),
            entry(conversation_id=None, x=2),
            entry(conversation_id="a", x=3),
            entry(conversation_id=None, x=4),
            entry(conversation_id="b", x=5),
            entry(conversation_id="b", x=6),
        ],
    )
    windows, _ = load_windows(tmp_path)
    assert [(w.conversation_id, w.x) for w in windows] == [("a", 1), (None, 2), (None, 4), ("b", 5)]


def test_save_drops_duplicates_and_implausible_windows(tmp_path: Path) -> None:
    save_windows(
        tmp_path,
        [
            WindowState("a", 0, 0, 800, 600),
            WindowState("a", 50, 50, 800, 600),
            WindowState(None, 0, 0, 10, 10),
            WindowState(None, 0, 0, 800, 600),
        ],
    )
    data = json.loads((tmp_path / WINDOWS_FILE).read_text("utf-8"))
    assert [(w["conversation_id"], w["x"]) for w in data["windows"]] == [("a", 0), (None, 0)]


def test_at_most_max_windows_are_loaded(tmp_path: Path) -> None:
    write(tmp_path, [entry(conversation_id=f"c{i}") for i in range(MAX_WINDOWS + 15)])
    windows, problem = load_windows(tmp_path)
    assert problem is None
    assert [w.conversation_id for w in windows] == [f"c{i}" for i in range(MAX_WINDOWS)]


def test_the_cap_counts_kept_windows_not_entries(tmp_path: Path) -> None:
    duplicates = [entry(conversation_id="same") for _ in range(MAX_WINDOWS)]
    write(tmp_path, [*duplicates, entry(conversation_id="other")])
    assert [w.conversation_id for w in load_windows(tmp_path)[0]] == ["same", "other"]


def test_at_most_max_windows_are_saved(tmp_path: Path) -> None:
    save_windows(tmp_path, [WindowState(None, i, i, 800, 600) for i in range(MAX_WINDOWS * 2)])
    windows, _ = load_windows(tmp_path)
    assert len(windows) == MAX_WINDOWS
    assert [w.x for w in windows] == list(range(MAX_WINDOWS))
