"""The content editor (/admin) against the real gateway and a real Redis: changes through the
pages and the JSON API, validation, versions, diff and revert, retire, the stale flag, import and
export, who may use it, and a change reaching the next answer with no restart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from helpline import keys
from helpline.admin import versions
from helpline.chat import answers
from helpline.config import Settings
from helpline.content import store

from .chat_client import ChatClient
from .conftest import gateway
from .test_staff import csrf_of, member

NEW_NUMBER = "0800 111 2222"


@pytest.fixture
async def client(settings: Settings, redis: Redis) -> AsyncIterator[TestClient]:
    client, _ = await gateway(settings)
    yield client
    await client.close()


@pytest.fixture
async def editor(client: TestClient, redis: Redis) -> TestClient:
    await member(redis, client, "ed1", "editor")
    return client


async def api_token(client: TestClient) -> str:
    async with client.get("/admin/api/session") as resp:
        assert resp.status == 200
        return (await resp.json())["csrf"]


async def api(client: TestClient, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
    if method != "GET":
        headers.setdefault("X-CSRF-Token", await api_token(client))
    async with client.request(method, path, json=body, headers=headers) as resp:
        return resp.status, await resp.json()


async def page(client: TestClient, path: str) -> str:
    async with client.get(path) as resp:
        assert resp.status == 200, (path, resp.status)
        return await resp.text()


def form_of(resource: dict[str, Any], edit_page: str, **change: Any) -> dict[str, str]:
    """What the edit form on this page sends for a resource, with its CSRF token and the version
    it was opened at (checkbox ticked: "yes", unticked: absent)."""
    fields = {k: "" if v is None else str(v) for k, v in resource.items()
              if k not in ("id", "needs_check", "retired")}
    base = re.search(r'name="base" value="(\d+)"', edit_page).group(1)
    fields.update({"csrf": csrf_of(edit_page), "base": base, "action": "save",
                   **{k: str(v) for k, v in change.items()}})
    if resource.get("needs_check") and "needs_check" not in change:
        fields["needs_check"] = "yes"
    return fields


async def live(redis: Redis, rid: str) -> dict[str, Any]:
    return json.loads(await redis.get(keys.content_resource(rid)))


async def snapshot(redis: Redis) -> dict[str, Any]:
    """Every content key and its value: to show that something changed nothing."""
    found = {}
    async for key in redis.scan_iter(match=f"{keys.PREFIX}:content:*"):
        kind = await redis.type(key)
        found[key] = (await redis.get(key) if kind == "string" else await redis.hgetall(key) if kind == "hash"
                      else sorted(await redis.smembers(key)) if kind == "set" else await redis.lrange(key, 0, -1))
    return found


# ---------------------------------------------------------------- live at once, everywhere


async def test_a_new_phone_number_is_in_the_next_answer_on_another_gateway_process_with_no_restart(
        editor: TestClient, settings: Settings, redis: Redis) -> None:
    other, other_url = await gateway(settings)  # a second gateway process on the same Redis
    try:
        chat, _ = await ChatClient.open(other.session, other_url)
        await chat.say("hello")  # the bot is down: the safe reply, with Childline's number as it was
        before = await chat.expect("bot", timeout=settings.rasa_deadline + 3)
        assert "0800 1111" in before["text"]

        edit = await page(editor, "/admin/resources/childline")
        childline = await live(redis, "childline")
        async with editor.post("/admin/resources/childline", data=form_of(childline, edit, phone=NEW_NUMBER),
                               allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/admin/resources/childline?saved=2"

        await chat.say("my dad hits me")  # AMBER: queued, and the safe reply while the bot is down
        after = await chat.expect("bot", timeout=settings.rasa_deadline + 3)
        card = next(r for r in after["resources"] if r["id"] == "childline")
        assert card["phone"] == NEW_NUMBER and f"Childline: call {NEW_NUMBER}" in after["text"]
        text, resources = await answers.for_topic(redis, "abuse")  # what the gateway says for the screen's topic
        assert next(r for r in resources if r["id"] == "childline")["phone"] == NEW_NUMBER
    finally:
        await other.close()


# ---------------------------------------------------------------- the pages


async def test_an_edit_through_the_pages_is_a_new_version_and_is_audited(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/resources/shout")
    shout = await live(redis, "shout")
    form = form_of(shout, edit, hours="Mon-Fri 09:00-17:00", checked_today="yes")
    async with editor.post("/admin/resources/shout", data=form) as resp:
        after = await resp.text()
    assert resp.status == 200 and "Saved as version 2" in after
    now = await live(redis, "shout")
    assert now["hours"] == "Mon-Fri 09:00-17:00" and now["last_checked"] == dt.date.today().isoformat()
    history = await versions.history(redis, "resource", "shout")
    assert [(v.number, v.action, v.by) for v in history] == [(2, "edit", "ed1"), (1, "seed", "(seed)")]
    assert history[1].data == shout
    entries = [e for _, e in await redis.xrange(keys.AUDIT) if e["kind"] == "content_changed"]
    assert entries == [{"who": "ed1", "kind": "content_changed", "at": entries[0]["at"], "resource": "shout",
                        "version": "2", "fields": "hours,last_checked"}]
    assert await redis.ttl(keys.content_resource_versions("shout")) == -1, "versions never expire"


async def test_the_preview_is_the_chat_card_escaped_and_saves_nothing(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/resources/shout")
    assert '<li class="resource" data-resource-id="shout">' in edit and 'href="sms:85258?body=SHOUT"' in edit
    shout = await live(redis, "shout")
    form = form_of(shout, edit, action="preview", name="<script>alert(1)</script>", phone="0800 111 2222")
    async with editor.post("/admin/resources/shout", data=form) as resp:
        shown = await resp.text()
    assert resp.status == 200 and "Not saved yet" in shown
    assert "<script>alert" not in shown and '<h3 class="resource__name">&lt;script&gt;alert(1)&lt;/script&gt;</h3>' in shown
    assert '<a href="tel:08001112222">Call 0800 111 2222<span class="visually-hidden">' in shown
    assert await live(redis, "shout") == shout and not await redis.exists(keys.content_resource_versions("shout"))


async def test_every_problem_is_named_and_nothing_is_saved(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/resources/childline")
    childline = await live(redis, "childline")
    form = form_of(childline, edit, name="", website="http://www.childline.org.uk", phone="12",
                   text_number="call us", hours="weekdays 9-5", min_age="30", max_age="20")
    async with editor.post("/admin/resources/childline", data=form) as resp:
        shown = await resp.text()
    assert resp.status == 400
    for complaint in ["name is required", "website must be a web address starting with https://",
                      "phone &#x27;12&#x27; is not a UK number", "text_number &#x27;call us&#x27; is not a UK number",
                      "cannot read opening hours", "min_age must be a whole number of years from 0 to 25"]:
        assert complaint in shown, complaint
    assert 'id="f-phone" name="phone" type="text" value="12"' in shown, "what they typed is kept"
    form = form_of(childline, edit, min_age="16", max_age="12")
    async with editor.post("/admin/resources/childline", data=form) as resp:
        assert resp.status == 400 and "min_age is above max_age" in await resp.text()
    assert await live(redis, "childline") == childline


async def test_a_new_service_is_created_once(editor: TestClient, redis: Redis) -> None:
    new = await page(editor, "/admin/new")
    form = {"csrf": csrf_of(new), "action": "save", "id": "wirral-youth-club", "name": "Wirral Youth Club",
            "description": "A place to meet friends.", "scope": "local", "phone": "0151 123 4567",
            "hours": "Sat 10:00-14:00", "min_age": "11", "max_age": "19"}
    async with editor.post("/admin/new", data=form, allow_redirects=False) as resp:
        assert resp.status == 303 and resp.headers["Location"] == "/admin/resources/wirral-youth-club?saved=1"
    made = await live(redis, "wirral-youth-club")
    assert made["min_age"] == 11 and made["scope"] == "local" and not made["retired"]
    async with editor.post("/admin/new", data={**form, "name": "Another"}) as resp:
        assert resp.status == 400 and "already exists" in await resp.text()
    assert (await live(redis, "wirral-youth-club"))["name"] == "Wirral Youth Club"
    async with editor.post("/admin/new", data={**form, "id": "Bad Id"}) as resp:
        assert resp.status == 400 and "id must be lower case" in await resp.text()


async def test_history_diff_and_revert_through_the_pages(editor: TestClient, redis: Redis) -> None:
    original = await live(redis, "samaritans")
    for number in ("116 124", "116 125"):
        status, _ = await api(editor, "PUT", "/admin/api/resources/samaritans", {**original, "phone": number})
        assert status == 200
    history = await page(editor, "/admin/resources/samaritans/history")
    assert "Revert to version 1" in history and "Revert to version 2" in history and "live now" in history
    diff = await page(editor, "/admin/resources/samaritans/diff?a=1&b=3")
    assert re.search(r'<th scope="row">Phone number</th><td class="old">116 123</td><td class="new">116 125</td>', diff)
    assert "Description" not in diff.split("<tbody>")[1].split("</tbody>")[0], "only what changed"
    async with editor.post("/admin/resources/samaritans/revert",
                           data={"csrf": csrf_of(history), "version": "1", "base": "3"}) as resp:
        reverted = await resp.text()
    assert resp.status == 200 and "Reverted: version 4 is live now" in reverted
    assert await live(redis, "samaritans") == original
    assert [(v.number, v.action, v.note) for v in await versions.history(redis, "resource", "samaritans")][0] == (
        4, "revert", "back to version 1")
    async with editor.post("/admin/resources/samaritans/revert",
                           data={"csrf": csrf_of(history), "version": "2", "base": "3"}) as resp:
        assert resp.status == 409 and "someone else changed" in await resp.text()
    assert await live(redis, "samaritans") == original
    kinds = [e["kind"] for _, e in await redis.xrange(keys.AUDIT)]
    assert kinds.count("content_changed") == 2 and kinds.count("content_reverted") == 1


async def test_an_edit_based_on_an_old_version_is_refused(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/resources/kooth")  # opened at version 1
    kooth = await live(redis, "kooth")
    status, body = await api(editor, "PUT", "/admin/api/resources/kooth", {**kooth, "name": "Kooth online"})
    assert status == 200 and body["version"] == 2
    async with editor.post("/admin/resources/kooth", data=form_of(kooth, edit, description="Mine.")) as resp:
        assert resp.status == 409 and "someone else changed resource kooth" in await resp.text()
    status, body = await api(editor, "PUT", "/admin/api/resources/kooth", {**kooth, "description": "Mine."},
                             **{"If-Match": "1"})
    assert status == 409 and "now version 2" in body["error"]
    assert (await live(redis, "kooth"))["name"] == "Kooth online"


async def test_a_topic_is_edited_with_its_order_and_words(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/topics/abuse")
    assert "Nobody is allowed to hurt you" in edit and '<div class="msg msg--bot" data-role="bot">' in edit
    form = [("csrf", csrf_of(edit)), ("action", "save"), ("intro", "You are not to blame."), ("base", "1"),
            ("resource", "wirral-front-door"), ("resource", ""), ("resource", "childline"), ("resource", "")]
    async with editor.post("/admin/topics/abuse", data=form) as resp:
        assert resp.status == 200 and "Saved as version 2" in await resp.text()
    text, resources = await answers.for_topic(redis, "abuse")
    assert text == "You are not to blame." and [r["id"] for r in resources] == ["wirral-front-door", "childline"]
    bad = [*form[:2], ("intro", ""), ("resource", "no-such-service"), ("resource", "childline"),
           ("resource", "childline")]
    async with editor.post("/admin/topics/abuse", data=bad) as resp:
        shown = await resp.text()
    assert resp.status == 400 and "needs an intro" in shown and "unknown resource(s) no-such-service" in shown
    assert "childline listed more than once" in shown
    diff = await page(editor, "/admin/topics/abuse/diff?a=1&b=2")
    assert "wirral-front-door, childline" in diff and "What the bot says" in diff
    status, body = await api(editor, "PUT", "/admin/api/topics/abuse", {"intro": "Again.", "resources": ["childline"]})
    assert status == 200 and body["version"] == 3
    status, body = await api(editor, "GET", "/admin/api/topics/abuse/history")
    assert [v["action"] for v in body["versions"]] == ["edit", "edit", "seed"]
    status, body = await api(editor, "POST", "/admin/api/topics/abuse/revert", {"version": 1})
    assert status == 200 and body["version"] == 4
    assert (await store.topic(redis, "abuse"))["intro"].startswith("Nobody is allowed to hurt you")
    kinds = [e["kind"] for _, e in await redis.xrange(keys.AUDIT)]
    assert kinds.count("topic_changed") == 2 and kinds.count("topic_reverted") == 1


async def test_retire_hides_a_service_from_every_answer_and_keeps_it(editor: TestClient, redis: Redis) -> None:
    edit = await page(editor, "/admin/resources/samaritans")
    async with editor.post("/admin/resources/samaritans/retire",
                           data={"csrf": csrf_of(edit), "action": "retire", "base": "1"}) as resp:
        shown = await resp.text()
    assert resp.status == 200 and "Retired: young people do not see it" in shown and "Bring it back" in shown
    assert (await live(redis, "samaritans"))["retired"] is True
    for topic in ("crisis", "bot_unavailable"):
        _, resources = await answers.for_topic(redis, topic)
        assert resources and "samaritans" not in [r["id"] for r in resources], topic
    text, resources = await answers.unavailable(redis)
    assert "Samaritans" not in text and resources
    listing = await page(editor, "/admin/")
    assert "/admin/resources/samaritans" not in listing, "retired services are not in the usual list"
    assert "/admin/resources/samaritans" in await page(editor, "/admin/?flag=retired")
    status, body = await api(editor, "POST", "/admin/api/resources/samaritans/restore")
    assert status == 200 and body["resource"]["retired"] is False and body["version"] == 3
    _, resources = await answers.for_topic(redis, "crisis")
    assert "samaritans" in [r["id"] for r in resources]
    assert [v.action for v in await versions.history(redis, "resource", "samaritans")] == ["restore", "retire", "seed"]
    kinds = [e["kind"] for _, e in await redis.xrange(keys.AUDIT)]
    assert kinds.count("content_retired") == 1 and kinds.count("content_restored") == 1


async def test_no_edit_can_take_the_numbers_out_of_the_safety_message(editor: TestClient, redis: Redis) -> None:
    """999, Childline and Shout cannot be retired, lose their number, or leave the crisis,
    bot-unavailable and out-of-hours answers; changed by hand in Redis, the fixed text stands in."""
    edit = await page(editor, "/admin/resources/childline")
    async with editor.post("/admin/resources/childline/retire",
                           data={"csrf": csrf_of(edit), "action": "retire", "base": "1"}) as resp:
        assert resp.status == 400 and "cannot be retired" in await resp.text()
    status, body = await api(editor, "GET", "/admin/api/resources/emergency-999")
    emptied = {k: v for k, v in body["resource"].items() if v is not None} | {"phone": ""}
    status, body = await api(editor, "PUT", "/admin/api/resources/emergency-999", emptied)
    assert status == 400 and any("phone cannot be empty" in p for p in body["problems"])
    status, body = await api(editor, "PUT", "/admin/api/topics/crisis", {"intro": "OK, thanks.", "resources": []})
    assert status == 400 and any("must list emergency-999, childline, shout" in p for p in body["problems"])
    status, body = await api(editor, "PUT", "/admin/api/topics/crisis", {"intro": "Hello \ud800", "resources": [
        "emergency-999", "childline", "shout"]})
    assert status == 400 and any("not text" in p for p in body["problems"])
    text, resources = await answers.crisis(redis)
    assert {"emergency-999", "childline", "shout"} <= {r["id"] for r in resources}
    # By hand in Redis, behind the editor's back: the fixed text with the numbers.
    raw = json.loads(await redis.get(keys.content_resource("shout")))
    await redis.set(keys.content_resource("shout"), json.dumps({**raw, "retired": True}))
    text, resources = await answers.crisis(redis)
    assert resources == [] and "85258" in text and "0800 1111" in text and "999" in text


async def test_stale_and_needs_check_services_are_flagged_on_the_first_screen(
        settings: Settings, redis: Redis) -> None:
    client, _ = await gateway(dataclasses.replace(settings, content_stale_days=30))
    try:
        await member(redis, client, "ed2", "editor")
        today = dt.date.today()
        for rid, checked, needs in (("childline", today - dt.timedelta(days=31), False),
                                    ("shout", today - dt.timedelta(days=29), False),
                                    ("samaritans", today, True)):
            status, _ = await api(client, "PUT", f"/admin/api/resources/{rid}",
                                  {**await live(redis, rid), "last_checked": checked.isoformat(), "needs_check": needs})
            assert status == 200
        first = await page(client, "/admin/")
        attention = first.split('<section class="attention"')[1].split("</section>")[0]
        assert f"Childline</a>: last checked {(today - dt.timedelta(days=31)).isoformat()}" in attention
        assert "Samaritans</a>: needs check" in attention
        assert "/admin/resources/shout" not in attention
        assert "Zillo</a>: never checked, needs check" in attention
        status, body = await api(client, "GET", "/admin/api/resources?flag=stale")
        ids = {r["id"] for r in body["resources"]}
        assert "childline" in ids and "shout" not in ids and "samaritans" not in ids
        status, body = await api(client, "GET", "/admin/api/resources/childline")
        assert body["flags"] == [f"last checked {(today - dt.timedelta(days=31)).isoformat()}"]
    finally:
        await client.close()


async def test_search_by_words_scope_and_topic(editor: TestClient) -> None:
    found = (await page(editor, "/admin/?q=front+door&scope=local")).split('<table class="results">')[1]
    assert "/admin/resources/wirral-front-door" in found and "/admin/resources/childline" not in found
    status, body = await api(editor, "GET", "/admin/api/resources?topic=abuse")
    assert {r["id"] for r in body["resources"]} == {"childline", "wirral-front-door", "wirral-front-door-out-of-hours"}
    status, body = await api(editor, "GET", "/admin/api/resources?scope=national&q=0800+1111")
    assert [r["id"] for r in body["resources"]] == ["childline"]


# ---------------------------------------------------------------- the JSON API


async def test_the_api_creates_changes_and_refuses_what_it_does_not_know(editor: TestClient, redis: Redis) -> None:
    new = {"name": "Test service", "description": "Helps.", "scope": "national", "phone": "0800 123 4567"}
    status, body = await api(editor, "PUT", "/admin/api/resources/test-service", new)
    assert status == 201 and body["version"] == 1 and body["resource"]["id"] == "test-service"
    status, body = await api(editor, "PUT", "/admin/api/resources/test-service", {**new, "colour": "red"})
    assert status == 400 and body["error"].startswith("Unknown field(s): colour.")
    status, body = await api(editor, "PUT", "/admin/api/resources/test-service",
                             {**new, "website": "http://example.org", "phone": "12", "max_age": 40, "min_age": 26})
    assert status == 400 and len(body["problems"]) == 3
    assert any("https://" in p for p in body["problems"]) and any("not a UK number" in p for p in body["problems"])
    status, body = await api(editor, "PUT", "/admin/api/resources/test-service", {**new, "id": "other"})
    assert status == 400 and "not the one in the address" in body["error"]
    async with editor.put("/admin/api/resources/test-service", data="not json",
                          headers={"X-CSRF-Token": await api_token(editor)}) as resp:
        assert resp.status == 400 and (await resp.json())["error"] == "The body must be JSON."
    status, body = await api(editor, "PUT", "/admin/api/topics/abuse", {"intro": "Hi.", "resources": [], "x": 1})
    assert status == 400 and "Unknown field(s): x" in body["error"]
    status, body = await api(editor, "PUT", "/admin/api/topics/no_such_topic", {"intro": "Hi.", "resources": []})
    assert status == 404
    status, body = await api(editor, "POST", "/admin/api/resources/test-service/retire")
    assert status == 200 and body["resource"]["retired"] is True
    status, body = await api(editor, "GET", "/admin/api/resources/test-service/history")
    assert [v["action"] for v in body["versions"]] == ["retire", "create"]
    status, body = await api(editor, "GET", "/admin/api/resources/no-such-thing")
    assert status == 404


# ---------------------------------------------------------------- import and export


async def test_export_then_import_round_trips(editor: TestClient, redis: Redis) -> None:
    async with editor.get("/admin/export/resources.yml") as resp:
        assert resp.headers["Content-Disposition"] == 'attachment; filename="resources.yml"'
        resources_file = await resp.text()
    async with editor.get("/admin/export/topics.yml") as resp:
        topics_file = await resp.text()
    exported = yaml.safe_load(resources_file)["resources"]
    assert {r["id"] for r in exported} == {r["id"] for r in await store.all_resources(redis)}
    assert set(exported[0]) == {"id", "name", "description", "website", "phone", "text_number", "text_keyword",
                                "hours", "min_age", "max_age", "scope", "last_checked", "needs_check"}
    assert yaml.safe_load(topics_file)["topics"] == await store.all_topics(redis)
    before = await snapshot(redis)
    transfer = await page(editor, "/admin/transfer")
    shown = await import_file(editor, csrf_of(transfer), resources_file + "\n" + topics_file)
    assert "0 service(s) and 0 topic(s) changed" in shown
    assert await snapshot(redis) == before, "the same content makes no new version"
    changed = resources_file.replace('"0800 1111"', '"0800 111 2222"').replace("phone: 0800 1111", "phone: 0800 111 2222")
    shown = await import_file(editor, csrf_of(transfer), changed)
    assert "1 service(s) and 0 topic(s) changed" in shown
    assert (await live(redis, "childline"))["phone"] == "0800 111 2222"
    assert (await versions.history(redis, "resource", "childline"))[0].action == "import"
    _, resources = await answers.for_topic(redis, "abuse")
    assert next(r for r in resources if r["id"] == "childline")["phone"] == "0800 111 2222"
    entries = [e for _, e in await redis.xrange(keys.AUDIT) if e["kind"] == "content_imported"]
    assert [e["resources"] for e in entries] == ["", "childline"]


async def import_file(client: TestClient, csrf: str, text: str, status: int = 200) -> str:
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("file", text.encode(), filename="content.yml", content_type="application/yaml")
    async with client.post("/admin/import", data=form) as resp:
        shown = await resp.text()
        assert resp.status == status, shown
        return shown


async def test_a_bad_import_changes_nothing_and_lists_every_problem(editor: TestClient, redis: Redis) -> None:
    csrf = csrf_of(await page(editor, "/admin/transfer"))
    before = await snapshot(redis)
    bad = """
