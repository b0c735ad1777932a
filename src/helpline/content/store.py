"""Signposting content in Redis: seeded from data/content/ (what is missing only), read at answer time.

The bot's actions and the gateway read through these functions, so an edit in Redis shows in
the next answer with no retraining and no restart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from .. import keys
from .model import PROTECTED, ResourceError, check, encodable, validate

TOPIC_NAME = re.compile(r"^[a-z0-9_]{1,64}\Z")
# The answers a young person in danger may get without the bot: each must list every protected
# service (model.PROTECTED), so no edit can leave them without 999, Childline and Shout.
SAFETY_TOPICS = ("crisis", "bot_unavailable", "out_of_hours")
# What the gateway and the bot say for danger now when the live crisis content cannot be used.
CRISIS_TEXT = (
    "I'm really glad you told me, and I want you to be safe. If you are in danger or hurt, call 999 now. "
    "You can talk to Childline any time on 0800 1111, text SHOUT to 85258, or call Samaritans on 116 123. "
    "I've asked for a person to join this chat."
)
MAX_INTRO = 2000


def load_seed(folder: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Resources and the topic map from a content folder, validated as a whole."""
    resources_doc = yaml.safe_load((folder / "resources.yml").read_text(encoding="utf-8")) or {}
    topics_doc = yaml.safe_load((folder / "topics.yml").read_text(encoding="utf-8")) or {}
    resources, topics, problems = check_documents(resources_doc.get("resources"), topics_doc.get("topics"))
    if problems:
        raise ResourceError("; ".join(problems), problems)
    return resources, topics


def check_documents(resources_doc: Any, topics_doc: Any, other_ids: Any = ()
                    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], list[str]]:
    """The clean resources and topics of a seed (or an import) and every problem with them, so
    that a person can fix a file in one go. Topics may name the resources of the document and
    ``other_ids`` (those already live, for an import)."""
    problems: list[str] = []
    if resources_doc is not None and not isinstance(resources_doc, list):
        problems.append("resources must be a list of resources")
        resources_doc = []
    if topics_doc is not None and not isinstance(topics_doc, dict):
        problems.append("topics must be a map of topic names to their answers")
        topics_doc = {}
    resources = []
    for raw in resources_doc or []:
        clean, found = check(raw)
        problems += found
        if not found:
            resources.append(clean)
    ids = [str(raw.get("id") or "") for raw in resources_doc or [] if isinstance(raw, dict)]
    repeated = sorted({rid for rid in ids if rid and ids.count(rid) > 1})
    if repeated:
        problems.append(f"resource ids must be unique: {', '.join(repeated)} appear more than once")
    known = [*ids, *other_ids]
    topics = {}
    for name, raw in (topics_doc or {}).items():
        try:
            topics[str(name)] = validate_topic(str(name), raw, known)
        except ResourceError as exc:
            problems += exc.problems
    return resources, topics, problems


def validate_topic(name: str, raw: Any, resource_ids: Any) -> dict[str, Any]:
    """A topic's answer: the words the bot says, then the resources it shows, in order."""
    found = []
    if not TOPIC_NAME.match(name):
        found.append(f"topic {name}: a topic name is lower case letters, digits and underscores")
    if not isinstance(raw, dict):
        raise ResourceError(f"topic {name}: needs an intro, the words the bot says")
    if raw.get("intro") is not None and not isinstance(raw.get("intro"), str):
        found.append(f"topic {name}: the intro must be text")
    elif not encodable(str(raw.get("intro") or "")):
        found.append(f"topic {name}: the intro has characters that are not text (broken encoding)")
    elif not str(raw.get("intro") or "").strip():
        found.append(f"topic {name}: needs an intro, the words the bot says")
    elif len(str(raw["intro"])) > MAX_INTRO:
        found.append(f"topic {name}: the intro is too long (at most {MAX_INTRO} characters)")
    unknown = set(raw) - {"intro", "resources"}
    if unknown:
        found.append(f"topic {name}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    listed = raw.get("resources") or []
    if not isinstance(listed, list):
        found.append(f"topic {name}: resources must be a list of resource ids")
        listed = []
    resources = [str(rid) for rid in listed]
    missing = [rid for rid in resources if rid not in resource_ids]
    if missing:
        found.append(f"topic {name}: unknown resource(s) {', '.join(missing)}")
    if name in SAFETY_TOPICS:
        absent = [rid for rid in PROTECTED if rid not in resources]
        if absent:
            found.append(f"topic {name}: must list {', '.join(absent)}: a young person in danger needs them")
    repeated = sorted({rid for rid in resources if resources.count(rid) > 1})
    if repeated:
        found.append(f"topic {name}: {', '.join(repeated)} listed more than once")
    if found:
        raise ResourceError("; ".join(found), found)
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
    """The live resources with these ids, in the order asked; missing and retired ones are
    skipped (a retired resource is kept for the editors, never shown to a young person)."""
    if not resource_ids:
        return []
    raw = await redis.mget([keys.content_resource(rid) for rid in resource_ids])
    return [found for found in (json.loads(item) for item in raw if item) if not found.get("retired")]


async def all_resources(redis: Any) -> list[dict[str, Any]]:
    """Every resource, retired ones too (for the editors), by name."""
    ids = sorted(await redis.smembers(keys.CONTENT_RESOURCE_IDS))
    if not ids:
        return []
    raw = await redis.mget([keys.content_resource(rid) for rid in ids])
    return sorted((json.loads(item) for item in raw if item), key=lambda r: (r["name"].lower(), r["id"]))


async def all_topics(redis: Any) -> dict[str, dict[str, Any]]:
    """Every topic's answer, by name."""
    return {name: json.loads(raw) for name, raw in sorted((await redis.hgetall(keys.CONTENT_TOPICS)).items())}


async def topic(redis: Any, name: str) -> dict[str, Any] | None:
    """A topic's live answer: {"intro": text, "resources": [ids in order]}, or None."""
    raw = await redis.hget(keys.CONTENT_TOPICS, name)
    return json.loads(raw) if raw else None


async def answer(redis: Any, name: str) -> tuple[str, list[dict[str, Any]]] | None:
    """A topic's words and its live resources, in order; None if the topic has no content."""
    found = await topic(redis, name)
    if not found:
        return None
    resources = await resources_by_id(redis, found["resources"])
    if name in SAFETY_TOPICS and not has_protected(resources):
        return None  # changed behind the editor's back (by hand in Redis): the caller's fixed text
    return found["intro"], resources


def has_protected(resources: list[dict[str, Any]]) -> bool:
    """Every protected service is there, live, with the detail it must keep."""
    shown = {r["id"]: r for r in resources}
    return all(rid in shown and shown[rid].get(detail) for rid, detail in PROTECTED.items())


async def put_resource(redis: Any, resource: dict[str, Any]) -> None:
    """Create or replace one resource (validated first)."""
    clean = validate(resource)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(keys.content_resource(clean["id"]), json.dumps(clean))
        pipe.sadd(keys.CONTENT_RESOURCE_IDS, clean["id"])
        await pipe.execute()
