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
    created: int = 0  # when the account was made (Unix seconds)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password needs at least {MIN_PASSWORD} characters.")
    if password.strip() != password or len(set(password)) < 5:
        raise AccountError("Choose a password that is not just a few repeated characters or spaces.")


# One change to an account by a supervisor, checked and made at once, so that two supervisors
# acting together (say, demoting each other) can never leave the helpline without one.
# KEYS[1]: the account changed; KEYS[2]: the supervisor changing it (KEYS[1] again when nobody is
# named, as from the command line); KEYS[3..]: every account (the supervisors among them counted).
# ARGV: operation (disable | enable | role | reset), its value (the role, or the new password's
# hash), the account's new epoch (ends its sessions), "1" when KEYS[2] must be a supervisor.
# Returns {status, role before}.
CHANGE = """
local target, actor = KEYS[1], KEYS[2]
local op, value, epoch, check_actor = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HEXISTS', target, 'hash') == 0 then return {'missing', ''} end
if check_actor == '1' then
  local a = redis.call('HMGET', actor, 'role', 'disabled', 'hash')
  if a[1] ~= 'supervisor' or a[2] == '1' or not a[3] then return {'not_allowed', ''} end
end
local t = redis.call('HMGET', target, 'role', 'disabled')
local role, disabled = t[1], t[2] or '0'
local new_role, new_disabled = role, disabled
if op == 'disable' then new_disabled = '1'
elseif op == 'enable' then new_disabled = '0'
elseif op == 'role' then new_role = value
elseif op == 'reset' then
  redis.call('HSET', target, 'hash', value, 'must_change', '1', 'epoch', epoch)
  return {'ok', role}
else return {'bad_op', role} end
if new_role == role and new_disabled == disabled then return {'unchanged', role} end
if role == 'supervisor' and disabled ~= '1' and (new_role ~= 'supervisor' or new_disabled == '1') then
  local others = 0
  for i = 3, #KEYS do
    if KEYS[i] ~= target then
      local s = redis.call('HMGET', KEYS[i], 'role', 'disabled', 'hash')
      if s[1] == 'supervisor' and s[2] ~= '1' and s[3] then others = others + 1 end
    end
  end
  if others == 0 then return {'last_supervisor', role} end
end
redis.call('HSET', target, 'role', new_role, 'disabled', new_disabled, 'epoch', epoch)
return {'ok', role}
"""


class AccountStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._change_script = redis.register_script(CHANGE)

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
                       disabled=raw.get("disabled") == "1", epoch=raw.get("epoch", ""),
                       created=int(raw.get("created") or 0))

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

    # --- what supervisors do (/staff/accounts) -------------------------------------------------
    async def list_all(self) -> list[Account]:
        """Every account, by name."""
        names = sorted(await self.redis.smembers(keys.STAFF_ACCOUNTS))
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hgetall(keys.staff_account(name))
            rows = await pipe.execute()
        return [Account(name=name, role=raw["role"], must_change=raw.get("must_change") == "1",
                        disabled=raw.get("disabled") == "1", epoch=raw.get("epoch", ""),
                        created=int(raw.get("created") or 0))
                for name, raw in zip(names, rows) if raw.get("hash")]

    async def _change(self, name: str, op: str, value: str = "", by: str | None = None) -> str:
        """One change, atomically (see CHANGE); every change gives the account a new epoch, which
        ends its sessions. Returns the role the account had before."""
        if not NAME.match(name or ""):
            raise AccountError("There is no account with that name.")
        every = [keys.staff_account(n) for n in sorted(await self.redis.smembers(keys.STAFF_ACCOUNTS))]
        actor = keys.staff_account(by) if by else keys.staff_account(name)
        status, before = await self._change_script(
            keys=[keys.staff_account(name), actor, *every], args=[op, value, secrets.token_hex(8), "1" if by else "0"])
        if status == "ok":
            return before
        raise AccountError({
            "missing": f"There is no account called {name}.",
            "not_allowed": "Your account can no longer change accounts.",
            "unchanged": f"Nothing to change: {name} is already like that.",
            "last_supervisor": (f"{name} is the last supervisor who can sign in: make another account a "
                                "supervisor first."),
        }.get(status, "That change is not possible."))

    async def disable(self, name: str, by: str | None = None) -> None:
        """The account can no longer sign in, and its sessions end. Not the last enabled supervisor."""
        await self._change(name, "disable", by=by)

    async def enable(self, name: str, by: str | None = None) -> None:
        await self._change(name, "enable", by=by)

    async def set_role(self, name: str, role: str, by: str | None = None) -> str:
        """A new role (sessions end); returns the old one. The last enabled supervisor keeps theirs."""
        if role not in ROLES:
            raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
        return await self._change(name, "role", role, by=by)

    async def reset_password(self, name: str, by: str | None = None) -> str:
        """A new one-time password (returned, shown once), to be changed at the next sign-in;
        the account's sessions end."""
        one_time = secrets.token_urlsafe(12)
        await self._change(name, "reset", await asyncio.to_thread(_hasher.hash, one_time), by=by)
        return one_time
