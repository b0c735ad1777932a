"""The chat page and its WebSocket."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from aiohttp import WSCloseCode, WSMsgType, web

from .. import log, opening
from ..appkeys import BACKSTOP, CONVERSATIONS, HANDOFF, HUB, RASA, REDIS, SCREEN, SETTINGS, SOCKETS
from . import protocol
from .session import ChatSession, TokenBucket

logger = logging.getLogger("helpline.chat")
# aiohttp closes the socket past this size (1009); below it, our own limit answers with an
# error frame and keeps the connection (protocol.MAX_FRAME_BYTES).
WS_MAX_MSG_SIZE = 1024 * 1024
HEARTBEAT_SECONDS = 20.0


STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def _static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


async def chat_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    page = _static("chat.html").replace("{{quick_exit_url}}", html.escape(settings.quick_exit_url, quote=True))
    # no-store: a shared device keeps no copy of the page in its cache.
    return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})


def origin_allowed(request: web.Request) -> bool:
    """Browsers always send Origin on a WebSocket; only the page's own site (or the configured
    ones) may open a chat. Clients without Origin (not browsers) are not subject to CORS."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = request.config_dict[SETTINGS].allowed_origins or (f"{request.scheme}://{request.host}",)
    return origin.rstrip("/") in allowed


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    if not origin_allowed(request):
        log.event(logger, "origin_refused", logging.WARNING)
        raise web.HTTPForbidden(text="This chat can only be opened from its own page.")
    settings = request.app[SETTINGS]
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, max_msg_size=WS_MAX_MSG_SIZE)
    await ws.prepare(request)
    session = ChatSession(
        ws, request.app[CONVERSATIONS], request.app[RASA], request.app[REDIS], request.app[SCREEN],
        settings.max_message_chars,
        TokenBucket(settings.flood_burst, settings.flood_refill_seconds),
        hub=request.app[HUB], handoff=request.app[HANDOFF],
        on_duty=lambda: opening.on_duty(settings), backstop=request.app[BACKSTOP],
        backstop_beside_bot=settings.backstop_beside_bot,
    )
    sockets = request.app[SOCKETS]
    sockets.add(ws)
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                await session.on_text(msg.data)
            elif msg.type == WSMsgType.BINARY:
                await session.send(protocol.error(
                    protocol.ProtocolError("binary", "Send JSON text frames, not binary.")))
            elif msg.type == WSMsgType.ERROR:
                log.event(logger, "socket_error", logging.WARNING, error=type(ws.exception()).__name__)
    finally:
        sockets.discard(ws)
        await session.close()
    return ws


async def close_sockets(app: web.Application) -> None:
    """On shutdown, tell every young person's page that the server is going away."""
    for ws in set(app[SOCKETS]):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"Server restarting, reconnecting shortly")


async def favicon(request: web.Request) -> web.Response:
    return web.Response(status=204)  # no icon: nothing on a shared device hints at the page


def setup(app: web.Application) -> None:
    app.router.add_get("/", chat_page)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/chat/ws", chat_socket)
    app.router.add_static("/static/", STATIC_DIR)
