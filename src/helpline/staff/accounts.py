"""Staff accounts in Redis: roles, argon2id password hashes, one-time passwords.

No account has a default password: `helpline user add NAME --role ROLE` makes one and prints a
one-time password that must be changed at first login.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis.asyncio import Redis

from .. import keys

ROLES = ("handler", "editor", "supervisor")
NAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the account does not exist, so a wrong name costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    must_change: bool
    disabled: bool
    epoch: str  # changes with every password change: sessions made before it end


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password needs at least {MIN_PASSWORD} characters.")
    if password.strip() != password or len(set(password)) < 5:
        raise AccountError("Choose a password that is not just a few repeated characters or spaces.")


class AccountStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def add(self, name: str, role: str) -> str:
        """Create an account; returns its one-time password (shown once, stored only hashed)."""
        if not NAME.match(name):
            raise AccountError("A name is 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter.")
        if role not in ROLES:
            raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
        one_time = secrets.token_urlsafe(12)
        created = await self.redis.hsetnx(keys.staff_account(name), "role", role)
        if not created:
            raise AccountError(f"An account called {name} already exists.")
        await self.redis.hset(keys.staff_account(name), mapping={
            "hash": _hasher.hash(one_time), "must_change": "1", "disabled": "0", "created": str(int(time.time())),
            "epoch": secrets.token_hex(8),
        })
        await self.redis.sadd(keys.STAFF_ACCOUNTS, name)
        return one_time

    async def get(self, name: str) -> Account | None:
        raw = await self.redis.hgetall(keys.staff_account(name)) if NAME.match(name or "") else {}
        if not raw.get("hash"):
            return None
        return Account(name=name, role=raw["role"], must_change=raw.get("must_change") == "1",
                       disabled=raw.get("disabled") == "1", epoch=raw.get("epoch", ""))

    async def verify(self, name: str, password: str) -> Account | None:
        """The account, if the name and password match and it is not disabled."""
        raw = await self.redis.hgetall(keys.staff_account(name)) if NAME.match(name or "") else {}
        try:
            # argon2 takes about 0.1 s of CPU: off the event loop, so chats are not held up.
            await asyncio.to_thread(_hasher.verify, raw.get("hash") or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if not raw.get("hash") or raw.get("disabled") == "1":
            return None
        return Account(name=name, role=raw["role"], must_change=raw.get("must_change") == "1", disabled=False,
                       epoch=raw.get("epoch", ""))

    async def change_password(self, name: str, current: str, new: str) -> None:
        if not await self.verify(name, current):
            raise AccountError("The current password is not right.")
        check_password_rules(new)
        if new == current:
            raise AccountError("Choose a new password, different from the one-time one.")
        new_hash = await asyncio.to_thread(_hasher.hash, new)
        await self.redis.hset(keys.staff_account(name), mapping={
            "hash": new_hash, "must_change": "0", "epoch": secrets.token_hex(8)})
