"""Whether a prompt's attachments can go to the model chosen, and the SDK's form of them: the
controller's side of attachments (the composer collects them, the core classifies and keeps them).

A Copilot model says whether it reads images (its capabilities, ``CatalogModel.vision``); Auto, a
model not listed yet and an endpoint are assumed to, and an endpoint that refuses says so itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop_app.core.conversation.attachment_intake import sending_refusal
from desktop_app.core.copilot.attachment_payload import to_sdk
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.catalog.model import CatalogModel
from desktop_app.core.vocabulary.targets import ChatTarget, Source

SPOOL_FOLDER = "attachments"  # under the data folder: pasted text an Agent-mode agent reads as a file


class AttachmentRules:
    def __init__(
        self,
        target: Callable[[], ChatTarget],
        selected: Callable[[], CatalogModel | None],
        access: Callable[[], ToolAccess],
        data_dir: Callable[[], Path],
    ) -> None:
        self._target = target
        self._selected = selected
        self._access = access
        self._data_dir = data_dir

    def reads_images(self) -> bool:
        if self._target().source is not Source.COPILOT:
            return True
        model = self._selected()
        return model is None or model.is_auto or model.vision

    def refusal(self, attachments: Sequence[Attachment]) -> str | None:
        """Why these cannot be sent now (an image for a model that reads none, a folder in Chat)."""
        if not attachments:
            return None
        model = self._selected()
        name = model.label if model is not None else self._target().model_name
        agent = self._access().mode.agentic
        return sending_refusal(attachments, self.reads_images(), name, agent)

    def payload(self, attachments: Sequence[Attachment]) -> Callable[[], list[dict[str, Any]]]:
        """The SDK's attachments, made when the prompt goes (in the conversation's mode then)."""
        items = tuple(attachments)
        return lambda: to_sdk(items, self._access(), self._data_dir() / SPOOL_FOLDER)
