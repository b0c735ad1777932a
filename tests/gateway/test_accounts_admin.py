"""Supervisors manage staff accounts (/staff/accounts) and read the audit log (/staff/audit),
through the real pages with their CSRF tokens, against the real Redis."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from helpline import keys
from helpline.config import Settings
from helpline.staff import audit
from helpline.staff.accounts import AccountError, AccountStore

from .conftest import gateway
from .test_staff import PASSWORD, csrf_of, member, sign_in

Person = aiohttp.ClientSession  # used like the test client: relative paths, its own cookie jar


@pytest.fixture
async def client(settings: Settings, redis: Redis) -> AsyncIterator[TestClient]:
    client, _ = await gateway(settings)
    yield client
    await client.close()


@pytest.fixture
async def person(client: TestClient) -> AsyncIterator[Callable[[], Person]]:
    """Another browser on the same gateway: its own cookies."""
    made: list[Person] = []

    def make() -> Person:
        session = aiohttp.ClientSession(base_url=str(client.make_url("")),
                                        cookie_jar=aiohttp.CookieJar(unsafe=True))
        made.append(session)
        return session

    yield make
    for session in made:
        await session.close()


async def csrf(browser: TestClient | Person) -> str:
    async with browser.get("/staff/accounts") as resp:
        assert resp.status == 200
        return csrf_of(await resp.text())


async def change(browser: TestClient | Person, name: str, action: str, **extra: str) -> tuple[int, str]:
    async with browser.post(f"/staff/accounts/{name}", data={"csrf": await csrf(browser), "action": action, **extra},
                            allow_redirects=False) as resp:
        return resp.status, await resp.text()


def one_time_of(page: str) -> str:
    return re.search(r"One-time password: <code>([^<]+)</code>", page).group(1)


async def audit_entries(redis: Redis, kind: str | None = None) -> list[dict[str, str]]:
    return [fields for _, fields in await redis.xrange(keys.AUDIT) if kind is None or fields["kind"] == kind]


async def signed_in(browser: TestClient | Person) -> bool:
    async with browser.get("/staff/", allow_redirects=False) as resp:
        return resp.status == 200


async def enabled_supervisors(redis: Redis) -> list[str]:
    return [a.name for a in await AccountStore(redis).list_all() if a.role == "supervisor" and not a.disabled]


# --- accounts ---------------------------------------------------------------------------------
async def test_a_supervisor_adds_an_account_with_a_one_time_password_shown_once(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await member(redis, client, "boss", "supervisor")
    async with client.get("/staff/") as resp:
        home = await resp.text()
    assert 'href="/staff/accounts"' in home and 'href="/staff/audit"' in home
    form = {"csrf": await csrf(client), "name": "Newbie", "role": "handler"}
    async with client.post("/staff/accounts", data=form) as resp:
        page = await resp.text()
    assert resp.status == 200 and "Account newbie (handler) created." in page
    one_time = one_time_of(page)
    async with client.get("/staff/accounts") as resp:
        page = await resp.text()
    assert one_time not in page and "newbie" in page and "must change at next sign-in" in page
    [entry] = await audit_entries(redis, "account_added")
    assert entry == {**entry, "who": "boss", "account": "newbie", "role": "handler"}
    assert not any(one_time in v for e in await audit_entries(redis) for v in e.values())
    newbie = person()
    assert await sign_in(newbie, "newbie", one_time) == (303, "/staff/password")
    for form, message in (({"name": "newbie", "role": "handler"}, "already exists"),
                          ({"name": "<b>x</b>", "role": "handler"}, "lower-case letters"),
                          ({"name": "okname", "role": "admin"}, "The role must be one of")):
        async with client.post("/staff/accounts", data={"csrf": await csrf(client), **form}) as resp:
            page = await resp.text()
        assert resp.status == 400 and message in page and "<b>x</b>" not in page
    assert len(await audit_entries(redis, "account_added")) == 1


async def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await member(redis, client, "boss", "supervisor")
    hana = person()
    await member(redis, hana, "hana", "handler")
    assert await signed_in(hana)
    status, page = await change(client, "hana", "disable")
    assert status == 200 and "hana is disabled" in page
    assert not await signed_in(hana)
    async with hana.get("/console/", allow_redirects=False) as resp:
        assert (resp.status, resp.headers["Location"]) == (303, "/staff/login")
    assert (await sign_in(hana, "hana", PASSWORD))[0] == 401
    assert (await change(client, "hana", "disable"))[0] == 400, "already disabled"
    status, page = await change(client, "hana", "enable")
    assert status == 200 and "hana is enabled again" in page
    assert await sign_in(hana, "hana", PASSWORD) == (303, "/console/")
    kinds = [(e["who"], e["kind"], e.get("account")) for e in await audit_entries(redis)
             if e["kind"].startswith("account_")]
    assert kinds == [("boss", "account_disabled", "hana"), ("boss", "account_enabled", "hana")]


async def test_a_reset_password_ends_sessions_and_must_be_changed(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await member(redis, client, "boss", "supervisor")
    hana = person()
    await member(redis, hana, "hana", "handler")
    status, page = await change(client, "hana", "reset")
    assert status == 200 and "hana&#x27;s password was reset" in page
    one_time = one_time_of(page)
    assert not await signed_in(hana)
    assert (await sign_in(hana, "hana", PASSWORD))[0] == 401, "the old password no longer works"
    assert await sign_in(hana, "hana", one_time) == (303, "/staff/password")
    async with hana.get("/console/", allow_redirects=False) as resp:
        assert resp.headers["Location"] == "/staff/password", "it must be changed first"
    assert (await AccountStore(redis).get("hana")).must_change
    [entry] = await audit_entries(redis, "password_reset")
    assert entry["who"] == "boss" and entry["account"] == "hana"
    assert not any(one_time in v for e in await audit_entries(redis) for v in e.values())
    status, page = await change(client, "boss", "reset")
    assert status == 400 and "your own password" in page


async def test_a_new_role_ends_the_sessions_and_is_audited(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await member(redis, client, "boss", "supervisor")
    hana = person()
    await member(redis, hana, "hana", "handler")
    status, page = await change(client, "hana", "role", role="editor")
    assert status == 200 and "hana is now an editor" in page
    assert not await signed_in(hana)
    assert await sign_in(hana, "hana", PASSWORD) == (303, "/admin/")  # an editor starts at the content
    async with hana.get("/console/") as resp:
        assert resp.status == 403
    [entry] = await audit_entries(redis, "role_changed")
    assert entry == {**entry, "who": "boss", "account": "hana", "role": "editor", "before": "handler"}
    assert (await change(client, "hana", "role", role="editor"))[0] == 400, "nothing to change"
    assert (await change(client, "hana", "role", role="root"))[0] == 400
    assert (await change(client, "nobody", "disable"))[0] == 400
    assert (await change(client, "hana", "explode"))[0] == 400
    assert (await AccountStore(redis).get("hana")).role == "editor"


async def test_the_last_supervisor_cannot_be_disabled_or_demoted(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await member(redis, client, "boss", "supervisor")
    for action, extra in (("disable", {}), ("role", {"role": "handler"})):
        status, page = await change(client, "boss", action, **extra)
        assert status == 400 and "last supervisor" in page
    accounts = AccountStore(redis)
    with pytest.raises(AccountError, match="last supervisor"):
        await accounts.disable("boss")
    # A disabled supervisor does not count.
    await accounts.add("old", "supervisor")
    await accounts.disable("old")
    assert (await change(client, "boss", "role", role="editor"))[0] == 400
    assert await enabled_supervisors(redis) == ["boss"]
    # With another supervisor, a supervisor may step down; their own session ends.
    deputy = person()
    await member(redis, deputy, "deputy", "supervisor")
    form = {"csrf": await csrf(client), "action": "role", "role": "handler"}
    async with client.post("/staff/accounts/boss", data=form, allow_redirects=False) as resp:
        assert (resp.status, resp.headers["Location"]) == (303, "/staff/login")
    assert not await signed_in(client)
    assert await enabled_supervisors(redis) == ["deputy"]
    status, page = await change(deputy, "deputy", "disable")
    assert status == 400 and "last supervisor" in page


async def test_two_supervisors_demoting_each_other_at_once_leave_one(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    ann, bea = person(), person()
    await member(redis, ann, "ann", "supervisor")
    await member(redis, bea, "bea", "supervisor")
    forms = [await csrf(ann), await csrf(bea)]

    async def demote(browser: Person, token: str, name: str) -> int:
        async with browser.post(f"/staff/accounts/{name}", data={"csrf": token, "action": "role", "role": "handler"},
                                allow_redirects=False) as resp:
            return resp.status

    statuses = await asyncio.gather(demote(ann, forms[0], "bea"), demote(bea, forms[1], "ann"))
    # One demoted the other; the other was refused: by the check in Redis (400), or, when the
    # first change landed before the second request was read, because its session had ended (303).
    assert sorted(statuses) in ([200, 400], [200, 303]), statuses
    assert len(await enabled_supervisors(redis)) == 1
    # The store itself, with nobody named (as from the command line), many times over: only
    # the count of supervisors in Redis, checked and changed at once, decides.
    accounts = AccountStore(redis)
    for i in range(20):
        names = [f"s{i}a", f"s{i}b"]
        for name in names:
            await accounts.add(name, "supervisor")
        for other in await enabled_supervisors(redis):
            if other not in names:
                await accounts.set_role(other, "handler")
        calls: list[Awaitable[object]] = [accounts.set_role(names[0], "editor"), accounts.disable(names[1])]
        if i % 2:
            calls.reverse()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert sum(isinstance(r, AccountError) for r in results) == 1, results
        assert len(await enabled_supervisors(redis)) == 1


async def test_editors_handlers_and_strangers_are_refused(
        client: TestClient, redis: Redis, person: Callable[[], Person]) -> None:
    await AccountStore(redis).add("boss", "supervisor")
    stranger = person()
    for path in ("/staff/accounts", "/staff/accounts/boss"):
        async with stranger.post(path, data={"action": "disable", "name": "x", "role": "handler"},
                                 allow_redirects=False) as resp:
            assert (resp.status, resp.headers["Location"]) == (303, "/staff/login")
    for role in ("handler", "editor"):
        browser = person()
        await member(redis, browser, f"{role}1", role)
        async with browser.get("/staff/") as resp:
            page = await resp.text()
        assert "/staff/accounts" not in page and "/staff/audit" not in page
        token = csrf_of(page)
        for path in ("/staff/accounts", "/staff/audit", "/staff/audit.csv"):
            async with browser.get(path) as resp:
                assert resp.status == 403, (role, path)
        form = {"csrf": token, "name": "sneaky", "role": "supervisor"}
        async with browser.post("/staff/accounts", data=form) as resp:
            assert resp.status == 403
        async with browser.post("/staff/accounts/boss", data={"csrf": token, "action": "disable"}) as resp:
            assert resp.status == 403
        async with browser.post(f"/staff/accounts/{role}1", data={"csrf": token, "action": "role",
                                                                 "role": "supervisor"}) as resp:
            assert resp.status == 403
    assert await AccountStore(redis).get("sneaky") is None
    assert await enabled_supervisors(redis) == ["boss"]
    # A supervisor's form without its token changes nothing either.
    await member(redis, client, "sup", "supervisor")
    async with client.post("/staff/accounts/boss", data={"csrf": "forged", "action": "disable"}) as resp:
        assert resp.status == 403
    assert not (await AccountStore(redis).get("boss")).disabled
    assert not await audit_entries(redis, "account_disabled")


# --- the audit log ----------------------------------------------------------------------------
def stream_id(utc: str) -> str:
    return f"{int(datetime.fromisoformat(utc).replace(tzinfo=timezone.utc).timestamp() * 1000)}-0"


async def seed_old_entries(redis: Redis) -> None:
    """Entries from summer 2025 (British Summer Time, one hour ahead of UTC)."""
    for utc, fields in (
        ("2025-06-30T22:30:00", {"who": "alice", "kind": "transcript_view", "conversation": "conv-june"}),
        ("2025-06-30T23:30:00", {"who": "bob", "kind": "transcript_view", "conversation": "conv-july"}),  # 00:30 1 July
        ("2025-07-02T10:00:00", {"who": "alice", "kind": "canned_saved", "reply": "<script>alert(1)</script>"}),
        ("2025-07-03T10:00:00", {"who": "<img src=x onerror=alert(1)>", "kind": "login_failed"}),
        ("2025-07-04T10:00:00", {"who": "=HYPERLINK(\"http://x\")", "kind": "login_failed"}),
    ):
        await redis.xadd(keys.AUDIT, {**fields, "at": "0"}, id=stream_id(utc))


def shown(page: str) -> list[str]:
    """The conversation / reply details of the rows on an audit page, top to bottom."""
    return re.findall(r"<li>(?:conversation|reply): ([^<]*)</li>", page)


async def test_the_audit_log_is_searched_by_person_kind_and_london_date_and_escaped(
        client: TestClient, redis: Redis) -> None:
    await seed_old_entries(redis)
    await member(redis, client, "boss", "supervisor")
    async with client.get("/staff/audit") as resp:
        page = await resp.text()
    assert resp.status == 200 and "cannot be edited or deleted" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.index(">login<") < page.index("conv-july") < page.index("conv-june"), "newest first"

    async def search(**query: str) -> str:
        async with client.get("/staff/audit", params=query) as resp:
            assert resp.status == 200
            return await resp.text()

    assert shown(await search(person="alice")) == ["&lt;script&gt;alert(1)&lt;/script&gt;", "conv-june"]
    assert shown(await search(kind="transcript_view")) == ["conv-july", "conv-june"]
    assert shown(await search(**{"from": "2025-07-01", "to": "2025-07-01"})) == ["conv-july"]
    assert shown(await search(**{"to": "2025-06-30"})) == ["conv-june"]
    assert shown(await search(person="alice", **{"from": "2025-07-01"})) == ["&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert "No entries match" in await search(person="bob", kind="canned_saved")
    # A person is also who an account change was done to.
    await AccountStore(redis).add("newbie", "handler")
    await audit.record(redis, "boss", "account_added", account="newbie", role="handler")
    assert ">account_added<" in await search(person="newbie")
    for bad in ({"from": "yesterday"}, {"from": "2025-07-02", "to": "2025-07-01"}, {"from": "0001-01-01"}):
        async with client.get("/staff/audit", params=bad) as resp:
            assert resp.status == 400
    # There is no way to change it from the application.
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        async with client.request(method, "/staff/audit") as resp:
            assert resp.status == 405


async def test_the_audit_log_pages_by_stream_id_newest_first(client: TestClient, redis: Redis) -> None:
    for n in range(250):
        await audit.record(redis, "carol", "bulk", conversation=f"n{n}")
    await member(redis, client, "boss", "supervisor")
    seen: list[str] = []
    path = "/staff/audit?kind=bulk"
    for expected in (100, 100, 50):
        async with client.get(path) as resp:
            page = await resp.text()
        rows = shown(page)
        assert len(rows) == expected
        seen += rows
        older = re.search(r'href="(/staff/audit\?[^"]*before=[^"]*)">Older entries', page)
        path = older and older.group(1).replace("&amp;", "&")
    assert path is None, "no link past the oldest"
    assert seen == [f"n{n}" for n in reversed(range(250))]


async def test_the_csv_holds_the_filtered_entries(client: TestClient, redis: Redis) -> None:
    await seed_old_entries(redis)
    await member(redis, client, "boss", "supervisor")
    async with client.get("/staff/audit.csv", params={"kind": "transcript_view", "from": "2025-06-30"}) as resp:
        assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/csv")
        assert resp.headers["Content-Disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(await resp.text())))
    assert rows[0] == ["id", "when (Europe/London)", "who", "kind", "details"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("2025-07-01 00:30:00 BST", "bob", "transcript_view", "conversation=conv-july"),
        ("2025-06-30 23:30:00 BST", "alice", "transcript_view", "conversation=conv-june"),
    ]
    async with client.get("/staff/audit.csv", params={"kind": "login_failed"}) as resp:
        rows = list(csv.reader(io.StringIO(await resp.text())))
    assert [r[2] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "<img src=x onerror=alert(1)>"], \
        "a cell a spreadsheet would run is quoted"
    [export, _] = await audit_entries(redis, "audit_exported")
    assert export["who"] == "boss" and "transcript_view" in export["filters"] and "2025-06-30" in export["filters"]


async def test_a_csv_download_is_recorded_before_any_entry_is_sent(
        client: TestClient, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpline.staff import audit_views

    await seed_old_entries(redis)
    await member(redis, client, "boss", "supervisor")
    real_entries = audit_views.entries

    async def fails_part_way(*args, **kwargs):  # the download breaks after the first entry
        async for found in real_entries(*args, **kwargs):
            yield found
            raise ConnectionResetError("the connection was lost")

    monkeypatch.setattr(audit_views, "entries", fails_part_way)
    with pytest.raises(aiohttp.ClientError):
        async with client.get("/staff/audit.csv", params={"person": "alice"}) as resp:
            await resp.read()
    [export] = await audit_entries(redis, "audit_exported")
    assert export["who"] == "boss" and export["filters"] == "person=alice", "read, even in part, so recorded"


async def test_the_audit_page_takes_only_ascii_stream_ids_and_suggests_every_kind(
        client: TestClient, redis: Redis) -> None:
    await seed_old_entries(redis)
    await member(redis, client, "boss", "supervisor")
    for before in ("\u0661-\u0661", "\u00b2-0", "1-1\n", "999999999999999-9999999999999999999"):
        async with client.get("/staff/audit", params={"before": before}) as resp:
            assert resp.status == 200, before
    async with client.get("/staff/audit") as resp:
        page = await resp.text()
    for kind in ("figures_exported", "audit_exported", "content_imported"):
        assert f'<option value="{kind}">' in page, kind
