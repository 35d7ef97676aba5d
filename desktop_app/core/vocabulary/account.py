"""The user's GitHub account as the window shows it, and the stages of signing in. No Qt, no SDK:
widgets read these; ``core.copilot.account`` produces them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PLAN_NAMES = {
    "free": "Free",
    "pro": "Pro",
    "pro_plus": "Pro+",
    "max": "Max",
    "business": "Business",
    "enterprise": "Enterprise",
    "edu": "Education",
}


@dataclass(frozen=True)
class Account:
    """One GitHub account the CLI holds a sign-in for (``selection_id`` is the CLI's opaque handle)."""

    login: str
    host: str
    active: bool
    selection_id: str

    @property
    def label(self) -> str:
        host = self.host.removeprefix("https://").removesuffix("/")
        return self.login if host in ("", "github.com") else f"{self.login} ({host})"


@dataclass(frozen=True)
class AccountState:
    """What the status bar and About show: the active account (None: signed out) and its plan."""

    account: Account | None = None
    plan: str = ""
    others: tuple[Account, ...] = ()

    @property
    def signed_in(self) -> bool:
        return self.account is not None


SIGNED_OUT = AccountState()


class Stage(StrEnum):
    STARTING = "starting"  # asking the CLI for GitHub's page
    WAITING = "waiting"  # the browser is open at ``url``; waiting for GitHub's redirect
    CONSENT = "consent"  # no keychain: may the CLI keep the sign-in in a file?
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class SignInState:
    stage: Stage
    url: str = ""
    message: str = ""
    login: str = ""

    @property
    def finished(self) -> bool:
        return self.stage in (Stage.DONE, Stage.FAILED, Stage.CANCELLED)
