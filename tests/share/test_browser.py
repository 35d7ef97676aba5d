"""The live share page in a real browser: Debian's headless Chromium driven by Selenium.

Skipped when /usr/bin/chromium or /usr/bin/chromedriver is missing (``make setup`` installs both
through APT_PACKAGES). Both paths are given explicitly, so Selenium Manager never runs and nothing
is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
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
