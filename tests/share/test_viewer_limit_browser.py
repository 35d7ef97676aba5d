"""A full share, in a real browser: the page says why it is not showing the conversation."""

from __future__ import annotations

from typing import Any

from desktop_app.core.share import ShareServer
from desktop_app.core.share.viewers import full_reason
from tests.share.test_browser import browser, console_errors, page, pytestmark, wait_text

__all__ = ["browser", "page", "pytestmark"]  # the fixtures and the skip, used by pytest


def test_a_full_share_says_so_on_the_page(page: Any) -> None:
    from selenium.webdriver.common.by import By

    server = ShareServer("Full", max_viewers=0)  # every viewer is the one too many
    server.set_conversation("Full", [("user", "not for this viewer")])
    try:
        page.get(server.start())
        wait_text(page, "#status", "viewers, its limit")
        status = page.find_element(By.ID, "status")
        assert status.text == full_reason(0).decode()
        assert status.get_attribute("data-state") == "full"
        assert "not for this viewer" not in page.find_element(By.TAG_NAME, "body").text
        assert server.viewer_count == 0
        assert console_errors(page) == []
    finally:
        server.stop()
