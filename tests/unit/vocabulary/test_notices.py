"""The banner's kinds are a closed set: each one the controller can emit is one the window knows."""

from __future__ import annotations

import ast
from pathlib import Path

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
    handled = kinds_used(ROOT / "ui" / "window" / "chat_window.py", "NoticeKind")
    # STARTING shows its text with no buttons: the only kind the window needs no branch for.
    assert emitted - handled <= {"STARTING"}
    assert emitted <= {kind.name for kind in NoticeKind}


def test_notices_and_phases_keep_their_wire_values() -> None:
    assert Notice(NoticeKind.ERROR, "x", Level.ERROR).level == "error"  # the banner's colour keys
    assert Notice(NoticeKind.CLEAR, "").level is Level.INFO
    assert Phase.READY == "ready" and Phase("needs_sign_in") is Phase.NEEDS_SIGN_IN
