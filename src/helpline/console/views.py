"""/console: the call handlers' console (a live page over /console/ws), a plain queue page
that needs no script, and the canned replies supervisors edit. Handlers and supervisors."""

from __future__ import annotations

import logging
from html import escape

from aiohttp import web

from .. import log
from ..appkeys import CONVERSATIONS, HANDOFF, HUB, REDIS, SETTINGS
from ..chat.views import STATIC_DIR, origin_allowed
from ..staff import audit, pages
from ..staff.auth import STAFF, STAFF_TOKEN, requires, staff_session
from . import canned
from .socket import ConsoleSession
from .views_model import queue_items

logger = logging.getLogger("helpline.console")
LEVEL_LABEL = {"RED": "Red: in danger now", "AMBER": "Amber: safeguarding concern", "GREEN": "Green", "": "Asked for a person"}
CONSOLE_ROLES = ("handler", "supervisor")


@requires(*CONSOLE_ROLES)
async def console_page(request: web.Request) -> web.Response:
    staff = request[STAFF]
    page = (STATIC_DIR / "console.html").read_text(encoding="utf-8")
    for name, value in (("name", staff.name), ("role", staff.role), ("csrf", staff.csrf)):
        page = page.replace("{{" + name + "}}", escape(value, quote=True))
    return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})


async def console_socket(request: web.Request) -> web.StreamResponse:
    """The console's WebSocket: a signed-in handler or supervisor, from this site only (the
    cookie alone must not let another site's page in)."""
    staff = request[STAFF]
    if staff is None:
        raise web.HTTPUnauthorized(text="Sign in first.")
    if staff.must_change or staff.role not in CONSOLE_ROLES:
        raise web.HTTPForbidden(text="Your account cannot use the console.")
    if request.headers.get("Origin") is None or not origin_allowed(request):
        log.event(logger, "console_origin_refused", logging.WARNING)
        raise web.HTTPForbidden(text="The console can only be opened from its own page.")
    settings = request.config_dict[SETTINGS]
    ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=1024 * 1024)
    await ws.prepare(request)
    log.event(logger, "console_opened", staff=staff.name)
    session = ConsoleSession(ws, staff, request.config_dict[REDIS], request.config_dict[CONVERSATIONS],
                             request.config_dict[HANDOFF], request.config_dict[HUB], settings.max_message_chars,
                             settings.handler_grace_seconds, token=request[STAFF_TOKEN])
    await session.run()
    return ws


console_socket.roles = CONSOLE_ROLES  # type: ignore[attr-defined]  # read by the route-walk test


@requires(*CONSOLE_ROLES)
async def queue_page(request: web.Request) -> web.Response:
    """The queue without any script: most urgent first (risk, then waiting time)."""
    staff = request[STAFF]
    # The same items the live console shows (expired conversations skipped).
    items = await queue_items(request.config_dict[REDIS], request.config_dict[CONVERSATIONS])
    rows = []
    for item in items:
        level = item["level"]
        rows.append(
            f'<tr class="level-{escape(level.lower() or "none")}"><td>{item["position"]}</td>'
            f"<td>{escape(LEVEL_LABEL.get(level, level))}</td><td>{item['waiting_s'] // 60} min</td>"
            f"<td>{escape(item['reason'])}</td><td><code>{escape(item['conversation'][:8])}</code></td></tr>")
    body = ('<p>Most urgent first: risk, then how long the young person has waited. '
            '<a href="/console/">Open the live console</a> to take a conversation.</p>'
            '<table><thead><tr><th scope="col">#</th><th scope="col">Risk</th><th scope="col">Waiting</th>'
            '<th scope="col">Why</th><th scope="col">Conversation</th></tr></thead><tbody>'
            + ("".join(rows) or '<tr><td colspan="5">Nobody is waiting.</td></tr>') + "</tbody></table>")
    return pages.render("The queue", body, signed_in_as=staff.name, csrf=staff.csrf)


def canned_form(csrf: str, reply: dict[str, str] | None = None) -> str:
    reply = reply or {"id": "", "title": "", "text": ""}
    existing = bool(reply["id"])
    id_field = (f'<input type="hidden" name="id" value="{escape(reply["id"])}">' if existing else
                '<label>Id (letters, digits, dashes)<input name="id" required pattern="[a-z0-9][a-z0-9-]{0,39}"></label>')
    delete = ('<button type="submit" name="action" value="delete" class="secondary">Delete</button>'
              if existing else "")
    return f"""<form method="post" action="/console/canned" class="stack canned">
  <input type="hidden" name="csrf" value="{escape(csrf)}">{id_field}
  <label>Title<input name="title" required maxlength="{canned.MAX_TITLE}" value="{escape(reply["title"])}"></label>
  <label>Reply<textarea name="text" required maxlength="{canned.MAX_TEXT}" rows="3">{escape(reply["text"])}</textarea></label>
  <div><button type="submit" name="action" value="save">{"Save" if existing else "Add"}</button> {delete}</div>
</form>"""


async def _canned_response(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    staff = request[STAFF]
    replies = await canned.all_replies(request.config_dict[REDIS])
    body = (message + "<p>Handlers pick one of these and edit it before sending. Keep them short and warm.</p>"
            + "".join(canned_form(staff.csrf, r) for r in replies) + "<h2>Add a reply</h2>" + canned_form(staff.csrf))
    return pages.render("Canned replies", body, status=status, signed_in_as=staff.name, csrf=staff.csrf)


@requires("supervisor")
async def canned_page(request: web.Request) -> web.Response:
    return await _canned_response(request)


@requires("supervisor")
async def canned_change(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    form = await request.post()
    reply_id = str(form.get("id", ""))
    try:
        if form.get("action") == "delete":
            await canned.remove(redis, reply_id)
            await audit.record(redis, staff.name, "canned_deleted", reply=reply_id)
            return await _canned_response(request, pages.notice("Deleted.", "ok"))
        await canned.put(redis, reply_id, str(form.get("title", "")), str(form.get("text", "")))
    except canned.CannedError as exc:
        return await _canned_response(request, pages.notice(str(exc)), status=400)
    await audit.record(redis, staff.name, "canned_saved", reply=reply_id)
    return await _canned_response(request, pages.notice("Saved.", "ok"))


def create() -> web.Application:
    app = web.Application(middlewares=[staff_session])
    app.router.add_get("/", console_page)
    app.router.add_get("/ws", console_socket)
    app.router.add_get("/queue", queue_page)
    app.router.add_get("/canned", canned_page)
    app.router.add_post("/canned", canned_change)
    return app
