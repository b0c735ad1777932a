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
                                    "must_change": "1" if account.must_change else "0", "epoch": account.epoch})
            pipe.expire(key, SESSION_SECONDS)
            await pipe.execute()
        return token

    async def get(self, token: str) -> Session | None:
        if not token or len(token) > 100:
            return None
        raw = await self.redis.hgetall(keys.staff_session(_digest(token)))
        if not raw:
            return None
        # A session lives only as long as its account is as it was: a password change, a new
        # role or a disabled account ends every session made before.
        account = await self.redis.hmget(keys.staff_account(raw["name"]), "role", "disabled", "epoch")
        if account != [raw["role"], "0", raw.get("epoch")]:
            await self.end(token)
            return None
        return Session(name=raw["name"], role=raw["role"], csrf=raw["csrf"], must_change=raw["must_change"] == "1")

    async def end(self, token: str) -> None:
        await self.redis.delete(keys.staff_session(_digest(token)))

    # --- throttle ---------------------------------------------------------------------------
    async def attempt(self, name: str, address: str) -> bool:
        """Count a sign-in attempt (or a current-password check) for the account and the address
        before the password is checked, atomically, so parallel guesses cannot slip past the
        limit; True when either is over it. The window starts at the first attempt and is not
        extended by further ones."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for kind, who in (("account", name), ("address", address)):
                pipe.incr(keys.login_failures(kind, who))
                pipe.expire(keys.login_failures(kind, who), LOCKOUT_SECONDS, nx=True)
            account_count, _, address_count, _ = await pipe.execute()
        return account_count > MAX_FAILURES["account"] or address_count > MAX_FAILURES["address"]

    async def succeeded(self, name: str, address: str) -> None:
        """A right password: the account starts afresh, and the address is not charged for it."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.login_failures("account", name))
            pipe.decr(keys.login_failures("address", address))
            await pipe.execute()
