"""The dashboard page's HTML (the body inside helpline.staff.pages.render): every value escaped,
no script, no style attribute. Each figure's cell carries data-metric, data-key and data-value:
the same three fields as the CSV row it matches (the tests compare the two)."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlencode

from . import charts, periods
from .figures import Figures, Row

BASE = "/dashboard"


def duration(seconds: float | None) -> str:
    """Minutes and seconds: '4 min 30 s', '45 s'; an en dash when there is nothing to measure."""
    if seconds is None:
        return "–"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def raw(value: int | float | str | None) -> str:
    """A value as the CSV writes it: empty for None."""
    return "" if value is None else str(value)


def cell(tag: str, row: Row, shown: str | None = None, extra: str = "") -> str:
    text = escape(shown if shown is not None else raw(row.value))
    return (f'<{tag} data-metric="{escape(row.metric)}" data-key="{escape(row.key)}" '
            f'data-value="{escape(raw(row.value))}"{extra}>{text}</{tag}>')


def query(start: dt.date, end: dt.date) -> str:
    return urlencode({"from": start.isoformat(), "to": end.isoformat()})


def period_form(raw_from: str, raw_to: str, today: dt.date) -> str:
    links = " ".join(f'<a href="{BASE}?{escape(query(start, end))}">{escape(label)}</a>'
                     for label, start, end in periods.presets(today))
    return f"""<form method="get" action="{BASE}" class="period">
  <label for="from">From</label><input id="from" name="from" type="date" value="{escape(raw_from)}">
  <label for="to">To</label><input id="to" name="to" type="date" value="{escape(raw_to)}">
  <button type="submit">Show</button>
