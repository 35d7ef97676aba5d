"""Titles as file names: any script kept, separators, emoji, controls and device names made safe."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.platform.file_names import DEFAULT_STEM, MAX_BYTES, MAX_CHARS, safe_file_name


@pytest.mark.parametrize(
    ("title", "extension", "name"),
    [
        ("Plan for Monday", "md", "Plan for Monday.md"),
        ("a/b\\c:d*e?f", "md", "a-b-c d e f.md"),
        ('Why "quotes" <and> pipes|', "html", "Why quotes and pipes.html"),
        ("🚀 Launch plan 🎉", "json", "Launch plan.json"),
        ("Release/notes: v2", "md", "Release-notes v2.md"),
        ("Café naïve — Ünïcødé", "md", "Café naïve Ünïcødé.md"),  # the em dash is punctuation: dropped
        ("Привет мир", "md", "Привет мир.md"),
        ("日本語のタイトル", "md", "日本語のタイトル.md"),
        ("مرحبا بالعالم", "md", "مرحبا بالعالم.md"),
        ("हिन्दी शीर्षक", "md", "हिन्दी शीर्षक.md"),  # combining vowel signs stay with their letters
        ("ｆｕｌｌ　ｗｉｄｔｈ", "md", "full width.md"),  # NFKC
        ("tab\there\nnew line\x00nul\x1b[31m", "md", "tab here new line nul [31m.md"),
        ("evil\u202egnp.exe", "md", "evilgnp.exe.md"),  # a bidi override is dropped
        ("...hidden", "md", "hidden.md"),
        ("trailing dots. . .", "md", "trailing dots.md"),
        ("", "md", f"{DEFAULT_STEM}.md"),
        ("🎉🎉🎉", "md", f"{DEFAULT_STEM}.md"),
        ("///", "md", f"{DEFAULT_STEM}.md"),
        ("CON", "md", "CON_.md"),
        ("con.txt", "md", "con.txt_.md"),
        ("LPT1 ", "md", "LPT1_.md"),
        ("Console", "md", "Console.md"),  # only the exact device names
        ("x", ".MD", "x.md"),
        ("x", "", "x"),
        ("x", "../etc", "x"),  # an extension that is not one is left out
    ],
)
def test_titles_become_safe_names(title: str, extension: str, name: str) -> None:
    assert safe_file_name(title, extension) == name


def test_long_titles_are_cut() -> None:
    assert safe_file_name("a" * 500, "md") == "a" * MAX_CHARS + ".md"
    wide = safe_file_name("𠀀" * 100, "md")  # four bytes each in UTF-8
    assert len(wide.removesuffix(".md").encode("utf-8")) <= MAX_BYTES


@given(st.text(), st.sampled_from(["md", "html", "json", ""]))
def test_any_title_makes_a_usable_name(title: str, extension: str) -> None:
    name = safe_file_name(title, extension)
    stem = name.removesuffix(f".{extension}") if extension else name
    assert stem and not name.startswith(".") and not stem.endswith((".", " "))
    assert not any(c in name for c in '/\\\x00:*?"<>|')
    assert all(c.isprintable() for c in name)
    assert len(stem) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES + 6
    assert stem.split(".", 1)[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert safe_file_name(name.removesuffix(f".{extension}") if extension else name, extension) == name
