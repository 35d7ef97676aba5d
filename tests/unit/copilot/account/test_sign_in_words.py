"""What a sign-in says when it fails, and which pages the app agrees to open in the browser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.copilot.account import sign_in_words as words


def test_the_clis_messages_become_the_users_words() -> None:
    offline = (
        "JSON-RPC Error -32603: Request session.accounts.login.advance failed with message: GenericFailure, "
        "request failed: error sending request for url (https://github.com/login/oauth/access_token)"
    )
    assert words.failure_text(offline) == words.NO_NETWORK
    assert words.failure_text("bad_verification_code: The code passed is incorrect or expired.") == (
        words.CODE_REFUSED
    )
    assert words.failure_text("error=access_denied") == words.DENIED
    assert words.failure_text("something odd\nwith a second line") == "Signing in failed: something odd"
    assert words.failure_text("") == "Signing in failed: unknown error"


def test_only_githubs_own_https_pages_are_opened() -> None:
    assert words.is_sign_in_page("https://github.com/login/oauth/authorize?client_id=x&state=y")
    assert words.is_sign_in_page("https://octo.ghe.com/login/oauth/authorize")
    for url in (
        "http://github.com/login/oauth/authorize",
        "https://github.com.evil.example/login",
        "https://evil.example/?https://github.com/",
        "https://user@github.com/login",
        "https://github.com:8443/login",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://ghe.com.evil.example/",
        "",
    ):
        assert not words.is_sign_in_page(url), url


@given(st.text(max_size=200))
def test_any_text_is_judged_without_raising(url: str) -> None:
    assert isinstance(words.is_sign_in_page(url), bool)
    assert words.failure_text(url)


def test_the_consent_question_names_the_file_and_the_choice() -> None:
    text = words.consent_question("/home/me/.copilot/config.json")
    assert "/home/me/.copilot/config.json" in text and "not encrypted" in text
    assert "stay signed out" in text
