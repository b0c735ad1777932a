"""The editor's pages for one resource: create, edit with a preview, retire and bring back."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from aiohttp import web

from .. import keys
from ..appkeys import REDIS, SETTINGS
from ..content import model, store
from ..staff import audit
from ..staff.auth import STAFF, requires
from . import forms, pages, paths, preview, search, versions

EDITORS = ("editor", "supervisor")
BLANK = {"id": "", "name": "", "description": "", "website": "", "phone": "", "text_number": "", "text_keyword": "",
         "hours": "", "min_age": None, "max_age": None, "scope": "", "last_checked": "", "needs_check": False,
         "retired": False}


async def live(redis: Any, rid: str) -> dict[str, Any] | None:
    raw = await redis.get(keys.content_resource(rid))
    return json.loads(raw) if raw else None


async def _current(request: web.Request) -> tuple[str, dict[str, Any]]:
    """The resource the address names, as it is live now, or 404."""
    rid = request.match_info["rid"]
    resource = await live(request.config_dict[REDIS], rid)
    if resource is None:
        raise web.HTTPNotFound(text="No such resource.")
    return rid, resource


def _preview_of(resource: dict[str, Any], found: list[str], unsaved: bool) -> str:
    if found:
        return ('<section class="preview"><h2>Preview</h2><p class="hint">Fix the problems above to see how '
                "a young person would see it.</p></section>")
    note = "Not saved yet: this is how it will look." if unsaved else "What a young person sees now, in the chat."
    if resource.get("retired"):
        note = "Retired: young people do not see it. This is how it looked."
    return preview.section("Preview", "", [{**resource, "retired": False}], note)


async def _edit_page(request: web.Request, rid: str, resource: dict[str, Any], found: list[str] | None = None,
                     message: str = "", status: int = 200, unsaved: bool = False) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    found = found or []
    number = await versions.current_number(redis, "resource", rid)
    topics = await store.all_topics(redis)
    used = search.topics_using(rid, topics)
    reasons = search.why_flagged(resource, request.config_dict[SETTINGS].content_stale_days)
    facts = [f"Version {number}", "Retired" if resource.get("retired") else "Live"]
    flags = "".join(f'<span class="flag">{escape(r)}</span>' for r in reasons)
    used_by = ", ".join(f'<a href="/admin/topics/{escape(t)}">{escape(t)}</a>' for t in used) or "no topic"
    retire_action, retire_label = ("restore", "Bring it back") if resource.get("retired") else ("retire", "Retire")
    retire_hint = ("It is kept, with its history, and can be brought back." if retire_action == "retire"
                   else "It will show again in the answers of the topics that list it.")
    retire = (f'<form method="post" action="/admin/resources/{escape(rid)}/retire" class="inline">'
              f'{pages.csrf_field(staff)}<input type="hidden" name="base" value="{number}">'
              f'<button type="submit" name="action" value="{retire_action}" class="secondary">{retire_label}</button> '
              f'<span class="hint">{escape(retire_hint)}</span></form>')
    body = (f"{message}{pages.problems(found)}"
            f'<p class="facts">{" · ".join(escape(f) for f in facts)} {flags}</p>'
            f"<p>Answers the topics: {used_by}. <a href=\"/admin/resources/{escape(rid)}/history\">History</a></p>"
            f'<div class="editor">{forms.resource_form(staff, f"/admin/resources/{rid}", resource, number, found, False)}'
            f"{_preview_of(resource, found, unsaved)}</div>{retire}")
    return pages.render(f"Edit: {resource.get('name') or rid}", body, staff, status)


@requires(*EDITORS)
async def edit_page(request: web.Request) -> web.Response:
    rid, resource = await _current(request)
    message = pages.saved_notice(request.query.get("saved", ""))
    return await _edit_page(request, rid, {**BLANK, **resource}, message=message)


@requires(*EDITORS)
async def save(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    rid, current = await _current(request)
    form = await request.post()
    raw = forms.resource_from_form(form, rid, current)
    clean, found = model.check(raw)
    if form.get("action") == "preview" or found:
        return await _edit_page(request, rid, {**raw, **clean} if not found else raw, found,
                                status=400 if found else 200, unsaved=True)
    changed = [f for f, _, _ in versions.diff(current, clean)]
    if not changed:
        return await _edit_page(request, rid, clean, message=pages.notice("Nothing changed.", "ok"))
    try:
        number = await versions.save_resource(redis, clean, staff.name, "edit",
                                              base=forms.base_version(form))
    except versions.Conflict as exc:
        return await _edit_page(request, rid, raw, [str(exc)], status=409, unsaved=True)
    await audit.record(redis, staff.name, "content_changed", resource=rid, version=number, fields=",".join(changed))
    raise web.HTTPSeeOther(f"/admin/resources/{rid}?saved={number}")


@requires(*EDITORS)
async def new_page(request: web.Request) -> web.Response:
    staff = request[STAFF]
    body = ('<div class="editor">' + forms.resource_form(staff, "/admin/new", BLANK, 0, [], True) + "</div>")
    return pages.render("Add a service", body, staff)


@requires(*EDITORS)
async def create(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    form = await request.post()
    rid = str(form.get("id", "")).strip()
    raw = forms.resource_from_form(form, rid, None)
    clean, found = model.check(raw)
    if not found and form.get("action") != "preview":
        try:
            number = await versions.save_resource(redis, clean, staff.name, "create", create=True)
        except versions.Conflict as exc:
            found = [str(exc)]
        else:
            await audit.record(redis, staff.name, "content_created", resource=rid, version=number)
            raise web.HTTPSeeOther(f"/admin/resources/{rid}?saved={number}")
    body = (pages.problems(found) + '<div class="editor">'
            + forms.resource_form(staff, "/admin/new", raw, 0, found, True)
            + _preview_of({**raw, **clean}, found, True) + "</div>")
    return pages.render("Add a service", body, staff, status=400 if found else 200)


@requires(*EDITORS)
async def retire(request: web.Request) -> web.StreamResponse:
    """Retire (hide from every answer, keep with its history) or bring back."""
    staff, redis = request[STAFF], request.config_dict[REDIS]
    rid, current = await _current(request)
    form = await request.post()
    retiring = form.get("action") != "restore"
    if bool(current.get("retired")) == retiring:
        raise web.HTTPSeeOther(f"/admin/resources/{rid}")
    try:
        number = await versions.save_resource(redis, {**BLANK, **current, "retired": retiring}, staff.name,
                                              "retire" if retiring else "restore",
                                              base=forms.base_version(form))
    except (versions.Conflict, model.ResourceError) as exc:
        status = 409 if isinstance(exc, versions.Conflict) else 400
        return await _edit_page(request, rid, {**BLANK, **current}, [str(exc)], status=status)
    await audit.record(redis, staff.name, "content_retired" if retiring else "content_restored",
                       resource=rid, version=number)
    raise web.HTTPSeeOther(f"/admin/resources/{rid}?saved={number}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/new", new_page)
    app.router.add_post("/new", create)
    app.router.add_get(paths.RESOURCE, edit_page)
    app.router.add_post(paths.RESOURCE, save)
    app.router.add_post(paths.RESOURCE + "/retire", retire)
