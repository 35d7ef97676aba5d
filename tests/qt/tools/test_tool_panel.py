"""The tool panel and the permission card, as widgets: what they show and what they send back."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolTimeline
from desktop_app.core.permissions.rules import describe
from desktop_app.core.vocabulary.events import (
    PermissionAnswered,
    PermissionAsked,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
)
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.tool_panel import ToolPanel, details_html


def shell(command: str, call_id: str = "c1") -> PermissionPrompt:
    return describe(
        SimpleNamespace(
            kind="shell", full_command_text=command, tool_call_id=call_id, intention="look around",
            command_segments=[SimpleNamespace(full_command_text=command)], has_write_file_redirection=False,
            possible_paths=[], possible_urls=[], warning=None,
        )
    )  # fmt: skip


def test_the_card_shows_the_whole_request_and_queues_the_next(qtbot: QtBot) -> None:
    card = PermissionCard()
    qtbot.addWidget(card)
    answers: list[tuple[str, Answer]] = []
    card.answered.connect(lambda pid, answer: answers.append((pid, answer)))
    first, second = shell("git status", "c1"), shell("ls -la", "c2")
    card.ask(first)
    card.ask(second)
    card.ask(first)  # the same request twice is shown once
    assert card.isVisibleTo(card.parentWidget() or card) or not card.isHidden()
    assert card.detail.toPlainText() == "git status"
    assert card.count.text() == "1 of 2"
    assert "commands starting with git status" in card.scope.text()
    assert card.intention.text() == "look around"
    qtbot.waitUntil(lambda: card.armed)  # Allow works a second after the request appears
    card.allow_always.click()
    assert answers[0][0] == first.prompt_id
    assert answers[0][1].choice is Choice.ALLOW_ALWAYS and answers[0][1].option == first.options[0]
    assert card.detail.toPlainText() == "ls -la" and card.count.text() == ""
    card.deny_message_button.click()
    qtbot.keyClicks(card.message, "not now")
    qtbot.keyClick(card.message, Qt.Key.Key_Return)
    assert answers[1][1] == Answer(Choice.DENY_WITH_MESSAGE, message="not now")
    assert card.isHidden() and card.current is None


def test_enter_presses_the_focused_button(qtbot: QtBot) -> None:
    card = PermissionCard()
    qtbot.addWidget(card)
    card.show()
    answers: list[Answer] = []
    card.answered.connect(lambda _pid, answer: answers.append(answer))
    card.ask(shell("ls"))
    qtbot.waitUntil(lambda: card.armed)  # a button the user moved to, once the card is armed
    card.allow_once.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert answers == [Answer(Choice.ALLOW_ONCE)]


def test_a_request_answered_elsewhere_leaves_the_card(qtbot: QtBot) -> None:
    card = PermissionCard()
    qtbot.addWidget(card)
    prompt = shell("ls")
    card.ask(prompt)
    card.resolved(prompt.prompt_id)
    assert card.current is None and card.isHidden()


def test_a_request_with_nothing_to_keep_can_only_be_allowed_once(qtbot: QtBot) -> None:
    card = PermissionCard()
    qtbot.addWidget(card)
    card.ask(describe({"kind": "memory", "fact": "likes tea"}))
    qtbot.waitUntil(lambda: card.armed)
    assert not card.allow_always.isEnabled() and not card.allow_conversation.isEnabled()
    assert card.allow_once.isEnabled() and "only be allowed once" in card.scope.text()


def test_every_control_of_the_card_and_panel_has_an_accessible_name(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit, QTextEdit

    card, panel = PermissionCard(), ToolPanel(ToolTimeline())
    for root in (card, panel):
        qtbot.addWidget(root)
        for kind in (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView):
            for child in root.findChildren(kind):
                name = child.accessibleName() or getattr(child, "text", lambda: "")()
                assert name.replace("&", "").strip(), child


def feed_shell_call(timeline: ToolTimeline) -> None:
    timeline(ToolStarted("c1", "bash", {"command": "make test"}, "Running command", "make test"))
    prompt = shell("make test")
    timeline(PermissionAsked(prompt))
    timeline(PermissionAnswered(prompt, Answer(Choice.ALLOW_ONCE)))
    timeline(ToolOutput("c1", "<b>compiling</b>\n", cumulative=False))


def test_the_panel_follows_a_call_live(qtbot: QtBot) -> None:
    timeline = ToolTimeline()
    panel = ToolPanel(timeline)
    qtbot.addWidget(panel)
    assert panel.empty.isVisible() or not panel.empty.isHidden()
    feed_shell_call(timeline)
    assert panel.model.rowCount() == 1
    assert panel.model.index(0).data() == "▶ allowed · bash: make test"  # running, as the user allowed
    panel._show_selected()  # what the ~10/s refresh timer does
    assert panel.output.toPlainText() == "<b>compiling</b>\n"  # tool output is text, never markup
    timeline(ToolCompleted("c1", False, "", "2 tests failed", 2))
    panel._show_selected()
    assert panel.model.index(0).data().startswith("✖ exit code 2 · bash: make test")
    assert "2 tests failed" in panel.details.toPlainText()
    assert "Allowed once" in panel.details.toPlainText()


def test_a_finished_call_no_longer_reads_as_running(qtbot: QtBot) -> None:
    timeline = ToolTimeline()
    panel = ToolPanel(timeline)
    qtbot.addWidget(panel)
    feed_shell_call(timeline)
    panel._show_selected()
    assert "▶ allowed" in panel.details.toPlainText()  # under way, and the user allowed it
    assert "Running command" in panel.details.toPlainText()
    timeline(ToolCompleted("c1", True, "ok\n<exited with exit code 0>", ""))
    panel._show_selected()
    details = panel.details.toPlainText()
    assert "running" not in details.casefold()  # neither the status nor the CLI's "Running command"
    assert "✔ exit code 0" in details and "Exit code\n0" in details
    assert panel.model.index(0).data().startswith("✔ exit code 0 · bash: make test")
    timeline(ToolStarted("c2", "view", {"path": "a.py"}, "View a.py"))
    timeline(ToolCompleted("c2", True, "text", ""))
    panel.select("c2")
    assert "view — View a.py" in panel.details.toPlainText() and "✔ done" in panel.details.toPlainText()


def test_picking_a_call_scrolls_the_chat_and_copy_takes_the_whole_output(qtbot: QtBot) -> None:
    timeline = ToolTimeline()
    panel = ToolPanel(timeline)
    qtbot.addWidget(panel)
    timeline(ToolStarted("c1", "view", {"path": "a"}))
    timeline(ToolStarted("c2", "bash", {"command": "ls"}))
    timeline(ToolOutput("c2", "x" * 100_000 + "END", cumulative=False))
    picked: list[str] = []
    panel.call_selected.connect(picked.append)
    panel.list.setCurrentIndex(panel.model.index(0))
    assert picked == ["c1"]
    panel.select("c2")
    panel.copy_output()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text().endswith("END") and len(clipboard.text()) == 100_003


def test_details_escape_everything() -> None:
    timeline = ToolTimeline()
    timeline(ToolStarted("c1", "<script>", {"command": "<img src=x>"}, "<b>t</b>", "<i>cmd</i>"))
    html = details_html(timeline.calls[0])
    assert "<script>" not in html and "<img" not in html and "<i>cmd" not in html


def test_chat_markers_sit_where_the_tool_ran_and_link_to_it(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    clicked: list[str] = []
    view.tool_clicked.connect(clicked.append)
    view.begin_assistant()
    view.append_delta("Let me look.")
    view._render_tick()
    view.close_segment("Let me look.")
    view.add_tool_marker("c1", "bash: ls <dir>")
    view.append_delta("Found **two** files.")
    view.finish_assistant("Found **two** files.")
    text = view.toPlainText()
    assert text.index("Let me look.") < text.index("⚙ bash: ls <dir>") < text.index("Found two files.")
    assert view.scroll_to_tool("c1")
    from PySide6.QtCore import QUrl

    view.open_link(QUrl("tool:c1"))
    assert clicked == ["c1"]
    assert view.rows[-1].text == "Let me look.\n\nFound **two** files."
    view.show_tool_outcome("c1", "bash: ls <dir>", "exit code 2", "error")
    assert "⚙ bash: ls <dir> · exit code 2" in view.toPlainText()  # the outcome beside the marker


def test_a_sub_agents_calls_are_nested_under_its_task_call(qtbot: QtBot) -> None:
    timeline = ToolTimeline()
    panel = ToolPanel(timeline)
    qtbot.addWidget(panel)
    timeline(ToolStarted("task1", "task", {"prompt": "look around"}, "Exploring"))
    timeline(ToolStarted("other", "view", {"path": "b.py"}, "View b.py"))
    timeline(ToolStarted("sub1", "view", {"path": "a.py"}, "View a.py", parent_tool_call_id="task1"))
    timeline(ToolStarted("sub2", "grep", {"pattern": "x"}, "Search", parent_tool_call_id="sub1"))
    rows = [panel.model.index(k).data(panel.model.CallIdRole) for k in range(panel.model.rowCount())]
    assert rows == ["task1", "sub1", "sub2", "other"]
    texts = [panel.model.index(k).data() for k in range(panel.model.rowCount())]
    assert texts[1].startswith("  ↳ ") and texts[2].startswith("      ↳ ") and not texts[3].startswith(" ")
    timeline(ToolCompleted("sub1", True, "ok", ""))  # its own status, in its own row
    assert "done" in panel.model.index(1).data() or "✔" in panel.model.index(1).data()
    panel.reload()  # a reopened conversation nests them the same way
    assert [panel.model.index(k).data(panel.model.CallIdRole) for k in range(4)] == rows
