"""A stand-in Rasa that answers with exact payloads, and the real gateway in-process to talk to.

The trained model's rankings cannot be set by a test, so where a test needs the bot to give one
exact reading, this stands in for Rasa; the real bot's part is tested in tests/actions and end to
end. Import the fixture and helpers into a test module.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web

from helpline.config import Settings

from .chat_client import ChatClient
from .conftest import gateway, serve


@pytest.fixture
async def scripted_rasa(settings: Settings) -> AsyncIterator[Callable[[list[dict[str, Any]]], Settings]]:
    """A stand-in Rasa that answers every message with the payloads it is given (after
    `hold` is set, when a test clears it first)."""
    script: list[dict[str, Any]] = []
    hold = asyncio.Event()
    hold.set()

    async def answer(request: web.Request) -> web.Response:
        await hold.wait()
        return web.json_response(script)

    runner, url = await serve(answer)

    def reply_with(payloads: list[dict[str, Any]]) -> Settings:
        script[:] = [{"recipient_id": "x", "custom": {"helpline": payload}} for payload in payloads]
        return dataclasses.replace(settings, rasa_url=url)

    reply_with.hold = hold  # type: ignore[attr-defined]

    yield reply_with
    await runner.cleanup()


@contextlib.asynccontextmanager
async def chat_with(settings: Settings) -> AsyncIterator[tuple[ChatClient, dict[str, Any]]]:
    """The real gateway in-process, and a young person's chat on it (with its welcome)."""
    client, url = await gateway(settings)
    try:
        yield await ChatClient.open(client.session, url)
    finally:
        await client.close()


async def bot_frames(chat: ChatClient, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
    return [await chat.expect("bot", timeout=timeout) for _ in range(count)]


async def no_more_bot_frames(chat: ChatClient, settle: float = 0.8) -> None:
    try:
        frame = await chat.expect("bot", timeout=settle)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected bot frame {frame}")
