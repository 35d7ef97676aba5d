"""What a failed or unusual sign-in says, in the user's words. The CLI's messages are technical and are
not markup: they are only ever shown as plain text."""

from __future__ import annotations

import ada_url

SIGN_IN_TIMEOUT_S = 600  # a browser left open this long is given up: the CLI's loopback page closes

NO_NETWORK = (
    "Could not reach GitHub to finish signing in. Check your internet connection (and proxy), then try again."
)
CODE_REFUSED = "GitHub did not accept the sign-in: the code was wrong or had expired. Try again."
DENIED = "The sign-in was not allowed on GitHub."
NOT_SAVED = (
    "You are not signed in: the sign-in was not saved. Sign in again and allow it to be saved, or "
    "use a model endpoint."
)
TIMED_OUT = (
    f"The sign-in timed out: nothing came back from the browser within {SIGN_IN_TIMEOUT_S // 60} "
    "minutes. Try again."
)
BAD_URL = "The Copilot CLI offered a sign-in page that is not on GitHub, so it was not opened."


def failure_text(message: str) -> str:
    """A failed ``accounts.login`` call's message as the window says it."""
    lowered = message.lower()
    if "error sending request" in lowered or "request failed" in lowered or "network" in lowered:
        return NO_NETWORK
    if "bad_verification_code" in lowered or "incorrect or expired" in lowered:
        return CODE_REFUSED
    if "access_denied" in lowered or "denied" in lowered:
        return DENIED
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return f"Signing in failed: {first_line[:300]}"


def is_sign_in_page(url: str) -> bool:
    """Only an https page on github.com (or a GitHub Enterprise Cloud host, ``*.ghe.com``) is opened:
    the URL comes from the CLI, and a browser opened elsewhere is where phishing starts. Parsed the
    WHATWG way (``ada_url``), as a browser would."""
    if not ada_url.check_url(url):
        return False
    parsed = ada_url.URL(url)
    host = parsed.hostname.lower()
    return (
        parsed.protocol == "https:"
        and not parsed.username
        and not parsed.password
        and parsed.port in ("", "443")
        and (host == "github.com" or host.endswith(".ghe.com"))
    )


def consent_question(config_file: str) -> str:
    return (
        "This computer has no keychain the Copilot CLI can use. To stay signed in it would save the "
        f"sign-in in {config_file}, a file only you can read but not encrypted. Save it?\n"
        "If you do not, you stay signed out."
    )
