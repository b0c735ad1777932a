"""A signposting resource: its fields, and the checks a seed file or an edit must pass."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from . import hours

FIELDS = {
    # name: (required, description)
    "id": (True, "stable id, lower case letters, digits and hyphens"),
    "name": (True, "the name a young person would recognise"),
    "description": (True, "one or two friendly sentences on what they offer"),
    "website": (False, "https address"),
    "phone": (False, "UK phone number to call"),
    "text_number": (False, "UK number to text"),
    "text_keyword": (False, "what to text to it, e.g. SHOUT"),
    "hours": (False, "opening hours, e.g. '24/7' or 'Mon-Fri 09:00-17:00'; empty if not known"),
    "min_age": (False, "youngest age served"),
    "max_age": (False, "oldest age served"),
    "scope": (True, "local or national"),
    "last_checked": (False, "date the details were last checked, YYYY-MM-DD"),
    "needs_check": (False, "true when a detail could not be confirmed"),
    "retired": (False, "true hides it from every answer (kept, never deleted, so it can come back)"),
}
MAX_LENGTH = {"name": 120, "description": 600, "website": 300, "text_keyword": 40, "hours": 200}
MAX_MIN_AGE = 25  # a service whose youngest client is older than this is not for young people

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")
# 0151 606 2008, 0800 1111, 116 123, 999, 85258, +44 151 606 2008
_PHONE = re.compile(r"^(?:(?:0|\+44 ?)[0-9]{2,4} ?[0-9]{3,4}(?: ?[0-9]{3,4})?|[0-9]{3}(?: ?[0-9]{3})?|[0-9]{5,6})\Z")

# The services the safety message cannot do without, and the detail each must keep: no edit may
# retire them or take that detail away (the crisis, bot-unavailable and out-of-hours answers
# must list them: content/store.py SAFETY_TOPICS).
PROTECTED = {"emergency-999": "phone", "childline": "phone", "shout": "text_number"}


class ResourceError(ValueError):
    """Content that fails validation; the message names the resource (or topic) and the field.
    ``problems`` lists every problem found, one sentence each."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


def validate(raw: dict[str, Any]) -> dict[str, Any]:
    """A clean copy of one resource, or ResourceError saying everything that is wrong."""
    clean, found = check(raw)
    if found:
        raise ResourceError("; ".join(found), found)
    return clean


def check(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """A clean copy of one resource and every problem with it (empty when it is valid)."""
    if not isinstance(raw, dict):
        return {}, ["each resource must be a set of fields (id, name, description, ...)"]
    rid = str(raw.get("id") or "").strip()
    where = f"resource {rid or '(no id)'}"
    found: list[str] = []
    unknown = set(raw) - set(FIELDS)
    if unknown:
        found.append(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    clean: dict[str, Any] = {}
    for name, (required, _) in FIELDS.items():
        value = raw.get(name)
        if isinstance(value, (list, dict, set, tuple)):
            found.append(f"{where}: {name} must be a single value, not a list or a set of fields")
            value = None
        if isinstance(value, dt.datetime):
            found.append(f"{where}: {name} must be a date (YYYY-MM-DD) or text, not a date and time")
            value = None
        if isinstance(value, str):
            value = value.strip()
            if not encodable(value):
                found.append(f"{where}: {name} has characters that are not text (broken encoding)")
                value = ""
        if required and value in (None, ""):
            found.append(f"{where}: {name} is required")
        clean[name] = value
    if rid and not _ID.match(rid):
        found.append(f"{where}: id must be lower case letters, digits and hyphens")
    for name in ("id", "name", "description", "scope"):
        clean[name] = str(clean[name] or "")
    if clean["scope"] and clean["scope"] not in ("local", "national"):
        found.append(f"{where}: scope must be 'local' or 'national'")
    for field in ("website", "hours", "text_keyword", "phone", "text_number"):
        clean[field] = str(clean[field] if clean[field] is not None else "")
    for field, longest in MAX_LENGTH.items():
        if len(clean[field]) > longest:
            found.append(f"{where}: {field} is too long (at most {longest} characters)")
    if clean["website"] and not (clean["website"].startswith("https://") and len(clean["website"]) > 8
                                 and not re.search(r"\s", clean["website"])):
        found.append(f"{where}: website must be a web address starting with https://")
    for field in ("phone", "text_number"):
        if clean[field] and not _PHONE.match(clean[field]):
            found.append(f"{where}: {field} {clean[field]!r} is not a UK number (e.g. 0800 1111, 116 123, 85258)")
    if clean["text_keyword"] and not clean["text_number"]:
        found.append(f"{where}: text_keyword needs a text_number to send it to")
    try:
        hours.parse(clean["hours"])
    except hours.HoursError as exc:
        found.append(f"{where}: {exc}")
    for field, highest in (("min_age", MAX_MIN_AGE), ("max_age", 120)):
        value = clean[field]
        if value in (None, ""):
            clean[field] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
            found.append(f"{where}: {field} must be a whole number of years from 0 to {highest}")
            clean[field] = None
    if clean["min_age"] is not None and clean["max_age"] is not None and clean["min_age"] > clean["max_age"]:
        found.append(f"{where}: min_age is above max_age")
    checked = clean["last_checked"]
    if isinstance(checked, dt.date):
        clean["last_checked"] = checked.isoformat()
    elif checked:
        try:
            dt.date.fromisoformat(str(checked))
        except ValueError:
            found.append(f"{where}: last_checked must be a date, YYYY-MM-DD")
    clean["last_checked"] = str(clean["last_checked"] or "")
    for flag in ("needs_check", "retired"):
        if clean[flag] not in (None, "", True, False):
            found.append(f"{where}: {flag} must be true or false")
        clean[flag] = clean[flag] is True
    needed = PROTECTED.get(rid)
    if needed and clean["retired"]:
        found.append(f"{where}: cannot be retired: the safety message for a young person in danger needs it")
    if needed and not clean[needed]:
        found.append(f"{where}: {needed} cannot be empty: the safety message for a young person in danger needs it")
    return clean, found


def encodable(text: str) -> bool:
    """Real text (no lone surrogates from a JSON or YAML escape): it can be stored and sent."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def for_young_person(resource: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any]:
    """What the chat protocol carries of a resource: no internal bookkeeping fields."""
    return {
        "id": resource["id"],
        "name": resource["name"],
        "description": resource["description"],
        "website": resource.get("website", ""),
        "phone": resource.get("phone", ""),
        "text_number": resource.get("text_number", ""),
        "text_keyword": resource.get("text_keyword", ""),
        "hours": resource.get("hours", ""),
        "open_now": hours.is_open(resource.get("hours", ""), now),
    }
