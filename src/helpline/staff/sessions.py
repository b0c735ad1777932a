"""Staff login sessions in Redis, and the throttle on failed logins.

The cookie holds a random token; Redis keeps only its SHA-256, with the account, the role and
the session's CSRF token, and forgets it when the login expires.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from .. import keys
from .accounts import Account

SESSION_SECONDS = 8 * 3600  # one shift
LOCKOUT_SECONDS = 15 * 60
MAX_FAILURES = {"account": 5, "address": 20}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    name: str
    role: str
    csrf: str
    must_change: bool


class SessionStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def create(self, account: Account) -> str:
        token = secrets.token_urlsafe(32)
        key = keys.staff_session(_digest(token))
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"name": account.name, "role": account.role, "csrf": secrets.token_urlsafe(32),
                                    "must_change": "1" if account.must_change else "0"})
            pipe.expire(key, SESSION_SECONDS)
            await pipe.execute()
        return token

    async def get(self, token: str) -> Session | None:
        if not token or len(token) > 100:
            return None
        raw = await self.redis.hgetall(keys.staff_session(_digest(token)))
        if not raw:
            return None
        return Session(name=raw["name"], role=raw["role"], csrf=raw["csrf"], must_change=raw["must_change"] == "1")

    async def password_changed(self, token: str) -> None:
        await self.redis.hset(keys.staff_session(_digest(token)), "must_change", "0")

    async def end(self, token: str) -> None:
        await self.redis.delete(keys.staff_session(_digest(token)))

    # --- throttle ---------------------------------------------------------------------------
    async def locked_out(self, name: str, address: str) -> bool:
        counts = await self.redis.mget(keys.login_failures("account", name), keys.login_failures("address", address))
        return any(int(count or 0) >= MAX_FAILURES[kind] for kind, count in zip(("account", "address"), counts))

    async def failed(self, name: str, address: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            for kind, who in (("account", name), ("address", address)):
                pipe.incr(keys.login_failures(kind, who))
                pipe.expire(keys.login_failures(kind, who), LOCKOUT_SECONDS)
            await pipe.execute()

    async def succeeded(self, name: str) -> None:
        await self.redis.delete(keys.login_failures("account", name))
