"""Gateway fixtures: a clean real Redis per test, and the whole real stack once per run."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from helpline.app import create_app
from helpline.config import Settings
from helpline.stack import Stack, free_port


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def settings(redis_url: str, tmp_path: Path) -> Settings:
    """Gateway settings against the private Redis; Rasa points nowhere unless a test says so."""
    return dataclasses.replace(Settings(), redis_url=redis_url, rasa_url=f"http://127.0.0.1:{free_port()}",
                               var_dir=tmp_path, rasa_deadline=1.5)


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Redis (embedded, append-only), the action server, the trained Rasa model and the gateway,
    each a real process on a free port, started once for the whole run."""
    var_dir = tmp_path_factory.mktemp("stack")
    settings = dataclasses.replace(
        Settings(), port=free_port(), rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_port=free_port(), embedded_redis_port=free_port(), redis_url="", var_dir=var_dir,
    )
    stack = Stack(settings, quiet=True)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


async def gateway(settings: Settings) -> tuple[TestClient, str]:
    """The real gateway app in-process, with its base URL."""
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client, str(client.make_url("")).rstrip("/")


async def serve(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> tuple[web.AppRunner, str]:
    """A small HTTP server on a free port answering every request with the handler."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def hung_rasa() -> AsyncIterator[str]:
    """A real socket that accepts requests and never answers: Rasa hung."""
    async def never(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    runner, url = await serve(never)
    yield url
    await runner.cleanup()


@pytest.fixture(params=["stopped", "hung"])
def bot_down(request: pytest.FixtureRequest, settings: Settings, hung_rasa: str) -> Settings:
    """Gateway settings with Rasa stopped (nothing listens on its port) or hung."""
    return settings if request.param == "stopped" else dataclasses.replace(settings, rasa_url=hung_rasa)
