"""Contact details out of text before it reaches Rasa, a log or a figure.

Phone numbers, email addresses, UK postcodes, street addresses, web addresses and social
media handles become placeholders. The full text stays only in the conversation's transcript.
Deterministic rules: spaCy's tokenizer flags (like_email, like_url) and regular expressions.
"""

from __future__ import annotations

import functools
import re

import spacy

PLACEHOLDERS = {
    "email": "[EMAIL]",
    "url": "[URL]",
    "phone": "[PHONE]",
    "postcode": "[POSTCODE]",
    "address": "[ADDRESS]",
    "handle": "[HANDLE]",
}

# UK numbers as people type them: 07700 900123, +44 7700 900 123, (0151) 606 2008, 01516062008.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s\-)]{0,2}){9,10}(?!\w)")
# Full UK postcodes (CH41 5AL, ch415al) and outward codes followed by a sector digit.
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b")
_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|crescent|cres|grove|gardens|place|"
    "terrace|court|ct|square|walk|hill|park|mews|view|rise|row|parade|promenade|green"
)
# "12 Acacia Avenue", "flat 3, 14b Hamilton Square", "at 7 park rd"
_ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt)\s*\d{{1,4}}[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z'\-]+\s+){{1,3}}"
    rf"(?:{_STREET_WORDS})\b\.?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,30}\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# spaCy's like_url also takes "bad.sad"; a web address has a path or a known ending.
_WEB_ENDING = re.compile(r"\.(?:com|co\.uk|org\.uk|uk|org|net|io|me|app|tv|ly|gg|info|co)(?:/|$)", re.IGNORECASE)


# spaCy's tokenizer takes time quadratic in a run of punctuation with no space (2,000 such
# characters took 1.7 s, on the event loop); a run means nothing past a few characters and is
# never a contact detail.
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{8,}")


def cut_punctuation_runs(text: str) -> str:
    """Runs of eight or more punctuation marks or symbols cut to their first eight."""
    return _PUNCTUATION_RUN.sub(lambda run: run.group(0)[:8], text)


@functools.cache
def _tokenizer() -> spacy.tokenizer.Tokenizer:
    return spacy.blank("en").tokenizer


def warm_up() -> None:
    """Build the tokenizer at start-up rather than on the first young person's message."""
    _tokenizer()


def redact(text: str) -> str:
    """The text with contact details replaced by placeholders such as [PHONE]."""
    # Emails and web addresses first, by token, so their parts are not read as handles.
    pieces = []
    for token in _tokenizer()(cut_punctuation_runs(text)):
        if token.like_email:
            pieces.append(PLACEHOLDERS["email"] + token.whitespace_)
        elif token.like_url and ("/" in token.text or _WEB_ENDING.search(token.text)):
            pieces.append(PLACEHOLDERS["url"] + token.whitespace_)
        else:
            pieces.append(token.text_with_ws)
    text = "".join(pieces)
    text = _URL.sub(PLACEHOLDERS["url"], text)
    text = _HANDLE.sub(PLACEHOLDERS["handle"], text)
    text = _PHONE.sub(PLACEHOLDERS["phone"], text)
    text = _ADDRESS.sub(PLACEHOLDERS["address"], text)
    text = _POSTCODE.sub(PLACEHOLDERS["postcode"], text)
    return text
