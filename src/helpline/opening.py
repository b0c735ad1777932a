"""Whether call handlers are on duty: opening hours and bank holidays are configuration."""

from __future__ import annotations

import datetime as dt

from .config import Settings
from .content import hours


class OpeningError(SystemExit):
    pass


def check(settings: Settings) -> None:
    """Refuse to start with opening hours or bank holidays that do not parse."""
    try:
        hours.parse(settings.opening_hours)
        for day in settings.bank_holidays:
            dt.date.fromisoformat(day)
    except (hours.HoursError, ValueError) as exc:
        raise OpeningError(f"HELPLINE_OPENING_HOURS or HELPLINE_BANK_HOLIDAYS: {exc}") from None


def on_duty(settings: Settings, now: dt.datetime | None = None) -> bool:
    now = (now or dt.datetime.now(hours.LONDON)).astimezone(hours.LONDON)
    if now.date().isoformat() in settings.bank_holidays:
        return False
    return hours.is_open(settings.opening_hours, now)
