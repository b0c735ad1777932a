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
        # indirect wording: goodbyes, giving things away, hoarded pills, threats in other words
        "i gave my ps4 and all my games away to my cousin cos i wont need them after friday",
        "wrote letters for my nan and my brother, they're under my bed. wont be here by morning",
        "got a belt round my neck and im ready",
        "been saving up my mums sleeping tablets in my sock drawer",
        "looked up how many paracetamol it takes",
        "i took the whole bottle",
        "necked a whole strip of my dads pills",
        "took like 20 of my mums sleeping pills about an hour ago",
        "had way too many of my antidepressants on purpose",
        "swallowed my brothers adhd meds all at once",
        "everything in the medicine cupboard, i took it",
        "theres lads outside the shop and they said theyll stab me when i come out",
        "hes shouting and says im next when he gets upstairs",
        "someone followed me off the bus and is still behind me",
        "my uncle comes in my room at night and hes here tonight",
        "i just cut and it keeps going",
        "it went deeper this time",
        "burnt myself with a lighter 5 mins ago and the skin has gone white",
        "the cuts from last week have gone red and theres pus",
        "been gone 2 days and im kipping in a stairwell",
        "climbed out my window and its 2am and some lads want me in their car",
        "sleeping under the flyover tonight",
        # the benign "overdosed on ..." idiom never covers medicines or caffeine
        "i overdosed on my mums tablets",
        "think i overdosed on caffeine pills my heart is racing",
        "od on my meds an hour ago",
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
        ("kms i look so ugly and i want to die", "suicidal_thoughts"),
        ("kms lol", "suicidal_thoughts"),
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
        ("sometimes i think about not being here anymore", "suicidal_thoughts"),
        ("if a car hit me i wouldnt even care", "suicidal_thoughts"),
        ("whats even the point in being alive", "suicidal_thoughts"),
        ("how do i hide my scars for swimming", "self_harm"),
        ("i scratch my arms till they bleed", "self_harm"),
        ("been clean 3 months but the urges are so bad", "self_harm"),
        ("i punch walls til my knuckles bruise", "self_harm"),
        ("i keep banging my head against the wall", "self_harm"),
        ("my grandad did stuff to me when i was little", "abuse"),
        ("he says its our secret", "abuse"),
        ("my stepmum threw a mug at me", "abuse"),
        ("he had my mum pinned up against the wall", "domestic_abuse"),
        ("my stepdad wont let her see her friends and controls all her money", "domestic_abuse"),
        ("my mum hasnt been home since friday", "neglect"),
        ("no gas or electric for a week", "neglect"),
        ("im 10 and they left me and my sister on our own all weekend", "neglect"),
        ("a man on roblox asked what colour underwear i have", "online_safety"),
        ("he keeps telling me im mature for my age and to delete our chats", "online_safety"),
        ("a lad asked me to hold a bag for him and hes threatened my family", "exploitation"),
        ("theres a guy in his 20s who picks me up after school", "exploitation"),
        ("i packed a bag and left", "going_missing"),
        ("been gone 3 days", "going_missing"),
        ("my best mate showed me the cuts on her arm", "worried_about_friend"),
        ("my friend posted goodbye on her story", "worried_about_friend"),
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
        # look-alikes of the indirect phrases: they stay GREEN
        "i hit my head on the door and its got a lump",
        "i punched the wall cos i was so angry",
        "its like banging my head against a brick wall with my maths teacher",
        "got kicked out the class group chat and they're laughing at me",
        "how do i tell my friend shes being a bit controlling",
        "my mate keeps following me on tiktok",
        "my cat has been gone 2 days",
        "i packed a bag for the sleepover",
        "i did my wrist in at football",
        "i bite my nails till they bleed",
        "i was sleeping in the car on the way to wales",
        "i took the tablets the doctor gave me",
        "i take a pill every morning for my asthma",
        "i took the whole box of chocolates to school",
        "i saved up for a sleeping bag",
        "ive cut and coloured my fringe",
        "its our secret santa",
        "i won't need my maths tutor after the exams",
        "gave my old clothes away to charity",
        "im scared to go home cos i got a detention",
        "my dad walked out on us when i was 5",
        # hyperbole: "overdosed on" something harmless, "kms" as embarrassment
        "overdosed on netflix all weekend and now i cant sleep",
        "i basically od'd on sweets at the party",
        "kms i look like a potato in my school photo",
        "kms how embarrassing, i called my teacher mum",
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
