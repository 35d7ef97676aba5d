"""Copilot's model list (the SDK's ``ModelInfo``, from ``client.list_models()``) as the app's
``CatalogModel``s: the cost, the reasoning-effort levels, the context window, and whether the
account may use each model.

Nothing in a ``ModelInfo`` is checked by the SDK beyond its three required fields, and the server
and the CLI both add fields over time, so every value is read defensively: an odd one is left
unknown, never fatal to the list. What the pinned CLI (1.0.102) sends: "auto" first with no
capabilities, billing or policy; ``supportedReasoningEfforts`` only for models that have levels and
no ``defaultReasoningEffort`` at all; models whose policy is "disabled" or "unconfigured" listed
like the others (the CLI even sends prompts to them: the server refuses).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from desktop_app.core.vocabulary.catalog.model import AUTO_MODEL, CatalogModel

if TYPE_CHECKING:
    from copilot.client import ModelInfo

TERMS_LIMIT = 300  # characters of a policy's terms kept for the tooltip

DISABLED = "Turned off for your account by your Copilot plan or your organization's policy."
UNCONFIGURED = "Not enabled for your account yet: turn it on in your Copilot settings on github.com."


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _multiplier(billing: Any) -> float | None:
    value = getattr(billing, "multiplier", None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _tokens(limits: Any) -> int | None:
    value = getattr(limits, "max_context_window_tokens", None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 1:
        return None
    return int(value)


def _efforts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    levels = (level for level in value if isinstance(level, str) and level.strip() == level and level)
    return tuple(dict.fromkeys(levels))  # each once, in the CLI's order


def _availability(policy: Any) -> tuple[bool, str]:
    """Usable, and if not why. An unknown state is offered: the server has the last word."""
    state = _text(getattr(policy, "state", None)).lower()
    if state not in ("disabled", "unconfigured"):
        return True, ""
    why = DISABLED if state == "disabled" else UNCONFIGURED
    terms = _text(getattr(policy, "terms", None))
    if terms:
        why += "\n" + (terms if len(terms) <= TERMS_LIMIT else terms[: TERMS_LIMIT - 1] + "…")
    return False, why


def catalog_model(info: ModelInfo) -> CatalogModel | None:
    """One model as the picker shows it; None for an entry without an id."""
    model_id = _text(getattr(info, "id", None))
    if not model_id:
        return None
    capabilities = getattr(info, "capabilities", None)
    efforts = _efforts(getattr(info, "supported_reasoning_efforts", None))
    default = _text(getattr(info, "default_reasoning_effort", None))
    usable, why_not = _availability(getattr(info, "policy", None))
    name = "Auto" if model_id == AUTO_MODEL else _text(getattr(info, "name", None))
    return CatalogModel(
        id=model_id,
        name=name if name != model_id else "",
        multiplier=_multiplier(getattr(info, "billing", None)),
        efforts=efforts,
        default_effort=default if default in efforts else "",
        context_tokens=_tokens(getattr(capabilities, "limits", None)),
        vision=getattr(getattr(capabilities, "supports", None), "vision", False) is True,
        usable=usable,
        why_not=why_not,
    )


def copilot_catalog(infos: Iterable[ModelInfo]) -> list[CatalogModel]:
    """The account's models in the CLI's order, each id once (the first wins)."""
    models: dict[str, CatalogModel] = {}
    for info in infos:
        model = catalog_model(info)
        if model is not None and model.id not in models:
            models[model.id] = model
    return list(models.values())
