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
}

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# 0151 606 2008, 0800 1111, 116 123, 999, 85258
_PHONE = re.compile(r"^(?:0\d{2,4} ?\d{3,4}(?: ?\d{3,4})?|\d{3}(?: ?\d{3})?|\d{5,6})$")


class ResourceError(ValueError):
    """A resource that fails validation; the message names the resource and the field."""


def validate(raw: dict[str, Any]) -> dict[str, Any]:
    """A clean copy of one resource, or ResourceError saying what is wrong."""
    rid = str(raw.get("id", "")).strip()
    where = f"resource {rid or '(no id)'}"
    unknown = set(raw) - set(FIELDS)
    if unknown:
        raise ResourceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for name, (required, _) in FIELDS.items():
        value = raw.get(name)
        if isinstance(value, str):
            value = value.strip()
        if required and value in (None, ""):
            raise ResourceError(f"{where}: {name} is required")
        clean[name] = value
    if not _ID.match(rid):
        raise ResourceError(f"{where}: id must be lower case letters, digits and hyphens")
    if clean["scope"] not in ("local", "national"):
        raise ResourceError(f"{where}: scope must be 'local' or 'national'")
    if clean["website"] and not str(clean["website"]).startswith("https://"):
        raise ResourceError(f"{where}: website must start with https://")
    for field in ("phone", "text_number"):
        if clean[field] and not _PHONE.match(str(clean[field])):
            raise ResourceError(f"{where}: {field} {clean[field]!r} is not a UK number")
        clean[field] = str(clean[field] or "")
    try:
        hours.parse(clean["hours"] or "")
    except hours.HoursError as exc:
        raise ResourceError(f"{where}: {exc}") from None
    for field in ("min_age", "max_age"):
        if clean[field] not in (None, ""):
            if not isinstance(clean[field], int) or not 0 <= clean[field] <= 120:
                raise ResourceError(f"{where}: {field} must be a whole number of years")
        else:
            clean[field] = None
    if clean["min_age"] is not None and clean["max_age"] is not None and clean["min_age"] > clean["max_age"]:
        raise ResourceError(f"{where}: min_age is above max_age")
    checked = clean["last_checked"]
    if isinstance(checked, dt.date):
        clean["last_checked"] = checked.isoformat()
    elif checked:
        try:
            dt.date.fromisoformat(str(checked))
        except ValueError:
            raise ResourceError(f"{where}: last_checked must be a date, YYYY-MM-DD") from None
    clean["last_checked"] = clean["last_checked"] or ""
    clean["needs_check"] = bool(clean["needs_check"])
    for field in ("website", "hours", "text_keyword"):
        clean[field] = str(clean[field] or "")
    return clean


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
