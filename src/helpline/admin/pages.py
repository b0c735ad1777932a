"""The content editor's page shell: the staff pages' look, plus the chat's style sheet so that a
preview is drawn by the very rules a young person's browser uses. No scripts."""

from __future__ import annotations

from html import escape

from aiohttp import web

from ..staff.sessions import Session

NAV = [("/admin/", "Resources"), ("/admin/topics", "Topics"), ("/admin/transfer", "Import and export")]


def render(title: str, body: str, staff: Session, status: int = 200) -> web.Response:
    """A whole page. `body` is HTML built by the caller with every value passed through `escape`."""
    nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in NAV)
    html = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)} – Content editor</title>
<link rel="stylesheet" href="/static/chat.css">
<link rel="stylesheet" href="/static/staff.css">
<link rel="stylesheet" href="/static/admin.css">
</head>
<body class="admin">
<header><span class="brand">Content editor</span>
<nav aria-label="Content editor"><ul>{nav}</ul></nav>
<form method="post" action="/staff/logout" class="account">Signed in as <strong>{escape(staff.name)}</strong>
<input type="hidden" name="csrf" value="{escape(staff.csrf)}"><button type="submit">Sign out</button></form>
</header>
<main id="main">
<h1>{escape(title)}</h1>
{body}
</main>
</body>
</html>
"""
    return web.Response(text=html, content_type="text/html", status=status, headers={"Cache-Control": "no-store"})


def notice(text: str, kind: str = "error") -> str:
    return f'<p class="notice notice--{escape(kind)}" role="{"alert" if kind == "error" else "status"}">{escape(text)}</p>'


def problems(found: list[str], heading: str = "Please fix these, then try again:") -> str:
    """Every problem at once, as a list a person can work through."""
    if not found:
        return ""
    items = "".join(f"<li>{escape(p)}</li>" for p in found)
    return (f'<div class="notice notice--error" role="alert"><p>{escape(heading)}</p>'
            f'<ul class="problems">{items}</ul></div>')


def csrf_field(staff: Session) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(staff.csrf)}">'
