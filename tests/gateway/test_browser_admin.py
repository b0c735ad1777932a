"""The content editor in a real browser (Debian's Chromium, headless) against the real gateway
and a real Redis: an editor signs in, finds a service on the first screen, changes its phone
number, previews it as a young person would see it in the chat, and saves it. The pages need no
script, and the strict Content-Security-Policy reports nothing.

The gateway runs in a thread with its own event loop (Playwright's sync API cannot share a
thread with a running asyncio loop); Rasa points nowhere, the editor needs no bot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from redis import Redis as SyncRedis

from helpline import keys

from .browser import PASSWORD, Gateway, chromium, threaded_gateway  # noqa: F401  (chromium: a fixture)

WAIT_MS = 10_000
NEW_NUMBER = "0800 111 2222"
T = TypeVar("T")


@pytest.fixture(scope="module")
def gateway(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with threaded_gateway(redis_url, Path(tmp_path_factory.mktemp("admin"))) as server:
        yield server


@pytest.fixture
def page(chromium: Browser, gateway: Gateway) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.route(lambda url: not url.startswith(gateway.url), lambda route: route.abort())
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def console(msg: ConsoleMessage) -> None:
        # A CSP violation (an inline style or script) shows up as a console error.
        if msg.type in ("error", "warning") and not msg.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console {msg.type}: {msg.text}")

    page.on("console", console)
    try:
        yield page
    finally:
        context.close()
    assert problems == []


def test_an_editor_changes_a_phone_number_and_sees_it_as_a_young_person_would(page: Page, gateway: Gateway) -> None:
    gateway.add_staff("eddie", "editor")
    page.goto(gateway.url + "/staff/login")
    page.get_by_label("Name").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(gateway.url + "/admin/")  # an editor starts at the content
    expect(page.get_by_role("heading", name="Needs a look")).to_be_visible()
    page.get_by_role("searchbox", name="Words").fill("childline")
    page.get_by_role("button", name="Find").click()
    page.locator("table.results").get_by_role("link", name="Childline", exact=True).click()
    expect(page.get_by_role("heading", name="Edit: Childline")).to_be_visible()

    card = page.locator(".chat-preview .resource[data-resource-id='childline']")
    expect(card.locator(".resource__actions a").first).to_have_text("Call 0800 1111 (Childline)")
    # Drawn by the chat's own style sheet: the card's brand edge and the "Open now" badge.
    edge = card.evaluate("el => getComputedStyle(el).borderLeftWidth")
    assert edge != "0px", edge
    expect(card.locator(".resource__open")).to_have_text("Open now")

    page.get_by_label("Phone number").fill(NEW_NUMBER)
    page.get_by_label("Name", exact=True).fill("Childline <img src=x onerror=window.__pwned=1>")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Not saved yet: this is how it will look.")).to_be_visible()
    preview = page.locator(".chat-preview .resource[data-resource-id='childline']")
    expect(preview.locator(".resource__name")).to_have_text("Childline <img src=x onerror=window.__pwned=1>")
    expect(preview.locator(".resource__actions a").first).to_have_attribute("href", "tel:08001112222")
    assert page.evaluate("() => window.__pwned") is None
    redis = SyncRedis.from_url(gateway.settings.redis_url, decode_responses=True)
    try:
        assert json.loads(redis.get(keys.content_resource("childline")))["phone"] == "0800 1111", "a preview saves nothing"

        page.get_by_label("Name", exact=True).fill("Childline")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved as version 2. It is live now")).to_be_visible()
        expect(page.locator(".chat-preview .resource__actions a").first).to_have_text(f"Call {NEW_NUMBER} (Childline)")
        assert json.loads(redis.get(keys.content_resource("childline")))["phone"] == NEW_NUMBER

        page.get_by_role("link", name="History").click()
        expect(page.get_by_role("cell", name="eddie")).to_be_visible()
        page.get_by_role("link", name="What changed").first.click()
        expect(page.get_by_role("row", name=f"Phone number 0800 1111 {NEW_NUMBER}")).to_be_visible()
    finally:
        redis.close()
