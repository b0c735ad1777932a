"""History of a resource or a topic: every version, what changed between two, and revert (which is
itself a new version)."""

from __future__ import annotations

from html import escape

from aiohttp import web

from ..appkeys import REDIS
from ..content import model
from ..staff import audit
from ..staff.auth import STAFF, requires
from . import forms, pages, paths, preview, versions

EDITORS = ("editor", "supervisor")
KINDS = {"resource": ("resources", "rid"), "topic": ("topics", "name")}
ACTIONS = {"seed": "as seeded", "create": "created", "edit": "edited", "retire": "retired", "restore": "brought back",
           "revert": "reverted", "import": "imported"}


def _kind(request: web.Request) -> tuple[str, str, str]:
    """(kind, name, the page's base path) from the route."""
    kind = "resource" if "rid" in request.match_info else "topic"
    plural, param = KINDS[kind]
    name = request.match_info[param]
    return kind, name, f"/admin/{plural}/{name}"


async def _history_page(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    kind, name, base = _kind(request)
    found = await versions.history(redis, kind, name)
    if not found:
        raise web.HTTPNotFound(text=f"No such {kind}.")
    current = found[0].number
    rows = []
    for v in found:
        what = ACTIONS.get(v.action, v.action) + (f" ({v.note})" if v.note and v.action != "seed" else "")
        revert = ("<em>live now</em>" if v.number == current else
                  f'<form method="post" action="{escape(base)}/revert" class="inline">{pages.csrf_field(staff)}'
                  f'<input type="hidden" name="version" value="{v.number}">'
                  f'<input type="hidden" name="base" value="{current}">'
                  f'<button type="submit" class="secondary">Revert to version {v.number}</button></form>')
        rows.append(f"<tr><td>{v.number}</td><td>{escape(v.at or '(before the editor)')}</td><td>{escape(v.by)}</td>"
                    f"<td>{escape(what)}</td><td><a href=\"{escape(base)}/diff?a={v.number - 1}&amp;b={v.number}\">"
                    f"What changed</a></td><td>{revert}</td></tr>")
    options = "".join(f'<option value="{v.number}">Version {v.number}</option>' for v in found)
    compare = (f'<form method="get" action="{escape(base)}/diff" class="filters"><label>Compare '
               f'<select name="a">{options}</select></label><label>with <select name="b">{options}</select></label>'
               '<button type="submit">Compare</button></form>')
    body = (f"{message}<p><a href=\"{escape(base)}\">Back to the {kind}</a></p>{compare}"
            '<table class="history"><thead><tr><th scope="col">Version</th><th scope="col">When (UTC)</th>'
            '<th scope="col">Who</th><th scope="col">What</th><th scope="col">Changes</th><th scope="col">Revert</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return pages.render(f"History: {name}", body, staff, status)


@requires(*EDITORS)
async def history_page(request: web.Request) -> web.Response:
    made = request.query.get("reverted", "")
    return await _history_page(request, pages.notice(
        f"Reverted: version {made} is live now, and the next answer shows it.", "ok") if made.isdigit() else "")


@requires(*EDITORS)
async def diff_page(request: web.Request) -> web.Response:
    """Field by field, two versions side by side (version 0 is "nothing yet")."""
    staff, redis = request[STAFF], request.config_dict[REDIS]
    kind, name, base = _kind(request)
    found = {v.number: v for v in await versions.history(redis, kind, name)}
    if not found:
        raise web.HTTPNotFound(text=f"No such {kind}.")
    a, b = forms.version_number(request.query.get("a")), forms.version_number(request.query.get("b"))
    if a is None or b is None or (a and a not in found) or b not in found:
        raise web.HTTPNotFound(text="No such version.")
    old = found[a].data if a else {}
    new = found[b].data
    rows = "".join(f'<tr><th scope="row">{escape(forms.field_label(f))}</th><td class="old">{escape(forms.shown(x))}'
                   f'</td><td class="new">{escape(forms.shown(y))}</td></tr>' for f, x, y in versions.diff(old, new))
    table = (f'<table class="diff"><thead><tr><th scope="col">Field</th><th scope="col">Version {a}</th>'
             f'<th scope="col">Version {b}</th></tr></thead><tbody>{rows}</tbody></table>' if rows
             else pages.notice("These two versions are the same.", "ok"))
    shown = ""
    if kind == "resource":
        shown = preview.section(f"Version {b} in the chat", "", [{**new, "retired": False}])
    body = (f'<p><a href="{escape(base)}/history">Back to the history</a></p>{table}{shown}')
    return pages.render(f"{name}: version {a} and version {b}", body, staff)


@requires(*EDITORS)
async def revert(request: web.Request) -> web.StreamResponse:
    staff, redis = request[STAFF], request.config_dict[REDIS]
    kind, name, base = _kind(request)
    form = await request.post()
    number = forms.version_number(form.get("version"))
    try:
        if number is None:
            raise LookupError("choose a version")
        made = await versions.revert(redis, kind, name, number, staff.name, base=forms.base_version(form))
    except (LookupError, versions.Conflict, model.ResourceError) as exc:
        return await _history_page(request, pages.notice(f"Not reverted: {exc}"), status=409)
    await audit.record(redis, staff.name, f"{'content' if kind == 'resource' else 'topic'}_reverted",
                       **{kind: name}, version=made, to=number)
    raise web.HTTPSeeOther(f"{base}/history?reverted={made}")


def add_routes(app: web.Application) -> None:
    for path in (paths.RESOURCE, paths.TOPIC):
        app.router.add_get(path + "/history", history_page)
        app.router.add_get(path + "/diff", diff_page)
        app.router.add_post(path + "/revert", revert)
