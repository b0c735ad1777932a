"""The editor's pages for topics: what the bot says, and which services answer, in what order."""

from __future__ import annotations

from html import escape
from typing import Any

from aiohttp import web

from .. import keys
from ..appkeys import REDIS
from ..content import model, store
from ..staff import audit
from ..staff.auth import STAFF, requires
from . import forms, pages, paths, preview, versions

EDITORS = ("editor", "supervisor")


@requires(*EDITORS)
async def topics_page(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    topics = await store.all_topics(redis)
    retired = {r["id"] for r in await store.all_resources(redis) if r.get("retired")}
    rows = []
    for name, answer in topics.items():
        intro = answer["intro"] if len(answer["intro"]) <= 90 else answer["intro"][:87] + "…"
        shown = [rid for rid in answer["resources"] if rid not in retired]
        rows.append(f'<tr><td><a href="/admin/topics/{escape(name)}">{escape(name)}</a></td><td>{escape(intro)}</td>'
                    f"<td>{len(shown)}</td></tr>")
    body = ("<p>A topic is what the bot (or the gateway, when the bot is down) answers when a young person "
            "talks about it: the words, then the services, most useful first.</p>"
            '<table><thead><tr><th scope="col">Topic</th><th scope="col">What the bot says</th>'
            f'<th scope="col">Services shown</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return pages.render("Topics", body, staff)


async def _topic_page(request: web.Request, name: str, answer: dict[str, Any], found: list[str] | None = None,
                      message: str = "", status: int = 200, unsaved: bool = False) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    found = found or []
    resources = await store.all_resources(redis)
    number = await versions.current_number(redis, "topic", name)
    if found:
        shown = '<section class="preview"><h2>Preview</h2><p class="hint">Fix the problems above to see it.</p></section>'
    else:
        by_id = {r["id"]: r for r in resources}
        listed = [by_id[rid] for rid in answer["resources"] if rid in by_id]
        note = ("Not saved yet: this is how the answer will look." if unsaved else
                "The answer a young person gets now (retired services are left out; 'Open now' is as of this moment).")
        shown = preview.section("Preview", answer["intro"], listed, note)
    body = (f"{message}{pages.problems(found)}<p class=\"facts\">Version {number} · "
            f'<a href="/admin/topics/{escape(name)}/history">History</a></p>'
            f'<div class="editor">{forms.topic_form(staff, name, answer, resources, number, found)}{shown}</div>')
    return pages.render(f"Topic: {name}", body, staff, status)


@requires(*EDITORS)
async def topic_page(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    answer = await store.topic(request.config_dict[REDIS], name)
    if answer is None:
        raise web.HTTPNotFound(text="No such topic.")
    return await _topic_page(request, name, answer, message=pages.saved_notice(request.query.get("saved", "")))


@requires(*EDITORS)
async def save(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    name = request.match_info["name"]
    current = await store.topic(redis, name)
    if current is None:
        raise web.HTTPNotFound(text="No such topic.")
    form = await request.post()
    raw = forms.topic_from_form(form)
    try:
        clean = store.validate_topic(name, raw, await redis.smembers(keys.CONTENT_RESOURCE_IDS))
    except model.ResourceError as exc:
        return await _topic_page(request, name, raw, exc.problems, status=400, unsaved=True)
    if form.get("action") == "preview":
        return await _topic_page(request, name, clean, unsaved=True)
    if clean == current:
        return await _topic_page(request, name, clean, message=pages.notice("Nothing changed.", "ok"))
    try:
        number = await versions.save_topic(redis, name, clean, staff.name,
                                           base=forms.base_version(form))
    except versions.Conflict as exc:
        return await _topic_page(request, name, clean, [str(exc)], status=409, unsaved=True)
    changed = ",".join(f for f, _, _ in versions.diff(current, clean))
    await audit.record(redis, staff.name, "topic_changed", topic=name, version=number, fields=changed)
    raise web.HTTPSeeOther(f"/admin/topics/{name}?saved={number}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/topics", topics_page)
    app.router.add_get(paths.TOPIC, topic_page)
    app.router.add_post(paths.TOPIC, save)
