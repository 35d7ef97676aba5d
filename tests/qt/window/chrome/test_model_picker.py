"""The model picker as Copilot offers models: grouped under headers nobody can choose, each with its
cost and context window, a model the account may not use greyed out with the reason; and beside it
the Reasoning effort picker, shown only for a model that has levels, its default marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings
from desktop_app.core.vocabulary.catalog.model import AUTO_MODEL, CatalogModel, plain_models
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.chrome.model_picker import DETAILS, HEADER, ModelDelegate
from tests.qt.offline_window import offline_window

AUTO = CatalogModel(AUTO_MODEL, "Auto")
MINI = CatalogModel("gpt-5-mini", "GPT-5 mini", 0.0, ("low", "medium", "high"), "medium", 128_000)
SONNET = CatalogModel("sonnet", "Claude <b>Sonnet</b>", 1.0, context_tokens=200_000)
OPUS = CatalogModel("opus", "Claude Opus", 10.0, ("low", "high"))
LOCKED = CatalogModel("locked", "Locked", 3.0, usable=False, why_not="Ask <i>your</i> admin.")
CATALOG = [MINI, OPUS, LOCKED, SONNET, AUTO]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    chat = offline_window(qtbot, tmp_path, settings=Settings(copilot_model="gpt-5-mini"))
    yield chat
    chat.controller.cancel_work()


def rows(window: ChatWindow) -> list[tuple[str, bool, bool]]:
    """Each row's text, whether it is a header, whether it can be chosen."""
    picker = window.model_picker
    shown = []
    for i in range(picker.count()):
        index = picker.model().index(i, 0)
        flags = index.flags()
        choosable = bool(flags & Qt.ItemFlag.ItemIsEnabled and flags & Qt.ItemFlag.ItemIsSelectable)
        shown.append((picker.itemText(i), bool(index.data(HEADER)), choosable))
    return shown


