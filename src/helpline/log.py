"""Logs as key=value lines that bind ids (conversation, frame type), never message text."""

from __future__ import annotations

import contextvars
import logging
import sys

conversation_var: contextvars.ContextVar[str] = contextvars.ContextVar("conversation", default="-")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "conversation": conversation_var.get(),
        }
        fields.update(getattr(record, "fields", {}))
        line = " ".join(f"{k}={v}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiohttp's access log would write full URLs; ours are free of personal data, but keep it quiet.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("spacy").setLevel(logging.WARNING)  # its own handler would print twice


def event(logger: logging.Logger, name: str, severity: int = logging.INFO, **fields: object) -> None:
    """Log one event with fields; callers pass ids and counts, never what someone wrote."""
    logger.log(severity, name, extra={"fields": fields})
