"""A person takes over from the bot: take, hand back, release, transfer, close, and the
return to the queue of a conversation whose handler's connection was lost.

Each move is one Lua script, so two handlers (on any gateway processes) can never hold the
same conversation, and a handler's open count never passes the limit. After a move, the young
person gets a notice in their history and every process hears of it on pub/sub.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from redis.asyncio import Redis

from . import events, keys, metrics
from .conversations import _RANK_STEP, ConversationStore, Message, now_ms

OUTCOMES = {
    "advice": "Advice given",
    "signposted": "Signposted",
    "front_door": "Referral to the Integrated Front Door",
    "police": "Police called",
    "ambulance": "Ambulance called",
    "left": "Young person left",
    "other": "Other",
}

# What the young person reads when a person joins or leaves (stored in their history).
NOTICES = {
    "joined": "A person from the helpline has joined the chat. You can talk to them here.",
    "handed_back": ("The person from the helpline has left the chat. You can keep writing here, "
                    "and ask for a person again at any time."),
    "released": ("The person from the helpline had to step away. You are back in the queue, in the same "
                 "place, and someone will be with you as soon as they can."),
    "requeued": ("We lost the connection to the person you were talking to. You are back in the queue, in "
                 "the same place, and someone will be with you as soon as they can."),
    "transferred": "Another person from the helpline is taking over this chat. They can see what you have said.",
    "closed": ("This chat has ended. Thank you for talking to us. If you want to talk again, you can start a "
               "new chat at any time. In an emergency, call 999."),
}

RECENT_WAITS = 50  # waits kept for the estimate
WAIT_HORIZON_MS = 6 * 3600 * 1000  # waits older than this say nothing about now

# KEYS[1] conversation hash, KEYS[2] queue, KEYS[3] held hash, KEYS[4] the handler's held set,
# KEYS[5] recent waits, KEYS[6] today's waits (the dashboard's). ARGV[1] conversation id, ARGV[2] handler, ARGV[3] limit, ARGV[4] now (ms),
# ARGV[5] TTL, ARGV[6] conversation key prefix (to drop held ids whose conversation expired).
# Returns {'ok', waited ms} or {reason, detail}.
TAKE = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {'gone', ''}
end
local state, holder = unpack(redis.call('HMGET', KEYS[1], 'state', 'handler'))
if state == 'with_handler' then
  if holder == ARGV[2] then return {'ok', '0'} end
  return {'taken', holder or ''}
end
if state ~= 'queued' then return {'not_waiting', state or ''} end
for _, held in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if redis.call('EXISTS', ARGV[6] .. held) == 0 then redis.call('SREM', KEYS[4], held) end
end
if redis.call('SCARD', KEYS[4]) >= tonumber(ARGV[3]) then return {'limit', ARGV[3]} end
local now = tonumber(ARGV[4])
local since = redis.call('HGET', KEYS[1], 'waiting_since') or redis.call('HGET', KEYS[1], 'queued_at')
local waited = now - tonumber(since or now)
redis.call('HSET', KEYS[1], 'state', 'with_handler', 'handler', ARGV[2], 'taken_at', now)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('EXPIRE', KEYS[4], ARGV[5])
redis.call('LPUSH', KEYS[5], now .. ':' .. waited)
redis.call('LTRIM', KEYS[5], 0, %d)
redis.call('RPUSH', KEYS[6], math.floor(waited / 1000))
return {'ok', tostring(waited)}
""" % (RECENT_WAITS - 1)

# The moves of a conversation its handler holds. KEYS[1] conversation hash, KEYS[2] queue,
# KEYS[3] held hash, KEYS[4] the holder's held set, KEYS[5] the new holder's held set (transfer),
# KEYS[6] the holder's presence, KEYS[7] today's figures, KEYS[8] the message stream, KEYS[9] the
# new holder's presence. ARGV[1] conversation id, ARGV[2] who asks, ARGV[3] action (hand_back,
# release, transfer, close, requeue_lost, forget), ARGV[4] now, ARGV[5] new holder, ARGV[6] their limit,
# ARGV[7] outcome, ARGV[8] rank step, ARGV[9] conversation key prefix, ARGV[10] the last message
# the handler's console was sent, ARGV[11] TTL.
# requeue_lost is the reaper's: it moves only while the holder's presence is still missing.
# hand_back and close refuse while a RED or AMBER message from the young person arrived after
# what the handler was shown: nobody would read it otherwise (the bot was silent for it).
MOVE = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('SREM', KEYS[4], ARGV[1])
  return {'gone', ''}
