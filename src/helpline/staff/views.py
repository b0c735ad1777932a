"""/staff: sign in, change the one-time password, sign out."""

from __future__ import annotations

import hmac
import secrets
from html import escape

from aiohttp import web

from ..appkeys import REDIS, SETTINGS
from . import admin_accounts, audit, audit_views, pages
from .accounts import ROLES, AccountError, AccountStore
from .auth import COOKIE, STAFF, STAFF_TOKEN, requires, staff_session
from .sessions import SESSION_SECONDS, SessionStore

LOGIN_CSRF_COOKIE = "hl_login_csrf"  # double-submit token for the form used before a session exists
FAILED = "That name and password did not match, or the account is locked for a while. Please try again later."
HOME = {"handler": "/console/", "supervisor": "/console/", "editor": "/admin/"}


def see_other(location: str) -> web.Response:
    """A redirect that can carry cookies (a raised HTTPSeeOther would lose them)."""
    return web.Response(status=303, headers={"Location": location})


def _cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    # Secure over HTTPS, and always when the service sits behind a TLS proxy (HELPLINE_SECURE_COOKIES).
    secure = request.secure or request.config_dict[SETTINGS].secure_cookies
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Strict", secure=secure, path="/")


def login_form(csrf: str, message: str = "", name: str = "") -> str:
    return f"""{message}
<form method="post" action="/staff/login" class="stack">
  <input type="hidden" name="csrf" value="{escape(csrf)}">
  <label for="name">Name</label>
  <input id="name" name="name" autocomplete="username" required value="{escape(name)}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>"""


async def login_page(request: web.Request) -> web.Response:
    csrf = secrets.token_urlsafe(24)
    response = pages.render("Sign in", login_form(csrf))
    _cookie(response, request, LOGIN_CSRF_COOKIE, csrf, 3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name, password = str(form.get("name", "")).strip().lower()[:64], str(form.get("password", ""))[:1024]
    address = request.remote or "-"
    redis = request.config_dict[REDIS]
    sessions = SessionStore(redis)
    csrf = secrets.token_urlsafe(24)
    cookie_csrf = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie_csrf or not hmac.compare_digest(str(form.get("csrf", "")), cookie_csrf):
        response = pages.render("Sign in", login_form(csrf, pages.notice(
            "This form had expired. Please sign in again."), name), status=403)
    elif await sessions.attempt(name, address):
        # Locked out: no password check, no audit entry (a flood must not grow the log).
        response = pages.render("Sign in", login_form(csrf, pages.notice(FAILED), name), status=401)
    elif not (account := await AccountStore(redis).verify(name, password)):
        # The audit log names only real accounts: a password typed into the name box is not kept.
        who = name if await AccountStore(redis).get(name) else "(unknown name)"
        await audit.record(redis, who, "login_failed", address=address)
        response = pages.render("Sign in", login_form(csrf, pages.notice(FAILED), name), status=401)
    else:
        await sessions.succeeded(name, address)
        token = await sessions.create(account)
        await audit.record(redis, name, "login", address=address)
        response = see_other("/staff/password" if account.must_change else HOME[account.role])
        _cookie(response, request, COOKIE, token, SESSION_SECONDS)
        response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
        return response
    _cookie(response, request, LOGIN_CSRF_COOKIE, csrf, 3600)
    return response


@requires(*ROLES, allow_unchanged_password=True)
async def logout(request: web.Request) -> web.StreamResponse:
    await SessionStore(request.config_dict[REDIS]).end(request[STAFF_TOKEN])
    response = see_other("/staff/login")
    response.del_cookie(COOKIE, path="/")
    return response


def password_form(csrf: str, message: str = "") -> str:
    return f"""{message}
<p>Choose a password of your own, at least 12 characters. Nobody else will know it.</p>
<form method="post" action="/staff/password" class="stack">
  <input type="hidden" name="csrf" value="{escape(csrf)}">
  <label for="current">Current (or one-time) password</label>
  <input id="current" name="current" type="password" autocomplete="current-password" required>
  <label for="new">New password</label>
  <input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required>
  <button type="submit">Change password</button>
</form>"""


@requires(*ROLES, allow_unchanged_password=True)
async def password_page(request: web.Request) -> web.Response:
    staff = request[STAFF]
    return pages.render("Change your password", password_form(staff.csrf), signed_in_as=staff.name, csrf=staff.csrf)


@requires(*ROLES, allow_unchanged_password=True)
async def change_password(request: web.Request) -> web.StreamResponse:
    staff = request[STAFF]
    form = await request.post()
    redis = request.config_dict[REDIS]
    sessions = SessionStore(redis)
    accounts = AccountStore(redis)
    address = request.remote or "-"
    # Guessing the current password is throttled like signing in; past the limit the session ends.
    if await sessions.attempt(staff.name, address):
        await sessions.end(request[STAFF_TOKEN])
        await audit.record(redis, staff.name, "password_change_locked", address=address)
        response = see_other("/staff/login")
        response.del_cookie(COOKIE, path="/")
        return response
    try:
        await accounts.change_password(staff.name, str(form.get("current", "")), str(form.get("new", "")))
    except AccountError as exc:
        return pages.render("Change your password", password_form(staff.csrf, pages.notice(str(exc))), status=400,
                            signed_in_as=staff.name, csrf=staff.csrf)
    await sessions.succeeded(staff.name, address)
    await audit.record(redis, staff.name, "password_changed")
    # Every earlier session of this account has ended with the change; this one gets a new token.
    await sessions.end(request[STAFF_TOKEN])
    response = see_other(HOME[staff.role])
    _cookie(response, request, COOKIE, await sessions.create(await accounts.get(staff.name)), SESSION_SECONDS)
    return response


@requires(*ROLES)
async def home(request: web.Request) -> web.Response:
    staff = request[STAFF]
    links = '<li><a href="/console/">The queue</a></li>' if staff.role in ("handler", "supervisor") else ""
    if staff.role in ("editor", "supervisor"):
        links += '<li><a href="/admin/">Signposting content</a></li>'
    if staff.role == "supervisor":
        links += '<li><a href="/staff/accounts">Staff accounts</a></li><li><a href="/staff/audit">The audit log</a></li>'
        links += '<li><a href="/dashboard">Impact dashboard</a></li>'
    body = (f"<p>You are signed in as a {escape(staff.role)}.</p>"
            f'<ul>{links}<li><a href="/staff/password">Change your password</a></li></ul>')
    return pages.render("Staff", body, signed_in_as=staff.name, csrf=staff.csrf)


def create() -> web.Application:
    app = web.Application(middlewares=[staff_session])
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/password", password_page)
    app.router.add_post("/password", change_password)
    app.router.add_get("/", home)
    admin_accounts.setup(app)  # /accounts, supervisors only
    audit_views.setup(app)  # /audit, /audit.csv, supervisors only
    return app
