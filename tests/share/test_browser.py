"""The live share page in a real browser: Debian's headless Chromium driven by Selenium.

Skipped when /usr/bin/chromium or /usr/bin/chromedriver is missing (``make setup`` installs both
through APT_PACKAGES). Both paths are given explicitly, so Selenium Manager never runs and nothing
is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.share import ShareServer
from tests.chromium import HAVE_CHROMIUM, WHY_NOT, start_chromium

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=WHY_NOT)

REPLY = [
    "Here is **bold",
    "** text.\n\n",
    "<script>alert(1)</script>\n\n",
    "| col | val |\n|---|---|\n| a | 1 |\n\n",
    "```python\nprint('hi')\n",
    "```\n\nDone.\n",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any) -> Any:
    """The browser, with the console log of earlier tests (a 404 on purpose, say) read away."""
    browser.get_log("browser")
    return browser


def wait_for(driver: Any, css: str, timeout: float = 15) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def wait_text(driver: Any, css: str, text: str, timeout: float = 15) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
    )


def console_errors(driver: Any) -> list[str]:
    """What the page logged as errors (CSP violations would show here), the favicon's 404 aside."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]


def test_the_page_streams_a_reply_rendered_with_the_script_shown_as_text(page: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    server = ShareServer("Browser test")
    server.set_conversation("Browser <test>", [("user", "Say <b>hi</b>")])
    try:
        page.get(server.start())
        wait_text(page, "#status", "Live")
        assert page.title == "Browser <test>"
        assert page.find_element(By.CSS_SELECTOR, "article.user .body").text == "Say <b>hi</b>"
        assert server.viewer_count == 1

        server.begin_reply()
        server.reply_delta(REPLY[0])
        streaming = wait_for(page, 'article.assistant[data-done="false"]')
        wait_text(page, "#announcer", "Copilot is replying")
        for delta in REPLY[1:]:
            time.sleep(0.1)
            server.reply_delta(delta)
        server.end_reply()
        wait_for(page, 'article.assistant[data-done="true"]')

        assert streaming.get_attribute("data-done") == "true"  # the same element, now complete
        body = streaming.find_element(By.CSS_SELECTOR, ".body")
        assert body.find_element(By.TAG_NAME, "strong").text == "bold"
        assert "print('hi')" in body.find_element(By.CSS_SELECTOR, "pre code").text
        assert body.find_element(By.CSS_SELECTOR, "table td").text == "a"
        assert "<script>alert(1)</script>" in body.text  # shown as text, not run
        assert len(page.find_elements(By.TAG_NAME, "script")) == 1  # only page.js
        assert not body.find_elements(By.TAG_NAME, "script")
        with pytest.raises(NoAlertPresentException):
            page.switch_to.alert  # noqa: B018
        assert "Reply complete" in streaming.find_element(By.CSS_SELECTOR, ".marker").text
        wait_text(page, "#announcer", "Reply complete")
        assert page.find_element(By.ID, "announcer").get_attribute("aria-live") == "polite"
        assert console_errors(page) == []
    finally:
        server.stop()


def test_a_wrong_token_shows_no_conversation(page: Any) -> None:
    from selenium.webdriver.common.by import By

    server = ShareServer("Secret")
    server.set_conversation("Secret", [("user", "private words")])
    try:
        url = server.start()
        page.get(url.rsplit("/", 1)[0] + "/" + "x" * 32)
        body = page.find_element(By.TAG_NAME, "body").text
        assert "404" in body and "private words" not in body
        assert not page.find_elements(By.ID, "conversation")
        assert server.viewer_count == 0
    finally:
        server.stop()


def test_the_page_reconnects_after_a_drop_and_stops_when_sharing_ends(page: Any) -> None:
    from selenium.webdriver.common.by import By

    # A queue limit of 0 cuts every viewer at its next update: the page must reconnect by itself.
    server = ShareServer("Reconnect", queue_limit=0)
    server.set_conversation("Reconnect", [("user", "before the drop")])
    try:
        page.get(server.start())
        wait_text(page, "#status", "Live")
        server.add_notice("after the drop")
        wait_text(page, "#announcer", "Connection lost, reconnecting")
        wait_text(page, "article.notice .body", "after the drop")  # from the fresh snapshot
        wait_text(page, "#status", "Live")
        assert [e.text for e in page.find_elements(By.CSS_SELECTOR, "article .body")] == [
            "before the drop",
            "after the drop",
        ]

        server.stop()
        wait_text(page, "#status", "Sharing has ended")
        assert page.find_element(By.ID, "status").get_attribute("data-state") == "ended"

        page.get(server.start())  # sharing again: a new URL, the same conversation
        wait_text(page, "#status", "Live")
        wait_text(page, "article.notice .body", "after the drop")
        assert console_errors(page) == []
    finally:
        server.stop()


HOSTILE = (
    '```{#x .y data-a="<img src=x onerror=alert(1)>"}\nhi\n```\n\n'
    '<meta http-equiv="refresh" content="0;url=https://example.invalid/">\n\n'
    "See [the host](http://[host]/x) and [ok](https://example.com/).\n\n"
    + "[" * 2000
    + "\n\n"
    + "> " * 200
    + "deep\n\n<img src=/dev/zero onerror=alert(2)> The end.\n"
)
LIVE = "img, iframe, object, embed, meta[http-equiv='refresh'], [onerror], [onclick], [onload], [id='x']"


def assert_inert(driver: Any, url: str) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    time.sleep(1.0)  # a refresh would have navigated by now
    assert driver.current_url == url
    assert driver.find_elements(By.CSS_SELECTOR, LIVE) == []
    assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='copy:'], a[href^='javascript:']")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018


