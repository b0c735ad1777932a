"""A small client of the chat protocol for the tests (docs/protocol.md)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp


class ChatClient:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, base_url: str, resume: str | None = None,
                   **kwargs: Any) -> tuple[ChatClient, dict[str, Any]]:
        ws = await session.ws_connect(f"{base_url}/chat/ws", **kwargs)
        client = cls(ws)
        hello: dict[str, Any] = {"type": "hello", "v": 1}
        if resume:
            hello["resume"] = resume
        await ws.send_json(hello)
        welcome = await client.expect("welcome")
        return client, welcome

    async def frame(self, timeout: float = 20.0) -> dict[str, Any]:
        frame = await asyncio.wait_for(self.ws.receive_json(), timeout)
        self.seen.append(frame)
        return frame

    async def expect(self, kind: str, timeout: float = 20.0) -> dict[str, Any]:
        """The next frame of this type, skipping typing indicators and status frames."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.frame(timeout)
                if frame["type"] == kind:
                    return frame
                assert frame["type"] in ("typing", "status", "bot", "system", "handler"), f"unexpected frame {frame}"

    async def say(self, text: str, client_id: str | None = None) -> dict[str, Any]:
        """Send a message and return its ack."""
        client_id = client_id or uuid.uuid4().hex
        await self.ws.send_json({"type": "message", "client_id": client_id, "text": text})
        ack = await self.expect("ack")
        assert ack["client_id"] == client_id
        return ack
