"""/healthz: the process is alive. /readyz: Redis and Rasa answer."""

from __future__ import annotations

import asyncio

from aiohttp import web
from redis.exceptions import RedisError

from .appkeys import RASA, REDIS


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    try:
        async with asyncio.timeout(2):
            redis_ok = bool(await request.app[REDIS].ping())
    except (RedisError, OSError, TimeoutError):
        redis_ok = False
    rasa_ok = await request.app[RASA].ready()
    ready = redis_ok and rasa_ok
    body = {"status": "ready" if ready else "not ready", "redis": redis_ok, "rasa": rasa_ok}
    return web.json_response(body, status=200 if ready else 503)


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
