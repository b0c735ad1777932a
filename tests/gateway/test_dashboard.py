"""The impact dashboard against the real gateway and a real Redis: figures for a period are the
seeded counters, the period is checked, the CSV says what the page says, only supervisors get in,
and whatever a counter is called reaches the page escaped."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from helpline import keys
from helpline.appkeys import REDIS
from helpline.config import Settings
from helpline.dashboard import bench, charts, periods
from helpline.dashboard.figures import wait_histogram

from .conftest import gateway
from .test_staff import member

START = dt.date(2026, 3, 1)
END = dt.date(2026, 3, 3)
PERIOD = "from=2026-03-01&to=2026-03-03"


@pytest.fixture
async def client(settings: Settings, redis: Redis):
    client, _ = await gateway(settings)
    yield client
    await client.close()


async def seed(redis: Redis) -> None:
    """Three days of counters, a day just outside the period either side, and some waits."""
    days = {
        "2026-02-28": {"conversations": 1000, "messages": 1000, "topic:outside": 5},  # before the period
        "2026-03-01": {"conversations": 10, "conversations_out_of_hours": 2, "messages": 40, "risk:GREEN": 35,
                       "risk:AMBER": 4, "risk:RED": 1, "escalations": 3, "escalations:RED": 1,
                       "escalations:AMBER": 1, "escalations:ASKED": 1, "topic:bullying": 4, "topic:exams": 2,
                       "not_understood_conversations": 1, "resource:childline": 6, "resource:gone-away": 1,
                       "handler_messages": 12, "outcome:advice": 1, "outcome:ambulance": 1},
        "2026-03-03": {"conversations": 30, "conversations_out_of_hours": 3, "messages": 60, "risk:GREEN": 60,
                       "escalations": 1, "escalations:GREEN": 1, "topic:bullying": 1, "topic:<script>x</script>": 7,
                       "not_understood_conversations": 3, "resource:childline": 2, "handler_messages": 3,
                       "outcome:signposted": 1, "outcome:retired_outcome": 2},
        "2026-03-04": {"conversations": 1000},  # after the period
    }
    for day, counters in days.items():
        await redis.hset(keys.stats_day(day), mapping=counters)
    await redis.rpush(keys.stats_waits("2026-03-01"), 30, 90, 400)
    await redis.rpush(keys.stats_waits("2026-03-03"), 4000)
    await redis.rpush(keys.stats_waits("2026-03-04"), 1)  # outside


def figures_on_page(page: str) -> dict[tuple[str, str], str]:
    cells = re.findall(r'data-metric="([^"]*)" data-key="([^"]*)" data-value="([^"]*)"', page)
    return {(html.unescape(m), html.unescape(k)): html.unescape(v) for m, k, v in cells}


async def csv_of(client: TestClient, query: str = PERIOD) -> tuple[list[dict[str, str]], dict[str, str]]:
    async with client.get(f"/dashboard/export.csv?{query}") as resp:
        assert resp.status == 200, await resp.text()
        headers = dict(resp.headers)
        text = await resp.text()
    redis = client.server.app[REDIS]
    [(_, entry)] = await redis.xrevrange(keys.AUDIT, count=1)
    assert entry["kind"] == "figures_exported", "every download of the figures is in the audit log"
    return list(csv.DictReader(io.StringIO(text))), headers


async def test_the_figures_for_a_period_are_the_seeded_counters(client: TestClient, redis: Redis) -> None:
    await seed(redis)
    await member(redis, client, "sup1", "supervisor")
    async with client.get(f"/dashboard?{PERIOD}") as resp:
        assert resp.status == 200
        page = await resp.text()
        csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    shown = figures_on_page(page)
    expected = {
        ("period", "days"): "3", ("total", "conversations"): "40", ("total", "messages"): "100",
        ("total", "handler_messages"): "15", ("total", "escalations"): "4", ("total", "taken"): "4",
        ("total", "conversations_out_of_hours"): "5", ("total", "not_understood_conversations"): "4",
        ("share", "out_of_hours"): "0.125", ("share", "not_understood"): "0.1",
        ("wait_seconds", "median"): "245", ("wait_seconds", "p90"): "4000",
        ("wait_bucket", "lt1"): "1", ("wait_bucket", "1-5"): "1", ("wait_bucket", "5-15"): "1",
        ("wait_bucket", "15-30"): "0", ("wait_bucket", "30-60"): "0", ("wait_bucket", "gt60"): "1",
        ("risk", "RED"): "1", ("risk", "AMBER"): "4", ("risk", "GREEN"): "95",
        ("escalations", "RED"): "1", ("escalations", "AMBER"): "1", ("escalations", "GREEN"): "1",
        ("escalations", "ASKED"): "1",
        ("topic", "bullying"): "5", ("topic", "exams"): "2", ("topic", "<script>x</script>"): "7",
        ("outcome", "advice"): "1", ("outcome", "ambulance"): "1", ("outcome", "signposted"): "1",
        ("outcome", "police"): "0", ("outcome", "retired_outcome"): "2",
        ("resource", "childline"): "8", ("resource", "gone-away"): "1",
        ("conversations_per_day", "2026-03-01"): "10", ("conversations_per_day", "2026-03-02"): "0",
        ("conversations_per_day", "2026-03-03"): "30",
    }
    assert {key: shown.get(key) for key in expected} == expected
    assert ("topic", "outside") not in shown, "days outside the period are not counted"
    # Minutes and seconds, labels for outcomes, names for resources, the period in words.
    assert "4 min 5 s" in page and "66 min 40 s" in page
    assert "Ambulance called" in page and "Referral to the Integrated Front Door" in page
    assert "Childline" in page, "the resource's name from the content"
    assert "1 March 2026" in page and "3 March 2026" in page and "12.5%" in page
    # The three charts, each labelled, with bars, and a table of the same numbers.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 3
    for chart_id in ("chart-days", "chart-waits", "chart-topics"):
        assert f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"' in page
        assert f'<desc id="{chart_id}-desc">' in page
    assert page.count('<rect class="bar"') == 2 + 4 + 3  # days with any, non-empty bands, topics
    assert "<table" in page and 'href="/static/dashboard.css"' in page
    assert "style=" not in page and "<script" not in page.replace("&lt;script", "")


async def test_the_csv_has_the_same_figures_as_the_page(client: TestClient, redis: Redis) -> None:
    await seed(redis)
    await member(redis, client, "sup2", "supervisor")
    async with client.get(f"/dashboard?{PERIOD}") as resp:
        page = figures_on_page(await resp.text())
    rows, headers = await csv_of(client)
    assert headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="helpline-figures-2026-03-01-to-2026-03-03.csv"'
    assert list(rows[0]) == ["metric", "key", "label", "value"]
    in_csv = {(row["metric"], row["key"]): row["value"] for row in rows}
    assert len(in_csv) == len(rows), "one row per figure"
    assert in_csv[("period", "from")] == "2026-03-01" and in_csv[("period", "to")] == "2026-03-03"
    assert in_csv == page
    labels = {(row["metric"], row["key"]): row["label"] for row in rows}
    assert labels[("outcome", "front_door")] == "Referral to the Integrated Front Door"
    assert labels[("resource", "childline")] == "Childline" and labels[("resource", "gone-away")] == "gone-away"
    # An empty period: no waits gives empty cells, not made-up numbers.
    rows, _ = await csv_of(client, "from=2020-01-01&to=2020-01-31")
    empty = {(row["metric"], row["key"]): row["value"] for row in rows}
    assert empty[("total", "conversations")] == "0" and empty[("wait_seconds", "median")] == ""
    assert empty[("share", "out_of_hours")] == "" and len([k for k in empty if k[0] == "conversations_per_day"]) == 31


async def test_no_figure_holds_message_text(client: TestClient, redis: Redis) -> None:
    """The dashboard reads counters only: a conversation's words in Redis never reach it."""
    from helpline.conversations import ConversationStore, Message

    store = ConversationStore(redis, retention_seconds=3600)
    conversation_id, _ = await store.create()
    await store.append(conversation_id, Message(id="", role="young_person", text="my name is Jamie Example",
                                                client_id="c1"))
    await seed(redis)
    await member(redis, client, "sup3", "supervisor")
    async with client.get(f"/dashboard?{PERIOD}") as resp:
        page = await resp.text()
    rows, _ = await csv_of(client)
    assert "Jamie" not in page and "Jamie" not in str(rows) and conversation_id not in page


