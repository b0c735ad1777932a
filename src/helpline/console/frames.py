"""The console's client frames, checked (docs/console-protocol.md): this module does no I/O."""

from __future__ import annotations

import json
import re

from ..chat.protocol import CLIENT_ID, MAX_FRAME_BYTES, clean_text

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


class FrameError(Exception):
    def __init__(self, code: str, message: str, client_id: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.client_id = code, message, client_id


def parse(raw: str, max_chars: int) -> dict[str, str]:
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise FrameError("too_large", f"A frame may be at most {MAX_FRAME_BYTES} bytes.")
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError):
        raise FrameError("bad_json", "The frame is not JSON.") from None
    if not isinstance(frame, dict):
        raise FrameError("bad_json", "A frame must be a JSON object.")
    kind = frame.get("type")
    client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else ""
    if not isinstance(kind, str) or kind not in FIELDS:
        raise FrameError("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.", client_id)
    unknown = sorted(set(frame) - {"type", *FIELDS[kind]})
    if unknown:
        raise FrameError("unknown_field", f"Unknown field(s): {', '.join(unknown)[:200]}.", client_id)
    for name in FIELDS[kind]:
        if not isinstance(frame.get(name), str):
            raise FrameError("bad_field", f"{name} must be a string.", client_id)
    if "conversation" in frame and not CONVERSATION_ID.match(frame["conversation"]):
        raise FrameError("bad_field", "conversation must be a conversation id.", client_id)
    if "client_id" in frame and not CLIENT_ID.match(client_id):
        raise FrameError("bad_field", "client_id must be 1 to 64 letters, digits, - or _.")
    if "text" in frame:
        frame["text"] = clean_text(frame["text"])
        limit = max_chars if kind == "send" else MAX_NOTE_CHARS
        if not frame["text"]:
            raise FrameError("empty", "The message was empty.", client_id)
        if len(frame["text"]) > limit:
            raise FrameError("too_large", f"At most {limit} characters.", client_id)
    return frame
