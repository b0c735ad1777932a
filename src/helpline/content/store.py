"""Signposting content in Redis: seeded from data/content/ (what is missing only), read at answer time.

The bot's actions and the gateway read through these functions, so an edit in Redis shows in
the next answer with no retraining and no restart.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from .. import keys
from .model import ResourceError, validate


def load_seed(folder: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Resources and the topic map from a content folder, validated as a whole."""
    resources_doc = yaml.safe_load((folder / "resources.yml").read_text(encoding="utf-8")) or {}
    topics_doc = yaml.safe_load((folder / "topics.yml").read_text(encoding="utf-8")) or {}
    resources = [validate(raw) for raw in resources_doc.get("resources", [])]
    ids = [r["id"] for r in resources]
    if len(ids) != len(set(ids)):
        raise ResourceError("resource ids must be unique")
    topics = {str(name): validate_topic(str(name), raw, ids) for name, raw in (topics_doc.get("topics") or {}).items()}
    return resources, topics


def validate_topic(name: str, raw: Any, resource_ids: list[str]) -> dict[str, Any]:
    """A topic's answer: the words the bot says, then the resources it shows, in order."""
    if not isinstance(raw, dict) or not str(raw.get("intro") or "").strip():
        raise ResourceError(f"topic {name}: needs an intro, the words the bot says")
    unknown = set(raw) - {"intro", "resources"}
    if unknown:
        raise ResourceError(f"topic {name}: unknown field(s) {', '.join(sorted(unknown))}")
    resources = [str(rid) for rid in raw.get("resources") or []]
    missing = [rid for rid in resources if rid not in resource_ids]
    if missing:
        raise ResourceError(f"topic {name}: unknown resource(s) {', '.join(missing)}")
    return {"intro": str(raw["intro"]).strip(), "resources": resources}


# KEYS[1] seeded flag, KEYS[2] resource id set, KEYS[3] topics hash
# ARGV[1] now, ARGV[2] resource count N, then N pairs (resource key, JSON), then topic, JSON pairs.
# Adds what the live content does not have yet, in one step; never overwrites what is there
# (staff edits win). Returns how many resources and topics were added.
SEED = """
local added = 0
local n = tonumber(ARGV[2])
for i = 0, n - 1 do
  local key, value = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  if redis.call('SET', key, value, 'NX') then
    redis.call('SADD', KEYS[2], cjson.decode(value)['id'])
    added = added + 1
  end
end
for i = 3 + 2 * n, #ARGV, 2 do
  added = added + redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return added
"""


async def seed_missing(redis: Any, resources: list[dict[str, Any]], topics: dict[str, dict[str, Any]]) -> int:
    """Load the seed's resources and topics that the live content lacks (a new topic in a new
    release reaches a running helpline); staff edits are never overwritten."""
    args: list[Any] = [dt.datetime.now(dt.timezone.utc).isoformat(), len(resources)]
    for resource in resources:
        args += [keys.content_resource(resource["id"]), json.dumps(resource)]
    for name, answer in topics.items():
        args += [name, json.dumps(answer)]
    return int(await redis.eval(SEED, 3, keys.CONTENT_SEEDED, keys.CONTENT_RESOURCE_IDS, keys.CONTENT_TOPICS, *args))


async def resources_by_id(redis: Any, resource_ids: list[str]) -> list[dict[str, Any]]:
    """The live resources with these ids, in the order asked; missing ones are skipped."""
    if not resource_ids:
        return []
    raw = await redis.mget([keys.content_resource(rid) for rid in resource_ids])
    return [json.loads(item) for item in raw if item]


async def topic(redis: Any, name: str) -> dict[str, Any] | None:
    """A topic's live answer: {"intro": text, "resources": [ids in order]}, or None."""
    raw = await redis.hget(keys.CONTENT_TOPICS, name)
    return json.loads(raw) if raw else None


async def answer(redis: Any, name: str) -> tuple[str, list[dict[str, Any]]] | None:
    """A topic's words and its live resources, in order; None if the topic has no content."""
    found = await topic(redis, name)
    if not found:
        return None
    return found["intro"], await resources_by_id(redis, found["resources"])


async def put_resource(redis: Any, resource: dict[str, Any]) -> None:
    """Create or replace one resource (validated first)."""
    clean = validate(resource)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(keys.content_resource(clean["id"]), json.dumps(clean))
        pipe.sadd(keys.CONTENT_RESOURCE_IDS, clean["id"])
        await pipe.execute()
