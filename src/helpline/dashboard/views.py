"""/dashboard: the impact dashboard (supervisors only) and its CSV export.

GET /dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD     the page (default: the last 30 days)
GET /dashboard/export.csv?from=..&to=..          the same figures, one row each (docs/dashboard.md)

Both read only the per-day counters (helpline.metrics) and resource names: never a conversation.
"""

from __future__ import annotations

import csv
import io

from aiohttp import web

from ..appkeys import REDIS
from ..staff import audit, pages
from ..staff.auth import STAFF, requires, staff_session
from . import periods, render
from .figures import Figures, load

TITLE = "Impact dashboard"
STYLESHEETS = ("staff.css", "dashboard.css")
CSV_COLUMNS = ["metric", "key", "label", "value"]


def _page(request: web.Request, body: str, status: int = 200) -> web.Response:
    staff = request[STAFF]
    return pages.render(TITLE, body, status=status, signed_in_as=staff.name, csrf=staff.csrf,
                        stylesheets=STYLESHEETS)


@requires("supervisor")
async def dashboard_page(request: web.Request) -> web.Response:
    today = periods.today()
    try:
        start, end = periods.parse(request.query, today)
    except periods.PeriodError as exc:
        return _page(request, render.error_body(str(exc), request.query.get("from", ""),
                                                request.query.get("to", ""), today), status=400)
    figures = await load(request.config_dict[REDIS], start, end)
    return _page(request, render.body(figures, today))


def _cell(value: str) -> str:
    """A spreadsheet must not run what it opens: a cell that starts like a formula is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(figures: Figures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in figures.rows():
        writer.writerow([row.metric, _cell(row.key), _cell(row.label), render.raw(row.value)])
    return buffer.getvalue()


@requires("supervisor")
async def export_csv(request: web.Request) -> web.Response:
    try:
        start, end = periods.parse(request.query, periods.today())
    except periods.PeriodError as exc:
        return web.Response(text=str(exc) + "\n", status=400, content_type="text/plain",
                            headers={"Cache-Control": "no-store"})
    figures = await load(request.config_dict[REDIS], start, end)
    # Figures only, nothing identifying; the download is still recorded, like the audit log's.
    await audit.record(request.config_dict[REDIS], request[STAFF].name, "figures_exported",
                       start=start.isoformat(), end=end.isoformat())
    return web.Response(body=to_csv(figures).encode("utf-8"), headers={
        "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="helpline-figures-{start.isoformat()}-to-{end.isoformat()}.csv"',
        "Content-Security-Policy": "default-src 'none'"})


def create() -> web.Application:
    app = web.Application(middlewares=[staff_session])
    app.router.add_get("", dashboard_page)  # /dashboard
    app.router.add_get("/", dashboard_page)  # /dashboard/
    app.router.add_get("/export.csv", export_csv)
    return app
