"""``copilot-desktop export`` and ``import``: files and stdout, exit codes, and no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.main import main
from tests.unit.storage.exchange.samples import counts, dump, open_store, populate

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def data_root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "app"
    store = open_store(root)
    populate(store)
    store.close()
    yield root


def test_cli_exports_to_stdout(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "json"]) == 0
    out = capsys.readouterr().out
    store = open_store(data_root)
    try:
        assert out == dump(store)
    finally:
        store.close()


def test_cli_exports_one_conversation_to_a_file(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(data_root)
    (plain,) = [c for c in store.list_conversations() if c.title == "Plain"]
    store.close()
    target = tmp_path / "out.md"
    argv = ["export", "--data-dir", str(data_root), "--conversation", plain.id, "--format", "md", "-o"]
    assert main([*argv, str(target)]) == 0
    assert capsys.readouterr().out == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Plain\n") and "Pinned" not in text
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "html", "-o", str(target)]) == 0
    assert "<!DOCTYPE html>" in target.read_text(encoding="utf-8")


def test_cli_import(data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "all.json"
    assert (
        main(["export", "--data-dir", str(data_root), "--all", "--format", "json", "-o", str(exported)]) == 0
    )
    fresh = tmp_path / "fresh"
    assert main(["import", "--data-dir", str(fresh), str(exported)]) == 0
    assert "Imported 5 conversations; skipped 0 that already exist." in capsys.readouterr().err
    assert main(["import", "--data-dir", str(fresh), str(exported)]) == 0
    assert "Imported 0 conversations; skipped 5 that already exist." in capsys.readouterr().err
    assert main(["export", "--data-dir", str(fresh), "--all", "--format", "json"]) == 0
    assert capsys.readouterr().out == exported.read_text(encoding="utf-8")


def test_cli_import_names_each_conversation_left_out(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "all.json"
    arguments = ["export", "--data-dir", str(data_root), "--all", "-o", str(exported), "--format", "json"]
    assert main(arguments) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["conversations"][2]["mode"] = "root"
    exported.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", "--data-dir", str(tmp_path / "fresh"), str(exported)]) == 0
    err = capsys.readouterr().err
    assert "Imported 4 conversations" in err
    cid = document["conversations"][2]["id"]
    assert f"Left out {cid}: conversations[2].mode: 'root' is not one of chat, agent" in err


def test_cli_unknown_conversation(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--conversation", "nope", "--format", "md"]) == 1
    captured = capsys.readouterr()
    assert "nope" in captured.err and captured.out == ""


def test_cli_bad_file_changes_nothing(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "copilot-desktop-conversations", "version": 99, "conversations": []}')
    store = open_store(data_root)
    before = counts(store)
    assert main(["import", "--data-dir", str(data_root), str(bad)]) == 1
    assert "newer Copilot Desktop" in capsys.readouterr().err
    assert main(["import", "--data-dir", str(data_root), str(tmp_path / "missing.json")]) == 1
    assert "Cannot read" in capsys.readouterr().err
    assert counts(store) == before
    store.close()
    assert main(["import", "--data-dir", str(tmp_path / "new"), str(bad)]) == 1
    assert not (tmp_path / "new").exists()  # a bad file creates no empty store either


def test_cli_usage_errors(data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--format", "md"]) == 2  # neither --all nor an id
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "pdf"]) == 2
    assert main(["import"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert main(["export", "--data-dir", str(tmp_path / "nothing"), "--all", "--format", "md"]) == 1
    assert "No conversations found" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()  # a mistyped folder is not created


def test_cli_export_loads_no_qt(data_root: Path) -> None:
    code = (
        "import sys\nfrom desktop_app.main import main\n"
        f"code = main(['export', '--data-dir', {str(data_root)!r}, '--all', '--format', 'html', '-o', "
        f"{str(data_root / 'x.html')!r}])\n"
        "qt = ('PySide6', 'shiboken6', 'qasync')\n"
        "print(code, sorted(n for n in sys.modules if n.split('.')[0] in qt))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 []"