end
if ARGV[3] == 'forget' then return {'present', ''} end  -- only ever cleans up an expired one
local state, holder, risk, queued_at = unpack(redis.call('HMGET', KEYS[1], 'state', 'handler', 'risk', 'queued_at'))
if state ~= 'with_handler' or holder ~= ARGV[2] then return {'not_yours', holder or ''} end
local action, now = ARGV[3], ARGV[4]
if action == 'requeue_lost' and redis.call('EXISTS', KEYS[6]) == 1 then return {'present', ''} end
if (action == 'hand_back' or action == 'close') and ARGV[10] ~= '' then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[8], '(' .. ARGV[10], '+')) do
    local f = {}
    for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
    if f['role'] == 'young_person' and (f['risk'] == 'RED' or f['risk'] == 'AMBER') then
      return {'unseen', entry[1]}
    end
  end
end
if action == 'transfer' then
  if ARGV[5] == ARGV[2] then return {'not_yours', holder} end
  if redis.call('EXISTS', KEYS[9]) == 0 then return {'not_present', ARGV[5]} end
  for _, held in ipairs(redis.call('SMEMBERS', KEYS[5])) do
    if redis.call('EXISTS', ARGV[9] .. held) == 0 then redis.call('SREM', KEYS[5], held) end
  end
  if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[6]) then return {'limit', ARGV[6]} end
  redis.call('HSET', KEYS[1], 'handler', ARGV[5], 'taken_at', now)
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
  redis.call('SREM', KEYS[4], ARGV[1])
  redis.call('SADD', KEYS[5], ARGV[1])
  redis.call('EXPIRE', KEYS[5], ARGV[11])
  return {'ok', 'with_handler'}
end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[1], 'handler')
if action == 'hand_back' then
  redis.call('HSET', KEYS[1], 'state', 'bot')
  return {'ok', 'bot'}
elseif action == 'close' then
  redis.call('HSET', KEYS[1], 'state', 'closed', 'outcome', ARGV[7], 'closed_at', now, 'closed_by', ARGV[2])
  redis.call('HINCRBY', KEYS[7], 'outcome:' .. ARGV[7], 1)
  return {'ok', 'closed'}
end
-- release and requeue_lost: back in the queue where it was (its risk, then when it first queued)
local rank = {RED = 0, AMBER = 1, GREEN = 2}
local score = (rank[risk] or 2) * tonumber(ARGV[8]) + tonumber(queued_at or now)
redis.call('HSET', KEYS[1], 'state', 'queued', 'waiting_since', now)
redis.call('ZADD', KEYS[2], score, ARGV[1])
return {'ok', 'queued'}
"""


class HandoffError(Exception):
    """A move that cannot be made; ``code`` is the console protocol's error code."""

    MESSAGES = {
        "gone": "That conversation has ended or expired.",
        "taken": "Someone else is already with this young person.",
        "not_waiting": "That young person is no longer waiting.",
        "limit": "You already hold as many conversations as you may.",
        "not_yours": "You are not holding that conversation.",
        "queue_empty": "Nobody is waiting.",
        "unknown_staff": "There is no handler by that name.",
        "bad_outcome": "Choose an outcome from the list.",
        "present": "The handler is still connected.",
        "unseen": "The young person has just written something serious that you have not seen yet: read it first.",
        "not_present": "That colleague is not on the console just now.",
    }

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(self.MESSAGES.get(code, code))
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Move:
    conversation_id: str
    state: str
    handler: str
    notice: Message | None  # what the young person was told


