"""/staff/audit: supervisors read the audit log (the Redis stream keys.AUDIT), newest first,
searched by person, kind and date (Europe/London days), 100 entries a page, and download what
they searched for as CSV. The application has no way to edit or delete an entry.

The log holds who did what and to what (names, conversation ids, kinds), never message text;
these pages show every field of an entry, escaped, and add nothing to it but the export entry.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from redis.asyncio import Redis

from .. import keys
from ..appkeys import REDIS
from . import audit, pages
from .auth import STAFF, requires

LONDON = ZoneInfo("Europe/London")
PAGE_SIZE = 100
BATCH = 500  # entries read from Redis at a time
PAGE_BUDGET = 20_000  # entries looked through for one page before offering to search further
STREAM_ID = re.compile(r"[0-9]{1,15}-[0-9]{1,19}")  # ASCII digits only (\d matches "١"); fullmatch
HIDDEN = ("who", "kind", "at")  # shown in their own columns
# Suggestions for the kind box; any kind recorded can be searched for.
KNOWN_KINDS = ("login", "login_failed", "password_changed", "password_change_locked", "transcript_view", "taken",
               "handed_back", "released", "transferred", "closed", "requeued_lost_handler", "canned_saved",
               "canned_deleted", "account_added", "account_disabled", "account_enabled", "password_reset",
               "role_changed", "audit_exported", "content_created", "content_changed", "content_retired",
               "content_restored", "content_reverted", "topic_changed", "topic_reverted", "content_exported",
               "content_imported", "figures_exported")


class FilterError(ValueError):
    pass


def _id_key(stream_id: str) -> tuple[int, int]:
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


def _day_start_ms(day: date) -> int:
    return int(datetime.combine(day, time(0), LONDON).timestamp() * 1000)


@dataclass(frozen=True)
class Filters:
    person: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(cls, query: dict[str, str] | web.BaseRequest) -> Filters:
        q = query.query if isinstance(query, web.BaseRequest) else query
        dates = []
        for field in ("from", "to"):
            value = str(q.get(field, "")).strip()
            try:
                dates.append(date.fromisoformat(value) if value else None)
            except ValueError:
                raise FilterError("Dates are written like 2026-03-31.") from None
            if dates[-1] and not 2000 <= dates[-1].year <= 2999:
                raise FilterError("Choose a date from this century.")
        if dates[0] and dates[1] and dates[0] > dates[1]:
            raise FilterError("The first date is after the last one.")
        return cls(person=str(q.get("person", "")).strip().lower()[:64], kind=str(q.get("kind", "")).strip()[:64],
                   date_from=dates[0], date_to=dates[1])

    def query(self, **extra: str) -> str:
        fields = {"person": self.person, "kind": self.kind,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", **extra}
        return urlencode({k: v for k, v in fields.items() if v})

    @property
    def newest(self) -> str:
        """The highest stream id in range: the end of the last day, London time."""
        return str(_day_start_ms(self.date_to + timedelta(days=1)) - 1) if self.date_to else "+"

    @property
    def oldest(self) -> str:
        return f"{_day_start_ms(self.date_from)}-0" if self.date_from else "-"

    def matches(self, fields: dict[str, str]) -> bool:
        # A person is who did it, or whose account it was done to.
        if self.person and self.person not in (fields.get("who", "").lower(), fields.get("account", "").lower()):
            return False
        return not self.kind or fields.get("kind") == self.kind


async def entries(redis: Redis, filters: Filters, before: str = "",
                  budget: int | None = None) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """Matching entries, newest first, older than `before` (a stream id) when given. With a
    budget, stops after looking at that many entries and yields ("", {"stopped_at": id})."""
    high = filters.newest
    if before and (high == "+" or _id_key(before)[0] <= int(high)):
        high = "(" + before
    looked = 0
    while True:
        batch = await redis.xrevrange(keys.AUDIT, max=high, min=filters.oldest, count=BATCH)
        for stream_id, fields in batch:
            if filters.matches(fields):
                yield stream_id, fields
        if len(batch) < BATCH:
            return
        high = "(" + batch[-1][0]
        looked += len(batch)
        if budget is not None and looked >= budget:
            yield "", {"stopped_at": batch[-1][0]}
            return


def when(stream_id: str) -> str:
    """The moment Redis appended the entry, in London time."""
    return datetime.fromtimestamp(_id_key(stream_id)[0] / 1000, LONDON).strftime("%Y-%m-%d %H:%M:%S %Z")


def details(fields: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in fields.items() if k not in HIDDEN]


def _filter_form(filters: Filters, people: list[str]) -> str:
    person_options = "".join(f'<option value="{escape(p)}">' for p in people)
    kind_options = "".join(f'<option value="{escape(k)}">' for k in KNOWN_KINDS)

    def value(v: date | str | None) -> str:
        return escape(v.isoformat() if isinstance(v, date) else (v or ""))

    return f"""<form method="get" action="/staff/audit" class="filters">
  <label>Person <input name="person" list="audit-people" value="{value(filters.person)}" autocomplete="off"></label>
  <datalist id="audit-people">{person_options}</datalist>
  <label>Kind <input name="kind" list="audit-kinds" value="{value(filters.kind)}" autocomplete="off"></label>
  <datalist id="audit-kinds">{kind_options}</datalist>
  <label>From <input name="from" type="date" value="{value(filters.date_from)}"></label>
  <label>To <input name="to" type="date" value="{value(filters.date_to)}"></label>
  <button type="submit">Search</button>
  <a href="/staff/audit">Clear</a>
