"""What the browser tests share: Debian's Chromium driven by Playwright's sync API, and the real
gateway app running in a thread with its own event loop (the sync API cannot share a thread
with a running asyncio loop)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import shutil
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from aiohttp import web
from playwright.sync_api import Browser, sync_playwright
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from helpline.app import create_app
from helpline.config import Settings
from helpline.stack import free_port
from helpline.staff.accounts import AccountStore

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "a long and private passphrase"
T = TypeVar("T")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium per test module (import this fixture into the module)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver "
                    "(the tests use Debian's Chromium, never `playwright install`)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Gateway:
    """The real gateway app on a free port, in a thread with its own event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.port}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="gateway", daemon=True)
        self.runner: web.AppRunner | None = None

    def run(self, coro: Awaitable[T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def start(self) -> None:
        self.thread.start()

        async def up() -> None:
            self.runner = web.AppRunner(create_app(self.settings), shutdown_timeout=1)
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.settings.port).start()

        self.run(up())

    def stop(self) -> None:
        try:
            if self.runner is not None:
                self.run(self.runner.cleanup())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()

    def add_staff(self, name: str, role: str) -> None:
        """An account whose one-time password is already changed, so signing in goes straight on."""

        async def add() -> None:
            redis = Redis.from_url(self.settings.redis_url, decode_responses=True)
            try:
                store = AccountStore(redis)
                await store.change_password(name, await store.add(name, role), PASSWORD)
            finally:
                await redis.aclose()

        self.run(add())


@contextlib.contextmanager
def threaded_gateway(redis_url: str, var_dir: Path, prepare: Callable[[str], None] | None = None) -> Iterator[Gateway]:
    """A gateway on an emptied private Redis (other modules' data is not this module's); Rasa
    points nowhere, so the bot's answers are the gateway's safe reply."""
    client = SyncRedis.from_url(redis_url)
    client.flushdb()
    client.close()
    if prepare:
        prepare(redis_url)
    settings = dataclasses.replace(Settings(), redis_url=redis_url, port=free_port(),
                                   rasa_url=f"http://127.0.0.1:{free_port()}", var_dir=var_dir, rasa_deadline=1.0)
    server = Gateway(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()
