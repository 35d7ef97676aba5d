"""The side panel: every tool call of the conversation as a timeline, and the selected one in full.

It shows a ``ToolTimeline`` (a pure model fed by the session's events); the list updates as calls
start, stream output and finish, and the details of the selected call follow its live output.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation.call_tree import nested_order
from desktop_app.core.conversation.diff_html import full_diff
from desktop_app.core.conversation.file_diff import diff_of
from desktop_app.core.conversation.reply import Change
from desktop_app.core.conversation.tool_calls import FINISHED, ToolCall, ToolChanged, ToolStatus, ToolTimeline
from desktop_app.core.conversation.tool_outcome import OutcomeLevel, exit_code_of, tool_outcome
from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.rendering.theme import LIGHT, Theme, theme_for
from desktop_app.ui.signals.change_relay import ChangeRelay
from desktop_app.ui.tools.permission_card import ARMING_DELAY_MS

GLYPHS = {  # glyphs every desktop font has (no emoji font needed)
    ToolStatus.PENDING: "?",
    ToolStatus.RUNNING: "▶",
    ToolStatus.DONE: "✔",
    ToolStatus.FAILED: "✖",
    ToolStatus.DENIED: "⊘",
}
CallIndex = QModelIndex | QPersistentModelIndex


def duration_text(call: ToolCall) -> str:
    seconds = call.duration_s
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def outcome_text(call: ToolCall) -> str:
    """'✔ exit code 0', '⊘ denied', '▶ allowed': how the call stands, with its glyph."""
    outcome = tool_outcome(call)
    glyph = GLYPHS[call.status]
    if call.status is ToolStatus.DONE and outcome.level is OutcomeLevel.ERROR:
        glyph = GLYPHS[ToolStatus.FAILED]  # done, but a non-zero exit code
    return f"{glyph} {outcome.text}"


def shown_title(call: ToolCall) -> str:
    """The CLI's title for the call, unless it is over and the title says it is under way: the CLI
    names a shell call "Running command" for good, which read as if it still ran."""
    title = call.title.strip()
    first = title.split(maxsplit=1)[0].casefold() if title else ""
    return "" if call.status in FINISHED and first.endswith("ing") else title


def row_text(call: ToolCall) -> str:
    parts = [outcome_text(call), call.label]
    if duration := duration_text(call):
        parts.append(duration)
    return " · ".join(parts)


class ToolCallModel(QAbstractListModel):
    """The timeline's calls as list rows; told of changes by the timeline's listener."""

    CallIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, timeline: ToolTimeline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self._ids: list[str] = []
        self._depth: dict[str, int] = {}  # a sub-agent's calls sit under the call that started them
        self._order()
        self._relay = ChangeRelay(timeline.changes, self)
        self._relay.changed.connect(self._changed)

    def rowCount(self, parent: CallIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: CallIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        call = self.timeline.get(self._ids[index.row()])
        if call is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            depth = self._depth.get(call.id, 0)
            return ("    " * (depth - 1) + "  ↳ " if depth else "") + row_text(call)
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_text_tooltip(call.command or call.arguments or call.name)  # model text
        if role == self.CallIdRole:
            return call.id
        return None

    def _order(self) -> None:
        order = nested_order(self.timeline.calls)
        self._ids = [call_id for call_id, _depth in order]
        self._depth = dict(order)

    def reload(self) -> None:
        """The timeline was loaded or cleared wholesale (another conversation)."""
        self.beginResetModel()
        self._order()
        self.endResetModel()

    def row_of(self, call_id: str) -> int:
        try:
            return self._ids.index(call_id)
        except ValueError:
            return -1

    @Slot(Change)
    def _changed(self, change: Change) -> None:
        if not isinstance(change, ToolChanged):
            return
        call = change.call
        row = self.row_of(call.id)
        if row < 0:  # a new call: under its parent's last call if it has one, else last
            order = nested_order(self.timeline.calls)
            at = next((k for k, (call_id, _depth) in enumerate(order) if call_id == call.id), len(self._ids))
            self.beginInsertRows(QModelIndex(), at, at)
            self._ids = [call_id for call_id, _depth in order]
            self._depth = dict(order)
            self.endInsertRows()
            return
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def detach(self) -> None:
        self._relay.detach()


class ToolPanel(QWidget):
    """Signals:
    call_selected(str): the user picked a call (the chat scrolls to it).
    answer_requested(str, str): for a call waiting for approval, the user chose "allow_once",
        "deny" or "more" (the card under the chat, with every choice).
    """

    call_selected = Signal(str)
    answer_requested = Signal(str, str)

    def __init__(self, timeline: ToolTimeline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Tool calls")
        self.timeline = timeline
        self.model = ToolCallModel(timeline, self)
        self.heading = QLabel("Tool calls", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = QLabel("No tool calls in this conversation yet.", self)
        self.empty.setWordWrap(True)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Tool call timeline")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Tool call details")
        self.details.setOpenLinks(False)
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setAccessibleName("Tool output")
        self.output.setFont(QFont("DejaVu Sans Mono", 9))
        self.output.setPlaceholderText("Output appears here as the tool runs.")
        self.copy_button = QPushButton("Copy output", self)
        self.copy_button.clicked.connect(self.copy_output)
        self.copy_button.setEnabled(False)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.details, 1)
        bottom_layout.addWidget(self._answer_row(bottom))
        row = QHBoxLayout()
        row.addWidget(QLabel("Output", bottom))
        row.addStretch(1)
        row.addWidget(self.copy_button)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.output, 2)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        self._selected: str | None = None
        # Live output can arrive thousands of times a second: redraw the details at most ~10/s.
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(100)
        self._refresh.timeout.connect(self._show_selected)
        self._relay = ChangeRelay(timeline.changes, self)
        self._relay.changed.connect(self._timeline_changed)
        self._update_empty()

    # -- following the timeline ------------------------------------------------------------
    @Slot(Change)
    def _timeline_changed(self, change: Change) -> None:
        if not isinstance(change, ToolChanged):
            return
        call, new = change.call, change.new
        if new:
            self._update_empty()
            if self._selected is None or self._follows_latest():
                self.select(call.id)
                return
        if call.id == self._selected and not self._refresh.isActive():
            self._refresh.start()

    def _follows_latest(self) -> bool:
        """Keep showing the newest call unless the user picked an older one."""
        calls = self.timeline.calls
        return len(calls) >= 2 and calls[-2].id == self._selected

    def reload(self) -> None:
        self.model.reload()
        self._selected = None
        calls = self.timeline.calls
        if calls:
            self.select(calls[-1].id, scroll_chat=False)
        else:
            self._show_selected()
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self.timeline.calls)

    # -- selection ---------------------------------------------------------------------------
    def select(self, call_id: str, scroll_chat: bool = False) -> None:
        row = self.model.row_of(call_id)
        if row < 0:
            return
        self._selected = call_id
        self.list.blockSignals(True)
        self.list.setCurrentIndex(self.model.index(row))
        self.list.blockSignals(False)
        self.list.scrollTo(self.model.index(row))
        self._show_selected()
        if scroll_chat:
            self.call_selected.emit(call_id)

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        call_id = current.data(ToolCallModel.CallIdRole)
        if isinstance(call_id, str) and call_id != self._selected:
            self._selected = call_id
            self._show_selected()
            self.call_selected.emit(call_id)

    @property
    def selected(self) -> ToolCall | None:
        return self.timeline.get(self._selected) if self._selected else None

    def _answer_row(self, parent: QWidget) -> QWidget:
        """Answers for the selected call while it waits for approval (the common two, and a way to
        the card with every choice), so the request can be settled where it is read. As on the card,
        Allow once works only ``ARMING_DELAY_MS`` after the waiting call is shown, so a click or a
        key meant for something else never allows it."""
        self.answers = QWidget(parent)
        self.answers.setAccessibleName("Approval")
        row = QHBoxLayout(self.answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Waiting for your approval:", self.answers))
        row.addStretch(1)
        self.allow_button = QPushButton("Allow once", self.answers)
        self.deny_button = QPushButton("Deny", self.answers)
        self.more_button = QPushButton("More choices…", self.answers)
        self.more_button.setToolTip("Allow for this conversation or always, or deny with a message")
        for button, choice in (
            (self.allow_button, "allow_once"),
            (self.deny_button, "deny"),
            (self.more_button, "more"),
        ):
            button.clicked.connect(lambda _=False, choice=choice: self._answer(choice))
            button.setAutoDefault(False)
            row.addWidget(button)
        self._armed_call: str | None = None  # the waiting call the answers were last shown for
        self._arming = QTimer(self)
        self._arming.setSingleShot(True)
        self._arming.setInterval(ARMING_DELAY_MS)
        self._arming.timeout.connect(lambda: self.allow_button.setEnabled(True))
        self.answers.hide()
        return self.answers

    def _arm_answers(self, call: ToolCall | None) -> None:
        """Show the answers for a waiting call; a call newly shown is allowed only after the delay."""
        waiting = call is not None and call.status is ToolStatus.PENDING
        self.answers.setVisible(waiting)
        if not waiting or call is None:
            self._armed_call = None
            self._arming.stop()
        elif call.id != self._armed_call:
            self._armed_call = call.id
            self.allow_button.setEnabled(False)
            self._arming.start()

    def _answer(self, choice: str) -> None:
        call = self.selected
        if call is None or call.status is not ToolStatus.PENDING:
            return
        if choice == "allow_once" and (call.id != self._armed_call or self._arming.isActive()):
            return  # not shown long enough to have been read
        self.answer_requested.emit(call.id, choice)

    @Slot()
    def _show_selected(self) -> None:
        call = self.selected
        self._arm_answers(call)
        self.copy_button.setEnabled(call is not None and bool(call.output or call.result))
        if call is None:
            self.details.clear()
            self.output.clear()
            return
        self.details.setHtml(details_html(call, theme_for(self.palette().base().color().lightness())))
        text = call.output or call.result or call.error
        if self.output.toPlainText() != text:
            bar = self.output.verticalScrollBar()
            at_end = bar.value() >= bar.maximum() - 4
            self.output.setPlainText(text)
            if at_end:
                bar.setValue(bar.maximum())

    @Slot()
    def copy_output(self) -> None:
        call = self.selected
        clipboard = QGuiApplication.clipboard()
        if call is not None and clipboard is not None:
            clipboard.setText(call.output or call.result or call.error)

    def shutdown(self) -> None:
        self._refresh.stop()
        self._arming.stop()
        self.model.detach()
        self._relay.detach()


def details_html(call: ToolCall, theme: Theme = LIGHT) -> str:
    """Everything about one call, with the whole diff of the file it changed; all of it is model
    or tool output, so all of it is escaped."""

    def row(label: str, value: str, code: bool = False) -> str:
        if not value:
            return ""
        body = html.escape(value).replace("\n", "<br>")
        if code:
            body = f"<code>{body}</code>"
        return f"<tr><td valign='top'><b>{html.escape(label)}</b></td><td>{body}</td></tr>"

    files = "\n".join(call.files)
    rows = [
        row("Tool", call.name + (f" — {title}" if (title := shown_title(call)) else "")),
        row("Outcome", outcome_text(call)),
        row("Command", call.command, code=True),
        row("Permission", call.permission),
        row("Answer", call.decision),
        row("Exit code", "" if (code := exit_code_of(call)) is None else str(code)),
        row("Duration", duration_text(call)),
        row("Files changed", files, code=True),
        row("Error", call.error),
    ]
    arguments = f"<p><b>Arguments</b></p><pre>{html.escape(call.arguments)}</pre>" if call.arguments else ""
    result = ""
    if call.result and call.output:
        result = f"<p><b>Result</b></p><pre>{html.escape(call.result[:20_000])}</pre>"
    diff = "" if (changed := diff_of(call)) is None else f"<p><b>Diff</b></p>{full_diff(changed, theme)}"
    return sanitize.for_view(f"<table cellspacing='2'>{''.join(rows)}</table>{diff}{arguments}{result}")
