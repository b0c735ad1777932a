"""The console's client frames, checked (docs/console-protocol.md): this module does no I/O."""

from __future__ import annotations

import re

from ..chat.protocol import CLIENT_ID, ProtocolError, clean_text, envelope

CONVERSATION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_NOTE_CHARS = 4000

# Each client frame and its fields (all strings, all required).
FIELDS: dict[str, tuple[str, ...]] = {
    "take_next": (),
    "take": ("conversation",),
    "view": ("conversation",),
    "send": ("conversation", "client_id", "text"),
    "typing": ("conversation",),
    "note": ("conversation", "text"),
    "hand_back": ("conversation",),
    "release": ("conversation",),
    "transfer": ("conversation", "to"),
    "close": ("conversation", "outcome"),
    "ping": (),
}


def parse(raw: str, max_chars: int) -> dict[str, str]:
    frame, kind, client_id = envelope(raw, {name: {"type", *names} for name, names in FIELDS.items()})
    for name in FIELDS[kind]:
        if not isinstance(frame.get(name), str):
            raise ProtocolError("bad_field", f"{name} must be a string.", client_id)
    if "conversation" in frame and not CONVERSATION_ID.match(frame["conversation"]):
        raise ProtocolError("bad_field", "conversation must be a conversation id.", client_id)
    if "client_id" in frame and not CLIENT_ID.match(client_id):
        raise ProtocolError("bad_field", "client_id must be 1 to 64 letters, digits, - or _.")
    if "text" in frame:
        frame["text"] = clean_text(frame["text"])
        limit = max_chars if kind == "send" else MAX_NOTE_CHARS
        if not frame["text"]:
            raise ProtocolError("empty", "The message was empty.", client_id)
        if len(frame["text"]) > limit:
            raise ProtocolError("too_large", f"At most {limit} characters.", client_id)
    return frame
