"""File dialogs start in Documents (or home) unless the user picked a folder this run, and a save
dialog's name and filter follow the format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform import file_dialogs
from desktop_app.ui.platform.file_dialogs import (
    FileFormat,
    Place,
    folder_dialog,
    forget_picked,
    open_dialog,
    path_for,
    remember,
    save_dialog,
    show_in,
    start_folder,
)

MD, HTML, JSON = (
    FileFormat("Markdown", "md"),
    FileFormat("Web page", "html"),
    FileFormat("JSON backup", "json"),
)
FORMATS = (MD, HTML, JSON)


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """A home and a Documents folder of the test's own; nothing picked yet."""
    home, documents = tmp_path / "home", tmp_path / "home" / "Documents"
    documents.mkdir(parents=True)
    where = {"home": home, "documents": documents}
    locations = {
        QStandardPaths.StandardLocation.HomeLocation: "home",
        QStandardPaths.StandardLocation.DocumentsLocation: "documents",
    }

    def writable(location: QStandardPaths.StandardLocation) -> str:
        return str(where[locations[location]])

    monkeypatch.setattr(file_dialogs.QStandardPaths, "writableLocation", writable)
    forget_picked()
    yield where
    forget_picked()
    PARENTS.clear()


PARENTS: list[QWidget] = []  # a dialog lives as long as its parent: keep them for the test


def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    PARENTS.append(widget)
    return widget


def test_dialogs_start_in_documents_then_where_the_user_picked(
    qtbot: QtBot, places: dict[str, Path], tmp_path: Path
) -> None:
    assert start_folder() == str(places["documents"])
    places["documents"].rmdir()  # a system without a Documents folder
    assert start_folder() == str(places["home"])
    dialog = open_dialog(parent(qtbot), "Import", ["JSON backup (*.json)"])
    assert Path(dialog.directory().absolutePath()) == places["home"]
    picked = tmp_path / "backups"
    picked.mkdir()
    dialog.fileSelected.emit(str(picked / "old.json"))
    assert start_folder() == str(picked)  # files: where the last one was picked
    assert start_folder(Place.FOLDERS) == str(places["home"])  # folders are remembered apart
    assert Path(open_dialog(parent(qtbot), "Import", []).directory().absolutePath()) == picked
    picked.rmdir()
    assert start_folder() == str(places["home"])  # gone since: back to the default


def test_a_folder_dialog_starts_in_the_current_folder_else_the_last_picked(
    qtbot: QtBot, places: dict[str, Path], tmp_path: Path
) -> None:
    dialog = folder_dialog(parent(qtbot), "Choose")
    assert dialog.fileMode() is QFileDialog.FileMode.Directory
    show_in(dialog)
    assert Path(dialog.directory().absolutePath()) == places["documents"]
    project = tmp_path / "project"
    project.mkdir()
    dialog.fileSelected.emit(str(project))
    show_in(dialog)
    assert Path(dialog.directory().absolutePath()) == project
    show_in(dialog, str(places["home"]))
    assert Path(dialog.directory().absolutePath()) == places["home"]
    show_in(dialog, str(tmp_path / "gone"))
    assert Path(dialog.directory().absolutePath()) == project
    remember(Place.FOLDERS, places["documents"])
    assert start_folder(Place.FOLDERS) == str(places["documents"])


def test_a_save_dialog_names_the_file_for_the_chosen_format(qtbot: QtBot, places: dict[str, Path]) -> None:
    dialog = save_dialog(parent(qtbot), "Export", FORMATS, JSON, "🚀 Launch/plan")
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert dialog.nameFilters() == ["Markdown (*.md)", "Web page (*.html)", "JSON backup (*.json)"]
    assert dialog.selectedNameFilter() == "JSON backup (*.json)" and dialog.defaultSuffix() == "json"
    assert Path(dialog.directory().absolutePath()) == places["documents"]
    assert [Path(f).name for f in dialog.selectedFiles()] == ["Launch-plan.json"]
    dialog.selectNameFilter(HTML.name_filter)
    dialog.filterSelected.emit(HTML.name_filter)  # the user picks another format
    assert [Path(f).name for f in dialog.selectedFiles()] == ["Launch-plan.html"]
    assert dialog.defaultSuffix() == "html"


def test_the_written_file_follows_the_typed_extension_else_the_filter(
    qtbot: QtBot, places: dict[str, Path]
) -> None:
    dialog = save_dialog(parent(qtbot), "Export", FORMATS, MD, "x")
    dialog.selectNameFilter(HTML.name_filter)
    assert path_for(dialog, "/tmp/notes", FORMATS) == (Path("/tmp/notes.html"), HTML)
    assert path_for(dialog, "/tmp/notes.v2", FORMATS) == (Path("/tmp/notes.v2.html"), HTML)
    assert path_for(dialog, "/tmp/notes.JSON", FORMATS) == (Path("/tmp/notes.JSON"), JSON)
    dialog.fileSelected.emit(str(places["home"] / "notes.html"))
    assert start_folder() == str(places["home"])
