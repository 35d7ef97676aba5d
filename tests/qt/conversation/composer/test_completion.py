"""The completion list over the composer: ``/`` lists the slash commands, ``@`` (Agent mode only) the
working folder's files; typing filters, Up/Down/Tab/Enter choose, Esc closes; a file chosen is an
attachment chip; a command sent runs instead of going to the model."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.slash_commands import WINDOW_COMMANDS
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.conversation.composer.completion import COMMANDS_TITLE, FILES_TITLE, Completion
from desktop_app.ui.conversation.composer.completion_popup import Choice
from desktop_app.ui.conversation.view.rows import RowKind
from tests.qt.offline_window import offline_window


class Rig:
    """A host with a composer at its bottom, its completion and an attachment tray."""

    def __init__(self, qtbot: QtBot, folder: Path | None = None) -> None:
        self.host = QWidget()
        self.host.resize(600, 400)
        layout = QVBoxLayout(self.host)
        layout.addStretch(1)
        self.composer = Composer(self.host)
        layout.addWidget(self.composer)
        self.tray = AttachmentTray(lambda: True)
        self.folder = folder
        self.sent: list[str] = []
        self.composer.send_requested.connect(self.sent.append)
        self.completion = Completion(
            self.composer,
            self.composer,
            self.host,
            lambda: WINDOW_COMMANDS,
            lambda: self.folder,
            lambda path: self.tray.add_paths([path]),
        )
        qtbot.addWidget(self.host)
        qtbot.addWidget(self.tray)
        self.host.show()
        self.host.activateWindow()
        qtbot.waitUntil(self.host.isActiveWindow)
        self.composer.setFocus()

    @property
    def popup_labels(self) -> list[str]:
        return [c.label for c in self.completion.popup.choices()] if self.completion.open else []

    def current(self) -> Choice | None:
        return self.completion.popup.current()


def test_a_slash_opens_the_commands_each_with_its_description(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    assert not rig.completion.open
    qtbot.keyClicks(rig.composer, "/")
    assert rig.popup_labels == [f"/{c.name}" for c in WINDOW_COMMANDS]
    popup = rig.completion.popup
    assert popup.accessibleName() == COMMANDS_TITLE
    assert all(c.description for c in popup.choices())
    item = popup.list.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith("/clear: ")
    # Above the composer, as wide as it, in the host (no window of its own that takes the focus).
    assert popup.parentWidget() is rig.host
    assert popup.geometry().bottom() < rig.composer.geometry().top()
    assert rig.composer.hasFocus()


def test_typing_filters_and_a_space_or_plain_text_closes(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    qtbot.keyClicks(rig.composer, "/co")
    assert rig.popup_labels == ["/compact", "/context"]
    qtbot.keyClicks(rig.composer, "nt")
    assert rig.popup_labels == ["/context"]
    qtbot.keyClicks(rig.composer, "x")
    assert not rig.completion.open  # nothing matches
    rig.composer.setPlainText("hello /co")
    assert not rig.completion.open  # not at the start
    rig.composer.setPlainText("/compact ")
    assert not rig.completion.open


def test_up_down_and_tab_complete_the_name(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    qtbot.keyClicks(rig.composer, "/co")
    current = rig.current()
    assert current is not None and current.value == "compact"
    qtbot.keyClick(rig.composer, Qt.Key.Key_Down)
    assert (rig.current() or Choice("", "", "")).value == "context"
    qtbot.keyClick(rig.composer, Qt.Key.Key_Down)  # round the end
    assert (rig.current() or Choice("", "", "")).value == "compact"
    qtbot.keyClick(rig.composer, Qt.Key.Key_Up)
    qtbot.keyClick(rig.composer, Qt.Key.Key_Tab)
    assert rig.composer.toPlainText() == "/context "
    assert not rig.completion.open and rig.composer.hasFocus()  # Tab did not move the focus
    assert rig.sent == []


def test_enter_runs_a_command_that_takes_nothing_more(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    qtbot.keyClicks(rig.composer, "/us")
    qtbot.keyClick(rig.composer, Qt.Key.Key_Return)
    assert rig.sent == ["/usage"]


def test_enter_on_a_command_with_an_argument_waits_for_it(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    qtbot.keyClicks(rig.composer, "/comp")
    qtbot.keyClick(rig.composer, Qt.Key.Key_Return)
    assert rig.composer.toPlainText() == "/compact " and rig.sent == []
    qtbot.keyClicks(rig.composer, "keep the plan")
    qtbot.keyClick(rig.composer, Qt.Key.Key_Return)
    assert rig.sent == ["/compact keep the plan"]


def test_esc_closes_the_list_and_leaves_the_text(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    stops: list[bool] = []
    rig.composer.stop_requested.connect(lambda: stops.append(True))
    qtbot.keyClicks(rig.composer, "/co")
    qtbot.keyClick(rig.composer, Qt.Key.Key_Escape)
    assert not rig.completion.open and rig.composer.toPlainText() == "/co"
    assert stops == []  # Esc closed the list, it did not stop a reply
    qtbot.keyClick(rig.composer, Qt.Key.Key_Return)  # sends what was typed
    assert rig.sent == ["/co"]
    rig.composer.setPlainText("/c")
    assert rig.completion.open  # typing again opens it again


def test_clicking_a_row_chooses_it(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    qtbot.keyClicks(rig.composer, "/mo")
    popup = rig.completion.popup
    rect = popup.list.visualItemRect(popup.list.item(0))
    qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert rig.sent == ["/model"]


def files(root: Path) -> Path:
    for path in (
        "main.py",
        "src/app/main_window.py",
        "docs/readme.md",
        ".git/HEAD",
        "node_modules/x/main.js",
    ):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("print('hi')\n", encoding="utf-8")
    return root


def test_at_lists_nothing_outside_agent_mode(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    rig = Rig(qtbot, folder=None)
    qtbot.keyClicks(rig.composer, "look at @ma")
    assert not rig.completion.open


def test_at_in_agent_mode_lists_the_folders_files_and_attaches_the_chosen(
    qtbot: QtBot, app: QApplication, tmp_path: Path
) -> None:
    rig = Rig(qtbot, folder=files(tmp_path))
    qtbot.keyClicks(rig.composer, "look at @")
    assert rig.completion.popup.accessibleName() == FILES_TITLE
    assert {c.description for c in rig.completion.popup.choices()} == {
        "main.py",
        "src/app/main_window.py",
        "docs/readme.md",
    }  # no .git, no node_modules
    qtbot.keyClicks(rig.composer, "main_w")
    assert rig.popup_labels == ["main_window.py"]
    qtbot.keyClick(rig.composer, Qt.Key.Key_Return)
    assert rig.sent == []  # Enter chose the file, it did not send
    assert rig.composer.toPlainText() == "look at "
    assert [a.label for a in rig.tray.attachments] == ["main_window.py"]
    assert [chip.accessibleName() for chip in rig.tray.chips] == ["Attachment main_window.py"]
    assert not rig.completion.open


def test_a_typed_command_runs_in_the_window_and_never_goes_as_a_prompt(
    qtbot: QtBot, app: QApplication, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    shown: list[str] = []
    window.slash.commands.said.connect(lambda text, _level: shown.append(text))
    qtbot.keyClicks(window.composer, "/nosuch please")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert shown[-1].startswith("Unknown command /nosuch")
    assert window.composer.toPlainText() == "" and not window.controller.pending
    notices = [row.text for row in window.view.rows if row.kind is RowKind.NOTICE]
    assert notices == [shown[-1]]  # said in the conversation
    qtbot.keyClicks(window.composer, "/usage")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert shown[-1] == "/usage needs a conversation with Copilot: send a message first."
    opened: list[bool] = []
    window.slash.commands.model_picker_wanted.connect(lambda: opened.append(True))
    qtbot.keyClicks(window.composer, "/model")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert opened == [True]
    window.model_picker.hidePopup()


def test_the_list_goes_when_the_editor_loses_the_keyboard(qtbot: QtBot, app: QApplication) -> None:
    rig = Rig(qtbot)
    other = QLineEdit(rig.host)
    other.show()
    qtbot.keyClicks(rig.composer, "/co")
    assert rig.completion.open
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert not rig.completion.open


def test_the_list_stays_above_the_card_as_it_grows(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "/co")
    popup, card = window.slash.completion.popup, window.composer_card
    assert popup.isVisible() and popup.width() == card.width()

    def above() -> bool:
        return popup.geometry().bottom() < card.mapTo(popup.parentWidget(), card.rect().topLeft()).y()

    assert above()
    window.resize(window.width() - 120, window.height() - 80)
    qtbot.waitUntil(lambda: popup.width() == card.width() and above())