</form>
<p class="presets">Or choose: {links}</p>"""


def _table(caption: str, headings: tuple[str, str], rows: list[tuple[str, Row, str]], css: str = "figures") -> str:
    body = "".join(f'<tr><th scope="row">{escape(label)}</th>{cell("td", row, shown)}</tr>'
                   for label, row, shown in rows)
    if not rows:
        body = '<tr><td colspan="2">None in this period.</td></tr>'
    return (f'<table class="{css}"><caption>{escape(caption)}</caption><thead><tr><th scope="col">'
            f'{escape(headings[0])}</th><th scope="col" class="num">{escape(headings[1])}</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _section(heading: str, section_id: str, inner: str) -> str:
    return f'<section class="dash-section" aria-labelledby="{section_id}"><h2 id="{section_id}">{escape(heading)}</h2>{inner}</section>'


def _day_label(day: dt.date, with_year: bool) -> str:
    return f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}"


def _day_ticks(days: list[dt.date]) -> list[tuple[int, str]]:
    count = min(len(days), 7)
    with_year = days[0].year != days[-1].year
    if count == 1:
        return [(0, _day_label(days[0], with_year))]
    picks = sorted({round(k * (len(days) - 1) / (count - 1)) for k in range(count)})
    return [(i, _day_label(days[i], with_year)) for i in picks]


def conversations_per_day(figures: Figures, rows: list[Row]) -> str:
    days = [dt.date.fromisoformat(day) for day, _ in figures.per_day]
    total = figures.summary["conversations"]
    busiest = max(figures.per_day, key=lambda pair: pair[1])
    desc = (f"{total} conversations in {figures.days} days, from {periods.describe(figures.start)} to "
            f"{periods.describe(figures.end)}." + (f" The busiest day was {periods.describe(dt.date.fromisoformat(busiest[0]))}"
                                                   f" with {busiest[1]}." if busiest[1] else ""))
    svg = charts.columns("chart-days", "Conversations per day", desc, figures.per_day, "conversations",
                         ticks=_day_ticks(days),
                         tooltips=[f"{day:%a} {periods.describe(day)}: {n} conversation{'s' if n != 1 else ''}"
                                   for day, (_, n) in zip(days, figures.per_day)])
    table = _table("Conversations per day", ("Day", "Conversations"),
                   [(f"{day:%a} {periods.describe(day)}", row, None) for day, row in zip(days, rows)])
    return (f'<figure class="chart-figure">{svg}<figcaption>Conversations started each day (bars); the numbers '
            "are in the table below.</figcaption></figure>"
            f'<details class="numbers"><summary>The numbers per day</summary>{table}</details>')


def body(figures: Figures, today: dt.date) -> str:
    rows = figures.rows()
    by_metric: dict[str, list[Row]] = {}
    for row in rows:
        by_metric.setdefault(row.metric, []).append(row)
    totals = {row.key: row for row in by_metric["total"]}
    shares = {row.key: row for row in by_metric["share"]}
    waits = {row.key: row for row in by_metric["wait_seconds"]}
    period = {row.key: row for row in by_metric["period"]}
    s = figures.summary

    export = f"{BASE}/export.csv?{escape(query(figures.start, figures.end))}"
    parts = [period_form(figures.start.isoformat(), figures.end.isoformat(), today),
             f'<p class="period-shown">Showing {cell("strong", period["from"], periods.describe(figures.start))} to '
             f'{cell("strong", period["to"], periods.describe(figures.end))} ({cell("span", period["days"])} '
             f'day{"s" if figures.days != 1 else ""}, days in Europe/London time). '
             f'<a href="{export}" download>Download these figures (CSV)</a></p>']

    tiles = [cell("dd", totals[key]) for key in ("conversations", "messages", "handler_messages", "escalations", "taken")]
    labels = [row.label for row in by_metric["total"]]
    tile_html = "".join(f"<div><dt>{escape(label)}</dt>{dd}</div>" for label, dd in zip(labels, tiles))
    tile_html += (f'<div><dt>Median time to a handler</dt>{cell("dd", waits["median"], duration(s["wait_median_s"]))}</div>'
                  f'<div><dt>90% were with a handler within</dt>{cell("dd", waits["p90"], duration(s["wait_p90_s"]))}</div>'
                  f'<div><dt>Started out of hours</dt>{cell("dd", shares["out_of_hours"], share(s["out_of_hours_share"]))}'
                  f'<dd class="sub">{cell("span", totals["conversations_out_of_hours"])} of {s["conversations"]}</dd></div>'
                  f'<div><dt>The bot failed to understand</dt>'
                  f'{cell("dd", shares["not_understood"], share(s["not_understood_share"]))}'
                  f'<dd class="sub">{cell("span", totals["not_understood_conversations"])} conversations</dd></div>')
    parts.append(_section("In this period", "summary", f'<dl class="tiles">{tile_html}</dl>'))

    parts.append(_section("Conversations per day", "per-day",
                          conversations_per_day(figures, by_metric["conversations_per_day"])))

    topic_rows = by_metric.get("topic", [])
    topic_desc = ("; ".join(f"{row.key}: {row.value}" for row in topic_rows[:20]) or "No topics in this period.")
    topics_svg = charts.rows("chart-topics", "What young people talked about (topics)", topic_desc,
                             [(row.key, int(row.value or 0)) for row in topic_rows], "answers")
    parts.append(_section("Topics", "topics",
                          '<p>How often the bot answered about each topic (a conversation can touch several).</p>'
                          f'<div class="pair"><figure class="chart-figure">{topics_svg}<figcaption>Topics, most '
                          f"first{' (the first 20)' if len(topic_rows) > 20 else ''}.</figcaption></figure>"
                          + _table("Topics", ("Topic", "Answers"), [(row.key, row, None) for row in topic_rows])
                          + "</div>"))

    parts.append(_section("Risk levels", "risk",
                          "<p>Messages from young people by the risk level the safety screen gave them.</p>"
                          + _table("Messages by risk level", ("Level", "Messages"),
                                   [(row.label, row, None) for row in by_metric["risk"]], "figures levels")))

    parts.append(_section("Escalations", "escalations",
                          "<p>Conversations put in the queue for a person, by the level they were escalated "
                          f"at. {cell('span', totals['escalations'])} in all.</p>"
                          + _table("Escalations by level", ("Level", "Escalations"),
                                   [(row.label, row, None) for row in by_metric["escalations"]], "figures levels")))

    bucket_rows = by_metric["wait_bucket"]
    wait_desc = (f"A handler took a waiting conversation {s['taken']} times. Median wait {duration(s['wait_median_s'])}, "
                 f"90th percentile {duration(s['wait_p90_s'])}. "
                 + "; ".join(f"{row.label}: {row.value}" for row in bucket_rows) + ".")
    waits_svg = charts.columns("chart-waits", "Time from escalation to a handler", wait_desc,
                               [(row.label, int(row.value or 0)) for row in bucket_rows], "waits")
    parts.append(_section(
        "Time to a handler", "waits",
        f"<p>From escalation to a handler taking the conversation: median "
        f"<strong>{escape(duration(s['wait_median_s']))}</strong>, 90th percentile "
        f"<strong>{escape(duration(s['wait_p90_s']))}</strong> ({s['taken']} times a handler took a waiting conversation).</p>"
        f'<div class="pair"><figure class="chart-figure">{waits_svg}<figcaption>How long young people waited, '
        "in bands.</figcaption></figure>"
        + _table("Waits by band", ("Wait", "Waits"), [(row.label, row, None) for row in bucket_rows])
        + "</div>"))

    parts.append(_section("Outcomes", "outcomes",
                          "<p>How handlers closed conversations.</p>"
                          + _table("Outcomes", ("Outcome", "Conversations"),
                                   [(row.label, row, None) for row in by_metric.get("outcome", [])])))

    parts.append(_section("Resources shown most", "resources",
                          "<p>Services whose details young people were shown (a card in a bot answer).</p>"
                          + _table("Resources shown", ("Resource", "Times shown"),
                                   [(row.label, row, None) for row in by_metric.get("resource", [])])))

    parts.append('<p class="note">Every figure is a count kept as things happen; none holds message text or '
                 "anything that identifies a young person. See docs/dashboard.md for how each is counted.</p>")
    return "\n".join(parts)


def error_body(message: str, raw_from: str, raw_to: str, today: dt.date) -> str:
    return (f'<p class="notice notice--error" role="alert">{escape(message)}</p>'
            + period_form(raw_from[:20], raw_to[:20], today))
