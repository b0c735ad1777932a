"""The Rasa server, reached over its REST channel, always with a deadline.

Rasa decides what to say; the gateway carries it out. Actions add structured data to a reply
with a custom payload under the ``helpline`` key (see actions/payloads.py):

    {"helpline": {"text": "...", "resources": [...], "topic": "bullying", "risk": "GREEN",
                  "escalate": {"reason": "asked"}, "concern": "abuse"}}

and, when the bot is torn between two topics, the second one's help after the answer:

    {"helpline": {"text": "...", "resources": [...], "topic": "exam_stress", "second": true}}

Rasa's REST channel sends text and custom payloads as separate items, so a payload without
text is attached to the text before it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .safety.levels import highest


class BotUnavailable(Exception):
    """Rasa did not answer in time, refused the connection, or answered with an error."""


@dataclass
class BotMessage:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    second: bool = False  # help for a topic ranked close behind the answer (actions/second_topic.py)


@dataclass
class BotReply:
    messages: list[BotMessage] = field(default_factory=list)
    escalate: str = ""  # the reason the bot asks for a person, empty if it does not
    topics: list[str] = field(default_factory=list)
    second_topics: list[str] = field(default_factory=list)  # shown as a maybe, not counted as the topic
    risk: str = ""  # the bot's level for what it understood (data/safety/intents.yml)
    concern: str = ""  # for danger now: the safeguarding concern it is most likely about


def _buttons(raw: Any) -> list[dict[str, str]]:
    buttons = []
    for button in raw or []:
        if isinstance(button, dict) and button.get("title"):
            buttons.append({"title": str(button["title"]), "payload": str(button.get("payload", ""))})
    return buttons


def parse_reply(items: Any) -> BotReply:
    """Rasa's REST output (a list of dicts) as one structured reply."""
    reply = BotReply()
    if not isinstance(items, list):
        raise BotUnavailable("Rasa answered with something other than a list")
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("text"):
            reply.messages.append(BotMessage(text=str(item["text"]), buttons=_buttons(item.get("buttons"))))
        custom = item.get("custom")
        payload = custom.get("helpline") if isinstance(custom, dict) else None
        if not isinstance(payload, dict):
            continue
        second = payload.get("second") is True
        if payload.get("text"):
            reply.messages.append(BotMessage(text=str(payload["text"]), buttons=_buttons(payload.get("buttons")),
                                             second=second))
        raw_resources = payload.get("resources")
        resources = [r for r in raw_resources if isinstance(r, dict) and r.get("id")] \
            if isinstance(raw_resources, list) else []
        if resources:
            if not reply.messages:
                reply.messages.append(BotMessage(text=""))
            reply.messages[-1].resources.extend(resources)
        escalate = payload.get("escalate")
        if isinstance(escalate, dict):
            reply.escalate = str(escalate.get("reason") or "bot")
        if payload.get("topic"):
            (reply.second_topics if second else reply.topics).append(str(payload["topic"]))
        if payload.get("risk"):
            reply.risk = highest(reply.risk, str(payload["risk"]))
        if payload.get("concern") and not reply.concern:
            reply.concern = str(payload["concern"])
    return reply


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, deadline: float) -> None:
        self.session = session
        self.base_url = base_url
        self.deadline = deadline

    async def send(self, conversation_id: str, text: str) -> BotReply:
        """The bot's reply to one message, or BotUnavailable after the deadline at most."""
        url = f"{self.base_url}/webhooks/rest/webhook"
        try:
            async with asyncio.timeout(self.deadline):
                async with self.session.post(url, json={"sender": conversation_id, "message": text}) as resp:
                    if resp.status != 200:
                        raise BotUnavailable(f"Rasa answered HTTP {resp.status}")
                    reply = parse_reply(await resp.json(content_type=None))
        except (TimeoutError, aiohttp.ClientError, ValueError, TypeError) as exc:
            raise BotUnavailable(type(exc).__name__) from exc
        if not reply.messages:
            # Rasa answers 200 with nothing when the action server is down or an action failed.
            raise BotUnavailable("empty reply")
        return reply

    async def ready(self) -> bool:
        """Rasa answers on its root only once the model is loaded."""
        try:
            async with asyncio.timeout(2):
                async with self.session.get(f"{self.base_url}/") as resp:
                    return resp.status == 200
        except (TimeoutError, aiohttp.ClientError):
            return False
