"""The impact dashboard in a real browser (Debian's Chromium, headless) against the real gateway
and a real Redis: a supervisor signs in, follows the link from the staff page, and sees the three
charts drawn (SVG bars on screen, each chart with an accessible name), changes the period with a
preset and with the form, and downloads the CSV. The page runs under the gateway's strict
Content-Security-Policy: an inline style or script would be a console error, and there are none.

The gateway runs in a thread with its own event loop (as in test_browser_console.py): Playwright's
sync API cannot share a thread with a running asyncio loop. Rasa points nowhere: the dashboard
reads only counters.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from redis import Redis as SyncRedis

from helpline import keys
from helpline.dashboard import periods

from .browser import PASSWORD, Gateway, chromium, threaded_gateway  # noqa: F401  (chromium: a fixture)

WAIT_MS = 10_000
T = TypeVar("T")


def seed_last_30_days(redis_url: str) -> None:
    """Counters for the last 30 days (what the dashboard shows first), and some waits."""
    rng = random.Random(7)
    today = periods.today()
    client = SyncRedis.from_url(redis_url, decode_responses=True)
    try:
        for back in range(30):
            day = (today - dt.timedelta(days=back)).isoformat()
            conversations = rng.randint(5, 40)
            client.hset(keys.stats_day(day), mapping={
                "conversations": conversations, "conversations_out_of_hours": conversations // 4,
                "messages": conversations * 6, "risk:GREEN": conversations * 5, "risk:AMBER": conversations // 2,
                "risk:RED": 1, "escalations": 3, "escalations:RED": 1, "escalations:ASKED": 2,
                "topic:bullying": rng.randint(1, 9), "topic:exam_stress": rng.randint(1, 5),
                "topic:<script>window.__pwned=1</script>": 1, "resource:childline": 4, "outcome:advice": 2,
                "not_understood_conversations": 2, "handler_messages": 10})
            client.rpush(keys.stats_waits(day), *(rng.choice([20, 45, 130, 400, 1000, 2500, 4000]) for _ in range(3)))
    finally:
        client.close()


@pytest.fixture(scope="module")
def gateway(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with threaded_gateway(redis_url, Path(tmp_path_factory.mktemp("dashboard")), prepare=seed_last_30_days) as server:
        yield server


def sign_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/staff/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/console/")


def expect_charts_drawn(page: Page) -> None:
    for name in ("Conversations per day", "What young people talked about (topics)",
                 "Time from escalation to a handler"):
        chart = page.get_by_role("img", name=name, exact=True)
        expect(chart).to_be_visible(timeout=WAIT_MS)
        bars = chart.locator("rect.bar")
        assert bars.count() > 0, name
        expect(bars.first).to_be_visible()
        box = bars.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, (name, box)
        assert chart.evaluate("svg => getComputedStyle(svg.querySelector('rect.bar')).fill") == "rgb(29, 79, 145)", \
            "dashboard.css was loaded and applied"


def test_a_supervisor_sees_the_charts_with_no_console_errors(chromium: Browser, gateway: Gateway) -> None:
    gateway.add_staff("sup-browser", "supervisor")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    try:
        sign_in(page, gateway.url, "sup-browser")

        def console(msg: ConsoleMessage) -> None:
            # CSP violations (inline styles or scripts) and script errors are console errors.
            if msg.type in ("error", "warning") and not msg.location.get("url", "").endswith("/favicon.ico"):
                problems.append(f"console {msg.type}: {msg.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))

        page.goto(gateway.url + "/staff/")
        page.get_by_role("link", name="Impact dashboard").click()
        page.wait_for_url(gateway.url + "/dashboard")
        expect(page.get_by_role("heading", name="Impact dashboard", level=1)).to_be_visible()
        expect_charts_drawn(page)
        # The same numbers as text: the per-day table (behind a disclosure) and the tiles.
        page.get_by_text("The numbers per day").click()
        expect(page.get_by_role("table", name="Conversations per day")).to_be_visible()
        expect(page.get_by_role("table", name="Waits by band")).to_be_visible()
        # A topic named like a script is only ever text.
        expect(page.get_by_role("rowheader", name="<script>window.__pwned=1</script>")).to_be_visible()
        assert page.evaluate("() => window.__pwned") is None

        page.get_by_role("link", name="Last 7 days").click()
        page.wait_for_url("**/dashboard?from=*")
        expect(page.locator('[data-metric="period"][data-key="days"]')).to_have_text("7")
        expect_charts_drawn(page)

        with page.expect_download() as download:
            page.get_by_role("link", name="Download these figures (CSV)").click()
        assert download.value.suggested_filename.startswith("helpline-figures-")
        assert download.value.suggested_filename.endswith(".csv")

        assert problems == []

        # Too long a period: refused on the page itself (a 400, which the browser reports once).
        page.get_by_label("From", exact=True).fill("2020-01-01")
        page.get_by_label("To", exact=True).fill(periods.today().isoformat())
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("alert")).to_contain_text("at most 400 days")
    finally:
        context.close()
    assert problems == ["console error: Failed to load resource: the server responded with a status of 400 (Bad Request)"]
