"""Conversations in Redis: state, the message stream, resume tokens, the queue.

A message is in Redis before the young person is told it arrived (the ack carries the stream
id). Every change touching more than one key runs in one Lua script or transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from . import keys, metrics

STATES = ("bot", "queued", "with_handler", "closed")
RISK_RANK = {"RED": 0, "AMBER": 1, "GREEN": 2, "": 2}
_RANK_STEP = 10**13  # above any epoch-milliseconds value: risk orders first, then waiting time

# The queue move, shared by both scripts below. Expects KEYS[3] conversation hash, KEYS[4] queue,
# KEYS[5] today's figures, and locals id, score, now, risk, reason, events (the conversation's
# channel). bot -> queued (counted as an escalation, by level; every process hears the new state);
# already queued: a higher risk moves it up (ZADD LT), never down; with a handler: the risk is
# raised for the handler to see. Sets `state`. `waiting_since` measures the wait for a person.
_QUEUE_MOVE = """
state = redis.call('HGET', KEYS[3], 'state')
local rank = {RED = 0, AMBER = 1, GREEN = 2}
local old = redis.call('HGET', KEYS[3], 'risk')
local higher = (rank[risk] or 2) < (rank[old] or 3)
if state == 'bot' then
  redis.call('HSET', KEYS[3], 'state', 'queued', 'queued_at', now, 'waiting_since', now, 'queue_reason', reason)
  if higher then redis.call('HSET', KEYS[3], 'risk', risk) end
  redis.call('ZADD', KEYS[4], score, id)
  redis.call('HINCRBY', KEYS[5], 'escalations', 1)
  redis.call('HINCRBY', KEYS[5], 'escalations:' .. (risk ~= '' and risk or 'ASKED'), 1)
  redis.call('PUBLISH', events, '{"kind":"state","state":"queued"}')
  state = 'queued'
elseif state == 'queued' then
  redis.call('ZADD', KEYS[4], 'LT', score, id)
  if higher then redis.call('HSET', KEYS[3], 'risk', risk) end
elseif state == 'with_handler' and higher then
  redis.call('HSET', KEYS[3], 'risk', risk)
end
"""

# KEYS[1] messages stream, KEYS[2] client-id hash, KEYS[3] conversation hash, KEYS[4] queue,
# KEYS[5] today's figures. ARGV[1] client id ('' for none), ARGV[2] TTL seconds, ARGV[3] now (ms), ARGV[4] conversation id,
# ARGV[5] queue score ('' to leave the queue alone), ARGV[6] risk, ARGV[7] reason,
# ARGV[8] the conversation's event channel, ARGV[9] the queue's event channel, ARGV[10] role,
# ARGV[11] a condition: '' none, 'holder:NAME' only while NAME holds it (a handler's message),
# 'no_person' only while no person holds it (the bot's: a person who just joined speaks alone),
# ARGV[12..] field, value...
# Stores a message and, for a RED or AMBER one, queues the conversation in the same step: a
# stored crisis is always in the queue. A retry with the same client id is not stored twice;
# every key of the conversation gets the retention TTL again. A closed conversation takes no
# more messages. Every gateway process hears of the message (and of a queue change) on pub/sub.
# Returns {stream id, 1 if it was already stored (-1 if the conversation is gone, -2 if closed,
# -3 if the condition ARGV[11] does not hold), state}.
APPEND_MESSAGE = """
if ARGV[1] ~= '' then
  local existing = redis.call('HGET', KEYS[2], ARGV[1])
  if existing then return {existing, 1, redis.call('HGET', KEYS[3], 'state') or ''} end
end
if redis.call('EXISTS', KEYS[3]) == 0 then return {'', -1, ''} end
local state = redis.call('HGET', KEYS[3], 'state')
if state == 'closed' then return {'', -2, state} end
local condition = ARGV[11]
if condition == 'no_person' and state == 'with_handler' then return {'', -3, state} end
if string.sub(condition, 1, 7) == 'holder:' and (state ~= 'with_handler'
    or redis.call('HGET', KEYS[3], 'handler') ~= string.sub(condition, 8)) then
  return {'', -3, state}
