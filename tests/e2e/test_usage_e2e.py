"""Premium usage end to end: the gauge shows the scripted account's quota once signed in, drops after
a premium reply (the reply's quota header, read through the session), the conversation keeps what it
cost, and a used-up quota warns at start and words GitHub's refusal (HTTP 402) with its reset date.

The real CLI through the real SDK; GitHub and the Copilot API are the scripted GitHub on 127.0.0.1.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import QuotaLevel
from desktop_app.ui.account.usage_gauge import COLOURS
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask
from tests.scripted_github import ScriptedGitHub
from tests.scripted_github.accounts import next_reset

pytestmark = pytest.mark.asyncio


def resets() -> str:
    return wording.date_text(next_reset(), datetime.datetime.now(datetime.UTC))


async def ready_with_model(window: ChatWindow, model: str) -> None:
    await wait_until(lambda: window.controller.phase.value == "ready", timeout=60)
    await wait_until(lambda: window.model_picker.count() > 1, timeout=30)
    window.choices.choose_model(model)
    await wait_until(lambda: window.controller.settings.model == model, timeout=10)


async def test_the_gauge_follows_a_premium_reply_and_the_conversation_keeps_its_cost(
    qtbot: QtBot, signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with running_app("--data-dir", str(github_data_dir)) as window:
        qtbot.addWidget(window)
        gauge = window.status.usage_gauge
        await ready_with_model(window, "claude-opus-4.5")  # 3 premium requests a reply
        await wait_until(lambda: gauge.isVisible(), timeout=30)
        assert gauge.text() == "Premium 0%" and gauge.colour == COLOURS[QuotaLevel.OK]
        assert f"300 of 300 premium requests left · resets {resets()}" in gauge.toolTip()
        await ask(qtbot, window, "an expensive question")
        assert "Hello from scripted Copilot. Model claude-opus-4.5" in window.view.toPlainText()
        await wait_until(lambda: gauge.text() == "Premium 1%", timeout=30)  # 3 of 300
        assert signed_in_github.account().premium_used == 3
        await wait_until(lambda: window.controller.usage.state.conversation_cost == 3.0, timeout=30)
        details = gauge.open_details()
        assert (details.value("Used"), details.value("Left")) == ("3 of 300", "297")
        assert (details.value("Plan"), details.value("This conversation")) == (
            "Copilot Pro",
            "3 premium requests",
        )
        details.close()
        conversation = window.controller.conversation
        store = window.controller.store
        assert conversation is not None and store is not None
        replies = [m for m in store.messages(conversation.id) if m.role is Role.ASSISTANT]
        assert [m.premium_cost for m in replies] == [3.0]  # kept with the reply
        await window.controller.new_conversation()
        assert window.controller.usage.state.conversation_cost == 0.0
        await window.controller.open_conversation(conversation.id)  # reopened: its cost again
        await wait_until(lambda: window.controller.usage.state.conversation_cost == 3.0, timeout=30)
        assert "This conversation: 3 premium requests" in gauge.toolTip()
        assert signed_in_github.refused == []  # nothing was asked of any other host


@pytest.mark.xfail(
    strict=False,
    reason="after test_scripted_github_e2e in the same process the refusal comes without its reset "
    "date (passes alone; not yet explained, see #15's closing note)",
)
async def test_a_used_up_quota_warns_and_a_refused_request_says_what_to_do(
    qtbot: QtBot, signed_in_github: ScriptedGitHub, tmp_path: Path
) -> None:
    signed_in_github.update("octocat", premium_used=300)
    async with running_app("--data-dir", str(tmp_path / "data")) as window:
        qtbot.addWidget(window)
        gauge = window.status.usage_gauge
        await wait_until(lambda: gauge.isVisible() and gauge.text() == "Premium 100%", timeout=60)
        assert gauge.colour == COLOURS[QuotaLevel.USED_UP]
        await wait_until(lambda: window.banner.label.text().startswith("You have used all"), timeout=10)
        assert window.banner.button_titles == ["Copilot settings", "Dismiss"]  # warned once signed in
        await ready_with_model(window, "claude-sonnet-4.5")
        await ask(qtbot, window, "one more")
        banner = window.banner.label.text()
        assert banner.startswith(
            "Your premium requests for this period are used up (GitHub said: You have exceeded your "
            f"premium request allowance.). They reset on {resets()}.\n"
        )
        assert "pick an included model (0×)" in banner and wording.COPILOT_SETTINGS_URL in banner
        assert window.banner.button_titles == ["Copilot settings", "Dismiss"]
        assert f"They reset on {resets()}." in window.view.toPlainText()  # the reply's error says it too
        assert [r.status for r in signed_in_github.chat_requests()] == [402]
        window.choices.choose_model("gpt-5-mini")  # an included model still answers
        await wait_until(lambda: window.controller.settings.model == "gpt-5-mini", timeout=10)
        await ask(qtbot, window, "a free one")
        assert "Model gpt-5-mini" in window.view.toPlainText()
        assert signed_in_github.account().premium_used == 300
        assert signed_in_github.refused == []