def test_models_are_grouped_under_headers_that_cannot_be_chosen(window: ChatWindow) -> None:
    window.chips.show_models(CATALOG, "gpt-5-mini")
    assert rows(window) == [
        ("Auto", False, True),
        ("Included", True, False),
        ("GPT-5 mini", False, True),
        ("Premium", True, False),
        ("Claude <b>Sonnet</b>", False, True),
        ("Claude Opus", False, True),
        ("Not available", True, False),
        ("Locked", False, False),
    ]
    picker = window.model_picker
    assert (
        picker.currentText() == "GPT-5 mini" and window.chips.picked_model(picker.currentIndex()) == MINI.id
    )
    details = [picker.itemData(i, DETAILS) for i in range(picker.count())]
    assert (
        details[2] == "Included · 128k context" and details[4] == "1× · 200k context" and details[5] == "10×"
    )
    assert picker.accessibleName() == "Model"
    assert "&lt;b&gt;" in picker.itemData(4, Qt.ItemDataRole.ToolTipRole)  # a name from the server: text


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # the offscreen platform's popup
def test_a_model_the_account_cannot_use_says_why_and_cannot_be_picked(
    qtbot: QtBot, window: ChatWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[Settings] = []
    monkeypatch.setattr(window.controller, "apply_settings", applied.append)
    window.chips.show_models(CATALOG, "gpt-5-mini")
    picker = window.model_picker
    locked = picker.count() - 1
    tip = picker.itemData(locked, Qt.ItemDataRole.ToolTipRole)
    assert "Not available: Ask &lt;i&gt;your&lt;/i&gt; admin." in tip
    activated: list[int] = []
    picker.activated.connect(activated.append)
    picker.showPopup()
    view = picker.view()
    qtbot.waitUntil(view.isVisible)
    for row in (locked, 1):  # the unusable model, then a header: pointed at, clicked
        at = view.visualRect(picker.model().index(row, 0)).center()
        qtbot.mouseMove(view.viewport(), at)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert activated == [] and picker.currentIndex() == 2
    picker.hidePopup()
    picker.setFocus()
    for _ in range(8):  # the keys step over headers and the unusable model
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.currentText() == "Claude Opus"
    assert [s.copilot_model for s in applied] == ["sonnet", "opus"]  # each step a pick, as ever
    assert [s.copilot_model for s in applied] == ["sonnet", "opus"]  # each step a pick, as ever


def test_a_picked_model_reaches_the_controller_by_its_id(
    window: ChatWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[Settings] = []
    monkeypatch.setattr(window.controller, "apply_settings", applied.append)
    window.chips.show_models(CATALOG, "gpt-5-mini")
    row = window.model_picker.findText("Claude Opus")
    window.model_picker.setCurrentIndex(row)
    window.model_picker.activated.emit(row)
    window.model_picker.setEditText("Claude <b>Sonnet</b>")  # a listed name, typed as shown
    line = window.model_picker.lineEdit()
    assert line is not None
    line.returnPressed.emit()
    assert [s.copilot_model for s in applied] == ["opus", "sonnet"]


def test_an_endpoints_names_are_one_plain_list_and_still_typeable(window: ChatWindow) -> None:
    window.chips.show_models(plain_models(["llama3", "qwen"]), "mistral")  # not listed: still shown
    assert rows(window) == [("llama3", False, True), ("qwen", False, True)]
    assert window.model_picker.currentText() == "mistral" and window.model_picker.isEditable()
    assert window.chips.typed_model() == "mistral"
    window.chips.show_models([], "")
    assert window.model_picker.currentText() == "" and window.model_picker.count() == 0


def shown_text(picker: QComboBox) -> str:
    """What the chip reads: its text, else the line edit's placeholder."""
    line = picker.lineEdit()
    return picker.currentText() or (line.placeholderText() if line is not None else "")


def test_with_no_model_picked_the_chip_says_copilot_picks_its_default(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path / "unpicked")  # Copilot, no model in the settings
    window.controller.models_changed.emit(CATALOG, "")  # the list as the CLI offers it
    picker = window.model_picker
    assert picker.currentIndex() == -1 and window.chips.typed_model() == ""  # Enter picks nothing
    assert shown_text(picker) == "Default model"
    assert "default model" in picker.toolTip() and "Pick a model" in picker.toolTip()
    assert picker.sizeHint().width() > picker.fontMetrics().horizontalAdvance("Default model")  # not cut
    window.chips.show_models(CATALOG, "opus")  # a pick: its name, no placeholder behind it
    assert shown_text(picker) == "Claude Opus" and picker.lineEdit().placeholderText() == ""  # type: ignore[union-attr]
    window.controller.cancel_work()


def test_the_delegate_draws_names_and_details_and_sizes_for_both(window: ChatWindow) -> None:
    window.chips.show_models(CATALOG, "gpt-5-mini")
    picker = window.model_picker
    delegate = picker.itemDelegate()
    assert isinstance(delegate, ModelDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(picker.view())  # type: ignore[arg-type]
    plain = picker.model().index(0, 0)
    detailed = picker.model().index(2, 0)
    assert delegate.sizeHint(option, detailed).width() > delegate.sizeHint(option, plain).width()
    image = QImage(300, 24, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    for row in range(picker.count()):
        option.rect = image.rect()
        delegate.paint(painter, option, picker.model().index(row, 0))
    painter.end()
    assert any(image.pixelColor(QPoint(x, 12)) != Qt.GlobalColor.white for x in range(300))  # it painted
    assert picker.view().minimumWidth() > picker.fontMetrics().horizontalAdvance("Included · 128k context")


def test_the_effort_picker_shows_only_for_a_model_with_levels_its_default_marked(
    qtbot: QtBot, window: ChatWindow
) -> None:
    bar = window.chips
    effort = bar.effort_picker
    assert effort.isHidden() and effort.accessibleName() == "Reasoning effort"
    bar.show_effort(MINI, "")
    qtbot.waitUntil(lambda: not effort.isHidden())
    assert [effort.itemText(i) for i in range(effort.count())] == ["Low", "Medium (default)", "High"]
    assert [effort.itemData(i) for i in range(effort.count())] == ["low", "", "high"]
    assert effort.currentText() == "Medium (default)"
    bar.show_effort(OPUS, "high")  # no default known: the model's own, whichever it is
    assert [effort.itemText(i) for i in range(effort.count())] == ["Default", "Low", "High"]
    assert effort.currentText() == "High"
    bar.show_effort(OPUS, "medium")  # a level chosen for another model
    assert effort.currentText() == "Default"
    bar.show_effort(SONNET, "high")
    qtbot.waitUntil(effort.isHidden)
    bar.show_effort(None, "")
    assert effort.isHidden()
