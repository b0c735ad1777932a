"""Staff accounts against the real Redis: one-time passwords, argon2id, sessions, CSRF,
throttled logins, and a walk of every staff route with every role and with none."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from helpline import keys
from helpline.config import Settings
from helpline.console import canned
from helpline.conversations import ConversationStore
from helpline.staff.accounts import AccountError, AccountStore

from .conftest import gateway

PASSWORD = "a long and private passphrase"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def sign_in(client: TestClient, name: str, password: str) -> tuple[int, str]:
    async with client.get("/staff/login") as resp:
        csrf = csrf_of(await resp.text())
    async with client.post("/staff/login", data={"name": name, "password": password, "csrf": csrf},
                           allow_redirects=False) as resp:
        return resp.status, resp.headers.get("Location", "")


async def member(redis: Redis, client: TestClient, name: str, role: str) -> None:
    """A signed-in member of staff who has changed the one-time password."""
    one_time = await AccountStore(redis).add(name, role)
    assert await sign_in(client, name, one_time) == (303, "/staff/password")
    async with client.get("/staff/password") as resp:
        csrf = csrf_of(await resp.text())
    async with client.post("/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": csrf},
                           allow_redirects=False) as resp:
        assert resp.status == 303


@pytest.fixture
async def client(settings: Settings, redis: Redis):
    client, _ = await gateway(settings)
    yield client
    await client.close()


async def test_no_default_password_and_the_one_time_one_must_be_changed(client: TestClient, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("sam", "handler")
    stored = await redis.hget(keys.staff_account("sam"), "hash")
    assert stored.startswith("$argon2id$") and one_time not in stored
    assert await sign_in(client, "sam", one_time) == (303, "/staff/password")
    async with client.get("/console/", allow_redirects=False) as resp:
        assert resp.status == 303 and resp.headers["Location"] == "/staff/password"
    async with client.get("/staff/password") as resp:
        csrf = csrf_of(await resp.text())
    async with client.post("/staff/password", data={"current": one_time, "new": "short", "csrf": csrf}) as resp:
        assert resp.status == 400 and "at least 12 characters" in await resp.text()
    async with client.post("/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": csrf},
                           allow_redirects=False) as resp:
        assert resp.status == 303 and resp.headers["Location"] == "/console/"
    async with client.get("/console/") as resp:
        assert resp.status == 200 and "Nobody is waiting" in await resp.text()
    assert await sign_in(client, "sam", one_time) == (401, "")
    kinds = [fields["kind"] for _, fields in await redis.xrange(keys.AUDIT)]
    assert kinds == ["login", "password_changed", "login_failed"]


async def test_the_session_cookie_is_httponly_and_strict(client: TestClient, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("kim", "editor")
    async with client.get("/staff/login") as resp:
        csrf = csrf_of(await resp.text())
    async with client.post("/staff/login", data={"name": "kim", "password": one_time, "csrf": csrf},
                           allow_redirects=False) as resp:
        cookie = resp.cookies["hl_staff"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    session_keys = [k async for k in redis.scan_iter(match=f"{keys.PREFIX}:staff:session:*")]
    assert len(session_keys) == 1 and cookie.value not in session_keys[0]
    assert 0 < await redis.ttl(session_keys[0]) <= 8 * 3600


async def test_a_failed_login_does_not_say_whether_the_account_exists(client: TestClient, redis: Redis) -> None:
    await AccountStore(redis).add("lee", "handler")
    async with client.get("/staff/login") as resp:
        csrf = csrf_of(await resp.text())
    pages = []
    for name in ("lee", "nobody"):
        async with client.post("/staff/login", data={"name": name, "password": "wrong password", "csrf": csrf}) as resp:
            assert resp.status == 401
            page = await resp.text()
        csrf = csrf_of(page)  # each answer carries a fresh form token
        pages.append(re.sub(r'value="[^"]*"', "", page))
    assert pages[0] == pages[1]


async def test_logins_are_throttled_per_account(client: TestClient, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("ash", "handler")
    for _ in range(5):
        assert (await sign_in(client, "ash", "not the password"))[0] == 401
    assert (await sign_in(client, "ash", one_time))[0] == 401, "locked out even with the right password"
    assert int(await redis.get(keys.login_failures("account", "ash"))) == 6
    assert 0 < await redis.ttl(keys.login_failures("account", "ash")) <= 15 * 60


async def test_logins_are_throttled_per_address(client: TestClient, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("bo", "handler")
    for i in range(20):
        assert (await sign_in(client, f"guess{i}", "not the password"))[0] == 401
    assert (await sign_in(client, "bo", one_time))[0] == 401, "this address is locked out for a while"


async def test_forms_without_their_csrf_token_change_nothing(client: TestClient, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("jo", "handler")
    async with client.post("/staff/login", data={"name": "jo", "password": one_time}) as resp:
        assert resp.status == 403 and "hl_staff" not in resp.cookies
    assert await sign_in(client, "jo", one_time) == (303, "/staff/password")
    async with client.post("/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": "forged"}) as resp:
        assert resp.status == 403
    assert (await AccountStore(redis).get("jo")).must_change


# Every staff route, and who may use it.
ROUTES = [
    ("GET", "/staff/", {"handler", "editor", "supervisor"}),
    ("GET", "/staff/password", {"handler", "editor", "supervisor"}),
    ("GET", "/console/", {"handler", "supervisor"}),
    ("GET", "/console/queue", {"handler", "supervisor"}),
    ("GET", "/console/canned", {"supervisor"}),
    ("GET", "/staff/accounts", {"supervisor"}),
    ("GET", "/staff/audit", {"supervisor"}),
    ("GET", "/staff/audit.csv", {"supervisor"}),
    ("GET", "/dashboard", {"supervisor"}),
    ("GET", "/dashboard/", {"supervisor"}),
    ("GET", "/dashboard/export.csv", {"supervisor"}),
    ("GET", "/admin/", {"editor", "supervisor"}),
    ("GET", "/admin/new", {"editor", "supervisor"}),
    ("GET", "/admin/topics", {"editor", "supervisor"}),
    ("GET", "/admin/transfer", {"editor", "supervisor"}),
    ("GET", "/admin/export/resources.yml", {"editor", "supervisor"}),
    ("GET", "/admin/export/topics.yml", {"editor", "supervisor"}),
]
# The content editor's routes with a resource id or topic name in them, its forms, and its JSON
# API (which answers 401/403 in JSON): test_admin_content.py walks every one with every role.
ADMIN_OTHERS = {
    ("GET", "/admin/resources/{rid}"), ("POST", "/admin/resources/{rid}"), ("POST", "/admin/new"),
    ("POST", "/admin/resources/{rid}/retire"), ("GET", "/admin/resources/{rid}/history"),
    ("GET", "/admin/resources/{rid}/diff"), ("POST", "/admin/resources/{rid}/revert"),
    ("GET", "/admin/topics/{name}"), ("POST", "/admin/topics/{name}"), ("GET", "/admin/topics/{name}/history"),
    ("GET", "/admin/topics/{name}/diff"), ("POST", "/admin/topics/{name}/revert"), ("POST", "/admin/import"),
    ("GET", "/admin/api/session"), ("GET", "/admin/api/resources"), ("GET", "/admin/api/resources/{rid}"),
    ("PUT", "/admin/api/resources/{rid}"), ("POST", "/admin/api/resources/{rid}/retire"),
    ("POST", "/admin/api/resources/{rid}/restore"), ("GET", "/admin/api/resources/{rid}/history"),
    ("POST", "/admin/api/resources/{rid}/revert"), ("GET", "/admin/api/topics"), ("GET", "/admin/api/topics/{name}"),
    ("PUT", "/admin/api/topics/{name}"), ("GET", "/admin/api/topics/{name}/history"),
    ("POST", "/admin/api/topics/{name}/revert"),
}


@pytest.mark.parametrize("role", [None, "handler", "editor", "supervisor"])
async def test_every_route_lets_in_exactly_the_roles_it_should(client: TestClient, redis: Redis, role: str | None) -> None:
    if role:
        await member(redis, client, f"{role}1", role)
    for method, path, allowed in ROUTES:
        async with client.request(method, path, allow_redirects=False) as resp:
            if role is None:
                assert (resp.status, resp.headers.get("Location")) == (303, "/staff/login"), path
            elif role in allowed:
                assert resp.status == 200, (role, path)
            else:
                assert resp.status == 403, (role, path)
    async with client.get("/staff/login") as resp:
        assert resp.status == 200


def test_the_route_table_above_covers_every_staff_route(settings: Settings) -> None:
    from helpline.app import create_app

    app = create_app(settings)
    paths = {(r.method, r.resource.canonical) for sub in app._subapps for r in sub.router.routes()  # noqa: SLF001
             if r.method != "HEAD"}
    # The forms and the console's socket have tests of their own (test_console.py for the socket).
    checked = {(m, p) for m, p, _ in ROUTES} | {("GET", "/staff/login"), ("POST", "/staff/login"),
                                              ("POST", "/staff/logout"), ("POST", "/staff/password"),
                                              ("POST", "/console/canned"), ("GET", "/console/ws"),
                                              # test_accounts_admin.py
                                              ("POST", "/staff/accounts"), ("POST", "/staff/accounts/{name}")}
    assert paths == checked | ADMIN_OTHERS


async def test_the_queue_shows_the_most_urgent_first_and_escapes_everything(client: TestClient, redis: Redis) -> None:
    conversations = ConversationStore(redis, retention_seconds=3600)
    green, _ = await conversations.create()
    red, _ = await conversations.create()
    await conversations.enqueue(green, "", "asked")
    await conversations.enqueue(red, "RED", "<script>alert(1)</script>")
    await member(redis, client, "handler2", "handler")
    async with client.get("/console/queue") as resp:
        page = await resp.text()
    assert page.index(red[:8]) < page.index(green[:8])
    assert "Red: in danger now" in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_helpline_user_add_prints_a_one_time_password(redis_url: str) -> None:
    env = {**os.environ, "REDIS_URL": redis_url}
    made = subprocess.run([sys.executable, "-m", "helpline", "user", "add", "cli-user", "--role", "supervisor"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert re.search(r"One-time password: \S{12,}", made.stdout)
    again = subprocess.run([sys.executable, "-m", "helpline", "user", "add", "cli-user", "--role", "handler"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr


async def test_account_names_and_roles_are_checked(redis: Redis) -> None:
    with pytest.raises(AccountError):
        await AccountStore(redis).add("Bad Name", "handler")
    with pytest.raises(AccountError):
        await AccountStore(redis).add("pat", "admin")


async def test_guesses_sent_at_once_are_all_counted_before_any_password_is_checked(
    client: TestClient, redis: Redis
) -> None:
    import asyncio

    one_time = await AccountStore(redis).add("rio", "handler")
    results = await asyncio.gather(*(sign_in(client, "rio", f"guess number {i}") for i in range(12)))
    assert all(status == 401 for status, _ in results)
    assert int(await redis.get(keys.login_failures("account", "rio"))) == 12
    assert (await sign_in(client, "rio", one_time))[0] == 401


async def test_a_password_change_ends_every_other_session(settings: Settings, redis: Redis) -> None:
    one_time = await AccountStore(redis).add("val", "handler")
    first, _ = await gateway(settings)
    second, _ = await gateway(settings)
    try:
        assert await sign_in(first, "val", one_time) == (303, "/staff/password")
        assert await sign_in(second, "val", one_time) == (303, "/staff/password")
        async with first.get("/staff/password") as resp:
            csrf = csrf_of(await resp.text())
        async with first.post("/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": csrf},
                              allow_redirects=False) as resp:
            assert resp.status == 303 and "hl_staff" in resp.cookies, "a new session token"
        async with first.get("/console/", allow_redirects=False) as resp:
            assert resp.status == 200
        async with second.get("/console/", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/staff/login"
    finally:
        await first.close()
        await second.close()


async def test_guessing_the_current_password_is_throttled_and_ends_the_session(
    client: TestClient, redis: Redis
) -> None:
    one_time = await AccountStore(redis).add("ira", "handler")
    assert await sign_in(client, "ira", one_time) == (303, "/staff/password")
    async with client.get("/staff/password") as resp:
        csrf = csrf_of(await resp.text())
    for i in range(5):  # a right sign-in clears the account's count
        async with client.post("/staff/password", data={"current": f"guess {i}", "new": PASSWORD, "csrf": csrf}) as resp:
            assert resp.status == 400
    async with client.post("/staff/password", data={"current": one_time, "new": PASSWORD, "csrf": csrf},
                           allow_redirects=False) as resp:
        assert resp.status == 303 and resp.headers["Location"] == "/staff/login"
    assert (await AccountStore(redis).get("ira")).must_change, "the password was not changed"


async def test_the_audit_log_does_not_keep_what_was_typed_as_an_unknown_name(client: TestClient, redis: Redis) -> None:
    assert (await sign_in(client, "mysecretpassword", "x"))[0] == 401
    [(_, entry)] = await redis.xrange(keys.AUDIT)
    assert entry["who"] == "(unknown name)" and entry["kind"] == "login_failed"


async def test_only_supervisors_change_canned_replies_and_every_change_is_audited(
        client: TestClient, redis: Redis) -> None:
    await member(redis, client, "sup1", "supervisor")
    async with client.get("/console/canned") as resp:
        page = await resp.text()
    assert resp.status == 200 and "Are you safe right now?" in page  # seeded from data/content/canned.yml
    csrf = csrf_of(page)
    form = {"csrf": csrf, "action": "save", "id": "check-in", "title": "<b>Check in</b>", "text": "How are you doing?"}
    async with client.post("/console/canned", data=form) as resp:
        page = await resp.text()
    assert resp.status == 200 and "&lt;b&gt;Check in&lt;/b&gt;" in page and "<b>Check in" not in page
    async with client.post("/console/canned", data={**form, "id": "Bad Id!"}) as resp:
        assert resp.status == 400 and "lower-case" in await resp.text()
    async with client.post("/console/canned", data={**form, "csrf": "forged"}) as resp:
        assert resp.status == 403
    async with client.post("/console/canned", data={"csrf": csrf, "action": "delete", "id": "hello"}) as resp:
        assert resp.status == 200
    replies = {r["id"] for r in await canned.all_replies(redis)}
    assert "check-in" in replies and "hello" not in replies
    kinds = [fields["kind"] for _, fields in await redis.xrange(keys.AUDIT)]
    assert kinds.count("canned_saved") == 1 and kinds.count("canned_deleted") == 1
    client.session.cookie_jar.clear()
    await member(redis, client, "handler9", "handler")
    async with client.get("/console/canned") as resp:
        csrf = csrf_of(await resp.text())
    async with client.post("/console/canned", data={"csrf": csrf, "action": "delete", "id": "check-in"}) as resp:
        assert resp.status == 403
    assert "check-in" in {r["id"] for r in await canned.all_replies(redis)}
