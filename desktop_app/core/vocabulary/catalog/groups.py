"""The picker's groups: "Auto" first where it is offered, then the models included in the plan, the
premium ones from the cheapest up, those whose cost is not stated, and last those the account may
not use. An endpoint's bare names stay one group, in their own order, without a header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.core.vocabulary.catalog.model import CatalogModel

INCLUDED = "Included"
PREMIUM = "Premium"
OTHER = "Other models"
UNAVAILABLE = "Not available"


@dataclass(frozen=True)
class ModelGroup:
    title: str  # its header; "" for none ("Auto", an endpoint's list)
    models: tuple[CatalogModel, ...]


def group_models(models: Iterable[CatalogModel]) -> list[ModelGroup]:
    """The models as the picker lists them; every model exactly once, empty groups left out."""
    offered = list(models)
    if not any(m.described for m in offered):
        return [ModelGroup("", tuple(offered))] if offered else []
    usable = [m for m in offered if m.usable]
    auto = [m for m in usable if m.is_auto]
    rest = [m for m in usable if not m.is_auto]
    premium = sorted((m for m in rest if m.premium), key=lambda m: m.multiplier or 0.0)  # stable
    groups = [
        ModelGroup("", tuple(auto)),
        ModelGroup(INCLUDED, tuple(m for m in rest if m.multiplier is not None and not m.premium)),
        ModelGroup(PREMIUM, tuple(premium)),
        ModelGroup(OTHER, tuple(m for m in rest if m.multiplier is None)),
        ModelGroup(UNAVAILABLE, tuple(m for m in offered if not m.usable)),
    ]
    return [group for group in groups if group.models]
