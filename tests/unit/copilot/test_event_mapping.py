"""event_mapping.from_sdk: SDK-shaped session events to the app's typed events."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from types import SimpleNamespace
from typing import Any

import pytest

from desktop_app.core.copilot.event_mapping import event_type, from_sdk
from desktop_app.core.vocabulary.events import (
    CallFailed,
    CompactionCompleted,
    CompactionStarted,
    Idle,
    McpServerChanged,
    MessageCompleted,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    ToolStarted,
    TurnRetrying,
    TurnStarted,
    Usage,
    UserMessage,
)


def sdk_event(kind: str, agent_id: str | None = None, **data: Any) -> SimpleNamespace:
    """An object shaped like ``copilot.SessionEvent``: ``.type.value``, ``.data``, ``.agent_id``."""
    return SimpleNamespace(type=SimpleNamespace(value=kind), data=SimpleNamespace(**data), agent_id=agent_id)


def test_message_delta() -> None:
    event = sdk_event("assistant.message_delta", message_id="m1", delta_content="Hel")
    assert from_sdk(event) == TextDelta("m1", "Hel")


def test_subagent_message_delta_is_ignored() -> None:
    event = sdk_event("assistant.message_delta", agent_id="agent-7", message_id="m1", delta_content="x")
    assert from_sdk(event) is None


def test_message_delta_inside_a_tool_call_is_ignored() -> None:
    event = sdk_event("assistant.message_delta", message_id="m1", delta_content="x", parent_tool_call_id="c1")
    assert from_sdk(event) is None


def test_empty_agent_id_counts_as_the_main_agent() -> None:
    event = sdk_event("assistant.message_delta", agent_id="", message_id="m", delta_content="x")
    assert from_sdk(event) == TextDelta("m", "x")


def test_reasoning_delta() -> None:
    event = sdk_event("assistant.reasoning_delta", reasoning_id="r1", delta_content="hmm")
    assert from_sdk(event) == ReasoningDelta("r1", "hmm")


def test_subagent_reasoning_delta_is_ignored() -> None:
    event = sdk_event("assistant.reasoning_delta", agent_id="agent-7", reasoning_id="r1", delta_content="x")
    assert from_sdk(event) is None


def test_message_completed() -> None:
    event = sdk_event(
        "assistant.message",
        message_id="m1",
        content="Hello there",
        output_tokens=12,
        tool_requests=[SimpleNamespace(name="bash")],
    )
    assert from_sdk(event) == MessageCompleted("m1", "Hello there", 12, True)


def test_message_completed_without_tools_or_tokens() -> None:
    event = sdk_event("assistant.message", message_id="m1", content="Hi", tool_requests=[])
    assert from_sdk(event) == MessageCompleted("m1", "Hi", None, False)


def test_subagent_message_completed_is_ignored() -> None:
    event = sdk_event("assistant.message", agent_id="a1", message_id="m", content="sub")
    assert from_sdk(event) is None


def test_reasoning_completed_and_turn_start() -> None:
    assert from_sdk(
        sdk_event("assistant.reasoning", reasoning_id="r", content="done thinking")
    ) == ReasoningCompleted("r", "done thinking")
    assert from_sdk(sdk_event("assistant.turn_start", turn_id="t1")) == TurnStarted("t1")


def test_usage_with_timedelta_durations_in_milliseconds() -> None:
    event = sdk_event(
        "assistant.usage",
        model="gpt-5",
        input_tokens=100,
        output_tokens=42,
        duration=timedelta(seconds=1, milliseconds=500),
        time_to_first_token=timedelta(milliseconds=250),
    )
    assert from_sdk(event) == Usage("gpt-5", 100, 42, 1500.0, 250.0)


def test_usage_with_numbers_missing_and_bad_values() -> None:
    event = sdk_event(
        "assistant.usage",
        model=None,
        input_tokens="7",
        output_tokens="lots",
        duration=80,
        time_to_first_token="soon",
    )
    assert from_sdk(event) == Usage("", 7, None, 80.0, None)
    bare = from_sdk(sdk_event("assistant.usage"))
    assert bare == Usage("", None, None, None, None)


def test_call_failed_and_retry() -> None:
    event = sdk_event("model.call_failure", error_message="rate limited", retry_attempt=2, status_code=429)
    assert from_sdk(event) == CallFailed("rate limited", 2, 429)
    assert from_sdk(sdk_event("model.call_failure")) == CallFailed("The model call failed.", None, None)
    assert from_sdk(sdk_event("assistant.turn_retry", reason="429")) == TurnRetrying("429")


def test_session_error() -> None:
    event = sdk_event("session.error", message="boom", error_type="authentication", status_code=401)
    assert from_sdk(event) == SessionFailed("boom", "authentication", 401)
    assert from_sdk(sdk_event("session.error", message="")) == SessionFailed(
        "The session reported an error.", "", None
    )


def test_idle() -> None:
    assert from_sdk(sdk_event("session.idle", aborted=True)) == Idle(True)
    assert from_sdk(sdk_event("session.idle")) == Idle(False)
    assert from_sdk(sdk_event("session.idle", agent_id="a1")) is None


def test_title_changed() -> None:
    assert from_sdk(sdk_event("session.title_changed", title="Chat")) == TitleChanged("Chat")


def test_tool_start_keeps_the_arguments_object() -> None:
    arguments = {"command": "ls", "timeout": 3}
    event = sdk_event("tool.execution_start", tool_call_id="c1", tool_name="bash", arguments=arguments)
    result = from_sdk(event)
    assert result == ToolStarted("c1", "bash", arguments)
    assert isinstance(result, ToolStarted)
    assert result.arguments is arguments


def test_tool_complete_success_with_result_object_or_dict() -> None:
    with_object = sdk_event(
        "tool.execution_complete",
        tool_call_id="c1",
        success=True,
        result=SimpleNamespace(content="file.txt"),
    )
    assert from_sdk(with_object) == ToolCompleted("c1", True, "file.txt", "")
    with_dict = sdk_event(
        "tool.execution_complete", tool_call_id="c2", success=True, result={"content": "ok"}
    )
    assert from_sdk(with_dict) == ToolCompleted("c2", True, "ok", "")


def test_tool_complete_failure_with_error_object_or_string() -> None:
    with_object = sdk_event(
        "tool.execution_complete",
        tool_call_id="c1",
        success=False,
        error=SimpleNamespace(message="permission denied"),
    )
    assert from_sdk(with_object) == ToolCompleted("c1", False, "", "permission denied")
    with_string = sdk_event("tool.execution_complete", tool_call_id="c1", success=False, error="timeout")
    assert from_sdk(with_string) == ToolCompleted("c1", False, "", "timeout")


def test_compaction() -> None:
    start = sdk_event("session.compaction_start", current_tokens=9000, token_limit=8000)
    assert from_sdk(start) == CompactionStarted(9000, 8000)
    done = sdk_event(
        "session.compaction_complete",
        success=True,
        pre_compaction_tokens=9000,
        post_compaction_tokens=2000,
    )
    assert from_sdk(done) == CompactionCompleted(True, 9000, 2000)


def test_mcp_server_status_and_what_the_user_is_told() -> None:
    class Status(Enum):
        FAILED = "failed"

    failed = sdk_event(
        "session.mcp_server_status_changed", server_name="gh", status=Status.FAILED, error="exit 3"
    )
    event = from_sdk(failed)
    assert event == McpServerChanged("gh", "failed", "exit 3")
    assert event.problem == "MCP server 'gh' failed to start: exit 3"
    connected = sdk_event(
        "session.mcp_server_status_changed", server_name="gh", status="connected", error=None
    )
    assert from_sdk(connected) == McpServerChanged("gh", "connected", "")
    assert McpServerChanged("gh", "connected").problem == ""
    assert (
        McpServerChanged("gh", "off", "${T} is not set").problem == "MCP server 'gh' is off: ${T} is not set"
    )


@pytest.mark.parametrize(
    "kind", ["model.debug", "session.start", "unknown", "", "assistant.message_delta_v2"]
)
def test_unknown_types_give_none(kind: str) -> None:
    assert from_sdk(sdk_event(kind, message_id="m", delta_content="x")) is None


def test_event_without_data_gives_none() -> None:
    event = SimpleNamespace(type=SimpleNamespace(value="assistant.message_delta"), data=None)
    assert from_sdk(event) is None
    assert from_sdk(object()) is None


def test_type_can_be_a_real_enum_or_a_plain_string() -> None:
    class Kind(Enum):
        TITLE = "session.title_changed"

    as_enum = SimpleNamespace(type=Kind.TITLE, data=SimpleNamespace(title="A"))
    as_str = SimpleNamespace(type="session.title_changed", data=SimpleNamespace(title="B"))
    assert event_type(as_enum) == "session.title_changed"
    assert from_sdk(as_enum) == TitleChanged("A")
    assert from_sdk(as_str) == TitleChanged("B")
    assert event_type(object()) == ""


def test_user_message_says_which_prompt_the_cli_took() -> None:
    assert from_sdk(sdk_event("user.message", content="steer me")) == UserMessage("steer me")
    assert from_sdk(sdk_event("user.message", agent_id="agent-7", content="x")) is None
