"""Who is signed in, and what each route needs: a role, a changed password, a CSRF token."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..appkeys import REDIS
from . import pages
from .sessions import Session, SessionStore

COOKIE = "hl_staff"
STAFF = web.RequestKey("staff", Session)  # None when nobody is signed in
STAFF_TOKEN = web.RequestKey("staff_token", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def staff_session(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Attach the signed-in member of staff (or None) to every request of a staff sub-app."""
    token = request.cookies.get(COOKIE, "")
    request[STAFF] = await SessionStore(request.config_dict[REDIS]).get(token)
    request[STAFF_TOKEN] = token
    return await handler(request)


def requires(*roles: str, allow_unchanged_password: bool = False) -> Callable[[Handler], Handler]:
    """Only these roles; a one-time password must be changed first; POSTs carry the CSRF token."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            session: Session | None = request[STAFF]
            if session is None:
                raise web.HTTPSeeOther("/staff/login")
            if session.must_change and not allow_unchanged_password:
                raise web.HTTPSeeOther("/staff/password")
            if session.role not in roles:
                return pages.render("Not for your role", pages.notice(
                    "Your account's role does not give access to this page."), status=403,
                    signed_in_as=session.name, csrf=session.csrf)
            if request.method == "POST":
                form = await request.post()
                if not hmac.compare_digest(str(form.get("csrf", "")), session.csrf):
                    return pages.render("Form expired", pages.notice(
                        "This form had expired or did not come from this site. Please try again."), status=403,
                        signed_in_as=session.name, csrf=session.csrf)
            return await handler(request)

        checked.roles = roles  # type: ignore[attr-defined]  # read by the route-walk test
        return checked

    return wrap
