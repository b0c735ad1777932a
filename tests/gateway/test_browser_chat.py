"""The chat page in a real browser (Debian's Chromium, headless) against the whole real stack.

What a young person does: reads the welcome, writes, sees their message sent and the bot's
answer, reloads and finds the conversation still there, then leaves with the quick exit (the
button, or Shift pressed three times) and finds nothing of the conversation when they return.

The quick exit goes to a neutral site; every request away from the gateway is answered here
with a tiny page, so the test needs no network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 15_000  # the bot answers within its deadline (3 s); this leaves room for a slow machine
RESUME_KEY = "helpline.resume"
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver "
                    "(the tests use Debian's Chromium, never `playwright install`)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A browser tab with everything that went wrong in it recorded."""

    page: Page
    gateway_url: str
    problems: list[str] = field(default_factory=list)

    def open_chat(self) -> None:
        self.page.goto(self.gateway_url + "/")
        expect(self.page.locator("#messages .msg--bot").first).to_be_visible(timeout=WAIT_MS)

    def token(self) -> Any:
        return self.page.evaluate(f"() => window.sessionStorage.getItem({RESUME_KEY!r})")

    def send(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name="Your message")
        box.fill(text)
        box.press("Enter")
        mine = self.page.locator("#messages .msg--young_person", has_text=text).last
        expect(mine).to_have_attribute("data-state", "sent", timeout=WAIT_MS)
        expect(box).to_have_value("")


@pytest.fixture
def tab(chromium: Browser, live_stack: Any) -> Iterator[Tab]:
    context: BrowserContext = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    gateway_url = live_stack.gateway_url.rstrip("/")
    result = Tab(page, gateway_url)

    def neutral_site(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    # The quick exit's neutral site (www.bbc.co.uk by default), and anything else off the gateway.
    page.route(lambda url: not url.startswith(gateway_url), neutral_site)
    page.on("dialog", lambda d: (result.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda exc: result.problems.append(f"page error: {exc}"))
    def console(msg: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico on its own; the page has none, and that 404 is harmless.
        if msg.type in ("error", "warning") and not msg.location.get("url", "").endswith("/favicon.ico"):
            result.problems.append(f"console {msg.type}: {msg.text}")

    page.on("console", console)
    try:
        yield result
    finally:
        context.close()
    # CSP violations (inline styles or scripts) and script errors show up as console errors.
    assert result.problems == []


def exit_url(tab: Tab) -> str:
    url = tab.page.locator('meta[name="quick-exit-url"]').get_attribute("content")
    assert url and url.startswith("https://"), url
    return url


def assert_left_for_good(tab: Tab, url: str, old_token: str) -> None:
    """The tab is on the neutral site, Back does not return to the chat, and the chat there
    now is a new, empty conversation."""
    tab.page.wait_for_url(lambda current: current == url, timeout=WAIT_MS)
    assert tab.page.url == url
    tab.page.go_back()
    assert not tab.page.url.startswith(tab.gateway_url), "Back returned to the chat"
    tab.open_chat()
    expect(tab.page.locator("#messages .msg--young_person")).to_have_count(0)
    token = tab.token()
    assert token and token != old_token


def test_chat_send_resume_and_quick_exit_button(tab: Tab) -> None:
    page = tab.page
    page.goto("https://www.bbc.co.uk/")  # somewhere to go Back to; answered by the route
    tab.open_chat()

    log = page.locator("#messages")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("main")).to_be_visible()
    exit_button = page.get_by_role("button", name="Exit this page")
    expect(exit_button).to_be_visible()
    token = tab.token()
    assert token
    # sessionStorage only: nothing in localStorage or cookies.
    assert page.evaluate("() => window.localStorage.length") == 0
    assert page.context.cookies() == []

    tab.send("hello")
    expect(log.locator(".msg--bot").nth(1)).to_be_visible(timeout=WAIT_MS)  # after the welcome, an answer

    # What a person types is text, never HTML.
    tab.send(XSS)
    expect(log.locator(".msg--young_person .msg__text").filter(has_text=XSS)).to_have_text(XSS)
    expect(log.locator("img")).to_have_count(0)

    # A reload resumes the same conversation.
    page.reload()
    expect(log.locator(".msg--young_person").filter(has_text="hello")).to_be_visible(timeout=WAIT_MS)
    expect(log.locator(".msg--young_person").filter(has_text=XSS)).to_have_attribute("data-state", "sent")
    expect(log.locator(".msg--young_person")).to_have_count(2)
    expect(log.locator("img")).to_have_count(0)
    assert tab.token() == token

    # The exit button stays on screen when the conversation is long enough to scroll.
    page.mouse.wheel(0, -10_000)
    expect(exit_button).to_be_in_viewport()

    url = exit_url(tab)
    exit_button.click()
    assert_left_for_good(tab, url, token)


def test_shift_three_times_exits(tab: Tab) -> None:
    page = tab.page
    page.goto("https://www.bbc.co.uk/")
    tab.open_chat()
    tab.send("people at school keep bullying me")
    token = tab.token()
    url = exit_url(tab)

    # Shift used for capitals or a new line does not count.
    box = page.get_by_role("textbox", name="Your message")
    box.press_sequentially("I Am OK")
    for _ in range(3):
        box.press("Shift+Enter")
    page.wait_for_timeout(300)
    assert page.url.startswith(tab.gateway_url)
    expect(box).to_have_value("I Am OK\n\n\n")
    box.fill("")

    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_for_good(tab, url, token)


def test_signposting_answer_shows_resource_cards(tab: Tab) -> None:
    page = tab.page
    tab.open_chat()
    tab.send("people at school keep bullying me")
    card = page.locator("#messages .resource").first
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card.locator(".resource__name")).not_to_be_empty()
    # Links the card has are the safe kinds only.
    for link in page.locator("#messages .resource a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith(("tel:", "sms:", "https://")), href
        if href.startswith("https://"):
            assert link.get_attribute("target") == "_blank"
            assert link.get_attribute("rel") == "noopener noreferrer"
