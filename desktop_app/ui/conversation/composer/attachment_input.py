"""The ways an attachment gets into the composer: the attach button (several files, or a folder in
Agent mode), a paste (a screenshot, files copied in a file manager, a huge text), and a drop
anywhere on the window.

Every route ends in ``take_mime`` or ``AttachmentTray.add_paths``, so a drop and a paste of the same
thing give the same attachment, and the core's limits apply to each.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QSize, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QFileDialog, QMenu, QSizePolicy, QToolButton, QWidget

from desktop_app.core.conversation.attachment_intake import (
    PASTED_IMAGE_NAME,
    from_bytes,
    from_paste,
    image_mime,
    is_huge_paste,
    paths_from_uri_list,
)
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.platform.file_dialogs import Place, remember, start_folder
from desktop_app.ui.platform.icons import icon

URI_FORMATS = ("text/uri-list", "x-special/gnome-copied-files")  # file managers' copied files
IMAGE_FORMATS = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _local_paths(mime: QMimeData) -> list[Path]:
    """The local files a clipboard or drop names (Qt's URLs, else the raw lists, parsed by the core)."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]
    for fmt in URI_FORMATS:
        if not paths and mime.hasFormat(fmt):
            paths = paths_from_uri_list(bytes(mime.data(fmt).data()).decode("utf-8", "replace"))
    return list(dict.fromkeys(paths))


def offers_attachment(mime: QMimeData) -> bool:
    """Whether a drag carries something the composer would attach (files or an image)."""
    return bool(_local_paths(mime)) or mime.hasImage() or any(mime.hasFormat(f) for f in IMAGE_FORMATS)


def take_mime(tray: AttachmentTray, mime: QMimeData) -> bool:
    """Attach what ``mime`` holds: files, else an image, else a text too long for the bubble.
    False: nothing to attach (a short text is pasted as text)."""
    paths = _local_paths(mime)
    if paths:
        tray.add_paths(paths)
        return True
    for fmt in IMAGE_FORMATS:  # the original bytes when the source offers them
        data = bytes(mime.data(fmt).data()) if mime.hasFormat(fmt) else b""
        if data and image_mime(data):
            extension = fmt.split("/")[1].replace("jpeg", "jpg")
            tray.add([from_bytes(PASTED_IMAGE_NAME.replace(".png", f".{extension}"), data)])
            return True
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            tray.add_image(image)
            return True
    if mime.hasText() and is_huge_paste(mime.text()):
        tray.add([from_paste(mime.text())])
        return True
    return False


class WindowDrops(QObject):
    """Files or images dropped anywhere on ``window`` go to the composer's attachments."""

    def __init__(self, window: QWidget, tray: AttachmentTray) -> None:
        super().__init__(window)
        self._tray = tray
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        dragging = kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove)
        if (
            dragging
            and isinstance(event, QDragEnterEvent | QDropEvent)
            and offers_attachment(event.mimeData())
        ):
            event.acceptProposedAction()
            return True
        if (
            kind == QEvent.Type.Drop
            and isinstance(event, QDropEvent)
            and take_mime(self._tray, event.mimeData())
        ):
            event.acceptProposedAction()
            return True
        return False


class AttachButton(QToolButton):
    """The paperclip. Its width counts in the row (a zero-width hint, as ``Ignored`` gives, lost it to
    the row's stretch: no paperclip at all), but it may shrink to nothing when the window is narrow
    (both side panels open), so it never raises the window's minimum width."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())


def attach_button(tray: AttachmentTray, parent: QWidget) -> QToolButton:
    """The paperclip: a click picks one or several files; its menu also a folder (Agent mode)."""
    button = AttachButton(parent)
    button.setIcon(icon("paperclip"))
    button.setAutoRaise(True)
    button.setAccessibleName("Attach files")
    button.setToolTip("Attach files or a folder (or drop them on the window, or paste them)")
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def pick(folder: bool = False) -> None:
        title = "Attach a folder" if folder else "Attach files"
        dialog = QFileDialog(parent.window(), title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if folder:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
            dialog.setDirectory(start_folder(Place.FOLDERS))
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
            dialog.setDirectory(start_folder())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def picked(files: list[str]) -> None:
            if files:
                first = Path(files[0])
                if folder:
                    remember(Place.FOLDERS, first)
                else:
                    remember(Place.FILES, first.parent)
            tray.add_paths(Path(f) for f in files)

        dialog.filesSelected.connect(picked)
        dialog.open()
        button.setProperty("dialog", dialog)  # for tests: the dialog that is open

    menu = QMenu(button)
    menu.setAccessibleName("Attach")
    files_action = menu.addAction(icon("paperclip"), "Attach &files…")
    folder_action = menu.addAction(icon("folder"), "Attach a f&older…")
    files_action.triggered.connect(lambda: pick(False))
    folder_action.triggered.connect(lambda: pick(True))

    def agent_only() -> None:  # a folder is for the agent's tools; Chat mode has none
        agent = tray.agent_mode
        folder_action.setEnabled(agent)
        folder_action.setText("Attach a f&older…" if agent else "Attach a f&older… (Agent mode)")

    menu.aboutToShow.connect(agent_only)
    button.setMenu(menu)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    button.clicked.connect(lambda: pick(False))
    return button
