"""The editor's forms: a resource and a topic, drawn (every value escaped) and read back."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from ..staff.sessions import Session
from .pages import csrf_field
from . import versions
from .search import today

LABELS = {
    "id": "Id", "name": "Name", "description": "Description", "website": "Website", "phone": "Phone number",
    "text_number": "Text number", "text_keyword": "Text keyword", "hours": "Opening hours",
    "min_age": "Youngest age", "max_age": "Oldest age", "scope": "Scope", "last_checked": "Last checked",
    "needs_check": "Needs check", "retired": "Retired", "intro": "What the bot says",
    "resources": "Services, in order",
}
HINTS = {
    "hours": "'24/7', 'Mon-Fri 09:00-17:00', 'Mon-Thu 08:45-17:00; Fri 08:45-16:30'; empty if not known "
             "(never shown as open)",
    "min_age": "0 to 25; empty if any age", "max_age": "empty if any age",
    "website": "https:// address", "phone": "UK number, e.g. 0800 1111 or 116 123",
    "text_number": "UK number or short code, e.g. 85258",
    "last_checked": "the date someone checked these details against the service",
    "needs_check": "tick when a detail could not be confirmed",
}
NUMBER = re.compile(r"[0-9]{1,9}")  # a version number or an age, as a form sends it
TEXT_FIELDS = ["name", "description", "website", "phone", "text_number", "text_keyword", "hours", "last_checked"]


def version_number(raw: Any) -> int | None:
    """A version number sent back by a form (the `base` a change was made on, or the one to go
    back to); None when it is missing or not a number."""
    raw = str(raw or "")
    return int(raw) if NUMBER.fullmatch(raw) else None


def base_version(form: Any) -> int:
    """The version a form's change was made on. Every editor form carries it; one without it
    (hand-made, or mangled) is refused like a stale one, so no save can skip the check."""
    number = version_number(form.get("base"))
    if number is None:
        raise versions.Conflict("This form did not say which version it changed: reload the page and try again.", 0)
    return number


def _age(value: str) -> Any:
    value = value.strip()
    if not value:
        return None
    # ASCII digits only ("²".isdigit() is true), and not so many that int() refuses them:
    # anything else goes on as text and validation says it is not a whole number of years.
    return int(value) if NUMBER.fullmatch(value) else value


def resource_from_form(form: Any, rid: str, current: dict[str, Any] | None) -> dict[str, Any]:
    """The resource the form describes; the retired flag is kept as it is (retire has its own button)."""
    raw: dict[str, Any] = {"id": rid}
    for name in TEXT_FIELDS:
        raw[name] = str(form.get(name, "")).strip()
    raw["scope"] = str(form.get("scope", ""))
    raw["min_age"], raw["max_age"] = _age(str(form.get("min_age", ""))), _age(str(form.get("max_age", "")))
    raw["needs_check"] = form.get("needs_check") == "yes"
    if form.get("checked_today") == "yes":
        raw["last_checked"] = today().isoformat()
    raw["retired"] = bool((current or {}).get("retired"))
    return raw


def _invalid(field: str, found: list[str]) -> bool:
    return any(f": {field} " in p or p.endswith(f": {field}") or f"field(s) {field}" in p for p in found)


def _input(name: str, value: Any, found: list[str], kind: str = "text", extra: str = "") -> str:
    hint = f'<span class="hint" id="{name}-hint">{escape(HINTS[name])}</span>' if name in HINTS else ""
    described = f' aria-describedby="{name}-hint"' if name in HINTS else ""
    invalid = ' aria-invalid="true"' if _invalid(name, found) else ""
    shown = "" if value is None else str(value)
    if name == "description":
        control = (f'<textarea id="f-{name}" name="{name}" rows="3"{described}{invalid}>'
                   f"{escape(shown)}</textarea>")
    else:
        control = f'<input id="f-{name}" name="{name}" type="{kind}" value="{escape(shown)}"{described}{invalid}{extra}>'
    return f'<label for="f-{name}">{escape(LABELS[name])}</label>{control}{hint}'


def resource_form(staff: Session, action: str, resource: dict[str, Any], base: int, found: list[str],
                  creating: bool) -> str:
    r = resource
    fields = []
    if creating:
        fields.append(_input("id", r.get("id", ""), found, extra=' required pattern="[a-z0-9][a-z0-9\\-]{0,62}"'))
    for name in ("name", "description", "website", "phone", "text_number", "text_keyword", "hours"):
        fields.append(_input(name, r.get(name, ""), found, kind="url" if name == "website" else "text"))
    fields.append(_input("min_age", r.get("min_age"), found, kind="text", extra=' inputmode="numeric"'))
    fields.append(_input("max_age", r.get("max_age"), found, kind="text", extra=' inputmode="numeric"'))
    scope_options = "".join(
        f'<option value="{s}"{" selected" if r.get("scope") == s else ""}>{s.title()}</option>'
        for s in ("local", "national"))
    fields.append(f'<label for="f-scope">Scope</label><select id="f-scope" name="scope">'
                  f'<option value="">Choose…</option>{scope_options}</select>')
    fields.append(_input("last_checked", r.get("last_checked", ""), found, kind="date"))
    checked = " checked" if r.get("needs_check") else ""
    fields.append(f'<label class="check"><input type="checkbox" name="needs_check" value="yes"{checked}> '
                  f'Needs check <span class="hint">({escape(HINTS["needs_check"])})</span></label>')
    fields.append('<label class="check"><input type="checkbox" name="checked_today" value="yes"> '
                  'I checked these details with the service today</label>')
    return (f'<form method="post" action="{escape(action)}" class="stack editor-form" novalidate>{csrf_field(staff)}'
            f'<input type="hidden" name="base" value="{base}">{"".join(fields)}'
            '<div class="buttons"><button type="submit" name="action" value="preview" class="secondary">Preview</button>'
            f'<button type="submit" name="action" value="save">{"Create" if creating else "Save"}</button></div></form>')


def topic_from_form(form: Any) -> dict[str, Any]:
    chosen = [str(v) for v in form.getall("resource", []) if str(v).strip()]
    return {"intro": str(form.get("intro", "")).strip(), "resources": chosen}


def topic_form(staff: Session, name: str, answer: dict[str, Any], resources: list[dict[str, Any]],
               base: int, found: list[str]) -> str:
    """The intro, then one list box per place in the order (a few empty ones to add more)."""
    by_id = {r["id"]: r for r in resources}
    rows = []
    listed = list(answer.get("resources", []))
    for place, chosen in enumerate([*listed, "", "", ""], 1):
        options = ['<option value="">(none)</option>']
        for r in resources:
            if r.get("retired") and r["id"] != chosen:
                continue
            label = f"{r['name']} ({r['id']})" + (" – retired, not shown" if r.get("retired") else "")
            selected = " selected" if r["id"] == chosen else ""
            options.append(f'<option value="{escape(r["id"])}"{selected}>{escape(label)}</option>')
        if chosen and chosen not in by_id:
            options.append(f'<option value="{escape(chosen)}" selected>{escape(chosen)} (unknown)</option>')
        rows.append(f'<li><label for="r-{place}">Place {place}</label>'
                    f'<select id="r-{place}" name="resource">{"".join(options)}</select></li>')
    invalid = ' aria-invalid="true"' if any("intro" in p for p in found) else ""
    return (f'<form method="post" action="/admin/topics/{escape(name)}" class="stack editor-form" novalidate>'
            f'{csrf_field(staff)}<input type="hidden" name="base" value="{base}">'
            f'<label for="f-intro">What the bot says</label>'
            f'<textarea id="f-intro" name="intro" rows="5"{invalid}>{escape(answer.get("intro", ""))}</textarea>'
            '<fieldset><legend>Services shown, most useful first</legend>'
            f'<ol class="order">{"".join(rows)}</ol>'
            '<p class="hint">To move a service, choose it at its new place and (none) at its old one.</p></fieldset>'
            '<div class="buttons"><button type="submit" name="action" value="preview" class="secondary">Preview</button>'
            '<button type="submit" name="action" value="save">Save</button></div></form>')


def field_label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def shown(value: Any) -> str:
    """A value as a person reads it in a history or a diff."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)

