"""One model as a source offers it: its cost, reasoning-effort levels, context window and whether the
account may use it. Copilot describes its models (``core.copilot.model_info``); an endpoint's or the
demo's are bare names (``plain_models``), the same value with nothing known but the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

AUTO_MODEL = "auto"  # the id of Copilot's "Auto": it picks a model for each request


@dataclass(frozen=True)
class CatalogModel:
    """One model on offer. Everything but ``id`` may be unknown (an endpoint says only names)."""

    id: str
    name: str = ""  # as Copilot displays it; "" when only the id is known
    multiplier: float | None = None  # premium requests per prompt (0: included); None: not stated
    efforts: tuple[str, ...] = ()  # the reasoning-effort levels it takes, in the CLI's order
    default_effort: str = ""  # one of ``efforts``, or "" when the source does not say
    context_tokens: int | None = None  # its context window
    vision: bool = False  # it reads images
    usable: bool = True  # False: listed, but this account may not use it (``why_not`` says why)
    why_not: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def premium(self) -> bool:
        """Each prompt costs premium requests."""
        return self.multiplier is not None and self.multiplier > 0

    @property
    def is_auto(self) -> bool:
        return self.id == AUTO_MODEL

    @property
    def described(self) -> bool:
        """The source said more than its name (a Copilot model, not an endpoint's)."""
        return bool(
            self.is_auto
            or self.multiplier is not None
            or self.efforts
            or self.context_tokens
            or not self.usable
            or (self.name and self.name != self.id)
        )


def plain_models(names: Iterable[str]) -> list[CatalogModel]:
    """Bare model names (an endpoint's ``/models``, the demo's), in their order, each once."""
    seen: dict[str, CatalogModel] = {}
    for name in names:
        if name and name not in seen:
            seen[name] = CatalogModel(name)
    return list(seen.values())


def find_model(models: Iterable[CatalogModel], model_id: str) -> CatalogModel | None:
    return next((m for m in models if m.id == model_id), None) if model_id else None


def effort_choice(model: CatalogModel | None, chosen: str) -> str:
    """The effort the picker shows as chosen: ``chosen`` when the model takes it and it is not the
    model's default, else "" (the model's default)."""
    if model is None or chosen not in model.efforts or chosen == model.default_effort:
        return ""
    return chosen


def effort_to_send(model: CatalogModel | None, chosen: str) -> str:
    """The reasoning effort a session asks the CLI for ("": none).

    The conversation's choice when the model takes it, else the model's default when it has one.
    Nothing for a model without levels, or one not described (yet): the CLI refuses to open a
    session that asks a model for an effort it lacks.
    """
    if model is None or not model.efforts:
        return ""
    return chosen if chosen in model.efforts else model.default_effort
