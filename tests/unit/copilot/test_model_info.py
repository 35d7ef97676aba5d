"""Copilot's model list as the picker's models: built from the SDK's own ``ModelInfo.from_dict`` on
data shaped like what the pinned CLI (1.0.102) answers ``models.list`` with, and odd data too."""

from __future__ import annotations

import math
from typing import Any

from copilot.client import ModelInfo
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.copilot.model_info import DISABLED, UNCONFIGURED, catalog_model, copilot_catalog
from desktop_app.core.vocabulary.catalog.model import CatalogModel


def cli_model(
    model_id: str, multiplier: float | None, efforts: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """One entry as the CLI sends it (its ``supports`` and ``limits`` in snake case)."""
    supports: dict[str, Any] = {
        "streaming": True,
        "tool_calls": True,
        "vision": True,
        "reasoningEffort": bool(efforts),
    }
    if efforts:
        supports["reasoning_effort"] = efforts
    entry: dict[str, Any] = {
        "id": model_id,
        "name": model_id,
        "capabilities": {
            "family": model_id,
            "type": "chat",
            "supports": supports,
            "limits": {
                "max_context_window_tokens": 128000,
                "max_output_tokens": 16000,
                "max_prompt_tokens": 100000,
            },
        },
        "policy": {"state": "enabled", "terms": "Enable access"},
        "vendor": "scripted",
    }
    if multiplier is not None:
        entry["billing"] = {"multiplier": multiplier}
    if efforts:
        entry["supportedReasoningEfforts"] = efforts
    return entry | extra


CLI_LIST = [
    {"id": "auto", "name": "Auto", "capabilities": {}},
    cli_model("gpt-5-mini", 0, ["low", "medium", "high"]),
    cli_model("sonnet", 1),
    cli_model("opus", 10, ["low", "high"]),
    cli_model("locked", 3, policy={"state": "disabled", "terms": "Ask your admin"}),
    cli_model("unconf", 1, policy={"state": "unconfigured", "terms": "Enable <b>it</b> in settings"}),
    cli_model("nobilling", None),
    cli_model("cheap", 0.33),
]


def infos(data: list[dict[str, Any]]) -> list[ModelInfo]:
    return [ModelInfo.from_dict(entry) for entry in data]


def test_the_clis_list_becomes_the_pickers_models() -> None:
    models = {m.id: m for m in copilot_catalog(infos(CLI_LIST))}
    assert list(models) == ["auto", "gpt-5-mini", "sonnet", "opus", "locked", "unconf", "nobilling", "cheap"]
    assert models["auto"] == CatalogModel("auto", "Auto")
    assert models["gpt-5-mini"] == CatalogModel(
        "gpt-5-mini", "", 0.0, ("low", "medium", "high"), "", 128000, vision=True
    )
    assert (models["opus"].multiplier, models["opus"].efforts, models["opus"].premium) == (
        10.0,
        ("low", "high"),
        True,
    )
    assert models["cheap"].multiplier == 0.33 and models["nobilling"].multiplier is None
    assert models["sonnet"].usable and models["sonnet"].efforts == ()
    locked, unconf = models["locked"], models["unconf"]
    assert not locked.usable and locked.why_not == f"{DISABLED}\nAsk your admin"
    assert not unconf.usable and unconf.why_not.startswith(UNCONFIGURED)
    assert "<b>it</b>" in unconf.why_not  # as text: the tooltip escapes it


def test_a_default_effort_counts_only_when_it_is_one_of_the_levels() -> None:
    given_default = cli_model("gpt-5", 1, ["low", "medium", "high"], defaultReasoningEffort="medium")
    odd_default = cli_model("gpt-6", 1, ["low", "high"], defaultReasoningEffort="medium")
    chosen = copilot_catalog(infos([given_default, odd_default]))
    assert [m.default_effort for m in chosen] == ["medium", ""]


def test_a_display_name_is_kept_and_entries_without_id_or_twice_are_left_out() -> None:
    named = cli_model("claude-sonnet-4.5", 1, name="Claude Sonnet 4.5")
    again = cli_model("claude-sonnet-4.5", 5)
    blank = cli_model("  ", 1)
    models = copilot_catalog(infos([named, again, blank]))
    assert [(m.id, m.label, m.multiplier) for m in models] == [
        ("claude-sonnet-4.5", "Claude Sonnet 4.5", 1.0)
    ]


def test_an_unknown_policy_state_is_offered() -> None:
    preview = cli_model("preview", 1, policy={"state": "preview-only", "terms": ""})
    model = catalog_model(ModelInfo.from_dict(preview))
    assert model is not None and model.usable and model.why_not == ""


def test_long_terms_are_cut_short() -> None:
    wordy = cli_model("wordy", 1, policy={"state": "unconfigured", "terms": "x" * 5000})
    model = catalog_model(ModelInfo.from_dict(wordy))
    assert model is not None and len(model.why_not) < len(UNCONFIGURED) + 310 and model.why_not.endswith("…")


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
odd_efforts = st.none() | st.lists(
    json_scalars | st.sampled_from(["low", "medium", "high", " high", ""]), max_size=6
)


@st.composite
def odd_entries(draw: st.DrawFn) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": draw(st.text(max_size=6)),
        "name": draw(st.text(max_size=6)),
        "capabilities": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "supports": st.fixed_dictionaries({}, optional={"vision": json_scalars}),
                    "limits": st.fixed_dictionaries({}, optional={"max_context_window_tokens": json_scalars}),
                },
            )
        ),
    }
    billing = draw(
        st.none()
        | st.fixed_dictionaries({}, optional={"multiplier": st.none() | st.integers() | st.floats()})
    )
    if billing is not None:
        entry["billing"] = billing
    if draw(st.booleans()):
        entry["policy"] = {"state": draw(st.text(max_size=12)), "terms": draw(st.text(max_size=12))}
    entry["supportedReasoningEfforts"] = draw(odd_efforts)
    entry["defaultReasoningEffort"] = draw(json_scalars)
    return entry


@settings(max_examples=400, deadline=None)
@given(st.lists(odd_entries(), max_size=8))
def test_odd_or_missing_fields_are_left_unknown_never_fatal(entries: list[dict[str, Any]]) -> None:
    models = copilot_catalog(infos(entries))
    assert len({m.id for m in models}) == len(models)
    for model in models:
        assert model.id and model.id == model.id.strip()
        assert model.multiplier is None or (math.isfinite(model.multiplier) and model.multiplier >= 0)
        assert model.context_tokens is None or model.context_tokens >= 1
        assert all(isinstance(level, str) and level and level == level.strip() for level in model.efforts)
        assert len(set(model.efforts)) == len(model.efforts)
        assert model.default_effort == "" or model.default_effort in model.efforts
        assert isinstance(model.vision, bool) and model.usable == (model.why_not == "")
