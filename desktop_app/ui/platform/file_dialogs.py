"""File and folder dialogs that start where the user's files are and name files by what they hold.

A dialog opens in the folder the user last picked one in during this run (files and folders
remembered apart: an Agent folder is a project, not where exports go), else in Documents when the
system has one, else in the home folder; never in the app's working directory. A save dialog's
name and filter follow the format chosen, both ways: picking another filter changes the name's
extension, and a name typed without a known extension gets the filter's. Dialogs are opened with
``open()`` (no nested event loop under qasync).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.core.platform.file_names import safe_file_name


class Place(StrEnum):
    FILES = "files"  # exports and imports
    FOLDERS = "folders"  # a folder to work in


_picked: dict[Place, str] = {}  # the folder last picked in, this run


@dataclass(frozen=True)
class FileFormat:
    label: str  # "Markdown"
    extension: str  # "md", no dot

    @property
    def name_filter(self) -> str:
        return f"{self.label} (*.{self.extension})"


def start_folder(place: Place = Place.FILES) -> str:
    """Where a dialog for ``place`` opens."""
    picked = _picked.get(place)
    if picked and Path(picked).is_dir():
        return picked
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return documents
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation) or str(Path.home())


def remember(place: Place, folder: str | Path) -> None:
    """The user picked something in ``folder``: the next dialog for ``place`` opens there."""
    _picked[place] = str(folder)


def forget_picked() -> None:
    """As at start-up (for tests)."""
    _picked.clear()


def save_dialog(
    parent: QWidget, title: str, formats: Sequence[FileFormat], chosen: FileFormat, name: str
) -> QFileDialog:
    """A save dialog for ``formats``, ``chosen`` selected, suggesting ``name`` (a title: made a safe
    file name). Connect to ``fileSelected`` and read the path with ``path_for``; then ``open()`` it."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilters([f.name_filter for f in formats])
    dialog.selectNameFilter(chosen.name_filter)
    dialog.setDefaultSuffix(chosen.extension)
    dialog.setDirectory(start_folder())
    dialog.selectFile(safe_file_name(name, chosen.extension))

    def follow(name_filter: str) -> None:
        fmt = next((f for f in formats if f.name_filter == name_filter), None)
        if fmt is None:
            return
        dialog.setDefaultSuffix(fmt.extension)
        selected = dialog.selectedFiles()
        if selected and Path(selected[0]).name:
            current = Path(selected[0])
            known = current.suffix.lower().lstrip(".") in {f.extension for f in formats}
            stem = current.stem if known else current.name
            dialog.selectFile(f"{stem}.{fmt.extension}")

    dialog.filterSelected.connect(follow)
    dialog.fileSelected.connect(lambda path: remember(Place.FILES, Path(path).parent))
    return dialog


def path_for(dialog: QFileDialog, path: str, formats: Sequence[FileFormat]) -> tuple[Path, FileFormat]:
    """The file to write and its format: the name's extension when it is one of ``formats`` (the
    user typed it), else the selected filter's, added to the name."""
    target = Path(path)
    by_extension = {f.extension: f for f in formats}
    typed = by_extension.get(target.suffix.lower().lstrip("."))
    if typed is not None:
        return target, typed
    fmt = next((f for f in formats if f.name_filter == dialog.selectedNameFilter()), formats[0])
    return target.with_name(f"{target.name}.{fmt.extension}"), fmt


def open_dialog(parent: QWidget, title: str, name_filters: Sequence[str]) -> QFileDialog:
    """A dialog to pick one existing file; connect to ``fileSelected``, then ``open()`` it."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(list(name_filters))
    dialog.setDirectory(start_folder())
    dialog.fileSelected.connect(lambda path: remember(Place.FILES, Path(path).parent))
    return dialog


def folder_dialog(parent: QWidget, title: str) -> QFileDialog:
    """A dialog to pick a folder; ``show_in`` before each ``open()`` says where it starts."""
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.fileSelected.connect(lambda path: remember(Place.FOLDERS, path))
    return dialog


def show_in(dialog: QFileDialog, folder: str = "", place: Place = Place.FOLDERS) -> None:
    """Start ``dialog`` in ``folder`` when it still exists, else where dialogs for ``place`` start."""
    dialog.setDirectory(folder if folder and Path(folder).is_dir() else start_folder(place))
