"""The bot's possible-danger readings (actions/risk.py): one intent close behind the top guess,
or doubt spread over several danger intents, raises the level; faint readings do not."""

from __future__ import annotations

import pytest

from actions import risk


def ranked(tracker, *ranking: tuple[str, float]):
    made = tracker(ranking[0][0])
    made.latest_message["intent_ranking"] = [{"name": name, "confidence": c} for name, c in ranking]
    return made


@pytest.mark.parametrize(("ranking", "expected"), [
    # one intent close behind
    ((("sleep", 0.41), ("overdose", 0.33)), ("RED", "overdose")),
    ((("bullying", 0.6), ("abuse", 0.3)), ("AMBER", "abuse")),
    # doubt spread over several RED intents: together a quarter
    ((("family", 0.4), ("hurt_now", 0.15), ("sexual_abuse_now", 0.12)), ("RED", "hurt_now")),
    # the best RED intent names it, whatever the order it came in
    ((("family", 0.4), ("runaway_unsafe", 0.1), ("hurt_now", 0.16)), ("RED", "hurt_now")),
    # doubt spread over danger: RED and AMBER together half
    ((("family", 0.45), ("abuse", 0.2), ("domestic_abuse", 0.2), ("neglect", 0.12)), ("AMBER", "abuse")),
    ((("family", 0.45), ("abuse", 0.29), ("hurt_now", 0.21)), ("AMBER", "abuse")),
    # faint readings
    ((("family", 0.6), ("abuse", 0.2), ("neglect", 0.1)), ("", "")),
    ((("family", 0.65), ("abuse", 0.28)), ("", "")),
    ((("family", 0.7), ("hurt_now", 0.2)), ("", "")),
    ((("family", 0.9),), ("", "")),
])
def test_possible_danger(tracker, ranking, expected) -> None:
    assert risk.possible_danger(ranked(tracker, *ranking)) == expected


def test_above_one_the_whole_rule_is_off(tracker, monkeypatch) -> None:
    monkeypatch.setenv("HELPLINE_POSSIBLE_DANGER_CONFIDENCE", "2")
    spread = ranked(tracker, ("family", 0.3), ("hurt_now", 0.2), ("overdose", 0.2), ("abuse", 0.2))
    assert risk.possible_danger(spread) == ("", "")


def test_a_malformed_setting_keeps_the_default(monkeypatch) -> None:
    monkeypatch.setenv("HELPLINE_POSSIBLE_DANGER_CONFIDENCE", "high")
    assert risk.possible_danger_confidence() == risk.DEFAULT_POSSIBLE_DANGER_CONFIDENCE
