"""The safety screen on young people's own words: every change to data/safety/lexicon.yml
adds a line here. Recall on danger comes first; the idioms check it does not cry wolf."""

from __future__ import annotations

import pytest

from helpline.safety.levels import highest
from helpline.safety.screen import default_screen


@pytest.mark.parametrize(
    "text",
    [
        "im going to kill myself tonight",
        "kms tonight fr",
        "i'm gonna kill my self after school",
        "ive written my note",
        "got the rope ready",
        "standing on the bridge",
        "i've said my goodbyes",
        "i took all my mums tablets",
        "took 20 paracetamol an hour ago",
        "i od'd",
        "swallowed a whole packet of pills",
        "im cutting rn",
        "i cut too deep and it wont stop bleeding",
        "cut myself again and theres so much blood",
        "my dad is hitting me right now",
        "hes about to come upstairs and batter me",
        "hes touching me and i cant stop him",
        "ive run away and im sleeping in a park",
        "i left home last night and im at the bus station",
        "im killing myself on saturday",
        "killin myself 2nite",
        "tomorrow im going back to the bridge",
        "i said no but hes forcing himself on me",
        "they said theyre going to stab me after school",
        "just cut and its dripping",
    ],
)
def test_danger_now_is_red(text: str) -> None:
    result = default_screen().screen(text)
    assert result.level == "RED", result.explain()
    assert result.findings and all(f.phrase for f in result.findings)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i think about killing myself sometimes", "suicidal_thoughts"),
        ("kms", "suicidal_thoughts"),
        ("i want to unalive myself", "suicidal_thoughts"),
        ("feeling sewerslide", "suicidal_thoughts"),
        ("sometimes i wish i wasnt here", "suicidal_thoughts"),
        ("i used to cut", "self_harm"),
        ("i sh when im stressed", "self_harm"),
        ("my dad hits me when hes drunk", "abuse"),
        ("my dad hits my mum", "domestic_abuse"),
        ("someone online wants me to send nudes", "online_safety"),
        ("a guy says hell share my pics unless i pay", "online_safety"),
        ("im being made to sell drugs for some older lads", "exploitation"),
        ("they make me hold stuff in my bag", "exploitation"),
        ("there's never any food in the house", "neglect"),
        ("i keep running away from home", "going_missing"),
        ("my mate says shes going to kill herself", "worried_about_friend"),
    ],
)
def test_safeguarding_concerns_are_at_least_amber_and_say_why(text: str, category: str) -> None:
    result = default_screen().screen(text)
    assert result.level in ("AMBER", "RED"), result.explain()
    assert category in result.categories, result.explain()


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "this homework is killing me",
        "my mum is gonna kill me if i fail",
        "i'd die for a pizza rn",
        "i want to die of embarrassment lol",
        "my phone died",
        "im dead bored",
        "exams are murder",
        "i hurt my ankle and took two paracetamol",
        "i got my hair cut and hate it",
        "we need to cut back on spending",
        "they kicked me out of the group chat",
        "i cant go on the school trip",
        "my exams are stressing me out",
        "my teacher is gonna kill me cos my coursework is late",
        "i think i need to cut my losses with that friendship",
        "our dog got hit by a car last week",
        "my uncle died of an overdose years ago and i still miss him",
        "someone made a burner account to slate me",
    ],
)
def test_idioms_and_everyday_worries_are_green(text: str) -> None:
    result = default_screen().screen(text)
    assert result.level == "GREEN", result.explain()
    assert result.findings == []


def test_a_finding_names_the_words_that_matched() -> None:
    result = default_screen().screen("honestly i might just take all my pills tonight")
    assert result.level == "RED"
    assert {"category": "overdose", "phrase": "take all my pills", "level": "RED"} in result.explain()
    assert result.top_category == "overdose"


def test_nothing_downgrades_a_red() -> None:
    assert highest("RED", "GREEN") == "RED"
    assert highest("GREEN", "AMBER", "") == "AMBER"
    assert highest("", "") == ""
