"""``@file`` completion: the mention at the cursor and the bounded walk of the working folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation import file_mentions
from desktop_app.core.conversation.file_mentions import Mention, files_under, inside, mention_at


def test_the_mention_the_cursor_ends() -> None:
    assert mention_at("look at @src/ma", 15) == Mention(8, "src/ma")
    assert mention_at("@", 1) == Mention(0, "")
    assert mention_at("mail me@example.com", 19) is None
    assert mention_at("@done and more", 14) is None
    assert mention_at("two @a @b", 9) == Mention(7, "b")


@given(st.text(max_size=30), st.integers(min_value=-5, max_value=40))
def test_a_mention_always_starts_at_an_at_sign(text: str, cursor: int) -> None:
    mention = mention_at(text, cursor)
    if mention is not None:
        assert text[mention.start] == "@"
        assert text[mention.start + 1 : mention.start + 1 + len(mention.prefix)] == mention.prefix


def make(root: Path, *paths: str) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x", encoding="utf-8")


def test_files_matching_skip_hidden_and_dependency_folders(tmp_path: Path) -> None:
    make(
        tmp_path,
        "main.py",
        "src/app/main_window.py",
        "src/readme.md",
        ".git/main",
        ".hidden/main.py",
        "node_modules/pkg/main.js",
    )
    assert files_under(tmp_path, "main") == ["main.py", "src/app/main_window.py"]
    assert files_under(tmp_path, "SRC/READ") == ["src/readme.md"]
    assert len(files_under(tmp_path, "")) == 3


def test_symbolic_links_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    make(outside, "secret.txt")
    root = tmp_path / "root"
    make(root, "ok.txt")
    os.symlink(outside, root / "linked")
    os.symlink(outside / "secret.txt", root / "secret.txt")
    assert files_under(root, "") == ["ok.txt"]
    assert inside(root, "linked/secret.txt") is None
    assert inside(root, "../outside/secret.txt") is None
    assert inside(root, "ok.txt") == (root / "ok.txt").resolve()


def test_the_walk_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "/".join(f"d{i}" for i in range(10))
    make(tmp_path, f"{deep}/deep.txt", "top.txt", *(f"many/f{i}.txt" for i in range(30)))
    assert files_under(tmp_path, "deep") == []  # below MAX_DEPTH
    assert len(files_under(tmp_path, "", limit=5)) == 5
    monkeypatch.setattr(file_mentions, "MAX_VISITED", 3)
    assert "many/f0.txt" not in files_under(tmp_path, "")
    ticks = iter(range(100))
    assert files_under(tmp_path, "", clock=lambda: float(next(ticks))) == []  # out of time at once
