"""/console: the queue, most urgent first (risk, then waiting time). Handlers and supervisors."""

from __future__ import annotations

import time
from html import escape

from aiohttp import web

from .. import keys
from ..appkeys import REDIS
from ..staff import pages
from ..staff.auth import STAFF, requires, staff_session

LEVEL_LABEL = {"RED": "Red: in danger now", "AMBER": "Amber: safeguarding concern", "GREEN": "Green", "": "Asked for a person"}


@requires("handler", "supervisor")
async def queue(request: web.Request) -> web.Response:
    staff = request[STAFF]
    redis = request.config_dict[REDIS]
    ids = await redis.zrange(keys.QUEUE, 0, 99)
    rows = []
    now_ms = time.time() * 1000
    for position, conversation_id in enumerate(ids, 1):
        info = await redis.hgetall(keys.conversation(conversation_id))
        if not info:
            continue  # expired; the queue entry is cleaned when a handler takes the next one
        level = info.get("risk", "")
        waited = max(0, int((now_ms - int(info.get("queued_at") or now_ms)) / 60000))
        rows.append(
            f'<tr class="level-{escape(level.lower() or "none")}"><td>{position}</td>'
            f"<td>{escape(LEVEL_LABEL.get(level, level))}</td><td>{waited} min</td>"
            f"<td>{escape(info.get('queue_reason', ''))}</td><td><code>{escape(conversation_id[:8])}</code></td></tr>")
    body = ("<p>Most urgent first: risk, then how long the young person has waited.</p>"
            '<table><thead><tr><th scope="col">#</th><th scope="col">Risk</th><th scope="col">Waiting</th>'
            '<th scope="col">Why</th><th scope="col">Conversation</th></tr></thead><tbody>'
            + ("".join(rows) or '<tr><td colspan="5">Nobody is waiting.</td></tr>') + "</tbody></table>")
    return pages.render("The queue", body, signed_in_as=staff.name, csrf=staff.csrf)


def create() -> web.Application:
    app = web.Application(middlewares=[staff_session])
    app.router.add_get("/", queue)
    return app
