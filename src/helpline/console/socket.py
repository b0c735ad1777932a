"""One handler's console connection: the live queue, the conversations they hold, the moves.

docs/console-protocol.md describes the frames. What a handler does goes through Redis (Lua
for the moves, the message stream for what they write), so a young person connected to
another gateway process hears it at once; what others do reaches this console on pub/sub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from .. import events, keys, log, metrics
from ..chat.protocol import ProtocolError
from ..conversations import ConversationClosed, ConversationGone, ConversationStore, Message, NotHolder
from ..handoff import OUTCOMES, Handoff, HandoffError
from ..staff import audit
from ..staff.sessions import Session, SessionStore
from ..tasks import stop, stopping
from . import canned
from .frames import parse
from .views_model import add_note, conversation_frame, note_item, queue_items, transcript_item

logger = logging.getLogger("helpline.console")
QUEUE_DEBOUNCE = 0.3  # seconds: a burst of queue changes sends one list
SESSION_CHECK_SECONDS = 10.0  # how soon a console notices its sign-in has ended
SESSION_ENDED = 4001  # the close code the page reads as "sign in again"

@dataclass
class Followed:
    """A conversation this console shows, and how far it has caught up."""
    last_id: str = ""
    last_note: str = ""
    ready: bool = False  # its whole story has been sent: from then on, only what is new
    reading: bool = False  # a supervisor reading it without holding it: it stays live until closed


class ConsoleSession:
    def __init__(self, ws: web.WebSocketResponse, staff: Session, redis: Redis, conversations: ConversationStore,
                 handoff: Handoff, hub: events.EventHub, max_chars: int, grace_seconds: float,
                 token: str = "") -> None:
        self.ws, self.staff, self.redis, self.token = ws, staff, redis, token
        self.conversations, self.handoff, self.hub = conversations, handoff, hub
        self.max_chars, self.grace = max_chars, grace_seconds
        self.following: dict[str, Followed] = {}
        self.listener = hub.listener()
        self.queue_dirty = asyncio.Event()

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError):
                await self.ws.send_json(frame)

    async def error(self, code: str, message: str, client_id: str = "") -> None:
        frame = {"type": "error", "code": code, "message": message}
        if client_id:
            frame["client_id"] = client_id
        await self.send(frame)

    # --- the life of the connection ----------------------------------------------------------
    async def run(self) -> None:
        me = self.staff.name
        self.listener.follow(keys.QUEUE_EVENTS)
        self.listener.follow(keys.staff_events(me))
        await self.handoff.touch_presence(me, self.grace)
        tasks = [asyncio.create_task(self.keep_present()), asyncio.create_task(self.hear()),
                 asyncio.create_task(self.send_queue_when_dirty())]
        try:
            await self.send({"type": "hello", "name": me, "role": self.staff.role, "limit": self.handoff.limit,
                             "outcomes": [{"id": k, "label": v} for k, v in OUTCOMES.items()],
                             "canned": await canned.all_replies(self.redis), "staff": await self.colleagues()})
            await self.send_queue()
            await self.reconcile()
            async for msg in self.ws:
                if msg.type == web.WSMsgType.TEXT:
                    await self.on_text(msg.data)
                elif msg.type == web.WSMsgType.BINARY:
                    await self.error("bad_json", "Send JSON text frames, not binary.")
        finally:
            for task in tasks:
                await stop(task)
            self.listener.close()

    async def keep_present(self) -> None:
        """While this console is open its handler is present; when every console of theirs has
        been gone for the grace period, what they hold goes back to the queue (app.reaper).
        The sign-in is checked each time too: signing out, a disabled account or a new role
        closes the console (and, after the grace period, what they held goes back)."""
        while not stopping():
            await asyncio.sleep(min(SESSION_CHECK_SECONDS, max(0.5, self.grace / 3)))
            try:
                if not await self.still_signed_in():
                    return
                await self.handoff.touch_presence(self.staff.name, self.grace)
                await self.reconcile()
            except (RedisError, ConversationGone):
                continue

    async def still_signed_in(self) -> bool:
        """False (and the console closed) once the sign-in has ended: signed out, disabled, new role."""
        if await SessionStore(self.redis).get(self.token) is not None:
            return True
        log.event(logger, "console_session_ended", staff=self.staff.name)
        await self.ws.close(code=SESSION_ENDED, message=b"signed out")
        return False

    async def reconcile(self) -> None:
        """What this console shows, checked against the keys (events can be lost): open every
        conversation this handler holds, and let go of any that is no longer theirs. A held
        conversation that has expired is dropped from their count, so it cannot block the rest."""
        held = await self.handoff.held(self.staff.name)
        for conversation_id in held:
            if conversation_id not in self.following:
                try:
                    await self.open(conversation_id)
                except ConversationGone:
                    await self.handoff.forget(conversation_id, self.staff.name)
        for conversation_id, followed in list(self.following.items()):
            if conversation_id not in held and followed.ready and not followed.reading:
                try:
                    await self.on_event(keys.conversation_events(conversation_id), {"kind": "state"})
                except ConversationGone:
                    self.unfollow(conversation_id)

    async def colleagues(self) -> list[str]:
        names = sorted(await self.redis.smembers(keys.STAFF_ACCOUNTS))
        result = []
        for name in names:
            role, disabled = await self.redis.hmget(keys.staff_account(name), "role", "disabled")
            if name != self.staff.name and role in ("handler", "supervisor") and disabled == "0":
                result.append(name)
        return result

    # --- what others do ------------------------------------------------------------------------
    async def hear(self) -> None:
        while not stopping():
            channel, event = await self.listener.get()
            try:
                await self.on_event(channel, event)
            except Exception as exc:
                if stopping():
                    return
                if isinstance(exc, (RedisError, ConversationGone)):
                    log.event(logger, "console_event_failed", logging.WARNING, error=type(exc).__name__)
                else:
                    logger.exception("console_event_failed")

    async def on_event(self, channel: str, event: dict[str, Any]) -> None:
        kind = event.get("kind")
        if kind == "resync":
            self.queue_dirty.set()
            for conversation_id in list(self.following):
                await self.catch_up(conversation_id)
            await self.reconcile()
            return
        if channel == keys.QUEUE_EVENTS:
            self.queue_dirty.set()
            return
        if channel == keys.staff_events(self.staff.name):
            conversation_id = event.get("conversation", "")
            if kind == "assigned" and conversation_id not in self.following:
                await self.open(conversation_id)  # taken on another console of theirs, or transferred to them
            return
        conversation_id = channel.rsplit(":", 1)[-1]
        if conversation_id not in self.following:
            return
        if kind == "message" or kind == "note":
            await self.catch_up(conversation_id)
        elif kind == "typing" and event.get("who") == "young_person":
            await self.send({"type": "typing", "conversation": conversation_id, "who": "young_person"})
        elif kind == "delivered":
            await self.send({"type": "delivered", "conversation": conversation_id, "id": event.get("id", "")})
        elif kind == "state":
            info = await self.conversations.info(conversation_id)
            await self.send({"type": "state", "conversation": conversation_id, "state": info.get("state", ""),
                             "handler": info.get("handler", ""), "level": info.get("risk", ""),
                             "outcome": info.get("outcome", "")})
            mine = info.get("state") == "with_handler" and info.get("handler") == self.staff.name
            reading = self.following[conversation_id].reading and info.get("state") != "closed"
            if not mine and not reading:
                await self.catch_up(conversation_id)
                self.unfollow(conversation_id)

    async def catch_up(self, conversation_id: str) -> None:
        followed = self.following.get(conversation_id)
        if followed is None or not followed.ready:
            return
        for message in await self.conversations.after(conversation_id, followed.last_id):
            followed.last_id = message.id
            await self.send({"type": "message", "conversation": conversation_id, "item": transcript_item(message)})
        start = f"({followed.last_note}" if followed.last_note else "-"
        for entry_id, fields in await self.redis.xrange(keys.notes(conversation_id), min=start, max="+"):
            followed.last_note = entry_id
            await self.send({"type": "note", "conversation": conversation_id, "item": note_item(entry_id, fields)})

    async def send_queue_when_dirty(self) -> None:
        while not stopping():
            await self.queue_dirty.wait()
            await asyncio.sleep(QUEUE_DEBOUNCE)
            self.queue_dirty.clear()
            with contextlib.suppress(RedisError):
                await self.send_queue()

    async def send_queue(self) -> None:
        items = await queue_items(self.redis, self.conversations)
        held = len(await self.handoff.held(self.staff.name))
        await self.send({"type": "queue", "items": items, "held": held})

    # --- opening a conversation ------------------------------------------------------------
    async def open(self, conversation_id: str, again: bool = False) -> None:
        """Follow a conversation and send its whole story; every opening is in the audit log.
        ``again``: send it afresh even if already shown (a supervisor takes one they were reading)."""
        if conversation_id in self.following and not again:
            return
        followed = self.following[conversation_id] = Followed()
        self.listener.follow(keys.conversation_events(conversation_id))  # before reading: nothing falls between
        try:
            frame = await conversation_frame(self.redis, self.conversations, conversation_id, self.staff.name)
        except ConversationGone:
            self.unfollow(conversation_id)
            raise
        transcript, notes = frame["transcript"], frame["notes"]
        followed.last_id = transcript[-1]["id"] if transcript else ""
        followed.last_note = notes[-1]["id"] if notes else ""
        followed.reading = not frame["mine"]
        await audit.record(self.redis, self.staff.name, "transcript_view", conversation=conversation_id)
        await self.send(frame)
        followed.ready = True
        await self.catch_up(conversation_id)

    def unfollow(self, conversation_id: str) -> None:
        self.following.pop(conversation_id, None)
        self.listener.unfollow(keys.conversation_events(conversation_id))

    # --- what this handler does ------------------------------------------------------------
    async def on_text(self, raw: str) -> None:
        client_id = ""
        try:
            frame = parse(raw, self.max_chars)
            client_id = frame.get("client_id", "")
            await self.act(frame)
        except ProtocolError as exc:
            await self.error(exc.code, exc.message, exc.client_id)
        except HandoffError as exc:
            await self.error(exc.code, str(exc), client_id)
        except ConversationGone:
            await self.error("gone", HandoffError.MESSAGES["gone"], client_id)
        except (ConversationClosed, NotHolder):
            await self.error("not_yours", HandoffError.MESSAGES["not_yours"], client_id)
        except RedisError as exc:
            log.event(logger, "redis_unavailable", logging.ERROR, error=type(exc).__name__)
            await self.error("unavailable", "The helpline's database is not answering; try again in a moment.",
                             client_id)

    async def act(self, frame: dict[str, str]) -> None:
        kind, me = frame["type"], self.staff.name
        conversation_id = frame.get("conversation", "")
        if kind not in ("ping", "typing") and not await self.still_signed_in():
            return  # a disabled or demoted handler acts no more, even between checks
        if kind == "ping":
            await self.handoff.touch_presence(me, self.grace)
            await self.send({"type": "pong"})
        elif kind == "take_next":
            move = await self.handoff.take_next(me)
            await self.after_take(move.conversation_id)
        elif kind == "take":
            await self.handoff.take(conversation_id, me)
            await self.after_take(conversation_id)
        elif kind == "view":
            if self.staff.role != "supervisor":
                raise ProtocolError("forbidden", "Only supervisors may read a conversation without taking it.")
            await self.open(conversation_id)
        elif kind == "send":
            message = Message(id="", role="handler", text=frame["text"], author=me,
                              client_id=f"h:{frame['client_id']}")  # cannot clash with the young person's ids
            # Stored only while this handler holds the conversation, checked in the same step.
            stream_id, _, _ = await self.conversations.append(conversation_id, message, holder=me)
            await metrics.count(self.redis, "handler_messages")
            await self.send({"type": "ack", "client_id": frame["client_id"], "id": stream_id,
                             "conversation": conversation_id})
        elif kind == "typing":
            await self.must_hold(conversation_id)
            await events.publish(self.redis, keys.conversation_events(conversation_id), kind="typing", who="handler")
        elif kind == "note":
            await self.must_see(conversation_id)
            await add_note(self.redis, conversation_id, me, frame["text"], self.conversations.ttl)
        elif kind == "hand_back":
            await self.handoff.hand_back(conversation_id, me, seen=self.seen(conversation_id))
            await audit.record(self.redis, me, "handed_back", conversation=conversation_id)
        elif kind == "release":
            await self.handoff.release(conversation_id, me)
            await audit.record(self.redis, me, "released", conversation=conversation_id)
        elif kind == "transfer":
            await self.handoff.transfer(conversation_id, me, frame["to"])
            await audit.record(self.redis, me, "transferred", conversation=conversation_id, to=frame["to"])
        elif kind == "close":
            await self.handoff.close(conversation_id, me, frame["outcome"], seen=self.seen(conversation_id))
            await audit.record(self.redis, me, "closed", conversation=conversation_id, outcome=frame["outcome"])

    def seen(self, conversation_id: str) -> str:
        """The last message this console was sent: a serious one after it stops a hand back or a
        close (handoff.MOVE). Not followed here: nothing was shown, so everything counts."""
        followed = self.following.get(conversation_id)
        return followed.last_id if followed and followed.ready and followed.last_id else "0-0"

    async def after_take(self, conversation_id: str) -> None:
        await audit.record(self.redis, self.staff.name, "taken", conversation=conversation_id)
        followed = self.following.get(conversation_id)
        # A conversation this console was only reading is sent again, now as this handler's.
        await self.open(conversation_id, again=followed is not None and followed.reading)

    async def must_hold(self, conversation_id: str) -> None:
        info = await self.conversations.info(conversation_id)
        if info.get("state") != "with_handler" or info.get("handler") != self.staff.name:
            raise HandoffError("not_yours")

    async def must_see(self, conversation_id: str) -> None:
        """Notes: by whoever holds the conversation, or a supervisor reading it."""
        if conversation_id not in self.following:
            raise HandoffError("not_yours")
        if self.staff.role != "supervisor":
            await self.must_hold(conversation_id)
