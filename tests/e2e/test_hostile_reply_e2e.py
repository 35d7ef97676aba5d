"""A reply written to become markup becomes none: not in the window, the HTML export or the share page.

Real CLI, real SDK; the scripted model answers ``HOSTILE`` with attribute lists carrying HTML and
handlers, raw tags, unparsable and dangerous URLs and pathological nesting. The window stays alive
and takes the next prompt; the export and the share page, opened in headless Chromium, hold no live
tag or handler and navigate nowhere; the conversation reopens after a restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.html_format import export_html
from tests.chromium import HAVE_CHROMIUM, WHY_NOT, start_chromium
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio

LIVE_TAGS = {"img", "script", "iframe", "object", "embed", "meta", "link", "form", "input", "svg", "base"}
BAD_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")
END = "The hostile reply ends here."

# Every element under the root that could run, load or navigate: tags, on* handlers, dangerous URLs.
LIVE_MARKUP_JS = """
const found = [];
for (const el of document.querySelector(arguments[0]).querySelectorAll('*')) {
  const tag = el.tagName.toLowerCase();
  if (['img','script','iframe','object','embed','link','form','input','svg','base'].includes(tag)) {
    found.push(tag);
  }
  if (tag === 'meta' && el.hasAttribute('http-equiv')
      && el.getAttribute('http-equiv').toLowerCase() !== 'content-security-policy') {
    found.push('meta http-equiv=' + el.getAttribute('http-equiv'));
  }
  for (const attr of el.attributes) {
    const value = attr.value.trim().toLowerCase();
    if (attr.name.startsWith('on')) found.push(tag + ' ' + attr.name);
    if (['href','src','action','formaction'].includes(attr.name)
        && /^(javascript|data|file|vbscript):/.test(value)) found.push(tag + ' ' + attr.name + '=' + value);
  }
}
return found;
"""


class _LiveMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in LIVE_TAGS and not (
            tag == "meta" and (names.get("http-equiv") or "").lower() in ("", "content-security-policy")
        ):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith(BAD_SCHEMES):
                self.found.append(f"{tag} {name}={value}")


def live_markup(page: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not HAVE_CHROMIUM:
        pytest.skip(WHY_NOT)
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


def open_in(driver: Any, url: str, text: str, root: str) -> list[str]:
    """Load ``url``, wait for ``text`` to show, then list what is live under ``root`` (the page's
    own script and stylesheet are outside it); the page must not navigate."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: text in d.execute_script("return document.body.innerText"))
    found: list[str] = driver.execute_script(LIVE_MARKUP_JS, root)
    assert driver.current_url.rstrip("/") == url.rstrip("/"), "the page navigated away"
    return found


@pytest.mark.expected_warnings  # a render over budget is logged
async def test_a_hostile_reply_becomes_no_markup_anywhere(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path, browser: Any
) -> None:
    args = endpoint_args(model_server, tmp_path / "data")
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "HOSTILE", timeout=120)
        shown = window.view.toPlainText()
        assert END in shown and "attribute list on a fence" in shown and "deep quote" in shown
        assert live_markup(window.view.toHtml()) == []
        await ask(qtbot, window, "still there?")  # alive, and taking prompts
        assert "You said: still there?" in window.view.toPlainText()
        conversation = window.controller.conversation
        store = window.controller.store
        assert conversation is not None and store is not None

        exported = export_html(load_conversations(store, [conversation.id]))
        assert live_markup(exported) == []
        assert "Content-Security-Policy" in exported
        assert "copy:" not in exported and "tool:" not in exported
        page = tmp_path / "export.html"
        page.write_text(exported, encoding="utf-8")
        assert await asyncio.to_thread(open_in, browser, page.as_uri(), END, "body") == []

        window.toggle_share()
        url = window.live_share.url
        assert url
        try:
            assert await asyncio.to_thread(open_in, browser, url, END, "#conversation") == []
        finally:
            window.share_bar.stop_button.click()

    async with running_app(*args) as window:  # the conversation reopens after a restart
        qtbot.addWidget(window)
        window.open_conversation(conversation.id)
        await wait_until(lambda: "You said: still there?" in window.view.toPlainText(), timeout=30)
        assert END in window.view.toPlainText()
        assert live_markup(window.view.toHtml()) == []
