"""Contact details never reach Rasa: each kind is replaced by its placeholder."""

from __future__ import annotations

import pytest

from helpline.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 07700 900123", "call me on [PHONE]"),
        ("my number is +44 7700 900 123 ok", "my number is [PHONE] ok"),
        ("ring (0151) 606 2008", "ring [PHONE]"),
        ("email sam.smith@example.com pls", "email [EMAIL] pls"),
        ("i live at 12 Acacia Avenue, CH41 5AL", "i live at [ADDRESS], [POSTCODE]"),
        ("my postcode is ch41 5al", "my postcode is [POSTCODE]"),
        ("add me @sam_x on snap", "add me [HANDLE] on snap"),
        ("look at https://example.com/me?x=1", "look at [URL]"),
        ("my insta is www.instagram.com/someone", "my insta is [URL]"),
        ("go to example.co.uk", "go to [URL]"),
    ],
)
def test_contact_details_become_placeholders(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    ["i took 20 pills", "im 14 and in year 9", "i feel bad.sad", "kms", "it happened at 3pm on 12 may", "hi"],
)
def test_ordinary_words_and_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_a_run_of_punctuation_is_cut_short_and_contact_details_still_go() -> None:
    # spaCy's tokenizer is quadratic in a run of punctuation with no space (1.7 s for 2,000
    # characters, on the event loop): the run is cut to eight before it is tokenised.
    text = "!?.,;:)(" * 250 + " ring me on 07700 900123 or mail me@example.com"
    assert redact(text) == "!?.,;:)( ring me on [PHONE] or mail [EMAIL]"
