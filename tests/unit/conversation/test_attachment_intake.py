"""What may be attached, and why not: classification by content, the limits, the huge paste, the
URI lists file managers copy, and names safe to show. Fuzzed: these read untrusted input."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation import attachment_intake as intake
from desktop_app.core.conversation.attachment_intake import AttachmentList, Refused
from desktop_app.core.vocabulary.attachments import NAME_LENGTH, AttachmentKind, display_name

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_an_image_is_known_by_its_bytes_not_its_name() -> None:
    image = intake.from_bytes("notes.txt", PNG)
    assert not isinstance(image, Refused) and (image.kind, image.mime) == (AttachmentKind.IMAGE, "image/png")
    text = intake.from_bytes("picture.png", b"just text\n")
    assert not isinstance(text, Refused) and text.kind is AttachmentKind.TEXT


def test_a_binary_file_that_is_not_an_image_is_refused_by_name() -> None:
    refused = intake.from_bytes("tool.exe", b"MZ\x90\x00\x03")
    assert isinstance(refused, Refused)
    assert (
        refused.message
        == "“tool.exe” was not attached: it is neither an image (PNG, JPEG, GIF, WebP) nor text."
    )


def test_sizes_over_the_limits_are_refused_saying_the_limit() -> None:
    big_text = intake.from_bytes("log.txt", b"a" * (intake.MAX_TEXT_BYTES + 1))
    assert isinstance(big_text, Refused) and "text files may be 512 KB at most" in big_text.message
    big_image = intake.from_bytes("x.png", PNG + b"\x00" * intake.MAX_IMAGE_BYTES)
    assert isinstance(big_image, Refused) and "images may be 10 MB at most" in big_image.message


def test_the_count_is_limited_and_the_same_file_is_attached_once() -> None:
    items = AttachmentList()
    for n in range(intake.MAX_ATTACHMENTS):
        assert items.add(intake.from_bytes(f"{n}.txt", f"file {n}".encode())) is None
    assert items.add(intake.from_bytes("0.txt", b"file 0")) is None and len(items) == intake.MAX_ATTACHMENTS
    message = items.add(intake.from_bytes("more.txt", b"more"))
    assert message is not None and "“more.txt” was not attached: a prompt can carry 10" in message


def test_folders_only_in_agent_mode(tmp_path: Path) -> None:
    assert isinstance(intake.from_path(tmp_path, agent=False), Refused)
    folder = intake.from_path(tmp_path, agent=True)
    assert not isinstance(folder, Refused) and folder.kind is AttachmentKind.FOLDER
    (tmp_path / "a.py").write_text("print(1)\n")
    file = intake.from_path(tmp_path / "a.py", agent=False)
    assert not isinstance(file, Refused) and (file.path, file.data) == (str(tmp_path / "a.py"), b"print(1)\n")
    missing = intake.from_path(tmp_path / "gone.txt", agent=False)
    assert isinstance(missing, Refused) and "cannot be read" in missing.reason


def test_a_huge_paste_becomes_an_attachment() -> None:
    assert not intake.is_huge_paste("a\n" * 100)
    assert intake.is_huge_paste("a\n" * intake.HUGE_PASTE_LINES)
    assert intake.is_huge_paste("x" * (intake.HUGE_PASTE_BYTES + 1))
    pasted = intake.from_paste("line\n" * 3000)
    assert not isinstance(pasted, Refused) and pasted.name == "Pasted text (3001 lines).txt"


def test_images_need_a_model_that_reads_them_and_folders_agent_mode() -> None:
    image = intake.from_bytes("shot.png", PNG)
    assert not isinstance(image, Refused)
    refusal = intake.sending_refusal([image], reads_images=False, model="o3-mini", agent=False)
    assert refusal is not None and "o3-mini does not read images (shot.png)" in refusal
    assert intake.sending_refusal([image], reads_images=True, model="gpt-4.1", agent=False) is None


def test_uri_lists_give_local_files_only() -> None:
    text = "# a comment\r\nfile:///home/u/My%20Notes.md\r\nhttps://example.com/x\r\nfile://remote/etc/x\r\n"
    assert intake.paths_from_uri_list(text) == [Path("/home/u/My Notes.md")]
    gnome = "copy\nfile:///tmp/a.png\nfile://localhost/tmp/b.txt"
    assert intake.paths_from_uri_list(gnome) == [Path("/tmp/a.png"), Path("/tmp/b.txt")]
    assert intake.paths_from_uri_list("file:///tmp/../etc/%00x") == []


@given(st.binary(max_size=2048), st.text(max_size=40))
def test_any_bytes_are_classified_or_refused(data: bytes, name: str) -> None:
    result = intake.from_bytes(name, data)
    if isinstance(result, Refused):
        assert result.message.startswith("“") and "was not attached" in result.message
    else:
        assert result.data == data and (result.kind is AttachmentKind.IMAGE) == (
            intake.image_mime(data) is not None
        )


@given(st.text(max_size=600))
def test_any_uri_list_gives_absolute_normal_paths(text: str) -> None:
    for path in intake.paths_from_uri_list(text):
        assert path.is_absolute() and ".." not in path.parts and "\x00" not in str(path)


@given(st.text(max_size=400))
def test_any_name_is_shown_on_one_line_without_format_characters(name: str) -> None:
    shown = display_name(name)
    assert shown and len(shown) <= NAME_LENGTH
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in shown)
