"""The banner's kinds are a closed set: each one the controller can emit is one the window knows."""

from __future__ import annotations

import ast
from pathlib import Path

from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind, Phase

ROOT = Path(__file__).resolve().parents[3] / "desktop_app"


def kinds_used(path: Path, attribute: str) -> set[str]:
    """The ``NoticeKind.X`` names a module mentions in ``attribute`` position."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == attribute
    }


def test_every_kind_the_controller_emits_is_handled_by_the_window() -> None:
    # The controller's modules, and the wording of the notices they emit.
    sources = [*(ROOT / "ui" / "controller").glob("*.py"), ROOT / "core" / "vocabulary" / "notices.py"]
    emitted = set().union(*(kinds_used(path, "NoticeKind") for path in sources))
    handled = kinds_used(ROOT / "ui" / "window" / "feedback" / "notices.py", "NoticeKind")
    # STARTING shows its text with no buttons: the only kind the window needs no branch for.
    assert emitted - handled <= {"STARTING"}
    assert emitted <= {kind.name for kind in NoticeKind}


def test_notices_and_phases_keep_their_wire_values() -> None:
    assert Notice(NoticeKind.ERROR, "x", Level.ERROR).level == "error"  # the banner's colour keys
    assert Notice(NoticeKind.CLEAR, "").level is Level.INFO
    assert Phase.READY == "ready" and Phase("needs_sign_in") is Phase.NEEDS_SIGN_IN


def test_the_words_of_a_retry_name_the_attempt_and_the_status_when_known() -> None:
    retry = notices.retrying("rate limited", 1, 429)
    assert retry == Notice(
        NoticeKind.RETRYING,
        f"The model call failed (HTTP 429): rate limited\nCopilot is retrying (2/{notices.CLI_RETRIES})…",
        Level.WARNING,
    )
    assert notices.retrying("timeout", -1, -1).text == "The model call failed: timeout\nCopilot is retrying…"


def test_each_case_has_its_kind_and_level() -> None:
    assert notices.ready(demo=False) == Notice(NoticeKind.READY, "Ready.")
    assert "scripted demo model" in notices.ready(demo=True).text
    assert notices.sign_in_needed().text.startswith("You are not signed in to GitHub. Sign in with GitHub")
    assert notices.went_silent(120).text.startswith("No reply from the model for 120 seconds")
    assert notices.cli_died("It stopped.").text.startswith("It stopped.\nThe app starts it again")
    assert {n.kind for n in (notices.went_silent(5), notices.cli_died("x"), notices.CUT_OFF_AT_CLOSE)} == {
        NoticeKind.INTERRUPTED
    }  # each offers Regenerate
    assert notices.error("x").level is notices.could_not_stop("x").level is Level.ERROR
