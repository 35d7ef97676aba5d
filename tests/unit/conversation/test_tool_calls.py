"""The tool-call timeline: what the panel shows and the store saves, from the session's events."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from desktop_app.core.conversation.tool_calls import (
    OUTPUT_LIMIT,
    ToolCall,
    ToolChanged,
    ToolStatus,
    ToolTimeline,
)
from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.permissions.rules import describe
from desktop_app.core.vocabulary.events import (
    PermissionAnswered,
    PermissionAsked,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
)
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, RequestKind, Rule, RuleScope


def timeline() -> tuple[ToolTimeline, list[tuple[str, bool]], list[float]]:
    now = [100.0]
    line = ToolTimeline(clock=lambda: now[0])
    told: list[tuple[str, bool]] = []
    line.changes.subscribe(lambda change: told.append((change.call.status.value, change.new)))
    return line, told, now


def shell_prompt(call_id: str = "c1") -> object:
    return describe(
        SimpleNamespace(
            kind="shell", full_command_text="ls", command_segments=[], tool_call_id=call_id,
            has_write_file_redirection=False, intention="", possible_paths=[], possible_urls=[],
        )
    )  # fmt: skip


def test_a_shell_call_from_start_to_finish() -> None:
    line, told, now = timeline()
    line(ToolStarted("c1", "bash", {"command": "ls -a"}, "Running command", "ls -a"))
    prompt = shell_prompt()
    line(PermissionAsked(prompt))  # type: ignore[arg-type]
    assert line.calls[0].status is ToolStatus.PENDING
    line(PermissionAnswered(prompt, Answer(Choice.ALLOW_ONCE)))  # type: ignore[arg-type]
    line(ToolOutput("c1", "a\n", cumulative=False, stream="stdout"))
    line(ToolOutput("c1", "a\n", cumulative=True))  # the same text again, whole: ignored
    line(ToolOutput("c1", "b\n", cumulative=False))
    now[0] = 101.5
    line(ToolCompleted("c1", True, "a\nb\n<exit 0>", "", 0, ("/w/x.txt",)))
    [call] = line.calls
    assert (call.name, call.command, call.output, call.exit_code) == ("bash", "ls -a", "a\nb\n", 0)
    assert call.status is ToolStatus.DONE and call.duration_s == 1.5
    assert call.files == ("/w/x.txt",) and call.decision == "Allowed once"
    assert call.label == "bash: ls -a"
    assert '"command": "ls -a"' in call.arguments
    assert told[0] == ("running", True) and all(not new for _s, new in told[1:])


def test_cumulative_output_replaces_for_tools_without_a_shell_stream() -> None:
    line, _told, _now = timeline()
    line(ToolStarted("c1", "view", {"path": "a"}))
    line(ToolOutput("c1", "one", cumulative=True))
    line(ToolOutput("c1", "one two", cumulative=True))
    assert line.calls[0].output == "one two"


def test_output_is_capped_to_its_newest_part() -> None:
    line, _told, _now = timeline()
    line(ToolStarted("c1", "bash", {}))
    line(ToolOutput("c1", "x" * OUTPUT_LIMIT, cumulative=False))
    line(ToolOutput("c1", "END", cumulative=False))
    output = line.calls[0].output
    assert len(output) == OUTPUT_LIMIT and output.endswith("END")


def test_a_denied_call_stays_denied_when_the_cli_reports_its_failure() -> None:
    line, _told, _now = timeline()
    line(ToolStarted("c1", "bash", {}))
    prompt = shell_prompt()
    line(PermissionAnswered(prompt, Answer(Choice.DENY_WITH_MESSAGE, message="no")))  # type: ignore[arg-type]
    line(ToolCompleted("c1", False, "", "denied"))
    assert line.calls[0].status is ToolStatus.DENIED and line.calls[0].decision == "Denied: no"


def test_a_rule_answer_names_the_rule() -> None:
    line, _told, _now = timeline()
    rule = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls")
    line(PermissionAnswered(shell_prompt("c9"), Answer(Choice.ALLOW_ONCE), rule))  # type: ignore[arg-type]
    assert line.calls[0].decision == "Allowed by your rule: commands starting with ls, always"


@pytest.mark.expected_warnings
def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    line = ToolTimeline()

    def broken(change: ToolChanged) -> None:
        raise RuntimeError("boom")

    told: list[tuple[str, bool]] = []
    line.changes.subscribe(broken)
    line.changes.subscribe(lambda change: told.append((change.call.status.value, change.new)))
    line(ToolStarted("c1", "bash", {}))
    assert told == [("running", True)]
    assert "subscriber" in caplog.text and "boom" in caplog.text


def test_sdk_tool_events_map_to_chat_events() -> None:
    def event(kind: str, **data: object) -> object:
        return SimpleNamespace(type=SimpleNamespace(value=kind), data=SimpleNamespace(**data), agent_id=None)

    started = from_sdk(
        event(
            "tool.execution_start", tool_call_id="c1", tool_name="bash", arguments={"command": "ls"},
            tool_title="Running command", shell_tool_info=SimpleNamespace(display_command="ls"),
            parent_tool_call_id=None,
        )
    )  # fmt: skip
    assert started == ToolStarted("c1", "bash", {"command": "ls"}, "Running command", "ls", "")
    shell = from_sdk(
        event("tool.shell_output", tool_call_id="c1", text="hi\n", stream=SimpleNamespace(value="stdout"))
    )
    assert shell == ToolOutput("c1", "hi\n", False, "stdout")
    partial = from_sdk(event("tool.execution_partial_result", tool_call_id="c1", partial_output="hi\n"))
    assert partial == ToolOutput("c1", "hi\n", True)
    done = from_sdk(
        event(
            "tool.execution_complete", tool_call_id="c1", success=True,
            result=SimpleNamespace(content="hi"), error=None,
            shell_execution=SimpleNamespace(exit_code=3),
            file_edits=[SimpleNamespace(path="/a"), SimpleNamespace(path="/a"), SimpleNamespace(path="/b")],
        )
    )  # fmt: skip
    assert done == ToolCompleted("c1", True, "hi", "", 3, ("/a", "/b"))
    usage = from_sdk(event("session.usage_info", current_tokens=8878, token_limit=128000))
    assert usage is not None and (usage.current_tokens, usage.token_limit) == (8878, 128000)  # type: ignore[union-attr]
    assert from_sdk(event("session.usage_info", current_tokens=1, token_limit=0)) is None


def test_an_id_used_again_after_its_call_finished_is_a_new_call() -> None:
    line, told, _now = timeline()
    line(ToolStarted("call_1", "view", {"path": "a.txt"}))
    line(ToolCompleted("call_1", True, "a", ""))
    line(ToolStarted("call_1", "view", {"path": "b.txt"}))  # the next reply numbers afresh
    line(ToolOutput("call_1", "reading b", False, "stdout"))
    line(ToolCompleted("call_1", True, "b", ""))
    first, second = line.calls
    assert (first.id, first.result, first.arguments) == ("call_1", "a", '{\n  "path": "a.txt"\n}')
    assert (second.id, second.result, second.output) == ("call_1#2", "b", "reading b")
    assert line.get("call_1") is first and line.current("call_1") is second
    assert told == [
        ("running", True),
        ("done", False),
        ("running", True),
        ("running", False),
        ("done", False),
    ]


def test_an_id_used_again_skips_the_ids_a_saved_conversation_has() -> None:
    line, _told, _now = timeline()
    line.load(
        [
            ToolCall("call_1", "view", status=ToolStatus.DONE),
            ToolCall("call_1#2", "view", status=ToolStatus.DONE),
        ]
    )
    line(ToolStarted("call_1", "bash", {"command": "ls"}))
    assert [c.id for c in line.calls] == ["call_1", "call_1#2", "call_1#3"]
    assert line.current("call_1") is line.calls[-1]


def test_a_call_still_running_keeps_its_id() -> None:
    line, _told, _now = timeline()
    line(PermissionAsked(shell_prompt("call_1")))
    line(ToolStarted("call_1", "bash", {"command": "ls"}))
    assert [c.id for c in line.calls] == ["call_1"]