</form>"""


def _table(rows: list[tuple[str, dict[str, str]]]) -> str:
    cells = []
    for stream_id, fields in rows:
        extra = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in details(fields))
        cells.append(f"<tr><td>{escape(when(stream_id))}</td><td>{escape(fields.get('who', ''))}</td>"
                     f"<td>{escape(fields.get('kind', ''))}</td><td><ul>{extra}</ul></td></tr>")
    return ('<table><thead><tr><th scope="col">When (London)</th><th scope="col">Who</th><th scope="col">What</th>'
            '<th scope="col">Details</th></tr></thead><tbody>'
            + ("".join(cells) or '<tr><td colspan="4">No entries match.</td></tr>') + "</tbody></table>")


@requires("supervisor")
async def audit_page(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    people = sorted(await redis.smembers(keys.STAFF_ACCOUNTS))
    intro = ("<p>Every sign-in, failed sign-in, transcript view, content change and account change: who, when "
             "and what. Newest first; dates are London time. <strong>The audit log cannot be edited or deleted "
             "from the application.</strong> It never holds the text of a message.</p>")
    try:
        filters = Filters.parse(request)
    except FilterError as exc:
        body = intro + pages.notice(str(exc)) + _filter_form(Filters(), people)
        return pages.render("Audit log", body, status=400, signed_in_as=staff.name, csrf=staff.csrf)
    before = request.query.get("before", "")
    if before and not STREAM_ID.fullmatch(before):
        before = ""
    rows: list[tuple[str, dict[str, str]]] = []
    older = stopped = ""
    async for stream_id, fields in entries(redis, filters, before, budget=PAGE_BUDGET):
        if not stream_id:
            stopped = older = fields["stopped_at"]
            break
        if len(rows) == PAGE_SIZE:
            older = rows[-1][0]  # there is at least one more
            break
        rows.append((stream_id, fields))
    nav = []
    if before:
        nav.append(f'<a href="/staff/audit?{escape(filters.query())}">Newest</a>')
    if stopped:
        nav.append(f"Looked back to {escape(when(stopped))} without filling a page: "
                   f'<a href="/staff/audit?{escape(filters.query(before=older))}">search further back</a>')
    elif older:
        nav.append(f'<a href="/staff/audit?{escape(filters.query(before=older))}">Older entries</a>')
    body = (intro + _filter_form(filters, people)
            + f'<p><a href="/staff/audit.csv?{escape(filters.query())}" download>Download these entries (CSV)</a></p>'
            + _table(rows) + (f'<p class="pager">{" · ".join(nav)}</p>' if nav else ""))
    return pages.render("Audit log", body, signed_in_as=staff.name, csrf=staff.csrf)


def _cell(value: str) -> str:
    """A spreadsheet must not run what it opens: a cell that starts like a formula is quoted."""
    return "'" + value if len(value) > 1 and value[0] in "=+-@\t\r" else value


@requires("supervisor")
async def audit_csv(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    try:
        filters = Filters.parse(request)
    except FilterError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    # Recorded before the first entry is sent: a download stopped part way (or that fails) has
    # still shown entries, so it is in the log whatever happens next.
    await audit.record(redis, staff.name, "audit_exported", filters=filters.query() or "(all)")
    stamp = datetime.now(LONDON).strftime("%Y%m%d-%H%M")
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="helpline-audit-{stamp}.csv"',
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"})
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "when (Europe/London)", "who", "kind", "details"])
    async for stream_id, fields in entries(redis, filters):
        writer.writerow([stream_id, when(stream_id), _cell(fields.get("who", "")), _cell(fields.get("kind", "")),
                         _cell("; ".join(f"{k}={v}" for k, v in details(fields)))])
        if buffer.tell() > 64 * 1024:
            await response.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    await response.write(buffer.getvalue().encode())
    await response.write_eof()
    return response


def setup(app: web.Application) -> None:
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/audit.csv", audit_csv)
