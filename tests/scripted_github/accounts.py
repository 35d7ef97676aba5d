"""The scripted GitHub's state: its accounts, the browser's next answer, the codes it handed out and
every request it was sent. One lock guards it all: the server's thread writes, the test's reads.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

GITHUB_HOST = "github.com"  # the host part of the CLI's account keys ("github.com:octocat")


@dataclass
class ScriptedAccount:
    """A GitHub user with Copilot. ``plan`` is what ``copilot_internal/user`` says as ``copilot_plan``
    (the CLI reads "individual" as the Pro tier); premium requests are counted in ``premium_used``."""

    login: str
    plan: str = "individual"
    premium_entitlement: int = 300
    premium_used: float = 0.0
    overage_permitted: bool = False
    token: str = ""
    user_id: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        self.token = self.token or f"gho_scripted_{self.login}_{secrets.token_hex(6)}"
        self.user_id = self.user_id or 1000 + int.from_bytes(hashlib.sha256(self.login.encode()).digest()[:2])
        self.name = self.name or self.login.capitalize()

    @property
    def premium_remaining(self) -> float:
        return max(0.0, self.premium_entitlement - self.premium_used)

    @property
    def exhausted(self) -> bool:
        """No premium requests left, and no overage allowed: premium models are refused (402)."""
        return self.premium_remaining <= 0 and not self.overage_permitted


@dataclass(frozen=True)
class LoggedRequest:
    """One request the scripted GitHub answered. ``login`` is whose token it carried (None: none or an
    unknown one); ``body`` is the parsed JSON body (the token exchange's form, without its secrets),
    else None."""

    method: str
    host: str
    path: str
    query: str
    login: str | None
    status: int
    headers: dict[str, str]
    body: Any = None


@dataclass(frozen=True)
class IssuedCode:
    """An OAuth code handed to the CLI's redirect, until it is exchanged once."""

    login: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    scope: str


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: ``challenge`` is the unpadded base64url SHA-256 of ``verifier``."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def next_reset(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first of next month, 00:00 UTC: when GitHub resets premium requests."""
    now = now or datetime.datetime.now(datetime.UTC)
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime.datetime(year, month, 1, tzinfo=datetime.UTC)


@dataclass
class GitHubState:
    """Everything the handlers read and write, behind ``lock``."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts: dict[str, ScriptedAccount] = field(default_factory=dict)
    approve_login: str | None = None
    deny_count: int = 0
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    log: list[LoggedRequest] = field(default_factory=list)

    def add(self, account: ScriptedAccount) -> ScriptedAccount:
        with self.lock:
            self.accounts[account.login] = account
            if self.approve_login is None:
                self.approve_login = account.login
            return account

    def by_token(self, authorization: str | None) -> ScriptedAccount | None:
        """The account a ``Bearer``/``token`` header belongs to (GitHub takes both spellings)."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() not in ("bearer", "token") or not token:
            return None
        with self.lock:
            return next((a for a in self.accounts.values() if a.token == token.strip()), None)

    def issue_code(self, issued: IssuedCode) -> str:
        code = secrets.token_hex(10)
        with self.lock:
            self.codes[code] = issued
        return code

    def redeem(self, code: str) -> IssuedCode | None:
        """A code is good once, as GitHub's are."""
        with self.lock:
            return self.codes.pop(code, None)

    def take_denial(self) -> bool:
        with self.lock:
            if self.deny_count <= 0:
                return False
            self.deny_count -= 1
            return True

    def record(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.log.append(entry)
