"""The chat WebSocket protocol, version 1 (docs/protocol.md is its description for people).

Every frame is a JSON object with a ``type``. This module only checks frames from the client
and builds frames for it; it does no I/O.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..conversations import Message

VERSION = 1
MAX_FRAME_BYTES = 16 * 1024  # larger text frames get a too_large error and are dropped
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
RESUME_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")

CLIENT_FIELDS = {
    "hello": {"type", "v", "resume"},
    "message": {"type", "client_id", "text"},
    "ping": {"type"},
    "typing": {"type"},
}


class ProtocolError(Exception):
    """A frame the gateway will not act on; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, client_id: str = "", **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.client_id = client_id
        self.extra = extra  # e.g. retry_after


@dataclass
class Hello:
    resume: str


@dataclass
class ClientMessage:
    client_id: str
    text: str


@dataclass
class Ping:
    pass


@dataclass
class Typing:
    pass


def clean_text(text: str) -> str:
    """Text without control characters (newlines and tabs kept), trimmed."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    ).strip()


def envelope(raw: str, fields: dict[str, set[str]]) -> tuple[dict[str, Any], str, str]:
    """A frame's outer checks, shared with the console's protocol: size, JSON, an object, a
    known ``type`` and only that type's fields. Returns the frame, its type and its client_id."""
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise ProtocolError("too_large", f"A frame may be at most {MAX_FRAME_BYTES} bytes.")
    if not raw.strip():
        raise ProtocolError("empty", "The frame was empty.")
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ProtocolError("bad_json", "The frame is not JSON.") from None
    if not isinstance(frame, dict):
        raise ProtocolError("bad_frame", "A frame must be a JSON object.")
    kind = frame.get("type")
    client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else ""
    if not isinstance(kind, str) or kind not in fields:
        raise ProtocolError("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.", client_id)
    unknown = sorted(set(frame) - fields[kind])
    if unknown:
        raise ProtocolError("unknown_field", f"Unknown field(s): {', '.join(unknown)[:200]}.", client_id)
    return frame, kind, client_id


def parse(raw: str, max_chars: int) -> Hello | ClientMessage | Ping | Typing:
    """One client frame, checked, or ProtocolError saying what is wrong with it."""
    frame, kind, client_id = envelope(raw, CLIENT_FIELDS)
    if kind == "ping":
        return Ping()
    if kind == "typing":
        return Typing()
    if kind == "hello":
        version = frame.get("v", VERSION)
        if version != VERSION:
            raise ProtocolError("bad_version", f"This server speaks protocol version {VERSION}.")
        resume = frame.get("resume") or ""
        if not isinstance(resume, str) or (resume and not RESUME_TOKEN.match(resume)):
            raise ProtocolError("bad_field", "resume must be the token the server gave.")
        return Hello(resume=resume)
    if not CLIENT_ID.match(client_id):
        raise ProtocolError("bad_field", "client_id must be 1 to 64 letters, digits, - or _.")
    text = frame.get("text")
    if not isinstance(text, str):
        raise ProtocolError("bad_field", "text must be a string.", client_id)
    text = clean_text(text)
    if not text:
        raise ProtocolError("empty", "The message was empty.", client_id)
    if len(text) > max_chars:
        raise ProtocolError("too_large", f"A message may be at most {max_chars} characters.", client_id)
    return ClientMessage(client_id=client_id, text=text)


def error(exc: ProtocolError) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "code": exc.code, "message": exc.message}
    if exc.client_id:
        frame["client_id"] = exc.client_id
    frame.update(exc.extra)
    return frame


def history_item(message: Message) -> dict[str, Any]:
    item: dict[str, Any] = {"id": message.id, "role": message.role, "text": message.text}
    if message.client_id:
        item["client_id"] = message.client_id
    if message.role != "young_person":
        item["buttons"] = message.buttons
        item["resources"] = message.resources
    if message.event:
        item["event"] = message.event
    return item


def bot_frame(message: Message) -> dict[str, Any]:
    return {
        "type": "bot",
        "id": message.id,
        "text": message.text,
        "buttons": message.buttons,
        "resources": message.resources,
        "fallback": message.kind == "fallback",
        "safety": message.kind == "safety",
        "maybe": message.kind == "maybe",
        "topics": message.topics,
    }
