"""The emojis the screen reads as words (helpline.safety.emoji): a means of harm, an injury or a
danger place, one by one or as a run; every other emoji and all other text left as typed."""

from __future__ import annotations

import pytest

from helpline.safety.emoji import as_words


@pytest.mark.parametrize(("typed", "read"), [
    ("took my 💊", "took my  pills "),
    ("💊💊💊💊💊💊 gone. bye", " loads of pills  gone. bye"),
    ("💊 💊 💊 all of them", " loads of pills  all of them"),
    ("🪢️ in my bag", " rope  in my bag"),
    ("on the 🌉 rn", "on the  bridge  rn"),
    ("🩸🩸 and 🪢", " blood  blood  and  rope "),
    ("🪢️🪢️🪢️ under my bed", " loads of rope  under my bed"),
])
def test_an_emoji_for_a_means_of_harm_is_read_as_its_word(typed: str, read: str) -> None:
    assert as_words(typed) == read


@pytest.mark.parametrize("typed", ["im dead 💀💀💀", "this party is 🔥", "my sister singing again 🔪🔪🔪",
                                   "had my jab 💉", "my nan 🥺", "no emojis here", ""])
def test_other_emojis_and_text_are_left_as_typed(typed: str) -> None:
    assert as_words(typed) == typed
