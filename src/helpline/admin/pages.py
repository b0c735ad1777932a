"""The content editor's page shell: the staff pages' look, plus the chat's style sheet so that a
preview is drawn by the very rules a young person's browser uses. No scripts."""

from __future__ import annotations

from html import escape

from aiohttp import web

from ..staff import pages as staff_pages
from ..staff.sessions import Session

BRAND = "Content editor"
# The chat's sheet first, so that the staff and editor sheets win wherever they overlap.
STYLESHEETS = ("chat.css", "staff.css", "admin.css")
NAV = [("/admin/", "Resources"), ("/admin/topics", "Topics"), ("/admin/transfer", "Import and export")]


def render(title: str, body: str, staff: Session, status: int = 200) -> web.Response:
    """A whole page. `body` is HTML built by the caller with every value passed through `escape`."""
    return staff_pages.render(title, body, status=status, signed_in_as=staff.name, csrf=staff.csrf,
                              brand=BRAND, stylesheets=STYLESHEETS, nav=NAV, body_class="admin")


def notice(text: str, kind: str = "error") -> str:
    return f'<p class="notice notice--{escape(kind)}" role="{"alert" if kind == "error" else "status"}">{escape(text)}</p>'


def saved_notice(saved: str) -> str:
    """After a save (?saved=<version>), that it is live; nothing when the query has no number."""
    if not saved.isdigit():
        return ""
    return notice(f"Saved as version {saved}. It is live now: the next answer shows it.", "ok")


def problems(found: list[str], heading: str = "Please fix these, then try again:") -> str:
    """Every problem at once, as a list a person can work through."""
    if not found:
        return ""
    items = "".join(f"<li>{escape(p)}</li>" for p in found)
    return (f'<div class="notice notice--error" role="alert"><p>{escape(heading)}</p>'
            f'<ul class="problems">{items}</ul></div>')


def csrf_field(staff: Session) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(staff.csrf)}">'
