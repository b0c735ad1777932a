"""/admin/api: the content editor's operations as JSON, for editors and supervisors.

Signed in with the staff cookie (sign in at /staff/login). Requests that change anything carry
the session's CSRF token in an X-CSRF-Token header (GET /admin/api/session gives it). Bodies are
JSON objects; unknown fields are refused. Errors are {"error": sentence, "problems": [...]}.
A PUT, a retire or a restore may carry If-Match: <version> to refuse it (409) when someone else
changed it first, even when it would change nothing; without If-Match the change is based on the
version read with the value it changes, so a change made in between is refused, never undone.
"""

from __future__ import annotations

import functools
import hmac
import json
import re
from typing import Any

from aiohttp import web

from .. import keys
from ..appkeys import REDIS, SETTINGS
from ..content import model, store
from ..staff import audit
from ..staff.auth import STAFF, Handler
from . import paths, search, versions

EDITORS = ("editor", "supervisor")
TOPIC_FIELDS = {"intro", "resources"}


def error(status: int, message: str, problems: list[str] | None = None) -> web.Response:
    return web.json_response({"error": message, "problems": problems or [message]}, status=status,
                             headers={"Cache-Control": "no-store"})


def ok(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


def api_requires(*roles: str) -> Any:
    """Like staff.auth.requires, answered in JSON: 401 signed out, 403 wrong role or no CSRF header."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            session = request[STAFF]
            if session is None:
                return error(401, "Sign in first, at /staff/login.")
            if session.must_change:
                return error(403, "Change your one-time password first, at /staff/password.")
            if session.role not in roles:
                return error(403, "Your account's role does not give access to the content editor.")
            if request.method not in ("GET", "HEAD") and not hmac.compare_digest(
                    request.headers.get("X-CSRF-Token", ""), session.csrf):
                return error(403, "The X-CSRF-Token header is missing or wrong: GET /admin/api/session gives it.")
            try:
                return await handler(request)
            except model.ResourceError as exc:
                return error(400, "The content is not valid.", exc.problems)
            except versions.Conflict as exc:
                return error(409, str(exc))

        checked.roles = roles  # type: ignore[attr-defined]
        return checked

    return wrap


async def _body(request: web.Request, allowed: set[str]) -> dict[str, Any]:
    """The JSON object sent, with only known fields, or HTTPBadRequest with a JSON error."""
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deeply, a 5000-digit number
        raise web.HTTPBadRequest(text=json.dumps({"error": "The body must be JSON.", "problems": []}),
                                 content_type="application/json") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text=json.dumps({"error": "The body must be a JSON object.", "problems": []}),
                                 content_type="application/json")
    unknown = sorted(set(body) - allowed)
    if unknown:
        message = f"Unknown field(s): {', '.join(unknown)}. Known fields: {', '.join(sorted(allowed))}."
        raise web.HTTPBadRequest(text=json.dumps({"error": message, "problems": [message]}),
                                 content_type="application/json")
    return body


def _if_match(request: web.Request) -> int | None:
    raw = request.headers.get("If-Match", "").strip().strip('"')
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", raw):  # "²".isdigit() is true, and int() refuses it
        raise web.HTTPBadRequest(text=json.dumps({"error": "If-Match must be a version number.", "problems": []}),
                                 content_type="application/json")
    return int(raw)


async def _resource(request: web.Request, rid: str) -> dict[str, Any]:
    raw = await request.config_dict[REDIS].get(keys.content_resource(rid))
    if raw is None:
        raise web.HTTPNotFound(text=json.dumps({"error": f"No resource {rid}.", "problems": []}),
                               content_type="application/json")
    return json.loads(raw)


async def _described(request: web.Request, resource: dict[str, Any], topics: dict | None = None) -> dict[str, Any]:
    redis = request.config_dict[REDIS]
    topics = topics if topics is not None else await store.all_topics(redis)
    return {"resource": {**{f: None for f in model.FIELDS}, **resource},
            "version": await versions.current_number(redis, "resource", resource["id"]),
            "flags": search.why_flagged(resource, request.config_dict[SETTINGS].content_stale_days),
            "topics": search.topics_using(resource["id"], topics)}


def _version(v: versions.Version) -> dict[str, Any]:
    return {"version": v.number, "at": v.at, "by": v.by, "action": v.action, "note": v.note, "data": v.data}


@api_requires(*EDITORS)
async def session(request: web.Request) -> web.Response:
    staff = request[STAFF]
    return ok({"name": staff.name, "role": staff.role, "csrf": staff.csrf})


@api_requires(*EDITORS)
async def list_resources(request: web.Request) -> web.Response:
    """?q=words&scope=local|national&topic=name&flag=attention|stale|needs_check|retired"""
    redis = request.config_dict[REDIS]
    days = request.config_dict[SETTINGS].content_stale_days
    topics = await store.all_topics(redis)
    found = search.search(await store.all_resources(redis), search.Query.from_params(request.query), topics, days)
    return ok({"resources": [{**r, "flags": search.why_flagged(r, days), "topics": search.topics_using(r["id"], topics)}
                             for r in found]})


@api_requires(*EDITORS)
async def get_resource(request: web.Request) -> web.Response:
    return ok(await _described(request, await _resource(request, request.match_info["rid"])))


@api_requires(*EDITORS)
async def put_resource(request: web.Request) -> web.Response:
    """The whole resource (PUT): creates it (201) or makes a new version (200)."""
    staff, redis = request[STAFF], request.config_dict[REDIS]
    rid = request.match_info["rid"]
    body = await _body(request, set(model.FIELDS))
    if body.setdefault("id", rid) != rid:
        return error(400, f"The id in the body ({body['id']}) is not the one in the address ({rid}).")
    if_match = _if_match(request)
    current, live_number = await versions.live_and_number(redis, "resource", rid)
    clean = model.validate(body)
    if current is None:
        number = await versions.save_resource(redis, clean, staff.name, "create", create=True)
        await audit.record(redis, staff.name, "content_created", resource=rid, version=number, via="api")
        return ok(await _described(request, clean), status=201)
    changed = [f for f, _, _ in versions.diff(current, clean)]
    if changed:
        action = "edit" if changed != ["retired"] else ("retire" if clean["retired"] else "restore")
        number = await versions.save_resource(redis, clean, staff.name, action,
                                              base=live_number if if_match is None else if_match)
        await audit.record(redis, staff.name, "content_changed", resource=rid, version=number,
                           fields=",".join(changed), via="api")
    elif if_match is not None and if_match != live_number:
        raise versions.stale("resource", rid, live_number)
    return ok(await _described(request, clean))


async def _set_retired(request: web.Request, retired: bool) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    if request.can_read_body:
        await _body(request, set())  # nothing to say: an empty object at most
    rid = request.match_info["rid"]
    if_match = _if_match(request)
    # The value and its version read together: the save is based on that version, so an edit
    # made since is refused (409), not silently undone by writing back this older value.
    current, live_number = await versions.live_and_number(redis, "resource", rid)
    if current is None:
        return error(404, f"No resource {rid}.")
    if bool(current.get("retired")) != retired:
        number = await versions.save_resource(redis, {**current, "retired": retired}, staff.name,
                                              "retire" if retired else "restore",
                                              base=live_number if if_match is None else if_match)
        await audit.record(redis, staff.name, "content_retired" if retired else "content_restored",
                           resource=rid, version=number, via="api")
    elif if_match is not None and if_match != live_number:
        raise versions.stale("resource", rid, live_number)
    return ok(await _described(request, await _resource(request, rid)))


@api_requires(*EDITORS)
async def retire(request: web.Request) -> web.Response:
    """Hide it from every answer; kept, with its history."""
    return await _set_retired(request, True)


@api_requires(*EDITORS)
async def restore(request: web.Request) -> web.Response:
    return await _set_retired(request, False)


async def _history(request: web.Request, kind: str, name: str) -> web.Response:
    found = await versions.history(request.config_dict[REDIS], kind, name)
    if not found:
        return error(404, f"No {kind} {name}.")
    return ok({kind: name, "versions": [_version(v) for v in found]})


@api_requires(*EDITORS)
async def resource_history(request: web.Request) -> web.Response:
    return await _history(request, "resource", request.match_info["rid"])


@api_requires(*EDITORS)
async def topic_history(request: web.Request) -> web.Response:
    return await _history(request, "topic", request.match_info["name"])


async def _revert(request: web.Request, kind: str, name: str) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    body = await _body(request, {"version"})
    if not isinstance(body.get("version"), int) or isinstance(body.get("version"), bool):
        return error(400, "Say which version to go back to: {\"version\": 3}.")
    try:
        number = await versions.revert(redis, kind, name, body["version"], staff.name, base=_if_match(request))
    except LookupError as exc:
        return error(404, str(exc))
    await audit.record(redis, staff.name, f"{'content' if kind == 'resource' else 'topic'}_reverted",
                       **{kind: name}, version=number, to=body["version"], via="api")
    return ok({kind: name, "version": number})


@api_requires(*EDITORS)
async def revert_resource(request: web.Request) -> web.Response:
    return await _revert(request, "resource", request.match_info["rid"])


@api_requires(*EDITORS)
async def revert_topic(request: web.Request) -> web.Response:
    return await _revert(request, "topic", request.match_info["name"])


@api_requires(*EDITORS)
async def list_topics(request: web.Request) -> web.Response:
    return ok({"topics": await store.all_topics(request.config_dict[REDIS])})


@api_requires(*EDITORS)
async def get_topic(request: web.Request) -> web.Response:
    redis, name = request.config_dict[REDIS], request.match_info["name"]
    found = await store.topic(redis, name)
    if found is None:
        return error(404, f"No topic {name}.")
    return ok({"topic": name, **found, "version": await versions.current_number(redis, "topic", name)})


@api_requires(*EDITORS)
async def put_topic(request: web.Request) -> web.Response:
    """{"intro": words, "resources": [ids in order]}; only topics that exist (the bot's intents
    name them; a new one comes with a release or an import)."""
    staff, redis, name = request[STAFF], request.config_dict[REDIS], request.match_info["name"]
    current, live_number = await versions.live_and_number(redis, "topic", name)
    if current is None:
        return error(404, f"No topic {name}.")
    body = await _body(request, TOPIC_FIELDS)
    if_match = _if_match(request)
    clean = store.validate_topic(name, body, await redis.smembers(keys.CONTENT_RESOURCE_IDS))
    if clean != current:
        number = await versions.save_topic(redis, name, clean, staff.name,
                                           base=live_number if if_match is None else if_match)
        await audit.record(redis, staff.name, "topic_changed", topic=name, version=number,
                           fields=",".join(f for f, _, _ in versions.diff(current, clean)), via="api")
    elif if_match is not None and if_match != live_number:
        raise versions.stale("topic", name, live_number)
    return ok({"topic": name, **clean, "version": await versions.current_number(redis, "topic", name)})


def add_routes(app: web.Application) -> None:
    rid = "/api" + paths.RESOURCE
    topic = "/api" + paths.TOPIC
    app.router.add_get("/api/session", session)
    app.router.add_get("/api/resources", list_resources)
    app.router.add_get(rid, get_resource)
    app.router.add_put(rid, put_resource)
    app.router.add_post(rid + "/retire", retire)
    app.router.add_post(rid + "/restore", restore)
    app.router.add_get(rid + "/history", resource_history)
    app.router.add_post(rid + "/revert", revert_resource)
    app.router.add_get("/api/topics", list_topics)
    app.router.add_get(topic, get_topic)
    app.router.add_put(topic, put_topic)
    app.router.add_get(topic + "/history", topic_history)
    app.router.add_post(topic + "/revert", revert_topic)
