"""A reply is labelled by who wrote it: Copilot, an endpoint's model by name, or the demo."""

from __future__ import annotations

from desktop_app.core.vocabulary.targets import ChatTarget, Source, author_label


def test_each_source_names_its_author() -> None:
    assert ChatTarget(Source.COPILOT, "gpt-5").author == "Copilot"
    assert ChatTarget(Source.ENDPOINT, "llama-3.1-70b", "http://h/v1").author == "llama-3.1-70b"
    assert ChatTarget(Source.ENDPOINT, "", "http://h/v1").author == "Endpoint model"
    assert ChatTarget(Source.DEMO).author == "Demo model"


def test_saved_replies_are_named_by_their_conversations_provider_and_model() -> None:
    assert author_label("copilot", "claude-sonnet-4") == "Copilot"
    assert author_label("endpoint:http://h/v1", "qwen") == "qwen"
    assert author_label("demo", "scripted") == "Demo model"
