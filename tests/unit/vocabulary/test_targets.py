"""Where answers come from, as the window names it and the store records it."""

from __future__ import annotations

from desktop_app.core.config.settings import Settings
from desktop_app.core.vocabulary.targets import DEMO_MODEL, ChatTarget, Source


def test_each_source_has_its_label_and_provider_key() -> None:
    copilot = ChatTarget(Source.COPILOT, "gpt-5")
    endpoint = ChatTarget(Source.ENDPOINT, "llama3", "http://127.0.0.1:11434/v1")
    demo = ChatTarget(Source.DEMO)
    assert [t.label for t in (copilot, endpoint, demo)] == [
        "GitHub Copilot",
        "Endpoint http://127.0.0.1:11434/v1",
        "Scripted demo model (not Copilot)",
    ]
    assert ChatTarget(Source.ENDPOINT).label == "Endpoint (not set)"
    assert [t.provider_key for t in (copilot, endpoint, demo)] == [
        "copilot",
        "endpoint:http://127.0.0.1:11434/v1",
        "demo",
    ]


def test_the_demo_answers_as_its_own_model_whatever_was_asked() -> None:
    assert ChatTarget(Source.DEMO, "ignored").model_name == DEMO_MODEL
    assert ChatTarget(Source.COPILOT, "gpt-5").model_name == "gpt-5"
    assert Settings(source=Source.DEMO).model == DEMO_MODEL  # the settings name it the same


def test_the_api_key_never_shows_in_a_repr() -> None:
    target = ChatTarget(Source.ENDPOINT, "m", "http://x", "sk-secret")
    assert "sk-secret" not in repr(target)


def test_sources_keep_their_wire_values() -> None:
    assert [s.value for s in Source] == ["copilot", "endpoint", "demo"]
    assert Settings.from_json({"source": "endpoint"}).source is Source.ENDPOINT
