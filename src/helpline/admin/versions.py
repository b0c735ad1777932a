"""Every change to the content is a new version: written with the live value in one step.

The live keys are the ones the bot's actions and the gateway read (content/store.py), so a
committed change is in the next answer on every process. Each resource and each topic has a
list of versions, oldest first, kept without a TTL; version n is entry n. What was live before
the editor's first change (the seed) becomes version 1, so a revert can always go back to it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from .. import keys
from ..content import model, store

# KEYS[1] live key (a string for a resource, the topics hash for a topic), KEYS[2] versions list,
# KEYS[3] resource id set (resources only; the topics hash again for a topic)
# ARGV[1] kind ("resource" or "topic"), ARGV[2] field in the topics hash / resource id,
# ARGV[3] new JSON, ARGV[4] the version the change was based on ("" = any),
# ARGV[5] "1" when the change must create (nothing live yet), ARGV[6] the new version entry,
# ARGV[7] the start of an entry for what was live before any version (its JSON is appended).
# Returns {new version, 0}, or {-1, current version} when someone changed it since the base
# version, or {-2, current version} when a create finds it already there.
COMMIT = """
local current
if ARGV[1] == 'resource' then
  current = redis.call('GET', KEYS[1])
else
  current = redis.call('HGET', KEYS[1], ARGV[2])
end
local n = redis.call('LLEN', KEYS[2])
if n == 0 and current then
  redis.call('RPUSH', KEYS[2], ARGV[7] .. current .. '}')
  n = 1
end
if ARGV[5] == '1' and current then return {-2, n} end
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= n then return {-1, n} end
if ARGV[1] == 'resource' then
  redis.call('SET', KEYS[1], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[2])
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
return {redis.call('RPUSH', KEYS[2], ARGV[6]), 0}
"""


class Conflict(Exception):
    """Someone else changed it since the version the change was based on (or it exists already)."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Version:
    number: int
    at: str
    by: str
    action: str
    note: str
    data: dict[str, Any]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _entry(who: str, action: str, note: str, data: dict[str, Any]) -> str:
    return json.dumps({"at": _now(), "by": who, "action": action, "note": note, "data": data})


def _before_entry() -> str:
    """The start of the entry for what was live before the first recorded change."""
    head = json.dumps({"at": "", "by": "(seed)", "action": "seed", "note": "as it was before the first edit"})
    return head[:-1] + ', "data": '


def _commit_args(kind: str, name: str, data: dict[str, Any], who: str, action: str, note: str,
                 base: int | None, create: bool) -> tuple[list[str], list[str]]:
    if kind == "resource":
        key_list = [keys.content_resource(name), keys.content_resource_versions(name), keys.CONTENT_RESOURCE_IDS]
    else:
        key_list = [keys.CONTENT_TOPICS, keys.content_topic_versions(name), keys.CONTENT_TOPICS]
    args = [kind, name, json.dumps(data), "" if base is None else str(base), "1" if create else "0",
            _entry(who, action, note, data), _before_entry()]
    return key_list, args


async def _commit(redis: Redis, kind: str, name: str, data: dict[str, Any], who: str, action: str,
                  note: str = "", base: int | None = None, create: bool = False) -> int:
    key_list, args = _commit_args(kind, name, data, who, action, note, base, create)
    number, current = await redis.eval(COMMIT, len(key_list), *key_list, *args)
    if number == -2:
        raise Conflict(f"{kind} {name} already exists: open it to change it", current)
    if number == -1:
        raise stale(kind, name, current)
    return int(number)


def stale(kind: str, name: str, current: int) -> Conflict:
    """The refusal of a change based on a version that is no longer the live one."""
    return Conflict(f"someone else changed {kind} {name} since you opened it (now version {current}): "
                    "open it again to see their change, then make yours", int(current))


