"""What a young person's stored message is answered with: the bot's reply, raised by the
backstop reader when it alone reads danger; the safety message and the help for what danger is
about; and, when the bot is down or too slow, the backstop's reading in the bot's place.

A mixin of ChatSession (session.py), which keeps the connection: it provides deliver, escalate,
send and the attributes named below.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError

from .. import keys, log, metrics
from ..backstop.reading import BackstopReader, Reading
from ..conversations import ConversationStore, Message
from ..rasa_client import BotReply, BotUnavailable, RasaClient
from ..redaction import redact
from ..safety import levels
from . import answers, concern

logger = logging.getLogger("helpline.chat")

SILENT_BOT_STATES = ("with_handler", "closed")  # a person is with the young person, or it has ended
NOT_UNDERSTOOD_TOPICS = {"not_understood", "offer_person"}  # the bot's answers when it could not follow


class Answering:
    conversations: ConversationStore
    conversation_id: str
    rasa: RasaClient
    redis: Any
    backstop: BackstopReader | None  # reads for the bot when the bot is down
    backstop_beside_bot: bool  # and beside it, for danger it alone reads
    # ChatSession's: send(frame), deliver(message) (store, then send) and escalate(level, reason).
    send: Callable[[dict[str, Any]], Awaitable[None]]
    deliver: Callable[[Message], Awaitable[None]]
    escalate: Callable[[str, str], Awaitable[None]]

    async def answer(self, message: Message) -> None:
        """The bot's answer to a stored message (RED and AMBER were queued when it was stored).
        The higher of the screen's and the bot's level wins (and the backstop's, when it reads
        beside the bot). Danger now gets the safety message and then help for what it is about.
        Silent once a person has taken over."""
        if (await self.conversations.info(self.conversation_id)).get("state") in SILENT_BOT_STATES:
            return
        reply = await self.ask_bot(message)
        if reply is None:
            await self.answer_without_bot(message)
            return
        reply, raised_by = self.beside_bot(message, reply)
        screened = message.screening[0]["category"] if message.screening else ""  # most serious first
        screen_answers = message.risk == "AMBER" and levels.rank(reply.risk) < levels.rank("AMBER")
        await self.count_reply([screened] if screen_answers else reply.topics)
        answered: list[str] = []  # the topics of what was sent
        possible_danger_now = (reply.risk == "RED" and message.risk != "RED"
                               and answers.CRISIS_TOPIC not in reply.topics)
        if possible_danger_now:
            # The bot reads possible danger now behind another topic: the numbers go first.
            text, resources = await answers.crisis(self.redis)
            await self.deliver(Message(id="", role="bot", text=text, resources=resources, kind="safety",
                                       topics=[answers.CRISIS_TOPIC]))
            await metrics.count(self.redis, f"topic:{answers.CRISIS_TOPIC}")
        if message.risk == "RED" and answers.CRISIS_TOPIC in reply.topics:
            pass  # the bot would repeat the safety message
        elif screen_answers:
            # The bot did not see what the screen saw: answer what the screen found instead.
            text, resources = await answers.for_topic(self.redis, screened)
            await self.deliver(Message(id="", role="bot", text=text, resources=resources, topics=[screened]))
            answered = [screened]
        elif possible_danger_now and NOT_UNDERSTOOD_TOPICS & set(reply.topics):
            pass  # "sorry, I didn't understand" right after the safety message would contradict it
        elif message.risk != "RED" or any(levels.concern_topic(topic) for topic in reply.topics):
            # After the screen's safety message only a safeguarding topic follows: sleep tips for
            # "i took the whole bottle so i can sleep" would be beside the point.
            kind = "safety" if answers.CRISIS_TOPIC in reply.topics else ""
            for bot_message in reply.messages:
                if bot_message.second and "RED" in (message.risk, reply.risk):
                    continue  # a maybe has no place after a safety message
                await self.deliver(Message(id="", role="bot", text=bot_message.text, buttons=bot_message.buttons,
                                           resources=bot_message.resources, kind="maybe" if bot_message.second else kind,
                                           topics=reply.second_topics if bot_message.second else reply.topics))
            answered = reply.topics
        if "RED" in (message.risk, reply.risk):
            await self.answer_concern(message, reply, answered)
        bot_raises = levels.rank(reply.risk) > levels.rank(message.risk)
        if bot_raises or (reply.escalate and levels.rank(message.risk) < levels.rank("AMBER")):
            await self.escalate(levels.highest(message.risk, reply.risk),
                                raised_by or f"bot:{reply.escalate or ','.join(reply.topics) or 'risk'}")

    def beside_bot(self, message: Message, reply: BotReply) -> tuple[BotReply, str]:
        """The bot's reply, its level raised to the backstop's when the backstop reads danger that
        neither the screen nor the bot did (with the reason for the queue), or as it was."""
        if not self.backstop_beside_bot:
            return reply, ""
        reading = self.read_backstop(message.text)
        if (levels.rank(reading.level) < levels.rank("AMBER")
                or levels.rank(reading.level) <= levels.rank(levels.highest(message.risk, reply.risk))):
            return reply, ""
        raised = dataclasses.replace(reply, risk=reading.level, concern=reply.concern or reading.concern)
        return raised, f"backstop:{reading.reason}"

    async def answer_concern(self, message: Message, reply: BotReply, answered: list[str]) -> None:
        """After the safety message, the help for what the danger is about ("he's hitting me
        now": abuse; "I've run away and I'm at a stranger's": going missing; concern.choose),
        once a conversation, unless a concern was answered already or the topic offers no
        service the safety message did not show (or its content cannot be read)."""
        if any(levels.concern_topic(topic) for topic in answered):
            return
        topic = concern.choose(message.screening, reply.concern)
        if not topic or not await self.first_in_conversation(f"concern:{topic}", if_unknown=True):
            return
        text, resources = await answers.from_content(self.redis, topic, "")
        _, safety_resources = await answers.crisis(self.redis)
        if not concern.adds_help(resources, {resource["id"] for resource in safety_resources}):
            return
        await self.deliver(Message(id="", role="bot", text=text, resources=resources, topics=[topic]))
        await metrics.count(self.redis, f"topic:{topic}")

    async def first_in_conversation(self, flag: str, if_unknown: bool) -> bool:
        """True the first time this flag is set on the conversation; if_unknown when Redis cannot say."""
        try:
            return bool(await self.redis.hsetnx(keys.conversation(self.conversation_id), flag, "1"))
        except RedisError:
            return if_unknown

    async def count_reply(self, topics: list[str]) -> None:
        """What young people talk about, and conversations the bot could not follow (once each)."""
        await metrics.count(self.redis, *(f"topic:{t}" for t in topics))
        if NOT_UNDERSTOOD_TOPICS & set(topics) and await self.first_in_conversation("not_understood", if_unknown=False):
            await metrics.count(self.redis, "not_understood_conversations")

    async def answer_without_bot(self, message: Message) -> None:
        """The bot is down or too slow: the backstop reader stands in for its judgement. Danger
        it reads gets the safety message and a person at its level; asking for a person queues;
        a topic it understands gets that topic's help after the safe reply. Without a backstop
        (or when it reads nothing) the screen's reading stands alone."""
        reading = self.read_backstop(message.text)
        red = "RED" in (message.risk, reading.level)
        if reading.level == "RED" and message.risk != "RED":
            text, resources = await answers.crisis(self.redis)
            await self.deliver(Message(id="", role="bot", text=text, resources=resources, kind="safety",
                                       topics=[answers.CRISIS_TOPIC]))
            await metrics.count(self.redis, f"topic:{answers.CRISIS_TOPIC}")
        elif not red:
            # After a safety message, a bot that is down needs no apology: the numbers are there.
            text, resources = await answers.unavailable(self.redis)
            await self.deliver(Message(id="", role="bot", text=text, resources=resources, kind="fallback"))
        answered: list[str] = []
        # A concern the screen found and the backstop did not is the screen's to answer (as when
        # the bot answers); after a safety message only a safeguarding topic follows.
        screened = message.screening[0]["category"] if message.screening else ""  # most serious first
        topic = screened if message.risk == "AMBER" and levels.rank(reading.level) < levels.rank("AMBER") \
            else reading.topic
        if topic and topic != answers.CRISIS_TOPIC and (not red or levels.concern_topic(topic)):
            text, resources = await answers.from_content(self.redis, topic, "")
            if text:
                await self.deliver(Message(id="", role="bot", text=text, resources=resources, topics=[topic]))
                await self.count_reply([topic])
                answered = [topic]
        if red:
            await self.answer_concern(message, BotReply(concern=reading.concern), answered)
        if levels.rank(reading.level) > levels.rank(message.risk) and levels.rank(reading.level) >= levels.rank("AMBER"):
            await self.escalate(reading.level, f"backstop:{reading.reason}")
        elif reading.intent == "ask_for_person" and levels.rank(message.risk) < levels.rank("AMBER"):
            await self.escalate(message.risk, "backstop:asked")

    def read_backstop(self, text: str) -> Reading:
        """The backstop's reading of what the bot was sent, or an empty one (no backstop, or it failed)."""
        if self.backstop is None:
            return Reading()
        try:
            reading = self.backstop.read(redact(text))
        except Exception:
            logger.exception("backstop_failed")
            return Reading()
        log.event(logger, "backstop_read", level=reading.level or "-", intent=reading.intent or "-",
                  reason=reading.reason or "-")
        return reading

    async def ask_bot(self, message: Message) -> BotReply | None:
        """The bot's reply, or None when it cannot answer in time."""
        started = time.monotonic()
        await self.send({"type": "typing", "who": "bot"})
        try:
            # Rasa sees no contact details: its tracker store keeps what it is sent.
            reply = await self.rasa.send(self.conversation_id, redact(message.text))
        except BotUnavailable as exc:
            log.event(logger, "bot_unavailable", logging.WARNING, reason=str(exc),
                      ms=int((time.monotonic() - started) * 1000))
            return None
        log.event(logger, "bot_answered", ms=int((time.monotonic() - started) * 1000),
                  messages=len(reply.messages), topics=",".join(reply.topics) or "-", risk=reply.risk or "-")
        return reply
