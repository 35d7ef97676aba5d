"""Removing a sign-in the CLI stored in its config file, for when its own sign-out cannot.

With no keychain, CLI 1.0.102 keeps a consented sign-in in ``<copilot home>/config.json``; its logout
then fails on the missing keychain ("No default store has been set") before it removes that entry, so
the user could never sign out. This removes the account's entries itself, only while that CLI process
is stopped (it writes the file back when it exits). The file is JSON after a header of ``//`` comment
lines, which are kept; anything else it does not recognise is left alone and reported as not done.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def split_header(text: str) -> tuple[str, str]:
    """(the ``//`` comment lines the CLI writes above the JSON, the JSON)."""
    lines = text.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith("//"):
        count += 1
    return "".join(lines[:count]), "".join(lines[count:])


def without_account(config: dict[str, Any], host: str, login: str) -> dict[str, Any]:
    """``config`` without the stored token and roster entries of ``login`` on ``host``."""
    prefix = f"{host}:{login}"
    result = dict(config)
    tokens = config.get("authTokens")
    if isinstance(tokens, dict):
        result["authTokens"] = {
            k: v for k, v in tokens.items() if not (k == prefix or str(k).startswith(prefix + ":"))
        }
    users = config.get("loggedInUsers")
    if isinstance(users, list):
        result["loggedInUsers"] = [
            u
            for u in users
            if not (isinstance(u, dict) and u.get("host") == host and u.get("login") == login)
        ]
    last = config.get("lastLoggedInUser")
    if isinstance(last, dict) and last.get("host") == host and last.get("login") == login:
        del result["lastLoggedInUser"]
    return result


def forget_stored_sign_in(config_file: Path, host: str, login: str) -> bool:
    """Remove ``login``'s stored sign-in from the CLI's config file; True when it was there and is gone."""
    try:
        header, body = split_header(config_file.read_text(encoding="utf-8"))
        config = json.loads(body)
    except (OSError, ValueError) as exc:
        log.info("The CLI's config file could not be read (%s): not changed", type(exc).__name__)
        return False
    if not isinstance(config, dict):
        return False
    updated = without_account(config, host, login)
    if updated == config:
        return False
    fd, temp = tempfile.mkstemp(prefix=".config-", dir=config_file.parent)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(header + json.dumps(updated, indent=2) + "\n")
        os.replace(temp, config_file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return True
