"""The conversation as the UI reports it to a share: recorded on the UI thread, read on the server's.

The UI calls these methods for every delta, so each only records text (a list append) under a lock
that is never held for long, and wakes the server thread at most once however many changes come
before it runs. The server thread then takes what is new since it last looked (``read``) as copies,
and renders them outside the lock. Markdown is never rendered here.

``ConversationFeed`` (feed.py) tells a ``ShareServer`` these calls (its ``Transcript`` protocol);
the server records them here.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = frozenset({"user", "assistant", "notice"})


@dataclass
class _Entry:
    """A message as the UI reported it (markdown or plain text); guarded by ``Transcript._lock``."""

    role: str
    parts: list[str]  # the text, as the deltas arrived (joined only by ``read``, on the server thread)
    done: bool = True
    revision: int = 0  # bumped when the text is replaced rather than added to


@dataclass(frozen=True)
class Copy:
    """An entry's state, copied under the lock for rendering outside it."""

    role: str
    text: str  # the whole text, or for an open reply only the parts the reader has not had
    done: bool
    revision: int
    parts: int  # how many parts the entry had: where the reader's next ``read`` goes on from


@dataclass(frozen=True)
class Position:
    """How far a reader got: which conversation, how many of its entries, how much of the open reply."""

    generation: int = -1
    shown: int = 0  # entries the reader has (the last one may be an open reply)
    streaming: bool = False  # the reader's last entry is a reply it has not seen end
    revision: int = 0  # that reply's revision the reader has
    parts: int = 0  # and how many of its parts


@dataclass(frozen=True)
class Update:
    """What changed since a ``Position``: a whole new conversation, or news and new entries."""

    generation: int
    title: str
    replaced: list[Copy] | None  # every entry, when ``set_conversation`` replaced them: start over
    reply: Copy | None = None  # the open reply's news (all of it if its revision changed)
    new: list[Copy] = field(default_factory=list)  # entries after the reader's


class Transcript:
    """The conversation reported so far; every method is thread-safe and returns at once.

    The methods work whether or not anyone reads: a share started later shows what was reported.
    """

    def __init__(self, title: str = "") -> None:
        self._lock = threading.Lock()
        self._title = title
        self._entries: list[_Entry] = []
        self._generation = 0  # bumped by set_conversation: readers start over
        self._loop: asyncio.AbstractEventLoop | None = None  # the reader's, while it reads
        self._reader: Callable[[], None] | None = None
        self._wake_pending = False

    # -- the reader (the server thread) -------------------------------------------------------
    def connect(self, loop: asyncio.AbstractEventLoop, reader: Callable[[], None]) -> None:
        """Call ``reader`` on ``loop`` after changes (once however many), and now for those so far.

        ``reader`` must call ``read``: that is what lets the next change wake it again.
        """
        with self._lock:
            self._loop, self._reader = loop, reader
            self._wake_pending = True
        loop.call_soon_threadsafe(reader)

    def disconnect(self) -> None:
        """No more wake-ups (sharing stops); changes are still recorded."""
        with self._lock:
            self._loop = self._reader = None

    def read(self, since: Position) -> Update:
        """What changed since ``since``, copied; the next change wakes the reader again."""
        with self._lock:
            self._wake_pending = False
            if self._generation != since.generation:
                every = [self._copy(entry) for entry in self._entries]
                return Update(self._generation, self._title, every)
            reply = None
            if since.streaming:
                entry = self._entries[since.shown - 1]
                if entry.revision != since.revision:
                    reply = self._copy(entry)
                else:  # only the parts not read yet
                    text = "".join(entry.parts[since.parts :])
                    reply = Copy(entry.role, text, entry.done, entry.revision, len(entry.parts))
            new = [self._copy(entry) for entry in self._entries[since.shown :]]
            return Update(self._generation, self._title, None, reply, new)

    # -- the conversation (the UI thread, or any) ---------------------------------------------
    def set_conversation(self, title: str, messages: list[tuple[str, str]]) -> None:
        """Replace everything shown: ``messages`` are (role, text), role user/assistant/notice.

        All of them are complete; for a reply still streaming, follow with ``begin_reply()`` and
        ``reply_delta(text_so_far)``.
        """
        entries = []
        for role, text in messages:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}")
            entries.append(_Entry(role, [text]))
        with self._lock:
            self._generation += 1
            self._title = title
            self._entries = entries
            wake = self._wake_locked()
        self._post(wake)

    def set_title(self, title: str) -> None:
        with self._lock:
            self._title = title
            wake = self._wake_locked()
        self._post(wake)

    def add_user(self, text: str) -> None:
        self._add("user", text)

    def add_notice(self, text: str) -> None:
        self._add("notice", text)

    def begin_reply(self) -> None:
        """A reply starts (the page shows it as streaming); ends a reply still open."""
        with self._lock:
            self._end_open_locked()
            self._entries.append(_Entry("assistant", [], done=False))
            wake = self._wake_locked()
        self._post(wake)

    def reply_delta(self, text: str) -> None:
        """More markdown for the streaming reply (begins one if none is open)."""
        if not text:
            return
        with self._lock:
            self._open_reply_locked().parts.append(text)
            wake = self._wake_locked()
        self._post(wake)

    def replace_reply(self, text: str) -> None:
        """The streaming reply's whole text so far, where the model replaced some of what streamed."""
        with self._lock:
            entry = self._open_reply_locked()
            entry.parts = [text]
            entry.revision += 1
            wake = self._wake_locked()
        self._post(wake)

    def end_reply(self, final_text: str | None = None) -> None:
        """The reply is complete; ``final_text`` replaces what streamed if it differs."""
        with self._lock:
            entry = self._entries[-1] if self._entries else None
            if entry is None or entry.done:
                return
            if final_text is not None and final_text.strip() and final_text != "".join(entry.parts):
                entry.parts = [final_text]
                entry.revision += 1
            entry.done = True
            wake = self._wake_locked()
        self._post(wake)

    def _add(self, role: str, text: str) -> None:
        with self._lock:
            self._end_open_locked()
            self._entries.append(_Entry(role, [text]))
            wake = self._wake_locked()
        self._post(wake)

    def _open_reply_locked(self) -> _Entry:
        entry = self._entries[-1] if self._entries else None
        if entry is None or entry.done:
            entry = _Entry("assistant", [], done=False)
            self._entries.append(entry)
        return entry

    def _end_open_locked(self) -> None:
        if self._entries and not self._entries[-1].done:
            self._entries[-1].done = True

    def _wake_locked(self) -> tuple[asyncio.AbstractEventLoop, Callable[[], None]] | None:
        """The reader to wake, unless it is woken already (one wake-up however many changes)."""
        if self._loop is None or self._reader is None or self._wake_pending:
            return None
        self._wake_pending = True
        return self._loop, self._reader

    @staticmethod
    def _post(wake: tuple[asyncio.AbstractEventLoop, Callable[[], None]] | None) -> None:
        if wake is None:
            return
        loop, reader = wake
        with contextlib.suppress(RuntimeError):  # the loop closed under us: sharing is stopping
            loop.call_soon_threadsafe(reader)

    @staticmethod
    def _copy(entry: _Entry) -> Copy:
        return Copy(entry.role, "".join(entry.parts), entry.done, entry.revision, len(entry.parts))