class Handoff:
    def __init__(self, redis: Redis, conversations: ConversationStore, limit: int) -> None:
        self.redis = redis
        self.conversations = conversations
        self.limit = limit
        self._take = redis.register_script(TAKE)
        self._move = redis.register_script(MOVE)

    # --- taking ---------------------------------------------------------------------------
    async def take(self, conversation_id: str, handler: str) -> Move:
        result, detail = await self._take(
            keys=[keys.conversation(conversation_id), keys.QUEUE, keys.HELD, keys.held_by(handler), keys.WAITS,
                  keys.stats_waits(metrics.today())],
            args=[conversation_id, handler, self.limit, now_ms(), self.conversations.ttl, keys.conversation("")])
        if result != "ok":
            raise HandoffError(result, detail)
        return await self._after(conversation_id, "with_handler", handler, "joined")

    async def take_next(self, handler: str) -> Move:
        """The most urgent waiting conversation; if another handler takes it first, the next one."""
        while True:
            ids = await self.redis.zrange(keys.QUEUE, 0, 9)
            if not ids:
                raise HandoffError("queue_empty")
            for conversation_id in ids:
                try:
                    return await self.take(conversation_id, handler)
                except HandoffError as exc:
                    if exc.code not in ("taken", "gone", "not_waiting"):
                        raise

    # --- moves of a held conversation -----------------------------------------------------
    async def hand_back(self, conversation_id: str, handler: str, seen: str = "") -> Move:
        """``seen``: the last message the handler's console was sent ('' checks nothing)."""
        return await self._run(conversation_id, handler, "hand_back", notice="handed_back", seen=seen)

    async def release(self, conversation_id: str, handler: str) -> Move:
        return await self._run(conversation_id, handler, "release", notice="released")

    async def requeue_lost(self, conversation_id: str, handler: str) -> Move:
        return await self._run(conversation_id, handler, "requeue_lost", notice="requeued")

    async def close(self, conversation_id: str, handler: str, outcome: str, seen: str = "") -> Move:
        if outcome not in OUTCOMES:
            raise HandoffError("bad_outcome")
        return await self._run(conversation_id, handler, "close", outcome=outcome, notice="closed", seen=seen)

    async def transfer(self, conversation_id: str, handler: str, to: str) -> Move:
        role = await self.redis.hmget(keys.staff_account(to), "role", "disabled")
        if role[0] not in ("handler", "supervisor") or role[1] != "0":
            raise HandoffError("unknown_staff")
        return await self._run(conversation_id, handler, "transfer", to=to, notice="transferred")

    async def _run(self, conversation_id: str, handler: str, action: str, notice: str, to: str = "",
                   outcome: str = "", seen: str = "") -> Move:
        result, state = await self._move(
            keys=[keys.conversation(conversation_id), keys.QUEUE, keys.HELD, keys.held_by(handler),
                  keys.held_by(to or handler), keys.presence(handler), keys.stats_day(metrics.today()),
                  keys.messages(conversation_id), keys.presence(to or handler)],
            args=[conversation_id, handler, action, now_ms(), to, self.limit, outcome, _RANK_STEP,
                  keys.conversation(""), seen, self.conversations.ttl])
        if result != "ok":
            raise HandoffError(result, state)
        return await self._after(conversation_id, state, to or ("" if state != "with_handler" else handler), notice)

    async def _after(self, conversation_id: str, state: str, handler: str, notice: str) -> Move:
        """Tell the young person (in their history) and every process (on pub/sub)."""
        message = Message(id="", role="system", text=NOTICES[notice], event=notice)
        if state == "closed":
            message.id = await self._append_closing(conversation_id, message)
        else:
            message.id, _, _ = await self.conversations.append(conversation_id, message)
        await events.publish(self.redis, keys.conversation_events(conversation_id), kind="state", state=state,
                             handler=handler)
        if handler:  # the holder's consoles (on any process) open it
            await events.publish(self.redis, keys.staff_events(handler), kind="assigned",
                                 conversation=conversation_id)
        await events.publish(self.redis, keys.QUEUE_EVENTS, kind="queue")
        return Move(conversation_id, state, handler, message)

    async def _append_closing(self, conversation_id: str, message: Message) -> str:
        """The closing notice is the last message of a closed conversation (which takes no more)."""
        message_id = await self.redis.xadd(keys.messages(conversation_id), message.to_fields())
        await events.publish(self.redis, keys.conversation_events(conversation_id), kind="message", id=message_id,
                             role=message.role)
        return message_id

    # --- what handlers and young people are shown ------------------------------------------
    async def held(self, handler: str) -> list[str]:
        ids = await self.redis.smembers(keys.held_by(handler))
        holders = await self.redis.hmget(keys.HELD, *ids) if ids else []
        return sorted(i for i, holder in zip(ids, holders, strict=True) if holder == handler)

    async def wait_minutes(self, now: int | None = None) -> int | None:
        """An honest estimate: the median of recent waits (taken within the horizon), rounded up
        to whole minutes; None when nobody has been taken recently."""
        now = now or now_ms()
        recent = []
        for entry in await self.redis.lrange(keys.WAITS, 0, RECENT_WAITS - 1):
            taken_at, _, waited = entry.partition(":")
            if now - int(taken_at) <= WAIT_HORIZON_MS:
                recent.append(int(waited))
        if not recent:
            return None
        return max(1, -(-int(statistics.median(recent)) // 60000))

    async def touch_presence(self, handler: str, grace_seconds: float) -> None:
        await self.redis.set(keys.presence(handler), "1", px=int(grace_seconds * 1000))

    async def forget(self, conversation_id: str, handler: str) -> None:
        """A held conversation that has expired: drop it from the handler's count."""
        try:
            await self._run(conversation_id, handler, "forget", notice="handed_back")
        except HandoffError:
            pass  # 'gone' (cleaned up) or 'present' (it has not expired after all: nothing done)

    async def requeue_abandoned(self) -> list[Move]:
        """Conversations whose handler's consoles have all been gone for the grace period go
        back to the queue (run by every process; the script checks presence itself, so two
        processes never move one twice)."""
        moves = []
        for conversation_id, handler in (await self.redis.hgetall(keys.HELD)).items():
            if await self.redis.exists(keys.presence(handler)):
                continue
            try:
                moves.append(await self.requeue_lost(conversation_id, handler))
            except HandoffError:
                continue
        return moves
