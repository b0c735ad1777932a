"""A dropped g is read as typed with it ("hittin" as "hitting"), a one-letter slip on a lexicon
word as that word ("knfie" as "knife"); words that are words stay."""

from __future__ import annotations

import pytest

from helpline.safety.screen import default_screen


@pytest.mark.parametrize(("typed", "read"), [
    ("hittin", "hitting"), ("comin", "coming"), ("touchin", "touching"), ("goin", "going"),
    ("missin", "missing"), ("bleedin", "bleeding"), ("nothin", "nothing"), ("takin", "taking"),
])
def test_a_dropped_g_is_restored(typed: str, read: str) -> None:
    assert default_screen().spelling.restore(typed) == read


@pytest.mark.parametrize("word", ["cousin", "train", "skin", "ruin", "again", "brain", "thin", "twin", "in",
                                  "coffin", "insulin", "hitting", "wait"])
def test_words_that_are_words_stay(word: str) -> None:
    assert default_screen().spelling.restore(word) == word


def test_danger_with_dropped_gs_is_read_and_quoted_as_typed() -> None:
    result = default_screen().screen("Dads hittin me rn wont stop")
    assert result.level == "RED", result.explain()
    assert any("hittin" in f.phrase for f in result.findings), result.explain()


def test_situations_read_dropped_gs_too() -> None:
    # held_until_i_do's words with two g's dropped, and the same words typed in full
    typed = "im at some mans house and hes not lettin me go home till i do stuff, hes comin back"
    assert default_screen().screen(typed).level == "RED"
    assert default_screen().screen(typed.replace("lettin", "letting").replace("comin", "coming")).level == "RED"


def test_an_everyday_message_with_dropped_gs_stays_green() -> None:
    assert default_screen().screen("goin to my cousins tonight, cant wait, were gettin a chippy").level == "GREEN"


@pytest.mark.parametrize(("typed", "read"), [
    ("knfie", "knife"), ("bleding", "bleeding"), ("paracetemol", "paracetamol"), ("lockked", "locked"),
    ("strangeled", "strangled"), ("hanigng", "hanging"), ("wrsits", "wrists"),
    ("overdosd", "overdosed"), ("touchd", "touched"),  # near "touch" too: one lemma, the longer word
    ("ambulence", "ambulance"),  # a lexicon word since session 13 ("how long does it take an ambulance to come")
])
def test_a_one_letter_slip_on_a_lexicon_word_is_mended(typed: str, read: str) -> None:
    assert default_screen().spelling.restore(typed) == read


@pytest.mark.parametrize("word", [
    "pils",  # four letters: too short to choose
    "abusve",  # one edit from "abuse" and from "abusive": two readings, none chosen
    "innit", "mandem", "tiktok", "libary", "skatebord",  # slang, names and slips on words the lexicon does not use
])
def test_a_slip_is_not_guessed(word: str) -> None:
    assert default_screen().spelling.restore(word) == word


@pytest.mark.parametrize("word", ["asexual", "trans", "honesty", "mardy"])
def test_real_words_the_lemma_table_lacks_are_not_slips(word: str) -> None:
    # one edit from "sexual", "trains", "honestly", "mandy": words, not slips
    assert default_screen().spelling.restore(word) == word


def test_asking_what_asexual_means_stays_green() -> None:
    result = default_screen().screen("what does asexual mean. think it might be me")
    assert result.level == "GREEN", result.explain()


def test_danger_typed_with_slips_is_read_and_quoted_as_typed() -> None:
    result = default_screen().screen("ive got a knfie in my room and im gonna use it tonite")
    assert result.level == "RED", result.explain()
    assert any("knfie" in f.phrase for f in result.findings), result.explain()


def test_an_everyday_message_with_slips_stays_green() -> None:
    assert default_screen().screen("realy stresed about my exams tomorow, evrything is going rong").level == "GREEN"