resources:
  - id: childline
    name: Childline
    description: Changed, but this file is wrong elsewhere.
    scope: national
    phone: "0800 999 9999"
  - id: bad-one
    name: ""
    description: Something.
    scope: regional
    website: http://example.org
    hours: whenever
    min_age: 12
    max_age: 10
  - id: childline
    name: Twice
    description: Again.
    scope: national
topics:
  abuse:
    intro: Words.
    resources: [childline, nobody-knows-this]
  bullying:
    resources: [childline]
"""
    shown = await import_file(editor, csrf, bad, status=400)
    assert "Nothing was imported: nothing changed" in shown
    for complaint in ["resource bad-one: name is required", "resource bad-one: scope must be",
                      "resource bad-one: website must be", "resource bad-one: cannot read opening hours",
                      "resource bad-one: min_age is above max_age", "childline appear more than once",
                      "topic abuse: unknown resource(s) nobody-knows-this", "topic bullying: needs an intro"]:
        assert complaint in shown, complaint
    shown = await import_file(editor, csrf, "resources: [\n  - id: x\n  name", status=400)
    assert "not valid YAML at line" in shown
    shown = await import_file(editor, csrf, "services: []\n", status=400)
    assert "must have `resources:` or `topics:`" in shown
    assert await snapshot(redis) == before


def alias_bomb(levels: int) -> str:
    """A few hundred bytes whose nested aliases stand for 10**(levels + 1) strings once read."""
    lines = ["a0: &a0 [" + ", ".join(['"xxxxxxxxxx"'] * 10) + "]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + f"\nresources:\n- {{id: boom, name: *a{levels}, description: d, scope: national}}\n"


async def test_an_import_with_aliases_or_values_it_cannot_read_is_refused_clearly(
        editor: TestClient, redis: Redis) -> None:
    csrf = csrf_of(await page(editor, "/admin/transfer"))
    before = await snapshot(redis)
    shown = await import_file(editor, csrf, alias_bomb(3), status=400)
    assert "aliases (&amp;/*) are not allowed" in shown and "at line 1" in shown
    assert "unknown top-level key" not in shown, "refused before anything is read, let alone expanded"
    anchored = "resources:\n- &one {id: one, name: One, description: d, scope: national}\n"
    assert "aliases (&amp;/*) are not allowed" in await import_file(editor, csrf, anchored, status=400)
    merged = ("resources:\n- {id: one, name: &n One, description: d, scope: national}\n"
              "- {id: two, name: *n, description: d, scope: national}\n")
    assert "at line 2: aliases (&amp;/*) are not allowed" in await import_file(editor, csrf, merged, status=400)
    huge = "resources:\n- {id: dd, name: n, description: d, scope: national, min_age: 1" + "0" * 5000 + "}\n"
    assert "the file has a value that cannot be read" in await import_file(editor, csrf, huge, status=400)
    bad_date = "resources:\n- {id: dd, name: n, description: d, scope: national, last_checked: 2026-02-30}\n"
    assert "the file has a value that cannot be read" in await import_file(editor, csrf, bad_date, status=400)
    deep = "resources: " + "[" * 20000 + "]" * 20000 + "\n"
    assert "nested too deeply" in await import_file(editor, csrf, deep, status=400)
    lists = ("resources:\n- {id: ll, name: [a, b], description: {x: 1}, scope: national, hours: [24/7]}\n"
             "topics:\n  abuse: {intro: [Hi], resources: [childline, [shout]]}\n")
    shown = await import_file(editor, csrf, lists, status=400)
    for complaint in ["resource ll: name must be a single value (text, a number, a date or true/false), not a list",
                      "resource ll: description must be a single value", "resource ll: hours must be a single value",
                      "topic abuse: intro must be text, not a list",
                      "topic abuse: resources must be a list of resource ids, each one value"]:
        assert complaint in shown, complaint
    assert await snapshot(redis) == before


async def test_an_import_refuses_to_undo_a_change_made_while_it_was_applied(
        editor: TestClient, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    async with editor.get("/admin/export/resources.yml") as resp:
        resources_file = await resp.text()
    changed = resources_file.replace("phone: 0800 1111", "phone: 0800 111 2222")
    assert changed != resources_file
    read_topics = store.all_topics

    async def someone_edits_meanwhile(redis_: Redis) -> dict[str, Any]:
        topics = await read_topics(redis_)  # the import has read the live content: now someone saves
        if (await live(redis, "childline"))["name"] == "Childline":
            await versions.save_resource(redis, {**await live(redis, "childline"), "name": "Childline (theirs)"},
                                         "someone")
        return topics

    monkeypatch.setattr(store, "all_topics", someone_edits_meanwhile)
    shown = await import_file(editor, csrf_of(await page(editor, "/admin/transfer")), changed, status=409)
    assert "nothing was imported" in shown
    childline = await live(redis, "childline")
    assert childline["name"] == "Childline (theirs)" and childline["phone"] == "0800 1111", "their change stays"
    assert [v.action for v in await versions.history(redis, "resource", "childline")] == ["edit", "seed"]


async def test_retire_and_restore_without_if_match_never_undo_a_change_made_meanwhile(
        editor: TestClient, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    save = versions.save_resource

    async def someone_edits_first(redis_: Redis, resource: dict[str, Any], who: str, *args: Any,
                                  **kwargs: Any) -> int:
        if who != "someone":  # the API has read the resource; now someone else saves a change
            await save(redis_, {**await live(redis, resource["id"]), "description": "Theirs."}, "someone")
        return await save(redis_, resource, who, *args, **kwargs)

    monkeypatch.setattr(versions, "save_resource", someone_edits_first)
    status, body = await api(editor, "POST", "/admin/api/resources/kooth/retire")
    assert status == 409 and "someone else changed resource kooth" in body["error"], body
    kooth = await live(redis, "kooth")
    assert kooth["description"] == "Theirs." and not kooth["retired"], "their edit is kept, not written over"
    monkeypatch.setattr(versions, "save_resource", save)
    status, body = await api(editor, "POST", "/admin/api/resources/kooth/retire")
    assert status == 200 and body["resource"]["retired"] and body["resource"]["description"] == "Theirs."
    monkeypatch.setattr(versions, "save_resource", someone_edits_first)
    status, body = await api(editor, "POST", "/admin/api/resources/kooth/restore")
    assert status == 409 and (await live(redis, "kooth"))["retired"] is True


async def test_a_stale_if_match_is_refused_even_when_nothing_would_change(editor: TestClient, redis: Redis) -> None:
    kooth = await live(redis, "kooth")
    status, body = await api(editor, "PUT", "/admin/api/resources/kooth", {**kooth, "name": "Kooth online"})
    assert status == 200 and body["version"] == 2
    status, body = await api(editor, "PUT", "/admin/api/resources/kooth", {**kooth, "name": "Kooth online"},
                             **{"If-Match": "1"})
    assert status == 409 and "now version 2" in body["error"]
    status, body = await api(editor, "PUT", "/admin/api/resources/kooth", {**kooth, "name": "Kooth online"},
                             **{"If-Match": "2"})
    assert status == 200 and body["version"] == 2
    status, body = await api(editor, "POST", "/admin/api/resources/kooth/restore", **{"If-Match": "1"})
    assert status == 409
    topic = (await api(editor, "GET", "/admin/api/topics/abuse"))[1]
    status, body = await api(editor, "PUT", "/admin/api/topics/abuse",
                             {"intro": topic["intro"], "resources": topic["resources"]}, **{"If-Match": "7"})
    assert status == 409 and "someone else changed topic abuse" in body["error"]
    assert [v.action for v in await versions.history(redis, "resource", "kooth")] == ["edit", "seed"]


async def test_unicode_digits_huge_numbers_and_deep_json_get_a_clear_400_not_a_500(
        editor: TestClient, redis: Redis) -> None:
    token = await api_token(editor)
    childline = {**await live(redis, "childline"), "name": "Childline 2"}
    for if_match in ("²", "١", "1" + "0" * 30):
        async with editor.put("/admin/api/resources/childline", json=childline,
                              headers={"X-CSRF-Token": token, "If-Match": if_match}) as resp:
            assert resp.status == 400 and (await resp.json())["error"] == "If-Match must be a version number."
    for body in (b'{"name": ' + b"[" * 30000 + b"]" * 30000 + b"}", b'{"min_age": 1' + b"0" * 5000 + b"}"):
        async with editor.put("/admin/api/resources/zz", data=body,
                              headers={"X-CSRF-Token": token, "Content-Type": "application/json"}) as resp:
            assert resp.status == 400 and (await resp.json())["error"] == "The body must be JSON."
    edit = await page(editor, "/admin/resources/childline")
    async with editor.get("/admin/resources/childline/diff?a=%C2%B2&b=1") as resp:
        assert resp.status == 404
    async with editor.post("/admin/resources/childline/revert", data={"csrf": csrf_of(edit), "version": "²"}) as resp:
        assert resp.status == 409 and "choose a version" in await resp.text()
    async with editor.post("/admin/resources/childline",
                           data=form_of(await live(redis, "childline"), edit, description="x", base="²")) as resp:
        assert resp.status in (200, 303, 409)
    for age in ("²", "٣", "9" * 5000):
        new = await page(editor, "/admin/new")
        async with editor.post("/admin/new", data={"csrf": csrf_of(new), "id": "agey", "name": "n", "description": "d",
                                                   "scope": "national", "min_age": age, "action": "save"}) as resp:
            shown = await resp.text()
            assert resp.status == 400 and "min_age must be a whole number of years" in shown, age
    assert await redis.get(keys.content_resource("agey")) is None


# ---------------------------------------------------------------- who may use it


def admin_routes(settings: Settings) -> list[tuple[str, str]]:
    from helpline.app import create_app

    app = create_app(settings)
    return sorted({(r.method, r.resource.canonical.format(rid="childline", name="abuse"))
                   for sub in app._subapps for r in sub.router.routes()  # noqa: SLF001
                   if r.method != "HEAD" and r.resource.canonical.startswith("/admin")})


async def test_call_handlers_and_nobody_are_refused_everywhere(client: TestClient, settings: Settings,
                                                               redis: Redis) -> None:
    routes = admin_routes(settings)
    assert len(routes) > 25 and ("PUT", "/admin/api/resources/childline") in routes
    before = await snapshot(redis)
    for method, path in routes:  # nobody signed in
        async with client.request(method, path, allow_redirects=False) as resp:
            if "/api/" in path:
                assert resp.status == 401 and "Sign in" in (await resp.json())["error"], path
            else:
                assert (resp.status, resp.headers.get("Location")) == (303, "/staff/login"), path
    await member(redis, client, "handler1", "handler")
    csrf = csrf_of(await page(client, "/staff/password"))
    for method, path in routes:
        data = {"csrf": csrf, "action": "save", "version": "1"} if method == "POST" and "/api/" not in path else None
        async with client.request(method, path, data=data, headers={"X-CSRF-Token": csrf},
                                  allow_redirects=False) as resp:
            assert resp.status == 403, (method, path)
    assert await snapshot(redis) == before


async def test_changes_without_the_csrf_token_are_refused(editor: TestClient, redis: Redis) -> None:
    before = await snapshot(redis)
    childline = await live(redis, "childline")
    async with editor.put("/admin/api/resources/childline", json={**childline, "phone": NEW_NUMBER}) as resp:
        assert resp.status == 403 and "X-CSRF-Token" in (await resp.json())["error"]
    async with editor.put("/admin/api/resources/childline", json={**childline, "phone": NEW_NUMBER},
                          headers={"X-CSRF-Token": "forged"}) as resp:
        assert resp.status == 403
    forged = form_of(childline, await page(editor, "/admin/resources/childline"), csrf="forged", phone=NEW_NUMBER)
    async with editor.post("/admin/resources/childline", data=forged) as resp:
        assert resp.status == 403
    async with editor.post("/admin/api/resources/childline/retire") as resp:
        assert resp.status == 403
    assert await snapshot(redis) == before


async def test_a_form_without_the_version_it_changed_saves_nothing(editor: TestClient, redis: Redis) -> None:
    before = await live(redis, "kooth")
    edit = await page(editor, "/admin/resources/kooth")
    for base in (None, "", "²"):
        fields = form_of(before, edit, description="Changed without saying on what.")
        if base is None:
            del fields["base"]
        else:
            fields["base"] = base
        async with editor.post("/admin/resources/kooth", data=fields) as resp:
            assert resp.status == 409 and "reload the page" in await resp.text()
    assert await live(redis, "kooth") == before
