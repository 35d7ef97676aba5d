"""Flags: parsing, validation, and how they override saved settings for one run."""

from __future__ import annotations

import pytest

from desktop_app.cli.command_line import build_parser
from desktop_app.core.config.settings import Settings, Source, apply_flags
from desktop_app.main import main


def test_all_documented_flags_parse() -> None:
    args = build_parser().parse_args(
        [
            "--data-dir", "/tmp/d", "--provider-url", "http://127.0.0.1:1/v1", "--model", "m",
            "--api-key-env", "KEY", "--cli-path", "/x/copilot", "--demo",
        ]
    )  # fmt: skip
    assert (args.data_dir, args.provider_url, args.model) == ("/tmp/d", "http://127.0.0.1:1/v1", "m")
    assert (args.api_key_env, args.cli_path, args.demo) == ("KEY", "/x/copilot", True)


def test_a_provider_url_must_be_http(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--provider-url", "ftp://example.org"]) == 2
    assert "http://" in capsys.readouterr().err


def test_provider_flags_select_the_endpoint() -> None:
    saved = Settings(source=Source.COPILOT, copilot_model="gpt-x")
    s = apply_flags(saved, provider_url="http://h/v1", model="llama", api_key_env="K")
    assert (s.source, s.endpoint_url, s.endpoint_model, s.api_key_env) == (
        Source.ENDPOINT,
        "http://h/v1",
        "llama",
        "K",
    )
    assert s.copilot_model == "gpt-x"  # the saved Copilot choice is untouched


def test_model_alone_applies_to_the_saved_source() -> None:
    assert apply_flags(Settings(), model="claude").copilot_model == "claude"
    endpoint = Settings(source=Source.ENDPOINT, endpoint_url="http://h/v1", endpoint_model="a")
    assert apply_flags(endpoint, model="b").endpoint_model == "b"


def test_demo_wins_and_no_flags_change_nothing() -> None:
    saved = Settings(source=Source.ENDPOINT, endpoint_url="http://h/v1", endpoint_model="a")
    assert apply_flags(saved, demo=True, provider_url="http://other/v1").source is Source.DEMO
    assert apply_flags(saved) == saved
