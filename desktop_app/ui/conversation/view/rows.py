"""The rows of a conversation view: one per prompt, reply or notice, and what each one shows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from desktop_app.core.conversation.file_diff import FileDiff, FileTotal, diff_of, totals
from desktop_app.core.rendering.layout.build_cost import weight
from desktop_app.core.rendering.layout.parts import cut, part_starts
from desktop_app.core.storage.models import Message, Role, SavedToolCall, Status
from desktop_app.core.vocabulary.attachments import Attachment


@dataclass(frozen=True)
class Marker:
    """A tool call's line in a reply, ``offset`` characters into its text."""

    offset: int
    call_id: str
    label: str
    diff: FileDiff | None = None  # the file it created or edited, shown under it


class RowKind(Enum):
    USER = "user"
    REPLY = "reply"
    NOTICE = "notice"


@dataclass(eq=False)
class Row:
    """One message on screen, or one part of a long saved reply (``part`` 0, 1, …; the last has
    ``last_part``). ``text`` is what it says: the prompt, the notice, or the reply's markdown (its
    segments joined, for the find); ``whole`` the whole message's when this is one part of it (for
    the Copy actions). The document that shows it is built only while the row is near the screen."""

    key: str
    kind: RowKind
    text: str = ""
    label: str = ""  # a reply's author: Copilot, the endpoint's model, the demo
    level: str = "info"  # a notice's level
    reasoning: str = ""
    interrupted: bool = False
    markers: list[Marker] = field(default_factory=list)  # its tool calls, by offset
    message_id: str | None = None  # the stored message, when it has one
    streaming: bool = False
    attachments: tuple[Attachment, ...] = ()  # a prompt's files and images
    part: int = 0  # its author's line and the gap above are on part 0
    last_part: bool = True  # the action strip is below the last part
    whole: str | None = None
    version: tuple[int, int] | None = None  # a prompt with versions: (this one's, from 1; how many)
    changes: tuple[FileTotal, ...] = ()  # a reply's last part: the files its turn changed
    _weight: tuple[int, int] | None = field(default=None, repr=False)

    @property
    def weight(self) -> int:
        """What building its document costs, in characters of prose (see ``build_cost``)."""
        if self._weight is None or self._weight[0] != len(self.text):
            self._weight = (len(self.text), weight(self.text))
        return self._weight[1]

    @property
    def source(self) -> str:
        """The whole message's markdown (of every part)."""
        return self.text if self.whole is None else self.whole

    @property
    def accessible_text(self) -> str:
        """What a screen reader reads for the row (before its document exists, its source)."""
        if self.part:
            return self.text
        who = {RowKind.USER: "You", RowKind.REPLY: self.label or "Copilot", RowKind.NOTICE: "Notice"}
        if self.version is not None:
            return f"{who[self.kind]} (version {self.version[0]} of {self.version[1]}): {self.text}"
        return f"{who[self.kind]}: {self.text}"


def give_diff(row: Row, call_id: str, diff: FileDiff | None) -> None:
    """The call's marker in ``row`` shows ``diff`` under it from now on."""
    if diff is not None:
        row.markers[:] = [replace(m, diff=diff) if m.call_id == call_id else m for m in row.markers]


def rows_for_message(message: Message, calls: list[SavedToolCall], label: str) -> list[Row]:
    """A saved message as rows: one, or a long reply's parts (see ``layout.parts``), each with the
    tool calls that ran in it."""
    row = row_for_message(message, calls, label)
    starts = part_starts(row.text) if row.kind is RowKind.REPLY else [0]
    if len(starts) == 1:
        return [row]
    rows = []
    ends = [*starts[1:], len(row.text)]
    for part, (text, start, end) in enumerate(zip(cut(row.text, starts), starts, ends, strict=True)):
        last = part == len(starts) - 1
        markers = [
            Marker(marker.offset - start, marker.call_id, marker.label, marker.diff)
            for marker in row.markers
            if start <= marker.offset < end or (last and marker.offset >= end)
        ]
        rows.append(
            Row(
                row.key if part == 0 else f"{row.key}#{part}",
                RowKind.REPLY,
                text,
                label=row.label,
                reasoning=row.reasoning if part == 0 else "",
                interrupted=row.interrupted and last,
                markers=markers,
                message_id=row.message_id,
                part=part,
                last_part=last,
                whole=row.text,
                changes=row.changes if last else (),
            )
        )
    return rows


def row_for_message(message: Message, calls: list[SavedToolCall], label: str) -> Row:
    """A saved message as one row (its tool calls where they ran, in order)."""
    if message.role is Role.USER:
        return Row(
            message.id, RowKind.USER, message.content, message_id=message.id, attachments=message.attachments
        )
    if message.role is Role.NOTICE:
        level = "error" if message.status is Status.ERROR else "info"
        return Row(message.id, RowKind.NOTICE, message.content, level=level, message_id=message.id)
    markers = [
        Marker(
            saved.offset,
            saved.call.id,
            saved.call.label,
            None if saved.call.parent_id else diff_of(saved.call),
        )
        for saved in sorted(calls, key=lambda saved: saved.offset)
    ]
    return Row(
        message.id,
        RowKind.REPLY,
        message.content,
        label=label,
        reasoning=message.reasoning,
        interrupted=message.status is Status.INTERRUPTED,
        markers=markers,
        message_id=message.id,
        changes=tuple(totals(m.diff for m in markers if m.diff is not None)),
    )
