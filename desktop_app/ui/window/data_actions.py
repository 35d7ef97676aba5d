"""Export and import from the window: file dialogs around the core's exporters (no nested loops)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import EXPORTERS, load_conversations
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.storage.models import ImportResult

log = logging.getLogger(__name__)

FORMATS = {"Markdown (*.md)": "md", "Web page (*.html)": "html", "JSON backup (*.json)": "json"}


def safe_file_name(title: str) -> str:
    """A conversation title as a file name on every platform."""
    cleaned = "".join(c if c.isalnum() or c in " -_." else "-" for c in title).strip(" .")
    return (cleaned or "conversation")[:60]


def export_to(store: ConversationStore, path: Path, conversation_ids: Sequence[str] | None) -> None:
    """Write the conversations (all when ``None``) in the format the file name asks for."""
    exporter = EXPORTERS.get(path.suffix.lower().lstrip("."), EXPORTERS["md"])
    text = exporter(load_conversations(store, conversation_ids))
    path.write_text(text, encoding="utf-8")


def import_from(store: ConversationStore, path: Path) -> ImportResult:
    return import_json(store, path.read_bytes())


def ask_export(
    parent: QWidget,
    store: ConversationStore,
    conversation_ids: Sequence[str] | None,
    suggested_name: str,
    report: Callable[[str, str], None],
) -> QFileDialog:
    """Open a save dialog; ``report(text, level)`` says how it went."""
    dialog = QFileDialog(parent, "Export conversations")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilters(list(FORMATS))
    dialog.selectFile(suggested_name)

    def chosen(name: str) -> None:
        path = Path(name)
        fmt = FORMATS.get(dialog.selectedNameFilter(), "md")
        if not path.suffix:
            path = path.with_suffix(f".{fmt}")
        try:
            export_to(store, path, conversation_ids)
        except OSError as exc:
            report(f"Could not write {path}: {exc.strerror}", "error")
            return
        report(f"Exported to {path}", "info")

    dialog.fileSelected.connect(chosen)
    dialog.open()  # not exec(): no nested event loop under qasync
    return dialog


def ask_import(parent: QWidget, store: ConversationStore, report: Callable[[str, str], None]) -> QFileDialog:
    dialog = QFileDialog(parent, "Import conversations")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(["JSON backup (*.json)", "All files (*)"])

    def chosen(name: str) -> None:
        try:
            result = import_from(store, Path(name))
        except ImportFormatError as exc:
            report(f"Nothing was imported: {exc}", "error")
            return
        except OSError as exc:
            report(f"Could not read {name}: {exc.strerror}", "error")
            return
        count = len(result.skipped)
        skipped = f"; {count} {'was' if count == 1 else 'were'} already here" if count else ""
        plural = "" if result.imported == 1 else "s"
        if not result.rejected:
            report(f"Imported {result.imported} conversation{plural}{skipped}.", "info")
            return
        bad = len(result.rejected)
        first = result.rejected[0].reason
        report(
            f"Imported {result.imported} conversation{plural}{skipped}; {bad} could not be imported "
            f"({first}{'; see the log for the rest' if bad > 1 else ''}).",
            "warning",
        )
        for rejected in result.rejected:
            log.warning("Import left out %s: %s", rejected.conversation_id, rejected.reason)

    dialog.fileSelected.connect(chosen)
    dialog.open()
    return dialog
