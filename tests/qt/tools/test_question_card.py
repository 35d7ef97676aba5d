"""The question card: each choice a button with its text, a free-text answer where allowed, Cancel;
the model's text shown as plain text however hostile or long; the focus on the card, typing kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.questions import QuestionReply, UserQuestion
from desktop_app.ui.tools.question_card import CHOICE_CHARS, QUESTION_HEIGHT, QuestionCard
from tests.qt.offline_window import active_offline_window

_kept: list[QWidget] = []


def shown_card(
    qtbot: QtBot, *questions: UserQuestion
) -> tuple[QuestionCard, list[tuple[str, QuestionReply]]]:
    parent = QWidget()
    qtbot.addWidget(parent)
    _kept.append(parent)  # qtbot holds it weakly
    card = QuestionCard(parent)
    parent.resize(600, 400)
    parent.show()
    replies: list[tuple[str, QuestionReply]] = []
    card.answered.connect(lambda qid, reply: replies.append((qid, reply)))
    for question in questions:
        card.ask(question)
    return card, replies


def colour(freeform: bool = False, qid: str = "q1") -> UserQuestion:
    return UserQuestion(qid, "Which colour?", ("Red", "Blue"), freeform)


def test_each_choice_is_a_button_that_answers_with_its_text(qtbot: QtBot) -> None:
    card, replies = shown_card(qtbot, colour())
    assert card.isVisible() and card.question.text() == "Which colour?"
    assert [b.text() for b in card.choice_buttons] == ["Red", "Blue"]
    assert [b.accessibleName() for b in card.choice_buttons] == ["Red", "Blue"]
    assert card.free_text.isHidden()  # this question takes only its choices
    qtbot.mouseClick(card.choice_buttons[1], Qt.MouseButton.LeftButton)
    assert replies == [("q1", QuestionReply("Blue"))]
    assert card.isHidden()


def test_free_text_is_sent_with_enter_and_an_empty_one_is_not(qtbot: QtBot) -> None:
    card, replies = shown_card(qtbot, colour(freeform=True))
    assert card.free_text.isVisible() and card.free_text.accessibleName() == "Your answer"
    qtbot.keyClick(card.free_text, Qt.Key.Key_Return)
    assert replies == []
    qtbot.keyClicks(card.free_text, "  Green  ")
    qtbot.keyClick(card.free_text, Qt.Key.Key_Return)
    assert replies == [("q1", QuestionReply("Green", freeform=True))]


def test_a_question_without_choices_takes_free_text() -> None:
    question = UserQuestion.of({"question": "Name?", "choices": [], "allowFreeform": False})
    assert question.allow_freeform and question.choices == ()


def test_cancel_and_esc_answer_with_a_cancellation(qtbot: QtBot) -> None:
    card, replies = shown_card(qtbot, colour(qid="a"), colour(qid="b"))
    assert card.count.text() == "1 of 2"
    qtbot.mouseClick(card.cancel, Qt.MouseButton.LeftButton)
    assert replies[0][0] == "a" and replies[0][1].cancelled
    assert card.current is not None and card.current.question_id == "b"
    card.take_focus()
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert replies[1][0] == "b" and replies[1][1].cancelled
    assert card.isHidden()


def test_hostile_text_is_shown_as_it_is(qtbot: QtBot) -> None:
    hostile = UserQuestion("q", "<b>x</b> <img src=x onerror=alert(1)>", ("<b>x</b>", "Save & quit"), True)
    card, replies = shown_card(qtbot, hostile)
    assert card.question.textFormat() is Qt.TextFormat.PlainText
    assert card.question.text() == "<b>x</b> <img src=x onerror=alert(1)>"
    assert [b.text() for b in card.choice_buttons] == ["<b>x</b>", "Save && quit"]  # no mnemonic
    assert card.choice_buttons[0].toolTip() == "<qt>&lt;b&gt;x&lt;/b&gt;</qt>"
    qtbot.mouseClick(card.choice_buttons[1], Qt.MouseButton.LeftButton)
    assert replies == [("q", QuestionReply("Save & quit"))]  # the choice as the model wrote it


def test_very_long_text_fits_the_window(qtbot: QtBot) -> None:
    long_choice = "word " * 200
    card, replies = shown_card(qtbot, UserQuestion("q", "why " * 5000, (long_choice,), False))
    button = card.choice_buttons[0]
    assert len(button.text()) <= CHOICE_CHARS and button.text().endswith("…")
    assert button.accessibleName() == long_choice
    assert card.height() < QUESTION_HEIGHT + 200  # the question scrolls; the composer keeps its room
    assert card.width() <= 600
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert replies == [("q", QuestionReply(long_choice))]  # the whole choice, not the cut one


def test_a_question_takes_the_focus_and_the_prompt_being_typed_is_kept(qtbot: QtBot, tmp_path: Path) -> None:
    window = active_offline_window(qtbot, tmp_path)
    card, replies = window.question_card, []
    card.answered.connect(lambda qid, reply: replies.append(reply))
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "tell me ")
    window.questions.asked(colour(freeform=True))
    assert card.isVisible() and QApplication.focusWidget() is card  # the question, not an answer
    qtbot.keyClicks(card, "more")
    qtbot.keyClick(card, Qt.Key.Key_Return)  # Enter meant for the composer answers nothing
    assert window.composer.toPlainText() == "tell me more" and replies == []
    assert card.free_text.text() == ""
    qtbot.mouseClick(card.choice_buttons[0], Qt.MouseButton.LeftButton)
    assert replies == [QuestionReply("Red")]


def test_tab_goes_from_the_question_through_its_choices_to_cancel(qtbot: QtBot, tmp_path: Path) -> None:
    window = active_offline_window(qtbot, tmp_path)
    card = window.question_card
    window.questions.asked(colour(freeform=True))
    assert QApplication.focusWidget() is card
    reached = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget() or card, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [*card.choice_buttons, card.free_text, card.send, card.cancel]
    qtbot.keyClick(card.cancel, Qt.Key.Key_Space)
    assert card.isHidden()