@pytest.mark.parametrize(("query", "message"), [
    ("from=2025-01-01&to=2026-03-01", "at most 400 days long; 2025-01-01 to 2026-03-01 is 425 days"),
    ("from=2025-01-25&to=2026-03-01", "2025-01-25 to 2026-03-01 is 401 days. Choose a shorter period."),
    ("from=2026-03-05&to=2026-03-01", "The “To” date is before the “From” date"),
    ("from=yesterday&to=2026-03-01", "The “From” date is not a date. Write it as YYYY-MM-DD"),
    ("from=2026-02-30", "The “From” date is not a date"),
    ("from=2026-03-01&to=%3Cscript%3E", "The “To” date is not a date"),
])
async def test_periods_too_long_backwards_or_not_dates_are_refused_clearly(
        client: TestClient, redis: Redis, query: str, message: str) -> None:
    await member(redis, client, "sup4", "supervisor")
    async with client.get(f"/dashboard?{query}") as resp:
        assert resp.status == 400
        page = await resp.text()
    assert message in html.unescape(page) and 'role="alert"' in page
    assert "<script>" not in page and '<form method="get" action="/dashboard"' in page, "the form to try again"
    async with client.get(f"/dashboard/export.csv?{query}") as resp:
        assert resp.status == 400 and message in await resp.text()
        assert "Content-Disposition" not in resp.headers


