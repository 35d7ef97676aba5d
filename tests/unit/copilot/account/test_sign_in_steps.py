"""Each step the CLI's sign-in answers with, as the stage the window shows (the SDK's own types)."""

from __future__ import annotations

from typing import Any

import pytest
from copilot.generated.rpc import AuthLoginStep

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.account import sign_in_words as words
from desktop_app.core.copilot.account.sign_in import SignIn
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.vocabulary.account import Stage

URL = (
    "https://github.com/login/oauth/authorize?client_id=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback"
)


def flow(tmp_path: Any) -> SignIn:
    service = CopilotService(AppPaths.under(tmp_path))
    return SignIn(service.accounts, service.cli_config_file)


@pytest.mark.parametrize(
    ("step", "stage", "message"),
    [
        ({"kind": "open-url", "url": URL}, Stage.WAITING, ""),
        ({"kind": "open-url", "url": "https://evil.example/login"}, Stage.FAILED, words.BAD_URL),
        (
            {"kind": "error", "message": "request failed: error sending request"},
            Stage.FAILED,
            words.NO_NETWORK,
        ),
        ({"kind": "completed", "result": {"status": "declined"}}, Stage.FAILED, words.NOT_SAVED),
        ({"kind": "completed", "result": {"status": "completed", "login": "octocat"}}, Stage.DONE, ""),
        ({"kind": "input-required", "prompt": "GHE host"}, Stage.FAILED, ""),
    ],
)
def test_steps_become_stages(tmp_path: Any, step: dict[str, Any], stage: Stage, message: str) -> None:
    state = flow(tmp_path)._step(AuthLoginStep.from_dict(step))
    assert state.stage is stage
    if message:
        assert state.message == message
    if stage is Stage.DONE:
        assert state.login == "octocat"
    if stage is Stage.WAITING:
        assert state.url == URL


def test_the_keychain_question_names_the_clis_file(tmp_path: Any) -> None:
    sign_in = flow(tmp_path)
    state = sign_in._step(
        AuthLoginStep.from_dict({"kind": "completed", "result": {"status": "needs-plaintext-consent"}})
    )
    assert state.stage is Stage.CONSENT
    assert str(AppPaths.under(tmp_path).copilot_home / "config.json") in state.message


@pytest.mark.asyncio
async def test_cancel_before_anything_started_just_ends_it(tmp_path: Any) -> None:
    sign_in = flow(tmp_path)
    assert (await sign_in.cancel()).stage is Stage.CANCELLED
    assert (await sign_in.wait()).stage is Stage.CANCELLED  # nothing to wait for