async def save_resource(redis: Redis, resource: dict[str, Any], who: str, action: str = "edit", note: str = "",
                        base: int | None = None, create: bool = False) -> int:
    """Validate and make live one resource, as a new version; its number."""
    clean = model.validate(resource)
    return await _commit(redis, "resource", clean["id"], clean, who, action, note, base, create)


async def save_topic(redis: Redis, name: str, answer: dict[str, Any], who: str, action: str = "edit",
                     note: str = "", base: int | None = None) -> int:
    """Validate and make live one topic's answer, as a new version; its number."""
    ids = await redis.smembers(keys.CONTENT_RESOURCE_IDS)
    clean = store.validate_topic(name, answer, ids)
    return await _commit(redis, "topic", name, clean, who, action, note, base)


def queue_commit(pipe: Any, kind: str, name: str, data: dict[str, Any], who: str, action: str, note: str) -> None:
    """Add one (already validated) change to a transaction pipeline: an import commits whole."""
    key_list, args = _commit_args(kind, name, data, who, action, note, None, False)
    pipe.eval(COMMIT, len(key_list), *key_list, *args)


def _versions_key(kind: str, name: str) -> str:
    return keys.content_resource_versions(name) if kind == "resource" else keys.content_topic_versions(name)


async def history(redis: Redis, kind: str, name: str) -> list[Version]:
    """Every version, newest first. Before the first edit: the live value as version 1."""
    raw = await redis.lrange(_versions_key(kind, name), 0, -1)
    if not raw:
        live = await (redis.get(keys.content_resource(name)) if kind == "resource"
                      else redis.hget(keys.CONTENT_TOPICS, name))
        raw = [_before_entry() + live + "}"] if live else []
    found = []
    for number, item in enumerate(raw, 1):
        entry = json.loads(item)
        found.append(Version(number, entry.get("at", ""), entry.get("by", ""), entry.get("action", ""),
                             entry.get("note", ""), entry["data"]))
    return found[::-1]


async def live_and_number(redis: Redis, kind: str, name: str) -> tuple[dict[str, Any] | None, int]:
    """The live value and its version number, read together (one MULTI): a change based on that
    number is refused if anyone changes it after this read."""
    async with redis.pipeline(transaction=True) as pipe:
        if kind == "resource":
            pipe.get(keys.content_resource(name))
        else:
            pipe.hget(keys.CONTENT_TOPICS, name)
        pipe.llen(_versions_key(kind, name))
        raw, count = await pipe.execute()
    if raw is None:
        return None, int(count)
    return json.loads(raw), int(count) or 1


async def current_number(redis: Redis, kind: str, name: str) -> int:
    """The live version's number (1 before the first edit of seeded content, 0 if it does not exist)."""
    count = await redis.llen(_versions_key(kind, name))
    if count:
        return int(count)
    exists = await (redis.exists(keys.content_resource(name)) if kind == "resource"
                    else redis.hexists(keys.CONTENT_TOPICS, name))
    return 1 if exists else 0


async def version(redis: Redis, kind: str, name: str, number: int) -> Version | None:
    for found in await history(redis, kind, name):
        if found.number == number:
            return found
    return None


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for each field that differs, in the fields' usual order."""
    order = [*model.FIELDS, "intro", "resources"]
    names = sorted(set(old) | set(new), key=lambda f: (order.index(f) if f in order else len(order), f))
    return [(f, old.get(f), new.get(f)) for f in names if _same(old.get(f)) != _same(new.get(f))]


def _same(value: Any) -> Any:
    """Absent, null and empty read the same (a resource stored before a field existed)."""
    return None if value in (None, "", False) else value


async def revert(redis: Redis, kind: str, name: str, number: int, who: str, base: int | None = None) -> int:
    """Make an earlier version live again, as a new version."""
    old = await version(redis, kind, name, number)
    if old is None:
        raise LookupError(f"{kind} {name} has no version {number}")
    note = f"back to version {number}"
    if kind == "resource":
        return await save_resource(redis, old.data, who, "revert", note, base)
    return await save_topic(redis, name, old.data, who, "revert", note, base)
