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
from desktop_app.ui.platform.file_dialogs import FileFormat, open_dialog, path_for, save_dialog

log = logging.getLogger(__name__)

MARKDOWN = FileFormat("Markdown", "md")
WEB_PAGE = FileFormat("Web page", "html")
JSON_BACKUP = FileFormat("JSON backup", "json")
FORMATS = (MARKDOWN, WEB_PAGE, JSON_BACKUP)


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
    title: str,
    report: Callable[[str, str], None],
    chosen: FileFormat = MARKDOWN,
) -> QFileDialog:
    """Open a save dialog suggesting ``title`` as a ``chosen`` file; ``report(text, level)`` says how
    it went."""
    dialog = save_dialog(parent, "Export conversations", FORMATS, chosen, title)

    def chosen_file(name: str) -> None:
        path, _fmt = path_for(dialog, name, FORMATS)
        try:
            export_to(store, path, conversation_ids)
        except OSError as exc:
            report(f"Could not write {path}: {exc.strerror}", "error")
            return
        report(f"Exported to {path}", "info")

    dialog.fileSelected.connect(chosen_file)
    dialog.open()  # not exec(): no nested event loop under qasync
    return dialog


def ask_import(parent: QWidget, store: ConversationStore, report: Callable[[str, str], None]) -> QFileDialog:
    dialog = open_dialog(parent, "Import conversations", [JSON_BACKUP.name_filter, "All files (*)"])

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