end
local fields = {}
for i = 12, #ARGV do fields[#fields + 1] = ARGV[i] end
local message_id = redis.call('XADD', KEYS[1], '*', unpack(fields))
if ARGV[1] ~= '' then redis.call('HSET', KEYS[2], ARGV[1], message_id) end
redis.call('HSET', KEYS[3], 'updated', ARGV[3])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
if ARGV[5] ~= '' then
  local id, score, now, risk, reason, events = ARGV[4], ARGV[5], ARGV[3], ARGV[6], ARGV[7], ARGV[8]
""" + _QUEUE_MOVE + """
end
redis.call('PUBLISH', ARGV[8], cjson.encode({kind = 'message', id = message_id, role = ARGV[10]}))
if state == 'queued' then redis.call('PUBLISH', ARGV[9], '{"kind":"queue"}') end
return {message_id, 0, state}
"""

# KEYS[1], KEYS[2] unused (kept so the others match APPEND_MESSAGE), KEYS[3] conversation hash,
# KEYS[4] queue, KEYS[5] today's figures. ARGV[1] conversation id, ARGV[2] score, ARGV[3] now (ms),
# ARGV[4] risk, ARGV[5] reason, ARGV[6] the queue's event channel, ARGV[7] the conversation's.
# Returns the state after the call, or false if the conversation is gone.
ENQUEUE = """
if redis.call('EXISTS', KEYS[3]) == 0 then return false end
local id, score, now, risk, reason, events = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[7]
local state
""" + _QUEUE_MOVE + """
if state == 'queued' then redis.call('PUBLISH', ARGV[6], '{"kind":"queue"}') end
return state
"""


class ConversationGone(LookupError):
    """The conversation expired or never existed."""


class ConversationClosed(LookupError):
    """The helpline closed the conversation: it takes no more messages."""


class NotHolder(LookupError):
    """A message whose condition failed: a handler's to a conversation they no longer hold, or the
    bot's to one a person has just taken."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_ms() -> int:
    return int(time.time() * 1000)


def queue_score(risk: str, now: int) -> int:
    """Lower is more urgent: the risk first, then how long the young person has waited."""
    return RISK_RANK.get(risk, 2) * _RANK_STEP + now


@dataclass
class Message:
    id: str
    role: str  # young_person | bot | handler | system
    text: str
    client_id: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    # "fallback" (the bot could not answer), "safety" (a RED message), "maybe" (a second topic's help)
    kind: str = ""
    risk: str = ""  # the safety screen's level for a young person's message
    screening: list[dict[str, str]] = field(default_factory=list)  # what the screen matched, for handlers
    topics: list[str] = field(default_factory=list)  # what the bot understood
    author: str = ""  # the handler who wrote it (shown to staff only)
    event: str = ""  # for a system notice: joined, handed_back, requeued, transferred, closed

    @property
    def at(self) -> int:
        """When it was stored (ms): a stream id starts with the time."""
        return int(self.id.split("-", 1)[0]) if self.id else 0

    def to_fields(self) -> dict[str, str]:
        fields = {"role": self.role, "text": self.text}
        if self.client_id:
            fields["client_id"] = self.client_id
        if self.buttons:
            fields["buttons"] = json.dumps(self.buttons)
        if self.resources:
            fields["resources"] = json.dumps(self.resources)
        if self.kind:
            fields["kind"] = self.kind
        if self.risk:
            fields["risk"] = self.risk
        if self.screening:
            fields["screening"] = json.dumps(self.screening)
        if self.topics:
            fields["topics"] = json.dumps(self.topics)
        if self.author:
            fields["author"] = self.author
        if self.event:
            fields["event"] = self.event
        return fields

    @classmethod
    def from_entry(cls, entry_id: str, fields: dict[str, str]) -> Message:
        return cls(
            id=entry_id,
            role=fields.get("role", ""),
            text=fields.get("text", ""),
            client_id=fields.get("client_id", ""),
            buttons=json.loads(fields.get("buttons", "[]")),
            resources=json.loads(fields.get("resources", "[]")),
            kind=fields.get("kind", ""),
            risk=fields.get("risk", ""),
            screening=json.loads(fields.get("screening", "[]")),
            topics=json.loads(fields.get("topics", "[]")),
            author=fields.get("author", ""),
            event=fields.get("event", ""),
        )