async def test_400_days_is_allowed_and_the_default_is_the_last_30(client: TestClient, redis: Redis) -> None:
    await member(redis, client, "sup5", "supervisor")
    async with client.get("/dashboard?from=2025-01-26&to=2026-03-01") as resp:
        assert resp.status == 200 and figures_on_page(await resp.text())[("period", "days")] == "400"
    today = periods.today()
    async with client.get("/dashboard") as resp:
        page = await resp.text()
    assert figures_on_page(page)[("period", "days")] == "30"
    assert f'name="to" type="date" value="{today.isoformat()}"' in page
    for label in ("Last 7 days", "Last 30 days", "This month", "Last month"):
        assert f">{label}</a>" in page


def test_presets_and_partial_periods() -> None:
    on = dt.date(2026, 3, 15)
    assert periods.presets(on) == [
        ("Last 7 days", dt.date(2026, 3, 9), on), ("Last 30 days", dt.date(2026, 2, 14), on),
        ("This month", dt.date(2026, 3, 1), on), ("Last month", dt.date(2026, 2, 1), dt.date(2026, 2, 28))]
    assert periods.presets(dt.date(2026, 1, 3))[3][1:] == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert periods.parse({}, on) == (dt.date(2026, 2, 14), on)
    assert periods.parse({"to": "2026-01-31"}, on) == (dt.date(2026, 1, 2), dt.date(2026, 1, 31))
    assert periods.parse({"from": "2026-03-10"}, on) == (dt.date(2026, 3, 10), on)
    with pytest.raises(periods.PeriodError):
        periods.parse({"to": "0001-01-02"}, on)


def test_waits_fall_in_their_bands() -> None:
    bands = dict((key, n) for key, _, n in wait_histogram([0, 59, 60, 299, 300, 899, 900, 1799, 1800, 3599, 3600,
                                                             99999, -3]))
    assert bands == {"lt1": 3, "1-5": 2, "5-15": 2, "15-30": 2, "30-60": 2, "gt60": 2}


def test_charts_escape_their_labels_and_say_what_they_show() -> None:
    svg = charts.rows("c", "Topics <b>", "desc & more", [("<script>", 3), ("ok", 1)], "answers")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Topics &lt;b&gt;" in svg
    assert 'role="img"' in svg and "style=" not in svg
    empty = charts.columns("e", "Nothing", "No waits.", [("a", 0)], "people")
    assert "Nothing to show" in empty and "<rect" not in empty


@pytest.mark.parametrize("role", ["handler", "editor"])
async def test_handlers_and_editors_may_not_see_the_dashboard(client: TestClient, redis: Redis, role: str) -> None:
    await member(redis, client, f"{role}9", role)
    for path in ("/dashboard", "/dashboard/", f"/dashboard?{PERIOD}", f"/dashboard/export.csv?{PERIOD}"):
        async with client.get(path, allow_redirects=False) as resp:
            assert resp.status == 403, path
            assert "Conversations per day" not in await resp.text()


async def test_nobody_signed_in_is_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/dashboard", "/dashboard/", f"/dashboard/export.csv?{PERIOD}"):
        async with client.get(path, allow_redirects=False) as resp:
            assert (resp.status, resp.headers.get("Location")) == (303, "/staff/login"), path


async def test_a_counter_named_with_html_is_escaped(client: TestClient, redis: Redis) -> None:
    nasty = '<script>alert(1)</script>'
    await redis.hset(keys.stats_day("2026-03-02"), mapping={
        "conversations": 1, f"topic:{nasty}": 3, 'resource:"><img src=x onerror=alert(1)>': 2,
        "outcome:<b>bold</b>": 1, "topic:=HYPERLINK(1)": 1})
    await member(redis, client, "sup6", "supervisor")
    async with client.get(f"/dashboard?{PERIOD}") as resp:
        page = await resp.text()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    rows, _ = await csv_of(client)
    keys_in_csv = {row["key"] for row in rows if row["metric"] == "topic"}
    assert keys_in_csv == {nasty, "'=HYPERLINK(1)"}, "a cell that looks like a formula is quoted"


async def test_supervisors_home_links_to_the_dashboard(client: TestClient, redis: Redis) -> None:
    await member(redis, client, "sup7", "supervisor")
    async with client.get("/staff/") as resp:
        assert 'href="/dashboard"' in await resp.text()


async def test_the_benchmark_refuses_a_redis_that_holds_any_helpline_key(redis: Redis, redis_url: str) -> None:
    """Not only figures: a live helpline with no figures yet (content, staff, the audit log) is
    refused too, so the benchmark never writes fake figures into it nor deletes any."""
    for key in (keys.content_resource("childline"), keys.AUDIT):
        await redis.flushdb()
        if key == keys.AUDIT:
            await redis.xadd(key, {"who": "boss", "kind": "login"})
        else:
            await redis.set(key, "{}")
        with pytest.raises(SystemExit, match="holds hl: keys"):
            await bench._with_url(redis_url, own=False)
        assert [k async for k in redis.scan_iter(match=f"{keys.PREFIX}:stats:*")] == [], "nothing written"
        assert await redis.dbsize() == 1
    assert "hl:" in (bench.__doc__ or "")
