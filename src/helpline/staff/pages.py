"""Server-rendered staff pages: everything shown is escaped, no scripts, the staff style sheet
(and any others a set of pages adds)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiohttp import web


def render(title: str, body: str, status: int = 200, signed_in_as: str = "", csrf: str = "", *,
           brand: str = "Helpline staff", stylesheets: Sequence[str] = ("staff.css",),
           nav: Sequence[tuple[str, str]] = (), body_class: str = "") -> web.Response:
    """A whole page. `body` is HTML built by the caller with every value passed through `escape`.

    The keywords let another set of staff pages (the content editor) share this shell: `brand`
    names them in the header and the title, `stylesheets` are file names under /static/ in the
    order they load, and `nav` is a list of (address, label) links shown after the brand."""
    account = ""
    if signed_in_as:
        account = (f'<form method="post" action="/staff/logout" class="account">Signed in as '
                   f"<strong>{escape(signed_in_as)}</strong> "
                   f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
                   '<button type="submit">Sign out</button></form>')
    links = ""
    if nav:
        items = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>' for href, label in nav)
        links = f'<nav aria-label="{escape(brand)}"><ul>{items}</ul></nav>'
    styles = "\n".join(f'<link rel="stylesheet" href="/static/{escape(name)}">' for name in stylesheets)
    body_attrs = f' class="{escape(body_class)}"' if body_class else ""
    html = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)} – {escape(brand)}</title>
{styles}
</head>
<body{body_attrs}>
<header><span class="brand">{escape(brand)}</span>{links}{account}</header>
<main id="main">
<h1>{escape(title)}</h1>
{body}
</main>
</body>
</html>
"""
    return web.Response(text=html, content_type="text/html", status=status, headers={"Cache-Control": "no-store"})


def notice(text: str, kind: str = "error") -> str:
    return f'<p class="notice notice--{escape(kind)}" role="alert">{escape(text)}</p>'