def test_a_hostile_reply_on_the_page_is_inert_text(page: Any) -> None:
    from selenium.webdriver.common.by import By

    server = ShareServer("Hostile")
    server.set_conversation("Hostile", [("user", "Be hostile")])
    try:
        url = server.start()
        page.get(url)
        wait_text(page, "#status", "Live")
        server.begin_reply()
        for start in range(0, len(HOSTILE), 500):
            server.reply_delta(HOSTILE[start : start + 500])
            time.sleep(0.05)
        server.end_reply()
        wait_for(page, 'article.assistant[data-done="true"]')
        body = page.find_element(By.CSS_SELECTOR, "article.assistant .body")
        assert "The end." in body.text and "<img src=/dev/zero" in body.text
        assert body.find_element(By.CSS_SELECTOR, "a[href='https://example.com/']").text == "ok"
        assert_inert(page, url)
        assert console_errors(page) == []  # no inline style or anything else the CSP refuses
    finally:
        server.stop()


def test_a_hostile_export_opens_inert_and_prints(page: Any, tmp_path: Path) -> None:
    import base64

    from selenium.webdriver.common.by import By

    from desktop_app.core.storage.exchange.html_format import export_html
    from desktop_app.core.storage.models import Conversation, ConversationWithMessages, Message, Role

    conversation = Conversation(id="c", title="<img src=x onerror=alert(3)>", created_at=0, updated_at=0)
    messages = [
        Message("u", "c", 1, Role.USER, "<script>alert(4)</script>", 0.0, 0.0),
        Message("a", "c", 2, Role.ASSISTANT, HOSTILE, 0.0, 0.0),
    ]
    path = tmp_path / "export.html"
    path.write_text(export_html([ConversationWithMessages(conversation, messages)]), encoding="utf-8")
    url = path.as_uri()
    page.get(url)
    assert "The end." in page.find_element(By.TAG_NAME, "body").text
    assert len(page.find_elements(By.CSS_SELECTOR, "meta[http-equiv='Content-Security-Policy']")) == 1
    assert page.find_elements(By.TAG_NAME, "script") == []
    assert_inert(page, url)
    assert console_errors(page) == []
    pdf = base64.b64decode(page.print_page())
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
