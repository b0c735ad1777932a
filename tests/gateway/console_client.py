"""A call handler for the tests: signs in through the staff pages like a person would, then
speaks the console protocol (docs/console-protocol.md) over /console/ws."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import aiohttp
from redis.asyncio import Redis

from helpline.staff.accounts import AccountStore

PASSWORD = "a long and private passphrase"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def add_staff(redis: Redis, base_url: str, session: aiohttp.ClientSession, name: str, role: str) -> None:
    """Create the account (one-time password), sign in and choose a password: signed in for good."""
    one_time = await AccountStore(redis).add(name, role)
    async with session.get(f"{base_url}/staff/login") as resp:
        csrf = csrf_of(await resp.text())
    async with session.post(f"{base_url}/staff/login", data={"name": name, "password": one_time, "csrf": csrf},
                            allow_redirects=False) as resp:
        assert resp.status == 303, await resp.text()
    async with session.get(f"{base_url}/staff/password") as resp:
        csrf = csrf_of(await resp.text())
    async with session.post(f"{base_url}/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": csrf},
                            allow_redirects=False) as resp:
        assert resp.status == 303, await resp.text()


class ConsoleClient:
    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.session, self.ws = session, ws
        self.seen: list[dict[str, Any]] = []
        self.hello: dict[str, Any] = {}

    @classmethod
    async def sign_in(cls, redis: Redis, base_url: str, name: str, role: str = "handler",
                      connect_to: str | None = None) -> ConsoleClient:
        """A new member of staff signed in at ``base_url``; their console connects to
        ``connect_to`` (another gateway process) when given."""
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        await add_staff(redis, base_url, session, name, role)
        return await cls.connect(session, connect_to or base_url)

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, base_url: str) -> ConsoleClient:
        # The jar sends the staff cookie (cookies are per host, not per port: so also to a
        # second gateway process on this machine, as they would be behind one site's address).
        ws = await session.ws_connect(f"{base_url}/console/ws", headers={"Origin": base_url})
        client = cls(session, ws)
        client.hello = await client.expect("hello")
        return client

    async def close(self) -> None:
        await self.ws.close()
        await self.session.close()

    async def frame(self, timeout: float = 20.0) -> dict[str, Any]:
        frame = await asyncio.wait_for(self.ws.receive_json(), timeout)
        self.seen.append(frame)
        return frame

    async def expect(self, kind: str, timeout: float = 20.0, **match: Any) -> dict[str, Any]:
        """The next frame of this type (whose fields equal ``match``), skipping the others."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.frame(timeout)
                if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                    return frame

    async def queue_with(self, conversation_id: str, timeout: float = 20.0) -> dict[str, Any]:
        """The next queue list that includes this conversation."""
        async with asyncio.timeout(timeout):
            while True:
                queue = await self.expect("queue", timeout)
                if any(item["conversation"] == conversation_id for item in queue["items"]):
                    return queue

    async def do(self, kind: str, **fields: Any) -> None:
        await self.ws.send_json({"type": kind, **fields})

    async def take_next(self) -> dict[str, Any]:
        await self.do("take_next")
        return await self.expect("conversation")

    async def say(self, conversation_id: str, text: str) -> dict[str, Any]:
        client_id = uuid.uuid4().hex
        await self.do("send", conversation=conversation_id, client_id=client_id, text=text)
        return await self.expect("ack", client_id=client_id)
