"""`make bench` (`helpline bench --users N --messages M`): many young people at once through the gateway, beside the same messages sent
straight to Rasa's REST channel, in one run. Prints figures; it is not a test and never fails
on a slow machine.

Uses the stack at HELPLINE_PORT / RASA_URL when one is running (`make run`), otherwise starts
its own on free ports and stops it afterwards.
"""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import time
import uuid

import aiohttp

from .config import Settings
from .stack import running_or_own

MESSAGES = [
    "hiya",
    "people at school keep picking on me",
    "my exams are stressing me out so much",
    "i feel really low all the time",
    "i have no friends and feel so alone",
    "my mum and dad argue all the time",
    "thank you",
    "is this confidential",
]


@dataclasses.dataclass
class Run:
    latencies: list[float]
    seconds: float
    fallbacks: int = 0

    def line(self, name: str) -> str:
        return (f"{name:<9} {len(self.latencies):>6} {self.median * 1000:>9.1f} {self.p95 * 1000:>9.1f} "
                f"{self.throughput:>9.1f} {self.fallbacks:>10}")

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, int(len(ordered) * 0.95) - 1)]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


async def young_person(session: aiohttp.ClientSession, url: str, count: int, run: Run) -> None:
    async with session.ws_connect(f"{url}/chat/ws") as ws:
        await ws.send_json({"type": "hello", "v": 1})
        while (await ws.receive_json(timeout=30))["type"] != "welcome":
            pass
        for i in range(count):
            started = time.perf_counter()
            await ws.send_json({"type": "message", "client_id": uuid.uuid4().hex, "text": MESSAGES[i % len(MESSAGES)]})
            while True:
                frame = await ws.receive_json(timeout=30)
                if frame["type"] == "bot":
                    break
                if frame["type"] == "error":
                    raise RuntimeError(f"gateway refused a benchmark message: {frame['code']}")
            run.latencies.append(time.perf_counter() - started)
            run.fallbacks += frame["fallback"]
            # Drain the rest of a multi-message answer before the next message.
            while True:
                try:
                    await ws.receive_json(timeout=0.05)
                except asyncio.TimeoutError:
                    break


async def direct_sender(session: aiohttp.ClientSession, rasa_url: str, count: int, run: Run) -> None:
    sender = uuid.uuid4().hex
    for i in range(count):
        started = time.perf_counter()
        async with session.post(f"{rasa_url}/webhooks/rest/webhook",
                                json={"sender": sender, "message": MESSAGES[i % len(MESSAGES)]}) as resp:
            resp.raise_for_status()
            await resp.json()
        run.latencies.append(time.perf_counter() - started)


async def measure(gateway_url: str, rasa_url: str, users: int, messages: int) -> tuple[Run, Run]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120),
                                     connector=aiohttp.TCPConnector(limit=0)) as session:
        # Warm both paths once so model loading and first connections are not measured.
        await direct_sender(session, rasa_url, 2, Run([], 1))
        await young_person(session, gateway_url, 2, Run([], 1))
        results = []
        for make in (lambda run: young_person(session, gateway_url, messages, run),
                     lambda run: direct_sender(session, rasa_url, messages, run)):
            run = Run([], 0)
            started = time.perf_counter()
            await asyncio.gather(*(make(run) for _ in range(users)))
            run.seconds = time.perf_counter() - started
            results.append(run)
        return results[0], results[1]


def report(gateway: Run, direct: Run, users: int, messages: int) -> None:
    print(f"\n{users} young people at once, {messages} messages each (closed loop: each waits for the answer)")
    print(f"{'path':<9} {'answers':>6} {'median ms':>9} {'p95 ms':>9} {'per s':>9} {'fallbacks':>10}")
    print(gateway.line("gateway"))
    print(direct.line("rasa"))
    print(f"ratio gateway/rasa: median {gateway.median / direct.median:.2f}x, p95 {gateway.p95 / direct.p95:.2f}x, "
          f"throughput {gateway.throughput / direct.throughput:.2f}x")


def main(settings: Settings | None = None, users: int = 20, messages: int = 10) -> None:
    with running_or_own(settings or Settings.from_env()) as (gateway_url, rasa_url):
        gateway, direct = asyncio.run(measure(gateway_url, rasa_url, users, messages))
    report(gateway, direct, users, messages)
