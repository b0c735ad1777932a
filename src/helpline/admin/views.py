"""/admin: the content editor, for editors and supervisors. The first screen lists the services
that need a look (not checked for a while, or marked needs check), then finds services by words,
scope, topic and flag. Import and export of the seed's YAML format live here too.

Every change writes the live keys the bot's actions and the gateway read (content/store.py), so
it is in the next answer on every gateway process, with no restart and no retraining.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from aiohttp import web

from ..appkeys import REDIS, SETTINGS
from ..content import store
from ..staff import audit
from ..staff.auth import STAFF, requires, staff_session
from . import api, history_views, pages, resource_views, search, topic_views, transfer, versions

EDITORS = ("editor", "supervisor")


def _row(resource: dict, topics: dict, days: int) -> str:
    reasons = search.why_flagged(resource, days)
    flags = "".join(f'<span class="flag">{escape(r)}</span>' for r in reasons)
    if resource.get("retired"):
        flags += '<span class="flag flag--retired">retired</span>'
    used = len(search.topics_using(resource["id"], topics))
    return (f'<tr><td><a href="/admin/resources/{escape(resource["id"])}">{escape(resource["name"])}</a></td>'
            f'<td>{escape(resource["scope"])}</td><td>{escape(resource.get("phone") or "")}</td>'
            f"<td>{used}</td><td>{flags}</td></tr>")


def _table(rows: list[str], empty: str) -> str:
    return ('<table class="results"><thead><tr><th scope="col">Service</th><th scope="col">Scope</th>'
            '<th scope="col">Phone</th><th scope="col">Topics</th><th scope="col">Flags</th></tr></thead>'
            f'<tbody>{"".join(rows) or f"<tr><td colspan=5>{escape(empty)}</td></tr>"}</tbody></table>')


def _filters(query: search.Query, topics: dict) -> str:
    def options(choices: list[tuple[str, str]], chosen: str) -> str:
        return "".join(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(label)}</option>'
                       for v, label in choices)
    scopes = [("", "Any"), ("local", "Local"), ("national", "National")]
    topic_choices = [("", "Any"), *((t, t) for t in topics)]
    return ('<form method="get" action="/admin/" class="filters" role="search">'
            f'<label>Words <input name="q" value="{escape(query.text)}" type="search"></label>'
            f'<label>Scope <select name="scope">{options(scopes, query.scope)}</select></label>'
            f'<label>Topic <select name="topic">{options(topic_choices, query.topic)}</select></label>'
            f'<label>Flag <select name="flag">{options(list(search.FLAGS.items()), query.flag)}</select></label>'
            '<button type="submit">Find</button></form>')


@requires(*EDITORS)
async def home(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    days = request.config_dict[SETTINGS].content_stale_days
    resources = await store.all_resources(redis)
    topics = await store.all_topics(redis)
    query = search.Query.from_params(request.query)
    attention = [r for r in resources if not r.get("retired") and search.why_flagged(r, days)]
    flagged = ""
    if attention:
        items = "".join(f'<li><a href="/admin/resources/{escape(r["id"])}">{escape(r["name"])}</a>: '
                        f'{escape(", ".join(search.why_flagged(r, days)))}</li>' for r in attention)
        flagged = (f'<section class="attention" aria-labelledby="attention"><h2 id="attention">Needs a look '
                   f"({len(attention)})</h2><p>Not checked for more than {days} days (or never), or marked "
                   f'needs check. Check the details with the service, then save with "I checked these details '
                   f'today" ticked.</p><ul>{items}</ul></section>')
    found = search.search(resources, query, topics, days)
    live = sum(1 for r in resources if not r.get("retired"))
    body = (f"<p>{live} services are live, {len(resources) - live} retired. Changes are live for the next "
            f'message. <a href="/admin/new">Add a service</a></p>{flagged}<h2>Find a service</h2>'
            f"{_filters(query, topics)}<p>{len(found)} found.</p>"
            f"{_table([_row(r, topics, days) for r in found], 'No service matches.')}")
    return pages.render("Signposting content", body, staff)


@requires(*EDITORS)
async def transfer_page(request: web.Request) -> web.Response:
    staff = request[STAFF]
    body = ("<h2>Export</h2><p>The live content, in the same format as the seed in <code>data/content/</code>: "
            "two files, retired services included (marked <code>retired: true</code>).</p>"
            '<ul><li><a href="/admin/export/resources.yml" download>resources.yml</a></li>'
            '<li><a href="/admin/export/topics.yml" download>topics.yml</a></li></ul>'
            "<h2>Import</h2><p>A <code>resources.yml</code>, a <code>topics.yml</code>, or one file with both "
            "<code>resources:</code> and <code>topics:</code> at the top. The whole file is checked first: if "
            "anything is wrong nothing changes, and every problem is listed. Each service and topic in the file "
            "becomes live as a new version; anything not in the file stays as it is.</p>"
            '<form method="post" action="/admin/import" enctype="multipart/form-data" class="stack">'
            f'{pages.csrf_field(staff)}<label for="file">File</label>'
            '<input id="file" name="file" type="file" accept=".yml,.yaml,text/yaml" required>'
            '<button type="submit">Import</button></form>')
    return pages.render("Import and export", body, staff)


async def _export(request: web.Request, which: str) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    text = await (transfer.export_resources if which == "resources" else transfer.export_topics)(redis, staff.name, at)
    await audit.record(redis, staff.name, "content_exported", file=f"{which}.yml")
    return web.Response(text=text, content_type="application/yaml", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="{which}.yml"', "Cache-Control": "no-store"})


@requires(*EDITORS)
async def export_resources(request: web.Request) -> web.Response:
    return await _export(request, "resources")


@requires(*EDITORS)
async def export_topics(request: web.Request) -> web.Response:
    return await _export(request, "topics")


@requires(*EDITORS)
async def import_file(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    form = await request.post()
    upload = form.get("file")
    raw = upload.file.read() if hasattr(upload, "file") else str(upload or "").encode()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    checked = (await transfer.check_file(redis, text) if text is not None
               else transfer.Checked(problems=["the file is not UTF-8 text"]))
    if checked.problems:
        body = pages.problems(checked.problems, "Nothing was imported: nothing changed. Fix these and import again:")
        return pages.render("Import", body + '<p><a href="/admin/transfer">Back</a></p>', staff, status=400)
    try:
        changed_resources, changed_topics = await transfer.apply(redis, checked, staff.name)
    except versions.Conflict as exc:
        body = pages.notice(str(exc)) + '<p><a href="/admin/transfer">Back</a></p>'
        return pages.render("Import", body, staff, status=409)
    await audit.record(redis, staff.name, "content_imported", resources=",".join(changed_resources),
                       topics=",".join(changed_topics))
    same = len(checked.resources) + len(checked.topics) - len(changed_resources) - len(changed_topics)
    listed = "".join(f'<li><a href="/admin/resources/{escape(r)}">{escape(r)}</a></li>' for r in changed_resources)
    listed += "".join(f'<li><a href="/admin/topics/{escape(t)}">topic {escape(t)}</a></li>' for t in changed_topics)
    body = (pages.notice(f"Imported: {len(changed_resources)} service(s) and {len(changed_topics)} topic(s) changed "
                         f"(each a new version, live now); {same} were already the same.", "ok")
            + (f"<ul>{listed}</ul>" if listed else "") + '<p><a href="/admin/">Back to the services</a></p>')
    return pages.render("Import", body, staff)


def create() -> web.Application:
    app = web.Application(middlewares=[staff_session])
    app.router.add_get("/", home)
    resource_views.add_routes(app)
    topic_views.add_routes(app)
    history_views.add_routes(app)
    app.router.add_get("/transfer", transfer_page)
    app.router.add_get("/export/resources.yml", export_resources)
    app.router.add_get("/export/topics.yml", export_topics)
    app.router.add_post("/import", import_file)
    api.add_routes(app)
    return app
