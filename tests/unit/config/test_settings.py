"""Settings: JSON round trip, defaults, broken files kept aside, overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.config.settings import (
    SETTINGS_FILE,
    Settings,
    Source,
    load_settings,
    save_settings,
)


def test_missing_file_gives_defaults_without_a_message(tmp_path: Path) -> None:
    settings, problem = load_settings(tmp_path / "does-not-exist")
    assert settings == Settings()
    assert settings.source is Source.COPILOT
    assert problem is None


def test_round_trip(tmp_path: Path) -> None:
    original = Settings(
        source=Source.ENDPOINT,
        copilot_model="gpt-5",
        endpoint_url="http://localhost:1234/v1",
        endpoint_model="llama-3",
        api_key_env="MY_KEY",
    )
    config = tmp_path / "nested" / "config"
    save_settings(config, original)
    loaded, problem = load_settings(config)
    assert problem is None
    assert loaded == original
    assert loaded.source is Source.ENDPOINT


def test_saved_file_is_plain_json_with_the_source_as_its_value(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(source=Source.DEMO, copilot_model="m"))
    data = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert data == {
        "source": "demo",
        "copilot_model": "m",
        "endpoint_url": "",
        "endpoint_model": "",
        "api_key_env": "",
        "endpoint_context_tokens": 0,
        "compaction": True,
        "compaction_start": 0.8,
        "compaction_limit": 0.95,
        "reply_timeout_s": 120,
        "theme": "system",
    }


def test_typed_settings_round_trip_and_bad_values_are_named(tmp_path: Path) -> None:
    chosen = Settings(
        endpoint_context_tokens=8192, compaction=False, compaction_start=0.5, reply_timeout_s=30
    )
    save_settings(tmp_path, chosen)
    assert load_settings(tmp_path) == (chosen, None)
    for bad, name in (
        ({"compaction": "yes"}, "compaction"),
        ({"endpoint_context_tokens": 1.5}, "endpoint_context_tokens"),
        ({"endpoint_context_tokens": True}, "endpoint_context_tokens"),
        ({"reply_timeout_s": 1}, "reply_timeout_s"),
        ({"compaction_start": 0.9, "compaction_limit": 0.5}, "compaction_start"),
        ({"compaction_start": "high"}, "compaction_start"),
        ({"theme": "purple"}, "theme"),
    ):
        try:
            Settings.from_json(bad)
        except ValueError as exc:
            assert name in str(exc)
        else:
            raise AssertionError(f"{bad} was accepted")


def test_save_overwrites_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(copilot_model="first"))
    save_settings(tmp_path, Settings(copilot_model="second"))
    assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_FILE]
    assert load_settings(tmp_path)[0].copilot_model == "second"


def test_partial_file_fills_in_defaults_and_ignores_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text(
        json.dumps({"endpoint_model": "m1", "future_option": [1, 2], "layout": 3}),
        encoding="utf-8",
    )
    settings, problem = load_settings(tmp_path)
    assert problem is None
    assert settings == Settings(endpoint_model="m1")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "Expecting property name"),
        ("", "Expecting value"),
        ("[1, 2]", "does not hold a JSON object"),
        ("null", "does not hold a JSON object"),
        ('{"source": "carrier-pigeon"}', "not a valid Source"),
        ('{"source": null}', "not a valid Source"),
        ('{"copilot_model": 3}', "'copilot_model' must be a string"),
        ('{"endpoint_url": null}', "'endpoint_url' must be a string"),
        ('{"api_key_env": ["A"]}', "'api_key_env' must be a string"),
    ],
)
def test_broken_file_is_moved_aside_and_defaults_used(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / SETTINGS_FILE
    path.write_text(content, encoding="utf-8")
    settings, problem = load_settings(tmp_path)
    assert settings == Settings()
    aside = tmp_path / "settings.broken.json"
    assert not path.exists()
    assert aside.read_text(encoding="utf-8") == content  # nothing the user wrote is lost
    assert problem is not None
    assert reason in problem
    assert str(aside) in problem
    assert "started fresh" in problem


def test_broken_file_then_save_starts_a_clean_file(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("{oops", encoding="utf-8")
    load_settings(tmp_path)
    save_settings(tmp_path, Settings(copilot_model="fresh"))
    assert load_settings(tmp_path) == (Settings(copilot_model="fresh"), None)
    assert (tmp_path / "settings.broken.json").read_text(encoding="utf-8") == "{oops"


def test_unreadable_path_gives_defaults_and_a_message(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).mkdir()  # a directory where the file should be
    settings, problem = load_settings(tmp_path)
    assert settings == Settings()
    assert problem is not None
    assert problem.startswith("Could not read")
    assert "Using default settings" in problem
    assert (tmp_path / SETTINGS_FILE).is_dir()  # not moved: it was never parsed


def test_file_that_is_not_utf8_is_treated_as_broken(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_bytes(b'\xff\xfe{"source": "demo"}')
    settings, problem = load_settings(tmp_path)
    assert settings == Settings()
    assert problem is not None
    assert (tmp_path / "settings.broken.json").exists()


def test_with_overrides_ignores_none() -> None:
    base = Settings(source=Source.ENDPOINT, endpoint_url="u", endpoint_model="m")
    assert base.with_overrides(endpoint_url=None, endpoint_model=None) is base
    assert base.with_overrides() is base
    changed = base.with_overrides(endpoint_model="m2", endpoint_url=None, api_key_env="K")
    assert changed == Settings(source=Source.ENDPOINT, endpoint_url="u", endpoint_model="m2", api_key_env="K")
    assert base.endpoint_model == "m"  # frozen: the original is unchanged


def test_with_overrides_keeps_empty_strings() -> None:
    """An empty string is a value (clear the field), unlike ``None``."""
    base = Settings(copilot_model="gpt-5")
    assert base.with_overrides(copilot_model="").copilot_model == ""


def test_with_overrides_rejects_unknown_fields() -> None:
    with pytest.raises(TypeError):
        Settings().with_overrides(colour="blue")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (Source.COPILOT, "copilot-model"),
        (Source.ENDPOINT, "endpoint-model"),
        (Source.DEMO, "scripted-demo"),
    ],
)
def test_model_depends_on_source(source: Source, expected: str) -> None:
    settings = Settings(source=source, copilot_model="copilot-model", endpoint_model="endpoint-model")
    assert settings.model == expected


def test_from_json_converts_the_source_string_to_the_enum() -> None:
    settings = Settings.from_json({"source": "endpoint"})
    assert settings.source is Source.ENDPOINT
    assert settings.to_json()["source"] == "endpoint"
