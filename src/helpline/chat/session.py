"""One young person's connection: store and ack each message, then ask the bot in order.

Acks never wait for the bot: the read loop stores and acks, and a worker task per connection
asks Rasa one message at a time. The worker finishes its queue even if the young person
disconnects, so the bot's answer is in the history when they come back.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from .. import events, keys, log, metrics
from ..backstop.reading import BackstopReader
from ..conversations import ConversationClosed, ConversationGone, ConversationStore, Message, NotHolder
from ..handoff import Handoff
from ..rasa_client import RasaClient
from ..safety import levels
from ..safety.screen import SafetyScreen, Screening
from ..tasks import stop, stopping
from . import answers, protocol
from .answering import SILENT_BOT_STATES, Answering

logger = logging.getLogger("helpline.chat")
MAX_PENDING = 32  # messages waiting for the bot on one connection; past that, flood errors
TYPING_EVERY = 1.0  # seconds: at most one typing event per connection in this time


class TokenBucket:
    """Allows ``burst`` messages at once, then one every ``refill`` seconds."""

    def __init__(self, burst: int, refill: float) -> None:
        self.capacity, self.refill = burst, refill
        self.tokens, self.stamp = float(burst), time.monotonic()

    def take(self) -> float:
        """0 if allowed, else the seconds to wait before trying again."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) / self.refill)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return round((1 - self.tokens) * self.refill, 2)