class ConversationStore:
    def __init__(self, redis: Redis, retention_seconds: int) -> None:
        self.redis = redis
        self.ttl = retention_seconds
        self._append = redis.register_script(APPEND_MESSAGE)
        self._enqueue = redis.register_script(ENQUEUE)

    async def create(self) -> tuple[str, str]:
        """A new conversation; returns its id and the resume token (kept only by the browser)."""
        conversation_id = uuid.uuid4().hex
        token = secrets.token_urlsafe(32)
        now = str(now_ms())
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.conversation(conversation_id),
                      mapping={"state": "bot", "created": now, "updated": now, "risk": ""})
            pipe.expire(keys.conversation(conversation_id), self.ttl)
            pipe.set(keys.resume(token_digest(token)), conversation_id, ex=self.ttl)
            await pipe.execute()
        return conversation_id, token

    async def resume(self, token: str) -> str | None:
        """The conversation a resume token belongs to, if it is still kept."""
        resume_key = keys.resume(token_digest(token))
        conversation_id = await self.redis.get(resume_key)
        if not conversation_id or not await self.redis.exists(keys.conversation(conversation_id)):
            return None
        await self.redis.expire(resume_key, self.ttl)
        return conversation_id

    async def append(self, conversation_id: str, message: Message, escalate: str = "",
                     holder: str = "", no_person: bool = False) -> tuple[str, bool, str]:
        """Store a message, and queue the conversation with it when ``escalate`` gives a reason
        (the message's risk orders the queue); with ``holder``, only while that handler holds
        it; with ``no_person``, only while no person holds it (else NotHolder). Returns its
        stream id, whether it was already stored, and the state after it."""
        fields = [item for pair in message.to_fields().items() for item in pair]
        now = now_ms()
        score = queue_score(message.risk, now) if escalate else ""
        stream_id, duplicate, state = await self._append(
            keys=self._keys(conversation_id),
            args=[message.client_id, self.ttl, now, conversation_id, score, message.risk, escalate,
                  keys.conversation_events(conversation_id), keys.QUEUE_EVENTS, message.role,
                  f"holder:{holder}" if holder else ("no_person" if no_person else ""), *fields],
        )
        if duplicate == -1:
            raise ConversationGone(conversation_id)
        if duplicate == -2:
            raise ConversationClosed(conversation_id)
        if duplicate == -3:
            raise NotHolder(conversation_id)
        return stream_id, bool(duplicate), state

    @staticmethod
    def _keys(conversation_id: str) -> list[str]:
        return [keys.messages(conversation_id), keys.client_ids(conversation_id), keys.conversation(conversation_id),
                keys.QUEUE, keys.stats_day(metrics.today())]

    async def history(self, conversation_id: str, limit: int = 1000) -> list[Message]:
        """The latest ``limit`` messages, oldest first."""
        entries = await self.redis.xrevrange(keys.messages(conversation_id), count=limit)
        return [Message.from_entry(entry_id, fields) for entry_id, fields in reversed(entries)]

    async def after(self, conversation_id: str, last_id: str) -> list[Message]:
        """Every message stored after ``last_id`` (all of them for ''), oldest first: how a
        listener catches up after an event, or after missing some."""
        start = f"({last_id}" if last_id else "-"
        entries = await self.redis.xrange(keys.messages(conversation_id), min=start, max="+")
        return [Message.from_entry(entry_id, fields) for entry_id, fields in entries]

    async def info(self, conversation_id: str) -> dict[str, str]:
        info = await self.redis.hgetall(keys.conversation(conversation_id))
        if not info:
            raise ConversationGone(conversation_id)
        return info

    async def enqueue(self, conversation_id: str, risk: str, reason: str) -> str:
        """Ask for a person: bot -> queued, ordered by risk then waiting time."""
        now = now_ms()
        state = await self._enqueue(keys=self._keys(conversation_id),
                                    args=[conversation_id, queue_score(risk, now), now, risk, reason,
                                          keys.QUEUE_EVENTS, keys.conversation_events(conversation_id)])
        if state is None:
            raise ConversationGone(conversation_id)
        return state

    async def queue_position(self, conversation_id: str) -> int | None:
        """1 for the next young person a handler will see; None when not queued."""
        rank = await self.redis.zrank(keys.QUEUE, conversation_id)
        return None if rank is None else rank + 1
