"""Export the live content in the seed's format (data/content/resources.yml and topics.yml), and
import such a file: checked as a whole with the seed's validation, all of it or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml
from redis.asyncio import Redis
from redis.exceptions import WatchError

from .. import keys
from ..content import model, store
from . import versions

RESOURCES_HEADER = """\
# Signposting resources, exported from the live content by {who} at {at}.
# The same format as data/content/resources.yml (fields: src/helpline/content/model.py FIELDS);
# `retired: true` marks a resource kept but never shown. Import it at /admin/import.

"""
TOPICS_HEADER = """\
# What the bot says for each topic and the resources it shows, most useful first, exported from
# the live content by {who} at {at}. The same format as data/content/topics.yml.

"""
MAX_IMPORT_BYTES = 60 * 1024  # the gateway takes requests of up to 64 KB
SCALARS = (str, int, float, bool, dt.date, type(None))  # dt.datetime is a dt.date
NO_ALIASES = "aliases (&/*) are not allowed: write each value out in full"


class AliasRefused(yaml.MarkedYAMLError):
    """An import file used a YAML anchor or alias (a few hundred bytes of them can stand for
    gigabytes of text once read)."""


class _ImportLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases before anything refers to them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasRefused(None, None, NO_ALIASES, event.start_mark)
        return super().compose_node(parent, index)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_ImportLoader)  # noqa: S506 - a SafeLoader, without aliases


class _Dumper(yaml.SafeDumper):
    """Long text folded like the seed's descriptions, short lists on one line like its topics."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = ">" if len(value) > 60 and "\n" not in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92, indent=2)


def _for_file(resource: dict[str, Any]) -> dict[str, Any]:
    clean = {name: resource.get(name) for name in model.FIELDS}
    if not clean.get("retired"):
        del clean["retired"]  # the seed has no such field: only a retired resource says so
    return clean


async def export_resources(redis: Redis, who: str, at: str) -> str:
    resources = [_for_file(r) for r in sorted(await store.all_resources(redis), key=lambda r: r["id"])]
    return RESOURCES_HEADER.format(who=who, at=at) + _dump({"resources": resources})


async def export_topics(redis: Redis, who: str, at: str) -> str:
    return TOPICS_HEADER.format(who=who, at=at) + _dump({"topics": await store.all_topics(redis)})


@dataclass
class Checked:
    """An import file read and validated: what it holds, and every problem with it."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


async def check_file(redis: Redis, text: str) -> Checked:
    """Read a resources.yml, a topics.yml, or one file with both top-level keys."""
    if len(text.encode()) > MAX_IMPORT_BYTES:
        return Checked(problems=[f"the file is too big (at most {MAX_IMPORT_BYTES // 1024} KB)"])
    try:
        doc = _load(text)
    except AliasRefused as exc:
        return Checked(problems=[f"the file uses a YAML anchor or alias at line {exc.problem_mark.line + 1}: "
                                 f"{NO_ALIASES}"])
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        return Checked(problems=[f"the file is not valid YAML{line}: {getattr(exc, 'problem', None) or exc}"])
    except (ValueError, OverflowError) as exc:  # e.g. a 5000-digit number, or 2026-02-30
        return Checked(problems=[f"the file has a value that cannot be read: {str(exc)[:200]}"])
    except RecursionError:
        return Checked(problems=["the file is nested too deeply to read"])
    if not isinstance(doc, dict) or not ({"resources", "topics"} & set(doc)):
        return Checked(problems=["the file must have `resources:` or `topics:` (or both) at the top, "
                                 "like data/content/resources.yml and topics.yml"])
    problems = []
    unknown = set(doc) - {"resources", "topics"}
    if unknown:
        problems.append(f"unknown top-level key(s) {', '.join(sorted(map(str, unknown)))}: "
                        "only resources and topics")
    problems += _not_scalars(doc.get("resources"), doc.get("topics"))
    live_ids = await redis.smembers(keys.CONTENT_RESOURCE_IDS)
    resources, topics, found = store.check_documents(doc.get("resources"), doc.get("topics"), live_ids)
    return Checked(resources, topics, problems + found)


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a map" if isinstance(value, dict) else type(value).__name__


def _not_scalars(resources_doc: Any, topics_doc: Any) -> list[str]:
    """Every field that holds a list or a map where one value (text, number, date, true/false)
    belongs: a topic's resources are a list of ids, everything else is one value."""
    found = []
    for raw in resources_doc if isinstance(resources_doc, list) else []:
        if not isinstance(raw, dict):
            continue
        rid = raw.get("id")
        where = f"resource {rid}" if isinstance(rid, str) and rid.strip() else "a resource"
        for name, value in raw.items():
            if not isinstance(value, SCALARS):
                found.append(f"{where}: {name} must be a single value (text, a number, a date or true/false), "
                             f"not {_kind(value)}")
    for name, raw in (topics_doc.items() if isinstance(topics_doc, dict) else []):
        if not isinstance(name, str):
            found.append(f"topic names must be text, not {_kind(name)}")
        if not isinstance(raw, dict):
            continue
        if not isinstance(raw.get("intro"), SCALARS):
            found.append(f"topic {name}: intro must be text, not {_kind(raw['intro'])}")
        listed = raw.get("resources")
        if isinstance(listed, list) and any(not isinstance(rid, SCALARS) for rid in listed):
            found.append(f"topic {name}: resources must be a list of resource ids, each one value")
    return found


async def apply(redis: Redis, checked: Checked, who: str) -> tuple[list[str], list[str]]:
    """Make what the file holds live, in one transaction, each change a new version; nothing
    that is not in the file changes. The ids of the resources and the topics that changed.

    The live content is compared with the file under WATCH: if anyone changes one of the file's
    resources, or any topic, between that read and the write, nothing is imported and
    versions.Conflict says so (their change is never silently undone)."""
    watched = [keys.content_resource(r["id"]) for r in checked.resources]
    if checked.topics:
        watched.append(keys.CONTENT_TOPICS)
    async with redis.pipeline(transaction=True) as pipe:
        if watched:
            await pipe.watch(*watched)
        live_resources = {r["id"]: r for r in await store.all_resources(redis)}
        live_topics = await store.all_topics(redis)
        changed_resources = [r for r in checked.resources if r["id"] not in live_resources
                             or versions.diff(live_resources[r["id"]], r)]
        changed_topics = {n: t for n, t in checked.topics.items() if live_topics.get(n) != t}
        pipe.multi()
        for resource in changed_resources:
            versions.queue_commit(pipe, "resource", resource["id"], resource, who, "import", "imported from a file")
        for name, answer in changed_topics.items():
            versions.queue_commit(pipe, "topic", name, answer, who, "import", "imported from a file")
        if changed_resources or changed_topics:
            try:
                await pipe.execute()
            except WatchError:
                raise versions.Conflict("someone else changed the content while the file was being imported: "
                                        "nothing was imported; import the file again", 0) from None
        else:
            await pipe.reset()
    return [r["id"] for r in changed_resources], list(changed_topics)