class ChatSession(Answering):
    def __init__(self, ws: web.WebSocketResponse, conversations: ConversationStore, rasa: RasaClient,
                 redis: Any, screen: SafetyScreen, max_chars: int, bucket: TokenBucket,
                 hub: events.EventHub, handoff: Handoff, on_duty: Callable[[], bool] = lambda: True,
                 backstop: BackstopReader | None = None, backstop_beside_bot: bool = False) -> None:
        self.ws = ws
        self.hub = hub
        self.handoff = handoff
        self.state = ""
        self.last_id = ""  # the last stored message this connection has caught up to
        self.typing_sent = 0.0
        # The bot's messages this connection stored and sent itself (catch_up sends the others,
        # e.g. an answer stored by the connection before a reconnect).
        self.sent_here: collections.deque[str] = collections.deque(maxlen=64)
        # Held while a bot message is stored and noted as sent here, and while catch_up reads:
        # the message's own event could otherwise make catch_up send it a second time.
        self.storing = asyncio.Lock()
        self.listener: events.Listener | None = None
        self.relay_task: asyncio.Task[None] | None = None
        self.on_duty = on_duty
        self.told_out_of_hours = False
        self.screen = screen
        self.backstop = backstop  # reads for the bot when the bot is down
        self.backstop_beside_bot = backstop_beside_bot  # and beside it, for danger it alone reads
        self.conversations = conversations
        self.rasa = rasa
        self.redis = redis
        self.max_chars = max_chars
        self.bucket = bucket
        self.conversation_id = ""
        self.pending: asyncio.Queue[Message] = asyncio.Queue(MAX_PENDING)
        self.worker: asyncio.Task[None] | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            try:
                await self.ws.send_json(frame)
            except ConnectionError:
                pass  # the young person went away; everything is in Redis for their return

    async def on_text(self, raw: str) -> None:
        try:
            frame = protocol.parse(raw, self.max_chars)
            if isinstance(frame, protocol.Ping):
                await self.send({"type": "pong"})
            elif isinstance(frame, protocol.Hello):
                await self.on_hello(frame)
            elif not self.conversation_id:
                raise protocol.ProtocolError("hello_first", "Send hello before messages.",
                                             getattr(frame, "client_id", ""))
            elif isinstance(frame, protocol.Typing):
                await self.on_typing()
            else:
                await self.on_message(frame)
        except protocol.ProtocolError as exc:
            log.event(logger, "frame_refused", code=exc.code)
            await self.send(protocol.error(exc))
        except RedisError as exc:  # e.g. a hello while Redis is unreachable: the page retries
            log.event(logger, "redis_unavailable", logging.ERROR, error=type(exc).__name__)
            await self.send(protocol.error(protocol.ProtocolError(
                "unavailable", "The chat cannot save messages just now; trying again.", retry_after=2)))

    async def on_hello(self, hello: protocol.Hello) -> None:
        if self.conversation_id:
            raise protocol.ProtocolError("already_started", "This connection already has a conversation.")
        conversation_id = await self.conversations.resume(hello.resume) if hello.resume else None
        if conversation_id and (await self.conversations.info(conversation_id)).get("state") == "closed":
            conversation_id = None  # a closed conversation stays closed: start afresh
        token, resumed = hello.resume, conversation_id is not None
        if not conversation_id:
            conversation_id, token = await self.conversations.create()
            await metrics.count(self.redis, "conversations", *(() if self.on_duty() else ("conversations_out_of_hours",)))
        self.conversation_id = conversation_id
        log.conversation_var.set(conversation_id)
        if not resumed:
            await self.store_welcome()
        self.listener = self.hub.listener()  # before reading the history, so nothing falls between
        self.listener.follow(keys.conversation_events(conversation_id))
        self.listener.follow(keys.QUEUE_EVENTS)
        history = await self.conversations.history(conversation_id)
        info = await self.conversations.info(conversation_id)
        log.event(logger, "conversation_opened", resumed=resumed, history=len(history))
        self.state = info["state"]
        self.last_id = history[-1].id if history else ""
        await self.send({
            "type": "welcome",
            "v": protocol.VERSION,
            "conversation": conversation_id,
            "resume": token,
            "resumed": resumed,
            "history": [protocol.history_item(m) for m in history],
        })
        for message in history:
            if message.role == "handler":
                await self.mark_delivered_quietly(message.id)
        await self.send_status(info["state"])
        self.worker = asyncio.create_task(self.work(), name=f"chat-worker-{conversation_id}")
        self.relay_task = asyncio.create_task(self.relay(), name=f"chat-relay-{conversation_id}")

    async def store_welcome(self) -> None:
        """The first thing a young person reads: what this is; live content, editable by staff."""
        text, _ = await answers.from_content(self.redis, answers.WELCOME_TOPIC, answers.WELCOME_TEXT)
        await self.conversations.append(self.conversation_id, Message(id="", role="bot", text=text))

    async def relay(self) -> None:
        """Hear what happens to this conversation on any gateway process: a person's messages,
        their typing, a change of state, and the queue moving."""
        assert self.listener is not None
        log.conversation_var.set(self.conversation_id)
        while not stopping():
            channel, event = await self.listener.get()
            try:
                await self.on_event(channel, event)
            except ConversationGone:
                return
            except Exception as exc:
                if stopping():
                    return
                if isinstance(exc, RedisError):
                    log.event(logger, "relay_failed", logging.WARNING, error=type(exc).__name__)
                else:
                    logger.exception("relay_failed")

    async def on_event(self, channel: str, event: dict[str, Any]) -> None:
        kind = event.get("kind")
        if channel == keys.QUEUE_EVENTS:
            if self.state == "queued":  # the place in the queue (and the estimate) moved
                await self.send_status("queued", announce=False)
            return
        if kind in ("message", "resync"):
            await self.catch_up()
        if kind == "state" or kind == "resync":
            state = event.get("state") or (await self.conversations.info(self.conversation_id))["state"]
            if state != self.state or kind == "state":
                self.state = state
                await self.send_status(state)
        elif kind == "typing" and event.get("who") == "handler":
            await self.send({"type": "typing", "who": "handler"})

    async def catch_up(self) -> None:
        """Send what a person or the helpline stored since the last look (this connection sends
        the young person's messages and its own bot answers itself), and mark a person's as
        delivered."""
        async with self.storing:
            stored = await self.conversations.after(self.conversation_id, self.last_id)
        for message in stored:
            self.last_id = message.id
            if message.role == "bot" and message.id not in self.sent_here:
                await self.send(protocol.bot_frame(message))
            elif message.role == "handler":
                await self.send({"type": "handler", "id": message.id, "text": message.text})
                await self.mark_delivered(message.id)
            elif message.role == "system":
                await self.send({"type": "system", "id": message.id, "text": message.text, "event": message.event})

    async def mark_delivered_quietly(self, message_id: str) -> None:
        """A person's message in the history sent on (re)connecting: delivered too."""
        if not await self.redis.sismember(keys.delivered(self.conversation_id), message_id):
            await self.mark_delivered(message_id)

    async def mark_delivered(self, message_id: str) -> None:
        if self.ws.closed:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(keys.delivered(self.conversation_id), message_id)
            pipe.expire(keys.delivered(self.conversation_id), self.conversations.ttl)
            await pipe.execute()
        await events.publish(self.redis, keys.conversation_events(self.conversation_id), kind="delivered",
                             id=message_id)

    async def on_typing(self) -> None:
        """The young person is typing: a person with them (or about to be) sees it."""
        now = time.monotonic()
        if self.state not in ("queued", "with_handler") or now - self.typing_sent < TYPING_EVERY:
            return
        self.typing_sent = now
        await events.publish(self.redis, keys.conversation_events(self.conversation_id), kind="typing",
                             who="young_person")

    async def send_status(self, state: str, announce: bool = True) -> None:
        frame: dict[str, Any] = {"type": "status", "state": state}
        if state == "queued":
            on_duty = self.on_duty()
            frame["position"] = await self.conversations.queue_position(self.conversation_id)
            frame["level"] = (await self.conversations.info(self.conversation_id)).get("risk", "")
            frame["on_duty"] = on_duty
            frame["wait_minutes"] = await self.handoff.wait_minutes()
        if state == "queued" and announce:
            if not frame["on_duty"] and not self.told_out_of_hours:
                # Said plainly, once: a person may not come until the line opens. A RED stays in
                # the queue for any handler who is on duty all the same.
                self.told_out_of_hours = True
                text, resources = await answers.out_of_hours(self.redis)
                await self.deliver(Message(id="", role="bot", text=text, resources=resources,
                                           topics=[answers.OUT_OF_HOURS_TOPIC]))
        await self.send(frame)

    async def on_message(self, frame: protocol.ClientMessage) -> None:
        """Screen, store (queueing a RED or AMBER in the same step), ack; for RED the safety
        message goes out here, ahead of anything waiting for the bot."""
        wait = self.bucket.take()
        if wait or self.pending.full():
            raise protocol.ProtocolError("rate_limited", "Too many messages at once; this one was not sent.",
                                         frame.client_id, retry_after=max(wait, 1.0))
        screening = self.screen_safely(frame.text)
        message = Message(id="", role="young_person", text=frame.text, client_id=frame.client_id,
                          risk=screening.level, screening=screening.explain())
        urgent = levels.rank(screening.level) >= levels.rank("AMBER")
        try:
            message.id, duplicate, state = await self.conversations.append(
                self.conversation_id, message, escalate=f"screen:{screening.top_category}" if urgent else "")
        except ConversationGone:
            raise protocol.ProtocolError("conversation_gone", "This conversation has expired; please reload.",
                                         frame.client_id) from None
        except ConversationClosed:
            self.state = "closed"
            raise protocol.ProtocolError("closed", "This chat has ended, so this message was not sent. "
                                         "You can start a new chat.", frame.client_id) from None
        except RedisError as exc:
            # Not stored, so not acked: the page keeps it and sends it again. Danger now still
            # gets the safety numbers at once.
            log.event(logger, "redis_unavailable", logging.ERROR, error=type(exc).__name__, risk=screening.level)
            if screening.level == "RED":
                text, resources = answers.crisis_as_last_read(self.redis)
                await self.send(protocol.bot_frame(Message(id="", role="bot", text=text, resources=resources,
                                                           kind="safety", topics=[answers.CRISIS_TOPIC])))
            raise protocol.ProtocolError("unavailable", "Not saved yet; it will be sent again in a moment.",
                                         frame.client_id, retry_after=2) from None
        await self.send({"type": "ack", "client_id": frame.client_id, "id": message.id, "duplicate": duplicate})
        log.event(logger, "message_stored", duplicate=duplicate, chars=len(frame.text), risk=screening.level or "-",
                  categories=",".join(screening.categories) or "-", state=state)
        if duplicate:
            return
        await metrics.count(self.redis, "messages", f"risk:{screening.level or 'GREEN'}")
        self.state = state
        if state in SILENT_BOT_STATES:
            return  # a person is with them: the message is theirs (the screen's level is on it)
        if screening.level == "RED":
            text, resources = await answers.crisis(self.redis)
            await self.deliver(Message(id="", role="bot", text=text, resources=resources, kind="safety",
                                       topics=[answers.CRISIS_TOPIC]))
        if urgent:
            log.event(logger, "escalated", level=screening.level, reason=f"screen:{screening.top_category}",
                      state=state)
            await self.send_status(state)
        self.pending.put_nowait(message)

    async def work(self) -> None:
        """Ask the bot about each stored message, in order, and store and send its answer."""
        log.conversation_var.set(self.conversation_id)
        while not stopping():
            message = await self.pending.get()
            try:
                await self.answer(message)
            except ConversationGone:
                return
            except Exception:
                if stopping():
                    return
                logger.exception("answer_failed")
            finally:
                self.pending.task_done()

    def screen_safely(self, text: str) -> Screening:
        """The screen's reading; if the screen itself fails, the message is still stored and
        the bot still answers (the level is then the bot's alone)."""
        try:
            return self.screen.screen(text)
        except Exception:
            logger.exception("safety_screen_failed")
            return Screening(level="")

    async def deliver(self, message: Message) -> None:
        """Store a message for the young person, then send it; sent even if it cannot be stored."""
        async with self.storing:
            try:
                # Not once a person has taken over: they speak alone (checked as it is stored).
                message.id, _, _ = await self.conversations.append(self.conversation_id, message, no_person=True)
            except (NotHolder, ConversationClosed, ConversationGone):
                return  # a person has taken over, or the conversation ended while the bot thought
            except Exception as exc:  # Redis down, or content it cannot store: the young person still gets it
                log.event(logger, "redis_unavailable" if isinstance(exc, RedisError) else "not_stored", logging.ERROR,
                          error=type(exc).__name__, kind=message.kind or "-")
            self.sent_here.append(message.id)
        await self.send(protocol.bot_frame(message))
        await metrics.count(self.redis, *(f"resource:{r['id']}" for r in message.resources if r.get("id")))

    async def escalate(self, level: str, reason: str) -> None:
        state = await self.conversations.enqueue(self.conversation_id, risk=level, reason=reason)
        log.event(logger, "escalated", level=level or "-", reason=reason, state=state)
        await self.send_status(state)

    async def close(self) -> None:
        """Let the worker answer what was already stored (each answer is bounded by the bot's
        deadline), then stop it."""
        await stop(self.relay_task)
        if self.listener:
            self.listener.close()
        if not self.worker:
            return
        drain = self.rasa.deadline * (self.pending.qsize() + 1) + 1
        try:
            async with asyncio.timeout(drain):
                await self.pending.join()
        except TimeoutError:
            pass
        finally:  # also when the handler itself is cancelled at shutdown
            self.worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.worker
