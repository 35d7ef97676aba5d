"""The live conversation on screen: its changes, applied to the ``ChatView``.

The view renders; it does not interpret session events. This presenter follows the one model of the
reply (``LiveConversation``) and tells the view what to draw, so the view shows what the store saves and
the share page shows.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.core.conversation.changes import (
    Change,
    NoticeAdded,
    ReasoningAppended,
    ReplyBegan,
    ReplyEnded,
    SegmentClosed,
    TextAppended,
    ToolPlaced,
    UserSent,
)
from desktop_app.core.conversation.file_diff import diff_of, totals
from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.tool_calls import ToolChanged, ToolTimeline
from desktop_app.core.conversation.tool_outcome import OutcomeLevel, tool_outcome
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.signals.change_relay import ChangeRelay


class ReplyPresenter(QObject):
    """Signals:
    tool_shown(str): a tool call's marker was added to the conversation (the call's id).
    """

    tool_shown = Signal(str)

    def __init__(
        self,
        live: LiveConversation,
        view: ChatView,
        parent: QObject | None = None,
        tools: ToolTimeline | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._tools = tools
        self._held: list[NoticeAdded] = []  # background notices, shown when the reply is over
        self._relay = ChangeRelay(live.changes, self, direct=self.apply)
        self._tool_relay = ChangeRelay(tools.changes, self) if tools is not None else None
        if self._tool_relay is not None:
            self._tool_relay.changed.connect(self.tool_changed)

    @Slot(Change)
    def tool_changed(self, change: Change) -> None:
        """A tool call ended (or was answered): its marker in the conversation says how."""
        if not isinstance(change, ToolChanged) or change.call.parent_id:
            return
        outcome = tool_outcome(change.call)
        if outcome.level is not OutcomeLevel.RUNNING or outcome.text == "allowed":
            call = change.call
            self.view.show_tool_outcome(call.id, call.label, outcome.text, outcome.level.value, diff_of(call))

    @Slot(Change)
    def apply(self, change: Change) -> None:
        view = self.view
        match change:
            case UserSent(text=text, attachments=attachments):
                view.add_user_message(text, attachments)
            case ReplyBegan():
                view.begin_assistant()
            case TextAppended(text=text):
                view.append_delta(text)
            case ReasoningAppended(text=text):
                view.append_reasoning(text)
            case SegmentClosed(segment=segment, has_tools=True):
                view.close_segment(segment.text if segment.text.strip() else None)
            case SegmentClosed(segment=segment) if segment.text.strip():
                view.finish_assistant(segment.text)
            case ToolPlaced(call=call) if not call.parent_id:
                view.add_tool_marker(call.id, call.label)
                self.tool_shown.emit(call.id)
            case ReplyEnded(reply=reply):
                view.finish_assistant()
                if self._tools is not None:  # the turn's Changes summary, under the reply
                    calls = [self._tools.get(mark.call_id) for mark in reply.marks]
                    diffs = [diff_of(c) for c in calls if c is not None and not c.parent_id]
                    view.show_changes(totals(d for d in diffs if d is not None))
            case NoticeAdded(background=True) if view.streaming:
                self._held.append(change)  # compaction runs in the background: after the reply
            case NoticeAdded(text=text, level=level):
                view.add_notice(text, level.value)
            case _:
                pass

    def release_held(self) -> None:
        """The reply is over: show the background notices that waited for it."""
        held, self._held = self._held, []
        for notice in held:
            self.view.add_notice(notice.text, notice.level.value)

    def detach(self) -> None:
        self._relay.detach()
        if self._tool_relay is not None:
            self._tool_relay.detach()
