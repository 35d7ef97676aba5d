"""The model catalog's plain values: the picker's groups, the words for cost and context, and which
reasoning effort a session asks for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.vocabulary.catalog.groups import INCLUDED, OTHER, PREMIUM, UNAVAILABLE, group_models
from desktop_app.core.vocabulary.catalog.model import (
    AUTO_MODEL,
    CatalogModel,
    effort_choice,
    effort_to_send,
    find_model,
    plain_models,
)
from desktop_app.core.vocabulary.catalog.wording import (
    context_text,
    effort_item_text,
    effort_text,
    model_description,
    model_details,
    multiplier_text,
)

AUTO = CatalogModel(AUTO_MODEL, "Auto")
MINI = CatalogModel("gpt-5-mini", "GPT-5 mini", 0.0, ("low", "medium", "high"), "medium", 128_000)
SONNET = CatalogModel("sonnet", "Claude Sonnet", 1.0, context_tokens=200_000, vision=True)
OPUS = CatalogModel("opus", "Claude Opus", 10.0, ("low", "high"))
CHEAP = CatalogModel("cheap", "Cheap", 0.33)
UNPRICED = CatalogModel("unpriced", "Unpriced")
LOCKED = CatalogModel("locked", "Locked", 3.0, usable=False, why_not="Turned off by your organization.")


def titles(models: list[CatalogModel]) -> list[tuple[str, list[str]]]:
    return [(group.title, [m.id for m in group.models]) for group in group_models(models)]


def test_auto_comes_first_then_included_premium_by_multiplier_the_rest_and_the_unusable_last() -> None:
    offered = [OPUS, LOCKED, SONNET, UNPRICED, MINI, AUTO, CHEAP]
    assert titles(offered) == [
        ("", ["auto"]),
        (INCLUDED, ["gpt-5-mini"]),
        (PREMIUM, ["cheap", "sonnet", "opus"]),
        (OTHER, ["unpriced"]),
        (UNAVAILABLE, ["locked"]),
    ]


def test_an_endpoints_names_stay_one_list_in_their_order_without_headers() -> None:
    names = plain_models(["zeta", "alpha", "zeta", "", "mid"])
    assert [m.id for m in names] == ["zeta", "alpha", "mid"]
    assert titles(names) == [("", ["zeta", "alpha", "mid"])]
    assert group_models([]) == []


def test_groups_leave_out_what_is_empty() -> None:
    assert titles([SONNET, OPUS]) == [(PREMIUM, ["sonnet", "opus"])]
    assert titles([CatalogModel(AUTO_MODEL, "Auto", usable=False, why_not="x"), MINI]) == [
        (INCLUDED, ["gpt-5-mini"]),
        (UNAVAILABLE, ["auto"]),
    ]


models = st.builds(
    CatalogModel,
    id=st.text(min_size=1, max_size=8),
    name=st.text(max_size=8),
    multiplier=st.none() | st.floats(min_value=0, max_value=1e6),
    efforts=st.lists(st.sampled_from(["low", "medium", "high", "xhigh"]), unique=True).map(tuple),
    context_tokens=st.none() | st.integers(min_value=0, max_value=10**12),
    usable=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(models, max_size=12))
def test_every_model_is_in_exactly_one_group(offered: list[CatalogModel]) -> None:
    grouped = [m for group in group_models(offered) for m in group.models]
    assert sorted(grouped, key=id) == sorted(offered, key=id)
    assert all(group.models for group in group_models(offered))
    premium = next((g.models for g in group_models(offered) if g.title == PREMIUM), ())
    assert [m.multiplier for m in premium] == sorted(m.multiplier or 0.0 for m in premium)


def test_the_words_for_a_multiplier() -> None:
    assert [multiplier_text(m) for m in (0, 1, 0.33, 1.5, 10, 0.001)] == [
        "Included",
        "1×",
        "0.33×",
        "1.5×",
        "10×",
        "0.001×",
    ]
    assert multiplier_text(1e6) == "1,000,000×"
    assert [multiplier_text(m) for m in (None, -1, float("nan"), float("inf"))] == ["", "", "", ""]


def test_the_words_for_a_context_window() -> None:
    shown = [context_text(t) for t in (128_000, 200_000, 1_000_000, 1_048_576, 1_500, 64, 0, None)]
    assert shown == [
        "128k context",
        "200k context",
        "1M context",
        "1M context",
        "1.5k context",
        "64-token context",
        "",
        "",
    ]
    assert context_text(10**12) == "1,000,000M context"


@given(st.none() | st.integers(min_value=-(10**15), max_value=10**15))
def test_a_context_window_is_words_or_nothing(tokens: int | None) -> None:
    text = context_text(tokens)
    assert (text == "") == (tokens is None or tokens <= 0)
    assert text == "" or text.endswith("context")


def test_the_words_for_reasoning_efforts() -> None:
    assert [effort_text(e) for e in ("low", "medium", "xhigh", "max", "turbo")] == [
        "Low",
        "Medium",
        "Extra high",
        "Max",
        "Turbo",
    ]
    assert effort_item_text("medium", "medium") == "Medium (default)"
    assert effort_item_text("high", "medium") == "High"


def test_details_and_description_say_what_is_known() -> None:
    assert model_details(MINI) == "Included · 128k context"
    assert model_details(OPUS) == "10×"
    assert model_details(CatalogModel("llama3")) == ""
    described = model_description(MINI)
    assert described.splitlines()[0] == "GPT-5 mini (gpt-5-mini)"
    assert "Included in your plan" in described and "128,000 tokens" in described
    assert "Low, Medium (default), High" in described
    assert "Reads images." in model_description(SONNET)
    assert model_description(LOCKED).endswith("Not available: Turned off by your organization.")
    assert "Copilot picks the model" in model_description(AUTO)
    assert model_description(CatalogModel("llama3")) == "llama3"


def test_the_effort_sent_is_one_the_model_takes() -> None:
    assert effort_to_send(MINI, "high") == "high"
    assert effort_to_send(MINI, "") == "medium"  # its default, said out loud
    assert effort_to_send(MINI, "xhigh") == "medium"  # chosen for another model
    assert effort_to_send(OPUS, "") == ""  # no default known: the CLI's own
    assert effort_to_send(SONNET, "high") == ""  # it has no levels: the CLI would refuse the session
    assert effort_to_send(None, "high") == ""  # not described (yet)


def test_the_effort_shown_as_chosen() -> None:
    assert effort_choice(MINI, "high") == "high"
    assert effort_choice(MINI, "medium") == ""  # the default's own row
    assert effort_choice(MINI, "xhigh") == ""
    assert effort_choice(None, "high") == ""


def test_what_counts_as_described() -> None:
    assert not CatalogModel("llama3").described and not CatalogModel("x", "x").described
    assert all(m.described for m in (AUTO, MINI, UNPRICED, LOCKED))
    assert find_model([MINI, SONNET], "sonnet") is SONNET
    assert find_model([MINI], "") is None and find_model([MINI], "nope") is None
    assert MINI.label == "GPT-5 mini" and CatalogModel("llama3").label == "llama3"
    assert SONNET.premium and not MINI.premium and not UNPRICED.premium
