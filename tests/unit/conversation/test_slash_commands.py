"""The window's slash commands: parsing what was typed, completing a prefix, the CLI's list."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.slash_commands import (
    WINDOW_COMMANDS,
    ListedCommand,
    Runner,
    Typed,
    completing,
    find,
    first_sentence,
    from_cli,
    matching,
    parse,
    shown_output,
    unknown,
)

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,15}", fullmatch=True)


def test_a_command_and_its_arguments() -> None:
    assert parse("/compact keep the plan") == Typed("compact", "keep the plan")
    assert parse("  /Usage  ") == Typed("usage")
    assert parse("/compact\nline one\nline two") == Typed("compact", "line one\nline two")


def test_what_is_not_a_command_goes_to_the_model() -> None:
    for text in ("hello /usage", "/usr/bin is a path", "// note", "/", "/ usage", "/1abc", ""):
        assert parse(text) is None, text


@given(NAMES, st.text(max_size=40))
def test_any_word_after_a_slash_parses_back(name: str, args: str) -> None:
    typed = parse(f"/{name} {args}")
    assert typed == Typed(name.lower(), args.strip())


@given(st.text(max_size=40))
def test_parse_never_fails_and_only_takes_slash_words(text: str) -> None:
    typed = parse(text)
    if typed is not None:
        assert text.strip().lower().startswith("/" + typed.name)
        rest = text.strip()[1 + len(typed.name) :]
        assert rest == "" or rest[0].isspace()


def test_completing_only_while_the_name_is_typed() -> None:
    assert completing("/") == ""
    assert completing("/co") == "co"
    assert completing("/compact ") is None
    assert completing("hello") is None
    assert completing("/a/b") is None


@given(NAMES)
def test_every_completion_of_a_prefix_contains_it(prefix: str) -> None:
    for command in matching(WINDOW_COMMANDS, prefix):
        assert prefix.lower() in command.name


def test_names_that_start_with_the_prefix_come_first() -> None:
    assert [c.name for c in matching(WINDOW_COMMANDS, "co")] == ["compact", "context"]
    assert [c.name for c in matching(WINDOW_COMMANDS, "s")][:2] == ["session", "usage"]
    assert [c.name for c in matching(WINDOW_COMMANDS, "")] == [c.name for c in WINDOW_COMMANDS]


def test_find_by_name_or_alias_any_case() -> None:
    assert find(WINDOW_COMMANDS, "USAGE") is not None
    command = find(WINDOW_COMMANDS, "new")
    assert command is not None and command.name == "clear"
    assert find(WINDOW_COMMANDS, "nosuch") is None


def test_the_clis_list_gives_descriptions_and_leaves_out_what_it_lacks() -> None:
    listed = [
        ListedCommand("usage", "Display session usage metrics and statistics"),
        ListedCommand("compact", "Summarize history. Optionally provide focus instructions.", False),
        ListedCommand("share", "Share the session"),
    ]
    catalogue = from_cli(listed)
    names = [c.name for c in catalogue]
    assert names == ["clear", "compact", "model", "plan", "usage"]  # no context, session; never share
    compact = find(catalogue, "compact")
    assert compact is not None and compact.description == "Summarize history"
    assert not compact.during_reply and compact.runner is Runner.CLI


def test_first_sentence() -> None:
    assert first_sentence("Select the model. Use /config model to …") == "Select the model"
    assert first_sentence("Show usage.") == "Show usage"


def test_the_clis_answer_loses_its_colour_codes() -> None:
    assert shown_output("usage", "\x1b[1mSession Usage\x1b[0m\r\nTokens: 5\n") == "Session Usage\nTokens: 5"
    assert shown_output("compact", "  ") == "/compact is done."


def test_unknown_names_the_command() -> None:
    assert unknown("word").startswith("Unknown command /word")


def test_the_context_chart_leaves_its_legend() -> None:
    text = (
        "Context Usage\n\n○ ○ ◌ ◌ ◉ · · · · ·   scripted-model · 9k/128k tokens (7%)\n"
        "· · · · · · · · · ·   ○ System Prompt           4.4k   (3%)\n"
        "· · · · · · ◎ ◎ ◎ ◎   ◎ Buffer                  6.4k   (5%)"
    )
    assert shown_output("context", text).split("\n") == [
        "Context Usage",
        "",
        "scripted-model · 9k/128k tokens (7%)",
        "○ System Prompt 4.4k (3%)",
        "◎ Buffer 6.4k (5%)",
    ]
    assert shown_output("usage", "Tokens:   5") == "Tokens:   5"  # other answers as they are
