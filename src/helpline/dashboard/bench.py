"""`helpline bench-dashboard` (or `python -m helpline.dashboard.bench`): how fast the dashboard is
with 400 days of realistic counters.

Fills a Redis with 400 days of per-day counters and waits (about what a busy helpline would
count: 20-150 conversations a day, ~20 topics, ~30 resources, every outcome and level), then
times metrics.period() and the page render (figures, charts, HTML) and the CSV for 7, 30 and
400 days, and prints the figures. A benchmark that prints, not a test.

By default it starts a private redis-server of its own on a free port and throws it away after,
so a real helpline's figures are never touched. With --redis-url it uses that Redis instead,
but only if the Redis holds no key at all under the helpline's prefix ("hl:": figures, content,
conversations, staff, audit log), so it can never write fake figures into a live helpline or
delete real ones; it deletes what it wrote when done.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from .. import embedded_redis, keys, metrics
from ..config import Settings
from ..content import store as content_store
from ..handoff import OUTCOMES
from ..stack import free_port
from ..staff import pages
from . import figures as dashboard_figures
from . import periods, render, views

DAYS = metrics.MAX_DAYS
TOPICS = ["bullying", "exam_stress", "family", "friends", "self_harm", "suicidal_thoughts", "abuse", "neglect",
          "online_safety", "body_image", "eating", "sexuality", "gender", "loneliness", "anxiety", "low_mood",
          "drugs_alcohol", "money", "school", "not_understood", "offer_person", "out_of_hours"]
ROUNDS = 7


async def fill(redis: Redis, days: int = DAYS, end: dt.date | None = None, seed: int = 1) -> int:
    """Counters and waits for ``days`` days up to ``end`` (today), as the gateway would count them.
    Returns how many keys were written."""
    rng = random.Random(seed)
    end = end or periods.today()
    resource_ids = [r["id"] for r in content_store.load_seed(Settings().content_dir)[0]] or [f"r{i}" for i in range(30)]
    written = 0
    async with redis.pipeline(transaction=False) as pipe:
        for back in range(days):
            day = end - dt.timedelta(days=back)
            weekend = day.weekday() >= 5
            conversations = rng.randint(20, 150) // (2 if weekend else 1) + 1
            messages = conversations * rng.randint(5, 12)
            red, amber = rng.randint(0, max(1, messages // 100)), rng.randint(1, max(2, messages // 25))
            escalations = {"RED": rng.randint(0, max(1, conversations // 20)),
                           "AMBER": rng.randint(0, max(1, conversations // 8)),
                           "GREEN": rng.randint(0, 3), "ASKED": rng.randint(0, max(1, conversations // 6))}
            counters: dict[str, int] = {
                "conversations": conversations,
                "conversations_out_of_hours": rng.randint(0, conversations // 2),
                "messages": messages, "risk:RED": red, "risk:AMBER": amber, "risk:GREEN": messages - red - amber,
                "escalations": sum(escalations.values()),
                "not_understood_conversations": rng.randint(0, conversations // 5),
                "handler_messages": sum(escalations.values()) * rng.randint(4, 15),
            }
            counters.update({f"escalations:{level}": n for level, n in escalations.items() if n})
            counters.update({f"topic:{t}": rng.randint(1, conversations) for t in rng.sample(TOPICS, rng.randint(8, 18))})
            counters.update({f"resource:{r}": rng.randint(1, conversations)
                             for r in rng.sample(resource_ids, min(len(resource_ids), rng.randint(10, 30)))})
            taken = max(0, sum(escalations.values()) - rng.randint(0, 2))
            for _ in range(taken):
                outcome = rng.choice(list(OUTCOMES))
                counters[f"outcome:{outcome}"] = counters.get(f"outcome:{outcome}", 0) + 1
            pipe.hset(keys.stats_day(day.isoformat()), mapping=counters)
            written += 1
            if taken:
                pipe.rpush(keys.stats_waits(day.isoformat()),
                           *(int(rng.lognormvariate(5.3, 1.1)) for _ in range(taken)))  # median ~3 min, long tail
                written += 1
        await pipe.execute()
    return written


async def _timed(make: Callable[[], Awaitable[Any]] | Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, Any]:
    """The median of several runs, in milliseconds, and the last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = make()
        if asyncio.iscoroutine(result):
            result = await result
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


