"""Settings, read once from the environment. Every variable is listed in .env.example."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout (src layout)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    # Empty: `helpline run` starts an embedded Redis under var/ and passes its URL on.
    redis_url: str = ""
    embedded_redis_port: int = 6390
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_port: int = 5055
    # How long the young person waits for the bot before getting the safe reply.
    rasa_deadline: float = 3.0
    retention_days: int = 30
    max_message_chars: int = 2000
    # A young person may send this many messages at once, then one every refill seconds.
    flood_burst: int = 8
    flood_refill_seconds: float = 1.0
    allowed_origins: tuple[str, ...] = ()
    quick_exit_url: str = "https://www.bbc.co.uk/weather"
    # When call handlers are on duty (content/hours.py format: "24/7", "Mon-Fri 09:00-17:00").
    opening_hours: str = "24/7"
    bank_holidays: tuple[str, ...] = ()  # ISO dates the line is closed
    # How many conversations one handler may hold at once.
    handler_limit: int = 3
    # How long a handler's consoles may all be gone before what they hold goes back to the queue.
    handler_grace_seconds: float = 60.0
    # Staff cookies are Secure over HTTPS; set this behind a TLS-terminating proxy.
    secure_cookies: bool = False
    content_dir: Path = field(default_factory=lambda: ROOT / "data" / "content")
    # A resource whose details nobody has checked for this many days is flagged to the editors.
    content_stale_days: int = 180
    var_dir: Path = field(default_factory=lambda: ROOT / "var")
    # The backstop reader's trained model (`make backstop`): it reads for the bot when the bot is down.
    backstop_dir: Path = field(default_factory=lambda: ROOT / "models" / "backstop")
    # Beside the bot too: danger the backstop reads and the bot and the screen did not still asks
    # for a person. On from session 9: over twenty-four blind sets it read 3 danger-now lines RED
    # that the bot read AMBER ("just got raped") for 9 more false escalations (docs/triage.md).
    backstop_beside_bot: bool = True
    log_level: str = "INFO"

    @property
    def retention_seconds(self) -> int:
        return self.retention_days * 24 * 3600

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        origins = tuple(o.strip().rstrip("/") for o in env("HELPLINE_ALLOWED_ORIGINS", "").split(",") if o.strip())
        return cls(
            host=env("HELPLINE_HOST", cls.host),
            port=_int("HELPLINE_PORT", cls.port),
            redis_url=env("REDIS_URL", ""),
            embedded_redis_port=_int("HELPLINE_EMBEDDED_REDIS_PORT", cls.embedded_redis_port),
            rasa_url=env("RASA_URL", cls.rasa_url).rstrip("/"),
            action_server_port=_int("ACTION_SERVER_PORT", cls.action_server_port),
            rasa_deadline=_float("RASA_DEADLINE_SECONDS", cls.rasa_deadline),
            retention_days=_int("RETENTION_DAYS", cls.retention_days),
            max_message_chars=_int("HELPLINE_MAX_MESSAGE_CHARS", cls.max_message_chars),
            flood_burst=_int("HELPLINE_FLOOD_BURST", cls.flood_burst),
            flood_refill_seconds=_float("HELPLINE_FLOOD_REFILL_SECONDS", cls.flood_refill_seconds),
            allowed_origins=origins,
            quick_exit_url=env("HELPLINE_QUICK_EXIT_URL", cls.quick_exit_url),
            opening_hours=env("HELPLINE_OPENING_HOURS", cls.opening_hours),
            bank_holidays=tuple(d.strip() for d in env("HELPLINE_BANK_HOLIDAYS", "").split(",") if d.strip()),
            handler_limit=_int("HELPLINE_HANDLER_LIMIT", cls.handler_limit),
            handler_grace_seconds=_float("HELPLINE_HANDLER_GRACE_SECONDS", cls.handler_grace_seconds),
            secure_cookies=env("HELPLINE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            content_dir=Path(env("HELPLINE_CONTENT_DIR", "") or ROOT / "data" / "content"),
            content_stale_days=_int("HELPLINE_CONTENT_STALE_DAYS", cls.content_stale_days),
            var_dir=Path(env("HELPLINE_VAR_DIR", "") or ROOT / "var"),
            backstop_dir=Path(env("HELPLINE_BACKSTOP_DIR", "") or ROOT / "models" / "backstop"),
            backstop_beside_bot=env("HELPLINE_BACKSTOP_BESIDE_BOT", "true").lower() in ("1", "true", "yes", "on"),
            log_level=env("LOG_LEVEL", cls.log_level).upper(),
        )
