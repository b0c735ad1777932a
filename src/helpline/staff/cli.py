"""`helpline user add NAME --role ROLE`: an account with a one-time password, printed once."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from .. import embedded_redis
from ..config import Settings
from . import audit
from .accounts import AccountError, AccountStore


def redis_url(settings: Settings) -> str:
    """REDIS_URL, or the embedded Redis that `make run` started."""
    if settings.redis_url:
        return settings.redis_url
    if embedded_redis.answers("127.0.0.1", settings.embedded_redis_port):
        return f"redis://127.0.0.1:{settings.embedded_redis_port}/0"
    raise SystemExit("No Redis to store the account in: start the helpline (`make run`) or set REDIS_URL.")


async def _add(url: str, name: str, role: str) -> str:
    redis = Redis.from_url(url, decode_responses=True)
    try:
        one_time = await AccountStore(redis).add(name, role)
        await audit.record(redis, "command line", "account_added", account=name, role=role)
        return one_time
    finally:
        await redis.aclose()


def add_user(settings: Settings, name: str, role: str) -> None:
    try:
        one_time = asyncio.run(_add(redis_url(settings), name, role))
    except AccountError as exc:
        raise SystemExit(str(exc)) from None
    except RedisConnectionError:
        raise SystemExit("Redis did not answer: start the helpline (`make run`) or check REDIS_URL.") from None
    print(f"Account {name} ({role}) created.\nOne-time password: {one_time}\n"
          "It must be changed at first sign-in (/staff/login). It is not shown again.")
