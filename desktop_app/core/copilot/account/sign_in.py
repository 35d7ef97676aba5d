"""One sign-in through the CLI's own browser flow (``accounts.login.begin/advance/cancel``).

``begin`` returns GitHub's authorize page; the app opens it in the system browser. The CLI listens on a
127.0.0.1 port for GitHub's redirect, exchanges the code and checks the account; ``advance`` returns
when it has. Where the system has no keychain the CLI asks first whether it may keep the sign-in in its
config file (``needs-plaintext-consent``): the user answers, never the app. Each stage is a
``SignInState`` the window shows; a failure says what happened in the user's words.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from desktop_app.core.copilot.account import sign_in_words as words
from desktop_app.core.copilot.account.desk import AccountDesk
from desktop_app.core.vocabulary.account import SignInState, Stage
from desktop_app.core.vocabulary.copilot_errors import describe_error

log = logging.getLogger(__name__)

ALLOW_PLAINTEXT = "allow"  # the CLI's word for "yes, keep it in the config file"
DECLINE_PLAINTEXT = "deny"  # anything else declines


class SignIn:
    """One attempt; ``start`` then ``wait`` (and ``consent`` when asked), or ``cancel`` at any time."""

    def __init__(self, desk: AccountDesk, config_file: str) -> None:
        self._desk = desk
        self._host = desk.host  # the flow runs on the desk's utility session
        self._config_file = config_file
        self._api: Any = None
        self._flow_id = ""
        self.state = SignInState(Stage.STARTING)

    async def start(self) -> SignInState:
        """Ask the CLI for GitHub's authorize page: WAITING with its ``url``, or FAILED."""
        from copilot.generated import rpc as wire

        try:
            self._api = await self._desk.rpc()
            begun = await self._host.call(
                self._api.accounts.login.begin(
                    wire.AuthLoginBeginRequest(kind=wire.LoginProviderKind.GITHUB_DOT_COM)
                )
            )
        except Exception as exc:
            log.info("Sign-in could not start: %s", describe_error(exc), exc_info=True)
            return self._set(SignInState(Stage.FAILED, message=words.failure_text(describe_error(exc))))
        self._flow_id = str(begun.flow_id)
        return self._step(begun.step)

    async def wait(self, timeout: float = words.SIGN_IN_TIMEOUT_S) -> SignInState:
        """Until GitHub's redirect reached the CLI (DONE or CONSENT), it failed, or ``timeout``."""
        return await self._advance(None, timeout)

    async def consent(self, allow: bool) -> SignInState:
        """The user's answer to CONSENT: allowed, the CLI keeps the sign-in; declined, none is kept."""
        return await self._advance(ALLOW_PLAINTEXT if allow else DECLINE_PLAINTEXT, 60)

    async def cancel(self) -> SignInState:
        """End the flow (the CLI closes its loopback port)."""
        if not self.state.finished:
            self._set(SignInState(Stage.CANCELLED))
        await self._cancel_in_cli()
        return self.state

    async def _advance(self, answer: str | None, timeout: float) -> SignInState:
        from copilot.generated import rpc as wire

        if self.state.finished or not self._flow_id:
            return self.state
        request = wire.AuthLoginAdvanceRequest(flow_id=self._flow_id, input=answer)
        try:
            step = await asyncio.wait_for(self._host.call(self._api.accounts.login.advance(request)), timeout)
        except TimeoutError:
            await self._cancel_in_cli()
            return self._set(SignInState(Stage.FAILED, message=words.TIMED_OUT))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.state.stage is Stage.CANCELLED:
                return self.state
            log.info("Sign-in failed: %s", describe_error(exc))
            return self._set(SignInState(Stage.FAILED, message=words.failure_text(describe_error(exc))))
        if self.state.stage is Stage.CANCELLED:  # cancelled while the CLI was answering
            return self.state
        state = self._step(step)
        if state.stage is Stage.DONE:
            await self._desk.refresh()
        return state

    def _step(self, step: Any) -> SignInState:
        kind = getattr(getattr(step, "kind", None), "value", "")
        result = getattr(step, "result", None)
        status = getattr(getattr(result, "status", None), "value", "")
        if kind == "open-url":
            url = str(getattr(step, "url", "") or "")
            if not words.is_sign_in_page(url):
                return self._set(SignInState(Stage.FAILED, message=words.BAD_URL))
            return self._set(SignInState(Stage.WAITING, url=url))
        if kind == "awaiting":
            return self._set(SignInState(Stage.WAITING, url=self.state.url))
        if kind == "error":
            message = str(getattr(step, "message", "") or "")
            return self._set(SignInState(Stage.FAILED, message=words.failure_text(message)))
        if status == "needs-plaintext-consent":
            question = words.consent_question(self._config_file)
            return self._set(SignInState(Stage.CONSENT, url=self.state.url, message=question))
        if status == "completed":
            return self._set(SignInState(Stage.DONE, login=str(getattr(result, "login", "") or "")))
        if status == "declined":
            return self._set(SignInState(Stage.FAILED, message=words.NOT_SAVED))
        # input-required (a GHE host), needs-interaction (Entra), account selection: not offered here
        return self._set(
            SignInState(Stage.FAILED, message=f"Signing in failed: the CLI asked for '{kind or status}'.")
        )

    async def _cancel_in_cli(self) -> None:
        from copilot.generated import rpc as wire

        if self._api is None or not self._flow_id:
            return
        flow_id, self._flow_id = self._flow_id, ""
        with contextlib.suppress(Exception):
            await self._host.call(
                self._api.accounts.login.cancel(wire.AuthLoginCancelRequest(flow_id=flow_id))
            )

    def _set(self, state: SignInState) -> SignInState:
        self.state = state
        return state
