"""Server-rendered staff pages: everything shown is escaped, no scripts, one style sheet."""

from __future__ import annotations

from html import escape

from aiohttp import web


def render(title: str, body: str, status: int = 200, signed_in_as: str = "", csrf: str = "") -> web.Response:
    """A whole page. `body` is HTML built by the caller with every value passed through `escape`."""
    account = ""
    if signed_in_as:
        account = (f'<form method="post" action="/staff/logout" class="account">Signed in as '
                   f"<strong>{escape(signed_in_as)}</strong> "
                   f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
                   '<button type="submit">Sign out</button></form>')
    html = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)} – Helpline staff</title>
<link rel="stylesheet" href="/static/staff.css">
</head>
<body>
<header><span class="brand">Helpline staff</span>{account}</header>
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
