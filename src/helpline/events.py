"""What happens, heard by every gateway process: Redis pub/sub, one subscription per process.

The data itself is always in Redis keys (the message stream, the conversation hash, the queue);
an event only says "look again". So a listener that missed events (pub/sub delivers at most
once, and not while the connection is down) catches up from the keys: after a reconnect every
listener gets a ``resync`` event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from . import keys, log
from .tasks import stopping

logger = logging.getLogger("helpline.events")
RESYNC = {"kind": "resync"}


async def publish(redis: Redis, channel: str, **event: Any) -> None:
    await redis.publish(channel, json.dumps(event))


class Listener:
    """A queue of events from the channels it follows, for one connection."""

    def __init__(self, hub: EventHub) -> None:
        self.hub = hub
        self.channels: set[str] = set()
        self.events: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(1000)

    def follow(self, channel: str) -> None:
        self.channels.add(channel)
        self.hub.listeners[channel].add(self)

    def unfollow(self, channel: str) -> None:
        self.channels.discard(channel)
        listeners = self.hub.listeners.get(channel)
        if listeners is not None:
            listeners.discard(self)
            if not listeners:
                del self.hub.listeners[channel]  # a process hears many conversations: keep none it no longer follows

    def put(self, channel: str, event: dict[str, Any]) -> None:
        try:
            self.events.put_nowait((channel, event))
        except asyncio.QueueFull:
            # A stalled connection: drop the backlog and ask it to catch up from the keys.
            while not self.events.empty():
                self.events.get_nowait()
            self.events.put_nowait((channel, RESYNC))

    async def get(self) -> tuple[str, dict[str, Any]]:
        return await self.events.get()

    def close(self) -> None:
        for channel in list(self.channels):
            self.unfollow(channel)


class EventHub:
    """One pattern subscription per process, fanned out to the listeners in this process."""

    def __init__(self, redis_url: str) -> None:
        # Its own client with no socket timeout: a subscription waits as long as it likes. The
        # health check pings a quiet connection, so one that died silently (an idle timeout on
        # the way) is noticed and replaced, and everyone catches up.
        self.redis = Redis.from_url(redis_url, decode_responses=True, socket_connect_timeout=2,
                                    socket_keepalive=True, health_check_interval=15)
        self.listeners: defaultdict[str, set[Listener]] = defaultdict(set)
        self.task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def listener(self) -> Listener:
        return Listener(self)

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[Listener]:
        listener = self.listener()
        try:
            yield listener
        finally:
            listener.close()

    async def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="event-hub")
        async with asyncio.timeout(5):
            await self.ready.wait()

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.redis.aclose()

    async def run(self) -> None:
        first = True
        while True:
            try:
                async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.psubscribe(keys.EVENTS_PATTERN)
                    self.ready.set()
                    if not first:  # events sent while we were away are lost: everyone catches up
                        self.broadcast(RESYNC)
                    first = False
                    while True:
                        message = await pubsub.get_message(timeout=5.0)
                        if message is not None:
                            self.dispatch(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                if stopping():
                    return
                log.event(logger, "events_reconnecting", logging.WARNING, error=type(exc).__name__)
                await asyncio.sleep(1)

    def dispatch(self, channel: str, data: str) -> None:
        try:
            event = json.loads(data)
        except ValueError:
            return
        for listener in list(self.listeners.get(channel, ())):
            listener.put(channel, event)

    def broadcast(self, event: dict[str, Any]) -> None:
        for channel, listeners in list(self.listeners.items()):
            for listener in list(listeners):
                listener.put(channel, event)
