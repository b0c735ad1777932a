"""/staff/accounts: supervisors list, add, disable and re-enable accounts, reset passwords and
change roles. Every change ends the account's sessions (its epoch changes, accounts.py) and is
written to the audit log; the last supervisor who can sign in cannot be disabled or demoted
(checked atomically in Redis, so two supervisors acting at once cannot leave none)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web

from ..appkeys import REDIS
from . import audit, pages
from .accounts import ROLES, Account, AccountError, AccountStore
from .auth import COOKIE, STAFF, requires

LONDON = ZoneInfo("Europe/London")
ACTIONS = {"disable": "account_disabled", "enable": "account_enabled", "reset": "password_reset",
           "role": "role_changed"}


def _when(seconds: int) -> str:
    if not seconds:
        return "–"
    return datetime.fromtimestamp(seconds, LONDON).strftime("%Y-%m-%d %H:%M")


def _role_options(selected: str) -> str:
    return "".join(f'<option value="{escape(r)}"{" selected" if r == selected else ""}>{escape(r)}</option>'
                   for r in ROLES)


def _row(account: Account, csrf: str, me: str) -> str:
    status = "disabled" if account.disabled else "enabled"
    toggle = ('<button type="submit" name="action" value="enable">Enable</button>' if account.disabled else
              '<button type="submit" name="action" value="disable">Disable</button>')
    reset = ("" if account.name == me else
             '<button type="submit" name="action" value="reset">Reset password</button>')
    return (f"<tr><td>{escape(account.name)}{' (you)' if account.name == me else ''}</td>"
            f"<td>{escape(account.role)}</td><td>{status}</td>"
            f"<td>{'must change at next sign-in' if account.must_change else 'set'}</td>"
            f"<td>{escape(_when(account.created))}</td>"
            f'<td><form method="post" action="/staff/accounts/{escape(quote(account.name, safe=""))}"'
            ' class="row-actions">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
            f'<label>Role <select name="role">{_role_options(account.role)}</select></label> '
            f'<button type="submit" name="action" value="role">Change role</button> {toggle} {reset}'
            "</form></td></tr>")


async def _page(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    staff = request[STAFF]
    accounts = await AccountStore(request.config_dict[REDIS]).list_all()
    rows = "".join(_row(a, staff.csrf, staff.name) for a in accounts)
    body = f"""{message}
<p>Every change here ends that person's sessions (they sign in again) and is written to the
<a href="/staff/audit">audit log</a>. The last supervisor who can sign in cannot be disabled or
given another role. A one-time password is shown once: give it to the person yourself, not by email.</p>
<h2>Accounts</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th>
<th scope="col">Password</th><th scope="col">Created</th><th scope="col">Change</th></tr></thead>
<tbody>{rows or '<tr><td colspan="6">No accounts.</td></tr>'}</tbody></table>
<h2>Add an account</h2>
<form method="post" action="/staff/accounts" class="stack">
  <input type="hidden" name="csrf" value="{escape(staff.csrf)}">
  <label for="new-name">Name (2 to 32 lower-case letters, digits, '.', '_' or '-')</label>
  <input id="new-name" name="name" required maxlength="32" autocomplete="off">
  <label for="new-role">Role</label>
  <select id="new-role" name="role">{_role_options("handler")}</select>
  <button type="submit">Add the account</button>
</form>"""
    return pages.render("Staff accounts", body, status=status, signed_in_as=staff.name, csrf=staff.csrf)


def _one_time_notice(text: str, one_time: str) -> str:
    return (f'<div class="notice notice--ok" role="status"><p>{escape(text)}</p>'
            f"<p>One-time password: <code>{escape(one_time)}</code></p>"
            "<p>It is shown only now and must be changed at the next sign-in.</p></div>")


@requires("supervisor")
async def accounts_page(request: web.Request) -> web.Response:
    return await _page(request)


@requires("supervisor")
async def create_account(request: web.Request) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    form = await request.post()
    name, role = str(form.get("name", "")).strip().lower()[:64], str(form.get("role", ""))
    try:
        one_time = await AccountStore(redis).add(name, role)
    except AccountError as exc:
        return await _page(request, pages.notice(str(exc)), status=400)
    await audit.record(redis, staff.name, "account_added", account=name, role=role)
    return await _page(request, _one_time_notice(f"Account {name} ({role}) created.", one_time))


@requires("supervisor")
async def change_account(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    name = request.match_info["name"]
    form = await request.post()
    action = str(form.get("action", ""))
    accounts = AccountStore(redis)
    if action not in ACTIONS:
        return await _page(request, pages.notice("Choose what to change."), status=400)
    if action == "reset" and name == staff.name:
        return await _page(request, pages.notice(
            "Change your own password on the password page; it asks for the current one."), status=400)
    one_time, details = "", {}
    try:
        if action == "disable":
            await accounts.disable(name, by=staff.name)
        elif action == "enable":
            await accounts.enable(name, by=staff.name)
        elif action == "reset":
            one_time = await accounts.reset_password(name, by=staff.name)
        else:
            role = str(form.get("role", ""))
            before = await accounts.set_role(name, role, by=staff.name)
            details = {"role": role, "before": before}
    except AccountError as exc:
        return await _page(request, pages.notice(str(exc)), status=400)
    await audit.record(redis, staff.name, ACTIONS[action], account=name, **details)
    if name == staff.name:
        # Their own role or status changed: this session has ended with the others.
        response = web.Response(status=303, headers={"Location": "/staff/login"})
        response.del_cookie(COOKIE, path="/")
        return response
    if one_time:
        return await _page(request, _one_time_notice(f"{name}'s password was reset; their sessions ended.", one_time))
    done = {"disable": "disabled; their sessions ended", "enable": "enabled again",
            "role": f"now {'an' if details.get('role') == 'editor' else 'a'} {details.get('role')}; "
                    "their sessions ended"}[action]
    return await _page(request, pages.notice(f"{name} is {done}.", "ok"))


def setup(app: web.Application) -> None:
    app.router.add_get("/accounts", accounts_page)
    app.router.add_post("/accounts", create_account)
    app.router.add_post("/accounts/{name}", change_account)
