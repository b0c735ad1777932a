"""The gateway's application factory: one cleanup context per resource it holds."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from . import health, log, opening, redaction
from .admin import views as admin_views
from .appkeys import BACKSTOP, CONVERSATIONS, HANDOFF, HTTP, HUB, RASA, REDIS, SCREEN, SETTINGS, SOCKETS
from .backstop.reading import BackstopReader
from .chat import answers
from .chat import views as chat_views
from .console import canned
from .console import views as console_views
from .dashboard import views as dashboard_views
from .config import Settings
from .content import store as content_store
from .conversations import ConversationStore
from .events import EventHub
from .handoff import Handoff
from .rasa_client import RasaClient
from .safety.screen import default_screen
from .staff import audit
from .tasks import stop, stopping
from .staff import views as staff_views

logger = logging.getLogger("helpline.app")

# The chat page loads nothing from anywhere else: no third-party scripts, fonts or trackers.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


async def redis_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    # Short timeouts and few retries: when Redis is in trouble the young person hears so in
    # seconds (and a crisis still gets the safety numbers), rather than waiting on retries.
    redis = Redis.from_url(settings.redis_url, decode_responses=True, health_check_interval=30,
                           socket_timeout=2, socket_connect_timeout=2,
                           retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2))
    await redis.ping()
    app[REDIS] = redis
    app[CONVERSATIONS] = ConversationStore(redis, settings.retention_seconds)
    app[HANDOFF] = Handoff(redis, app[CONVERSATIONS], settings.handler_limit)
    resources, topics = content_store.load_seed(settings.content_dir)
    added = await content_store.seed_missing(redis, resources, topics)
    if added:
        log.event(logger, "content_seeded", added=added)
    await canned.seed_if_empty(redis, canned.load_seed(settings.content_dir))
    await answers.read_safety_topics(redis)
    yield
    await redis.aclose()


async def events_ctx(app: web.Application) -> AsyncIterator[None]:
    """One pub/sub subscription per process: how a young person here hears a handler there."""
    hub = EventHub(app[SETTINGS].redis_url)
    await hub.start()
    app[HUB] = hub
    yield
    await hub.stop()


async def reaper_ctx(app: web.Application) -> AsyncIterator[None]:
    """A handler whose consoles have all gone for the grace period does not strand anyone: what
    they held goes back to the queue with its priority (every process looks; Lua moves once)."""
    handoff, redis = app[HANDOFF], app[REDIS]
    every = max(0.5, app[SETTINGS].handler_grace_seconds / 4)

    async def reap() -> None:
        while not stopping():
            await asyncio.sleep(every)
            try:
                for move in await handoff.requeue_abandoned():
                    log.event(logger, "requeued_lost_handler", conversation=move.conversation_id)
                    await audit.record(redis, "(system)", "requeued_lost_handler", conversation=move.conversation_id)
            except Exception as exc:  # Redis trouble: look again next time
                log.event(logger, "reaper_failed", logging.WARNING, error=type(exc).__name__)

    task = asyncio.create_task(reap(), name="handler-reaper")
    yield
    await stop(task)


async def rasa_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    # One session for every call to Rasa; the per-call deadline lives in RasaClient.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:
        app[HTTP] = session
        app[RASA] = RasaClient(session, settings.rasa_url, settings.rasa_deadline)
        yield


async def to_console(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/console/")


def create_app(settings: Settings) -> web.Application:
    if not settings.redis_url:
        raise SystemExit("REDIS_URL is not set: start the gateway with `helpline run`, or set REDIS_URL.")
    opening.check(settings)
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[SOCKETS] = weakref.WeakSet()
    # Built before the first young person arrives (about half a second), once per process.
    app[SCREEN] = default_screen()
    app[BACKSTOP] = BackstopReader.load(settings.backstop_dir)
    redaction.warm_up()
    app.cleanup_ctx.append(redis_ctx)
    app.cleanup_ctx.append(events_ctx)
    app.cleanup_ctx.append(reaper_ctx)
    app.cleanup_ctx.append(rasa_ctx)
    app.on_shutdown.append(chat_views.close_sockets)
    health.setup(app)
    chat_views.setup(app)
    # One sub-app per audience, each with its own sign-in middleware.
    app.add_subapp("/staff", staff_views.create())
    app.add_subapp("/console", console_views.create())
    app.add_subapp("/admin", admin_views.create())
    app.add_subapp("/dashboard", dashboard_views.create())
    app.router.add_get("/console", to_console)
    return app
