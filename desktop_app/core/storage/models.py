"""What the store holds and what its imports report, as plain dataclasses (no SQL, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from desktop_app.core.conversation.reply import ReplyStatus
from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.vocabulary.attachments import Attachment


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    NOTICE = "notice"  # the app's own note in a conversation (an error, "Stopped.")


Status = ReplyStatus  # a saved message's status is the reply's, as the live conversation set it


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created_at: float
    updated_at: float
    pinned: bool = False
    trashed_at: float | None = None
    session_id: str | None = None
    model: str = ""
    provider: str = ""
    draft: str = ""
    mode: str = "chat"
    working_dir: str = ""
    reasoning_effort: str = ""  # the level chosen for it; "": the model's default
    origin_id: str = ""  # the conversation it was branched from ("Branch from here")


@dataclass(frozen=True)
class Message:
    id: str
    conversation_id: str
    seq: int
    role: Role
    content: str
    created_at: float
    updated_at: float
    reasoning: str = ""
    status: Status = Status.COMPLETE
    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    duration_ms: float | None = None
    ttft_ms: float | None = None
    premium_cost: float | None = None  # premium requests the reply used (None: not reported)
    error: str = ""
    attachments: tuple[Attachment, ...] = ()  # a prompt's files and images (their own table)


@dataclass(frozen=True)
class SavedToolCall:
    """A tool call as stored: in reply ``message_id``, at ``offset`` characters into its text."""

    call: ToolCall
    message_id: str | None
    offset: int = 0


# Every ToolCall field but ``id`` that the store keeps (``shell_output_seen`` only matters while a
# call streams); the JSON export writes the same ones.
TOOL_CALL_FIELDS = (
    "name",
    "title",
    "arguments",
    "command",
    "status",
    "output",
    "result",
    "error",
    "exit_code",
    "files",
    "permission",
    "decision",
    "started_at",
    "finished_at",
    "parent_id",
)


@dataclass(frozen=True)
class SearchHit:
    conversation_id: str
    conversation_title: str
    message_id: str
    role: Role
    snippet: str  # with the matches between HIGHLIGHT_START and HIGHLIGHT_END
    updated_at: float


HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


@dataclass(frozen=True)
class KeptVersion:
    """What an Edit or a Regenerate replaced, kept (``storage.versions``): the messages from
    ``at_seq`` on, in the session that has them; ``hangs_in`` "" on the live path, else the id of
    the kept version whose tail holds it (a later prompt's versions go with their tail)."""

    id: str
    at_seq: int
    hangs_in: str
    started_at: float
    session_id: str | None
    messages: list[Message] = field(default_factory=list)
    tool_calls: list[SavedToolCall] = field(default_factory=list)


@dataclass(frozen=True)
class ConversationWithMessages:
    conversation: Conversation
    messages: list[Message] = field(default_factory=list)
    tool_calls: list[SavedToolCall] = field(default_factory=list)  # in the order they started
    versions: list[KeptVersion] = field(default_factory=list)  # kept by Edit and Regenerate


@dataclass(frozen=True)
class Rejected:
    """A conversation of an import that was left out, and why (the message names the field)."""

    index: int  # its place in the file's ``conversations``
    conversation_id: str  # "" when the file gave none that could be read
    reason: str


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[str]  # ids of conversations the store already had (left as they were)
    rejected: list[Rejected] = field(default_factory=list)  # left out, each with the reason