async def measure(redis: Redis, end: dt.date | None = None) -> list[dict[str, Any]]:
    """For 7, 30 and 400 days up to ``end``: the median time of metrics.period() (one pipelined
    read), of loading the figures (that plus resource names), of rendering the page and of
    writing the CSV; and the page's size."""
    end = end or periods.today()
    results = []
    for days in (7, 30, DAYS):
        start = end - dt.timedelta(days=days - 1)
        period_ms, _ = await _timed(lambda: metrics.period(redis, start, end))
        load_ms, figures = await _timed(lambda: dashboard_figures.load(redis, start, end))
        render_ms, page = await _timed(lambda: pages.render(views.TITLE, render.body(figures, end), signed_in_as="bench"))
        csv_ms, text = await _timed(lambda: views.to_csv(figures))
        results.append({"days": days, "period_ms": period_ms, "load_ms": load_ms, "render_ms": render_ms,
                        "csv_ms": csv_ms, "page_kb": len(page.text.encode()) / 1024, "csv_rows": text.count("\n") - 1})
    return results


def report(results: list[dict[str, Any]], written: int, fill_seconds: float) -> str:
    lines = [f"Filled {DAYS} days of counters ({written} keys) in {fill_seconds:.2f} s.",
             f"Median of {ROUNDS} runs each, in milliseconds:",
             f"{'days':>5} {'period()':>9} {'figures':>9} {'render':>8} {'csv':>7} {'page KB':>8} {'csv rows':>9}"]
    for r in results:
        lines.append(f"{r['days']:>5} {r['period_ms']:>9.1f} {r['load_ms']:>9.1f} {r['render_ms']:>8.1f} "
                     f"{r['csv_ms']:>7.1f} {r['page_kb']:>8.0f} {r['csv_rows']:>9}")
    lines.append("A page costs about figures + render (plus sign-in and network).")
    return "\n".join(lines)


async def run(redis: Redis, own: bool = True) -> str:
    started = time.perf_counter()
    if own:  # resource names, as a running helpline has them
        await content_store.seed_missing(redis, *content_store.load_seed(Settings().content_dir))
    written = await fill(redis)
    fill_seconds = time.perf_counter() - started
    return report(await measure(redis), written, fill_seconds)


async def _with_url(url: str, own: bool) -> str:
    redis = Redis.from_url(url, decode_responses=True)
    try:
        if not own and await _holds_helpline_keys(redis):
            raise SystemExit(f"That Redis holds {keys.PREFIX}: keys (a helpline's, or one that was): the benchmark "
                             "will not write its fake figures there, nor delete any. Run it without --redis-url "
                             "(it starts a Redis of its own), or give it an empty Redis.")
        try:
            return await run(redis, own)
        finally:
            if not own:
                found = [k async for k in redis.scan_iter(match=f"{keys.PREFIX}:stats:*", count=1000)]
                if found:
                    await redis.delete(*found)
    finally:
        await redis.aclose()


async def _holds_helpline_keys(redis: Redis) -> bool:
    """Whether any key under the helpline's prefix is there (stops at the first one found)."""
    async for _ in redis.scan_iter(match=f"{keys.PREFIX}:*", count=1000):
        return True
    return False


def main(redis_url: str = "") -> None:
    if redis_url:
        print(asyncio.run(_with_url(redis_url, own=False)), flush=True)
        return
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="helpline-bench-dashboard-") as folder:
        server = embedded_redis.start(port, Path(folder))
        try:
            print(asyncio.run(_with_url(f"redis://127.0.0.1:{port}/0", own=True)), flush=True)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m helpline.dashboard.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default="", help=f"a Redis holding no {keys.PREFIX}: key at all, never a live "
                        "helpline's (default: a private one)")
    main(parser.parse_args().redis_url)
