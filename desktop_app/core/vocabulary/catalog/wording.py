"""The words for a model's cost, context window and reasoning effort, as the picker shows them:
"Included", "1x", "0.33x" (with a multiplication sign), "128k context", "Medium (default)". Plain
text: a name or a level comes from the server, so whoever shows these shows them as text.
"""

from __future__ import annotations

import math

from desktop_app.core.vocabulary.catalog.model import CatalogModel

EFFORT_WORDS = {
    "none": "None",
    "minimal": "Minimal",
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "xhigh": "Extra high",
    "max": "Max",
}
TIMES = "\u00d7"  # the multiplication sign of "1x"
DEFAULT_EFFORT = "Default"  # the model's own level, when the source does not say which it is
# No model picked: the session asks for none and the CLI takes its own default, chosen when the
# session opens by rules of its own (not the first model it lists: that is "Auto", another thing).
DEFAULT_MODEL = "Default model"
DEFAULT_MODEL_TIP = (
    "Copilot's default model: the Copilot CLI chooses it when the conversation starts.\n"
    "Pick a model, or type a name and press Enter, to choose one."
)


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "0" else f"{value:.2g}"  # 0.001 stays 0.001, not 0


def multiplier_text(multiplier: float | None) -> str:
    """ "Included" (0x), "1x", "0.33x"; "" when the cost is not stated (or makes no sense)."""
    if multiplier is None or not math.isfinite(multiplier) or multiplier < 0:
        return ""
    return "Included" if multiplier == 0 else f"{_number(multiplier)}{TIMES}"


def _size(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


def context_text(tokens: int | None) -> str:
    """ "128k context", "1M context"; "" when unknown."""
    if tokens is None or tokens <= 0:
        return ""
    if tokens >= 1_000_000:
        size = f"{_size(tokens / 1_000_000)}M"
    elif tokens >= 1000:
        size = f"{_size(tokens / 1000)}k"
    else:
        return f"{tokens}-token context"
    return f"{size} context"


def effort_text(effort: str) -> str:
    return EFFORT_WORDS.get(effort, effort[:1].upper() + effort[1:])


def effort_item_text(effort: str, default: str) -> str:
    """A level as the effort picker lists it, the model's default marked."""
    return f"{effort_text(effort)} (default)" if effort == default else effort_text(effort)


def model_details(model: CatalogModel) -> str:
    """What the picker shows beside a model's name: "1x · 128k context"."""
    return " · ".join(
        part for part in (multiplier_text(model.multiplier), context_text(model.context_tokens)) if part
    )


def model_description(model: CatalogModel) -> str:
    """Everything known about a model, a line each (its tooltip, as plain text)."""
    lines = [model.label if model.label == model.id else f"{model.label} ({model.id})"]
    if model.is_auto:
        lines.append("Copilot picks the model for each request.")
    cost = multiplier_text(model.multiplier)
    if cost == "Included":
        lines.append("Included in your plan: no premium requests.")
    elif cost:
        lines.append(f"{cost} premium requests per prompt.")
    if model.context_tokens:
        lines.append(f"Context window: {model.context_tokens:,} tokens.")
    if model.efforts:
        lines.append(
            "Reasoning effort: " + ", ".join(effort_item_text(e, model.default_effort) for e in model.efforts)
        )
    if model.vision:
        lines.append("Reads images.")
    if not model.usable:
        lines.append(f"Not available: {model.why_not}" if model.why_not else "Not available to your account.")
    return "\n".join(lines)
