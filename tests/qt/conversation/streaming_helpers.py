"""What the tests of a reply growing in place share: its streaming reply, and text in chunks."""

from __future__ import annotations

from collections.abc import Iterator

from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.streaming_reply import StreamingReply


def reply_of(view: ChatView) -> StreamingReply:
    reply = view._reply
    assert reply is not None
    return reply


def chunks(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]
