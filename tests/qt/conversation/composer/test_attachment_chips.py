"""The composer's attachment chips: what a paste, a drop or the attach button puts there, a chip per
attachment (a thumbnail for an image), remove, the refusals, and the sent prompt's list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.attachment_intake import MAX_ATTACHMENTS
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.attachment_input import WindowDrops, attach_button, take_mime
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray, png_bytes


def red_image(width: int = 40, height: int = 20) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    return image


def composer_with_tray(qtbot: QtBot, agent: bool = False) -> tuple[Composer, AttachmentTray, list[str]]:
    composer, tray = Composer(), AttachmentTray(lambda: agent)
    qtbot.addWidget(composer)
    qtbot.addWidget(tray)
    composer.take_mime = lambda mime: take_mime(tray, mime)
    composer.has_attachments = lambda: bool(tray.attachments)
    refusals: list[str] = []
    tray.refused.connect(refusals.append)
    return composer, tray, refusals


def test_a_pasted_screenshot_is_a_chip_with_a_thumbnail(qtbot: QtBot, app: QApplication) -> None:
    composer, tray, _ = composer_with_tray(qtbot)
    mime = QMimeData()
    mime.setImageData(red_image())
    QGuiApplication.clipboard().setMimeData(mime)
    composer.paste()
    assert composer.toPlainText() == ""
    [chip] = tray.chips
    assert chip.name.text() == "Pasted image.png" and chip.attachment.kind is AttachmentKind.IMAGE
    thumb = chip.picture.pixmap()
    assert not thumb.isNull() and max(thumb.width(), thumb.height()) == 32  # scaled, aspect kept
    assert chip.remove_button is not None and chip.remove_button.accessibleName() == "Remove Pasted image.png"
    assert not tray.isHidden()
    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert tray.chips == [] and tray.isHidden()


def test_files_copied_in_a_file_manager_are_attached_not_pasted(
    qtbot: QtBot, app: QApplication, tmp_path: Path
) -> None:
    composer, tray, refusals = composer_with_tray(qtbot)
    (tmp_path / "a.py").write_text("print('a')\n")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02")
    mime = QMimeData()
    mime.setData("x-special/gnome-copied-files", f"copy\n{(tmp_path / 'a.py').as_uri()}".encode())
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.py")), QUrl.fromLocalFile(str(tmp_path / "b.bin"))])
    mime.setText(str(tmp_path / "a.py"))
    QGuiApplication.clipboard().setMimeData(mime)
    composer.paste()
    assert composer.toPlainText() == ""
    assert [c.name.text() for c in tray.chips] == ["a.py"]
    assert refusals == ["“b.bin” was not attached: it is neither an image (PNG, JPEG, GIF, WebP) nor text."]


def test_a_short_paste_is_text_and_a_huge_one_an_attachment(qtbot: QtBot, app: QApplication) -> None:
    composer, tray, _ = composer_with_tray(qtbot)
    QGuiApplication.clipboard().setText("just a line")
    composer.paste()
    assert composer.toPlainText() == "just a line" and tray.chips == []
    QGuiApplication.clipboard().setText("row\n" * 2500)
    composer.paste()
    assert composer.toPlainText() == "just a line"
    assert [c.name.text() for c in tray.chips] == ["Pasted text (2501 lines).txt"]


def test_hostile_names_are_shown_cleaned_as_plain_text(qtbot: QtBot, app: QApplication) -> None:
    _, tray, _ = composer_with_tray(qtbot)
    name = "<b>bold</b>\u202egnp.exe\nsecond line"
    tray.add([Attachment(name, AttachmentKind.TEXT, "text/plain", b"x")])
    [chip] = tray.chips
    assert chip.name.text() == "<b>bold</b>gnp.exe second line"  # no RLO, no line break
    assert chip.name.textFormat() is Qt.TextFormat.PlainText
    assert chip.toolTip().startswith("<p>") and "<b>" not in chip.toolTip()


def test_the_count_limit_says_which_file_was_left_out(qtbot: QtBot, app: QApplication) -> None:
    _, tray, refusals = composer_with_tray(qtbot)
    tray.add(Attachment(f"{n}.txt", AttachmentKind.TEXT, "text/plain", f"{n}".encode()) for n in range(12))
    assert len(tray.chips) == MAX_ATTACHMENTS
    assert "“10.txt” was not attached" in refusals[0] and "“11.txt” was not attached" in refusals[0]


def test_enter_sends_a_prompt_with_only_attachments(qtbot: QtBot, app: QApplication) -> None:
    composer, tray, _ = composer_with_tray(qtbot)
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(composer, Qt.Key.Key_Return)
    tray.add_image(red_image())
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent.args == [""]


def test_a_drop_on_the_window_attaches_files(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    tray = AttachmentTray(lambda: True, window)
    drops = WindowDrops(window, tray)
    assert window.acceptDrops() and drops.parent() is window
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path))])  # a folder: Agent mode takes it
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert [(c.name.text(), c.attachment.kind) for c in tray.chips] == [
        (tmp_path.name, AttachmentKind.FOLDER)
    ]


def test_the_attach_button_opens_a_dialog_for_several_files(
    qtbot: QtBot, app: QApplication, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    tray = AttachmentTray(lambda: False, parent)
    button = attach_button(tray, parent)
    assert button.accessibleName() == "Attach files"
    button.click()
    dialog = button.property("dialog")
    assert dialog.fileMode() is dialog.FileMode.ExistingFiles
    files = [tmp_path / "one.txt", tmp_path / "two.png"]
    files[0].write_text("one")
    files[1].write_bytes(png_bytes(red_image()))
    dialog.filesSelected.emit([str(f) for f in files])
    dialog.reject()
    assert [(c.name.text(), c.attachment.kind) for c in tray.chips] == [
        ("one.txt", AttachmentKind.TEXT),
        ("two.png", AttachmentKind.IMAGE),
    ]


def test_the_sent_prompt_lists_its_attachments(qtbot: QtBot, app: QApplication) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    shot = Attachment("<i>shot</i>.png", AttachmentKind.IMAGE, "image/png", png_bytes(red_image()))
    view.add_user_message("look at this", (shot,))
    text = view.toPlainText()
    assert "look at this" in text and "<i>shot</i>.png" in text  # as text, never markup
    assert "B)" in text


def test_the_sent_prompt_shows_a_thumbnail_of_the_stored_bytes(qtbot: QtBot, app: QApplication) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    shot = Attachment("shot.png", AttachmentKind.IMAGE, "image/png", png_bytes(red_image(400, 200)))
    fake = Attachment("fake.png", AttachmentKind.IMAGE, "image/png", b"not an image")  # no picture
    notes = Attachment("notes.txt", AttachmentKind.TEXT, "text/plain", b"hello")
    view.add_user_message('<img src="/etc/passwd"> ![x](attachment-picture:abc)', (shot, fake, notes))
    document = view.document_for(len(view.rows) - 1)
    pictures = images_in(document)
    icon = "attachment-picture:icon-file-code"  # no emoji font needed
    assert pictures == [f"attachment-picture:{shot.sha256}", icon, icon]  # the fake one: an icon
    picture = document.resource(QTextDocument.ResourceType.ImageResource.value, QUrl(pictures[0]))
    assert isinstance(picture, QImage) and (picture.width(), picture.height()) == (160, 80)  # scaled
    assert not document.refused  # nothing was loaded: the pictures were registered, never fetched
    text = document.toPlainText()
    assert "<img" in text and " fake.png (12 B)" in text and " notes.txt (5 B)" in text
    view.drop_document(view.rows[-1].key)  # built again (as when scrolled back): the same picture
    assert images_in(view.document_for(len(view.rows) - 1)) == pictures


def images_in(document: QTextDocument) -> list[str]:
    names = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            char_format = iterator.fragment().charFormat()
            if char_format.isImageFormat():
                names.append(char_format.toImageFormat().name())
            iterator += 1
        block = block.next()
    return names


def test_the_attach_menu_picks_a_folder_in_agent_mode_only(
    qtbot: QtBot, app: QApplication, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    agent = False
    tray = AttachmentTray(lambda: agent, parent)
    button = attach_button(tray, parent)
    menu = button.menu()
    assert menu is not None
    files, folder = menu.actions()
    menu.aboutToShow.emit()
    assert not folder.isEnabled() and "Agent mode" in folder.text()
    agent = True
    menu.aboutToShow.emit()
    assert folder.isEnabled() and folder.text() == "Attach a f&older…"
    folder.trigger()
    dialog = button.property("dialog")
    assert dialog.fileMode() is dialog.FileMode.Directory and dialog.windowTitle() == "Attach a folder"
    dialog.filesSelected.emit([str(tmp_path)])
    dialog.reject()
    [chip] = tray.chips
    assert (chip.attachment.kind, chip.attachment.path, chip.size_label.text()) == (
        AttachmentKind.FOLDER,
        str(tmp_path),
        "folder",
    )
    files.trigger()
    assert button.property("dialog").fileMode() is QFileDialog.FileMode.ExistingFiles
    button.property("dialog").reject()


def test_a_file_over_the_limits_is_named_with_why(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    _, tray, refusals = composer_with_tray(qtbot)
    big = tmp_path / "big <log>.txt"
    big.write_text("x" * (600 * 1024))
    tray.add_paths([big])
    assert tray.chips == [] and tray.isHidden()
    assert refusals == ["“big <log>.txt” was not attached: it is 600 KB; text files may be 512 KB at most."]


def test_an_image_whose_bytes_do_not_decode_gets_an_icon(qtbot: QtBot, app: QApplication) -> None:
    _, tray, _ = composer_with_tray(qtbot)
    broken = b"\x89PNG\r\n\x1a\n" + b"garbage" * 10  # an image by its signature, nothing to decode
    tray.add([Attachment("broken.png", AttachmentKind.IMAGE, "image/png", broken)])
    [chip] = tray.chips
    assert max(chip.picture.pixmap().width(), chip.picture.pixmap().height()) == 20  # the icon
