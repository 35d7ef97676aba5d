"""The plan card: the model's plan rendered and inert, and Start building only while Copilot asks."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.plan_events import CliModeChanged, PlanAsked, PlanSettled, PlanShown
from desktop_app.ui.tools.plan_panel import PlanPanel
from tests.model_server import HOSTILE_REPLY
from tests.qt.offline_window import offline_window


def shown_panel(qtbot: QtBot) -> PlanPanel:
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_the_plan_is_rendered_markdown(qtbot: QtBot) -> None:
    panel = shown_panel(qtbot)
    panel.show_plan("# Plan\n\n1. Write `hello.txt`\n2. Say **done**\n")
    assert panel.document.toPlainText().split("\n")[:3] == ["Plan", "Write hello.txt", "Say done"]
    assert "font-weight" in panel.document.toHtml() or "<b>" in panel.document.toHtml()


def test_a_hostile_plan_stays_inert(qtbot: QtBot) -> None:
    panel = shown_panel(qtbot)
    panel.show_plan(HOSTILE_REPLY)
    body = panel.document.toHtml().lower().split("<body", 1)[1]  # after Qt's own <head>
    for tag in re.findall(r"<[^>]+>", body):  # the markup, not the text it shows
        assert not re.search(r"\son\w+\s*=|javascript:|file:|data:", tag), tag
        assert not re.match(r"</?(script|iframe|meta|object|embed)\b", tag), tag
    assert not any("passwd" in name for name in panel.document.refused)  # nothing is ever loaded
    assert "The hostile reply ends here." in panel.document.toPlainText()
    panel.browser.anchorClicked.emit(QUrl("file:///etc/passwd"))  # a click on a link goes nowhere
    assert panel.browser.source().isEmpty()
    assert "The hostile reply ends here." in panel.document.toPlainText()


def test_start_building_and_keep_planning_answer_only_a_request(qtbot: QtBot) -> None:
    panel = shown_panel(qtbot)
    answers: list[object] = []
    panel.start_building.connect(lambda: answers.append(True))
    panel.keep_planning.connect(answers.append)
    assert not panel.answers.isVisible()
    panel.start_button.click()  # hidden, and nothing asks: nothing is answered
    assert answers == []
    panel.ask("<b>do it</b> now")
    assert panel.summary.text() == "<b>do it</b> now" and panel.summary.textFormat().name == "PlainText"
    assert not panel.start_button.autoDefault() and not panel.start_button.isDefault()
    panel.start_button.click()
    assert answers == [True] and not panel.asking
    panel.ask("again")
    panel.feedback.setText("smaller steps")
    panel.keep_button.click()
    assert answers == [True, "smaller steps"] and not panel.asking


def test_the_window_shows_the_card_in_plan_mode_and_follows_the_cli_out_of_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    try:
        window.show()
        panel, flow = window.plan_panel, window.plan_mode
        window.controller._open.set_access(ToolAccess(Mode.PLAN, str(tmp_path)))
        flow.on_event(PlanShown("# Plan"))
        assert panel.isVisible()
        flow.on_event(PlanAsked("- build it", "# Plan\n\n1. Build"))
        assert panel.asking and "Build" in panel.document.toPlainText()
        flow.on_event(PlanSettled(True))
        assert not panel.asking
        asked: list[ToolAccess] = []
        window.controller.set_access = asked.append  # type: ignore[method-assign,assignment]
        flow.on_event(CliModeChanged("interactive"))  # the CLI left plan mode once the plan was approved
        assert asked == [ToolAccess(Mode.AGENT, str(tmp_path))]
    finally:
        window.controller.cancel_work()
