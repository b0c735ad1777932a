"""The structured part of a bot message, read by the gateway (helpline/rasa_client.py)."""

from __future__ import annotations

from typing import Any

from helpline.content import model


TALK_TO_A_PERSON = {"title": "Talk to a person", "payload": "/ask_for_person"}


def helpline_message(text: str, resources: list[dict[str, Any]] | None = None, topic: str = "",
                     risk: str = "", escalate: str = "",
                     buttons: list[dict[str, str]] | None = None, concern: str = "",
                     second: bool = False) -> dict[str, Any]:
    """A custom payload: text, the services shown (as the chat protocol carries them), the topic
    it answered, the bot's level for it, whether a person is asked for (and why), and for danger
    now, the safeguarding concern it is most likely about (the gateway adds that topic's help);
    second marks help for a topic the bot ranked close behind its answer (shown, not counted)."""
    payload: dict[str, Any] = {"text": text, "resources": [model.for_young_person(r) for r in resources or []]}
    if topic:
        payload["topic"] = topic
    if risk:
        payload["risk"] = risk
    if escalate:
        payload["escalate"] = {"reason": escalate}
    if buttons:
        payload["buttons"] = buttons
    if concern:
        payload["concern"] = concern
    if second:
        payload["second"] = True
    return {"helpline": payload}
