"""Models as Copilot offers them, signed in against the scripted GitHub through the real CLI: the
picker's groups, multipliers and context windows, a model the account may not use, and the reasoning
effort each conversation keeps reaching GitHub's chat completions (``reasoning_effort`` in the body).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import SETTINGS_FILE
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.chrome.model_picker import DETAILS, HEADER
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask
from tests.scripted_github import ScriptedGitHub

pytestmark = pytest.mark.asyncio


@pytest.fixture
def data_dir(github_data_dir: Path) -> Iterator[Path]:
    """``github_data_dir`` as this test found it afterwards: its settings, and none of its chats."""
    paths = AppPaths.under(github_data_dir)
    settings = paths.config_dir / SETTINGS_FILE
    before = settings.read_bytes() if settings.exists() else None
    yield github_data_dir
    if before is None:
        settings.unlink(missing_ok=True)
    else:
        settings.write_bytes(before)


def rows(window: ChatWindow) -> list[tuple[str, str, bool]]:
    """Each row of the model picker: its text, its details ("header" for a header), choosable."""
    picker, shown = window.model_picker, []
    for i in range(picker.count()):
        index = picker.model().index(i, 0)
        choosable = bool(index.flags() & Qt.ItemFlag.ItemIsSelectable)
        shown.append((picker.itemText(i), "header" if index.data(HEADER) else index.data(DETAILS), choosable))
    return shown


def choose_model(window: ChatWindow, label: str) -> None:
    index = window.model_picker.findText(label)
    assert index >= 0, label
    window.model_picker.setCurrentIndex(index)
    window.model_picker.activated.emit(index)


def choose_effort(window: ChatWindow, label: str) -> None:
    index = window.chips.effort_picker.findText(label)
    assert index >= 0, label
    window.chips.effort_picker.setCurrentIndex(index)
    window.chips.effort_picker.activated.emit(index)


def last_asked(github: ScriptedGitHub) -> tuple[str, str | None]:
    body = github.chat_requests()[-1].body
    return body["model"], body.get("reasoning_effort")


async def test_the_picker_groups_copilots_models_and_each_conversation_keeps_its_effort(
    qtbot: QtBot, signed_in_github: ScriptedGitHub, data_dir: Path
) -> None:
    async with running_app("--data-dir", str(data_dir), "--model", "gpt-5-mini") as window:
        qtbot.addWidget(window)
        controller = window.controller
        assert controller.phase.value == "ready" and controller.store is not None
        kept = {c.id for c in controller.store.list_conversations()}
        await wait_until(lambda: window.model_picker.count() > 2, timeout=30)
        assert rows(window) == [
            ("Auto", "", True),
            ("Included", "header", False),
            ("GPT-5 mini", "Included · 264k context", True),
            ("Premium", "header", False),
            ("o3-mini", "0.33× · 200k context", True),
            ("Claude Sonnet 4.5", "1× · 144k context", True),
            ("Claude Opus 4.5", "3× · 160k context", True),
            ("Not available", "header", False),
            ("Claude Haiku 4.5", "0.33× · 144k context", False),  # "unconfigured": not enabled yet
        ]
        haiku_tip = window.model_picker.itemData(window.model_picker.count() - 1, Qt.ItemDataRole.ToolTipRole)
        assert "Not enabled for your account yet" in haiku_tip
        effort = window.chips.effort_picker
        assert window.model_picker.currentText() == "GPT-5 mini"
        await wait_until(lambda: not effort.isHidden())
        assert [effort.itemText(i) for i in range(effort.count())] == ["Default", "Low", "Medium", "High"]

        choose_effort(window, "High")  # a new conversation's, before its first prompt
        await ask(qtbot, window, "first")
        assert last_asked(signed_in_github) == ("gpt-5-mini", "high")
        first = controller.conversation
        assert first is not None and first.reasoning_effort == "high"

        choose_effort(window, "Low")  # the live session switches (set_model), no resume
        await wait_until(lambda: not controller.working)
        await ask(qtbot, window, "second")
        assert last_asked(signed_in_github) == ("gpt-5-mini", "low")

        choose_model(window, "Claude Sonnet 4.5")  # no levels: nothing asked, the picker hidden
        await wait_until(lambda: effort.isHidden() and not controller.working)
        await ask(qtbot, window, "third")
        assert last_asked(signed_in_github) == ("claude-sonnet-4.5", None)

        window.new_conversation()
        await wait_until(lambda: controller.conversation is None and not controller.working)
        choose_model(window, "GPT-5 mini")
        await wait_until(lambda: not effort.isHidden() and not controller.working)
        assert effort.currentText() == "Default"  # a new conversation: the model's default
        await ask(qtbot, window, "fourth")
        # Nothing asked: the CLI's own default for the model ("medium"; it does not list it).
        assert last_asked(signed_in_github) == ("gpt-5-mini", "medium")

        window.open_conversation(first.id)  # resumed with the level it keeps
        await wait_until(lambda: controller.session is not None and not controller.working, timeout=30)
        assert effort.currentText() == "Low"
        await ask(qtbot, window, "fifth")
        assert last_asked(signed_in_github) == ("gpt-5-mini", "low")
        assert "Model gpt-5-mini, effort low" in window.view.toPlainText()

        # Reopened on a model without levels: the CLI would keep the session's "low" and fail every
        # send ("Reasoning effort 'low' is not supported"); the resumed session is cleared of it.
        window.new_conversation()
        await wait_until(lambda: controller.conversation is None and not controller.working)
        choose_model(window, "Claude Sonnet 4.5")
        await wait_until(lambda: effort.isHidden() and not controller.working)
        window.open_conversation(first.id)
        await wait_until(lambda: controller.session is not None and not controller.working, timeout=30)
        await ask(qtbot, window, "sixth")
        assert last_asked(signed_in_github) == ("claude-sonnet-4.5", None)
        assert "Model claude-sonnet-4.5, effort none, you said: sixth" in window.view.toPlainText()

        choose_model(window, "GPT-5 mini")  # its level again, then back to the model's own
        await wait_until(lambda: not effort.isHidden() and not controller.working)
        assert effort.currentText() == "Low"
        choose_effort(window, "Default")
        await wait_until(lambda: not controller.working)
        await ask(qtbot, window, "seventh")
        assert last_asked(signed_in_github) == ("gpt-5-mini", "medium")  # the CLI's, no longer "low"
        assert controller.store.get_conversation(first.id).reasoning_effort == ""  # type: ignore[union-attr]
        for conversation in controller.store.list_conversations():  # the shared data dir as it was
            if conversation.id not in kept:
                controller.store.delete_forever(conversation.id)
    assert signed_in_github.refused == []
