"""The chat protocol's frame checks, one kind of bad frame at a time."""

from __future__ import annotations

import json

import pytest

from helpline.chat import protocol


def parse(frame: object) -> object:
    return protocol.parse(json.dumps(frame), max_chars=50)


def test_hello_with_and_without_resume() -> None:
    assert parse({"type": "hello", "v": 1}) == protocol.Hello(resume="")
    token = "a" * 43
    assert parse({"type": "hello", "v": 1, "resume": token}) == protocol.Hello(resume=token)


def test_message_text_is_trimmed_and_control_characters_removed() -> None:
    frame = parse({"type": "message", "client_id": "c-1", "text": "  hi\u0000 there\u200b\n "})
    assert frame == protocol.ClientMessage(client_id="c-1", text="hi there")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": "shout"}', "unknown_type"),
        ('{"text": "no type"}', "unknown_type"),
        ('{"type": "ping", "extra": 1}', "unknown_field"),
        ('{"type": "hello", "v": 2}', "bad_version"),
        ('{"type": "hello", "resume": "short"}', "bad_field"),
        ('{"type": "hello", "resume": 5}', "bad_field"),
        ('{"type": "message", "client_id": "", "text": "hi"}', "bad_field"),
        ('{"type": "message", "client_id": "has space", "text": "hi"}', "bad_field"),
        ('{"type": "message", "client_id": "c1", "text": 5}', "bad_field"),
        ('{"type": "message", "client_id": "c1", "text": " \\u0000 "}', "empty"),
        ('{"type": "message", "client_id": "c1", "text": "' + "x" * 51 + '"}', "too_large"),
        ('{"type": "message", "client_id": "c1", "text": "' + "x" * 20000 + '"}', "too_large"),
    ],
)
def test_bad_frames_get_a_stable_code(raw: str, code: str) -> None:
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse(raw, max_chars=50)
    assert caught.value.code == code
    assert caught.value.message


def test_errors_about_a_message_name_its_client_id() -> None:
    with pytest.raises(protocol.ProtocolError) as caught:
        parse({"type": "message", "client_id": "c9", "text": "x" * 60})
    assert protocol.error(caught.value)["client_id"] == "c9"


@pytest.mark.parametrize("raw", ['{"type": []}', '{"type": {}}', '{"type": null}', "[" * 100_000 + "]" * 100_000])
def test_frames_built_to_crash_the_parser_are_refused(raw: str) -> None:
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse(raw[: protocol.MAX_FRAME_BYTES - 1] if raw.startswith("[") else raw, max_chars=50)
    assert caught.value.code in ("unknown_type", "bad_json", "bad_frame")


def test_typing_is_a_frame_of_its_own_and_takes_no_fields() -> None:
    assert isinstance(protocol.parse('{"type": "typing"}', 2000), protocol.Typing)
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.parse('{"type": "typing", "text": "hi"}', 2000)
    assert refused.value.code == "unknown_field"


@pytest.mark.parametrize(("raw", "code"), [
    ('{"type": "take", "conversation": "' + "a" * 32 + '", "extra": 1}', "unknown_field"),
    ('{"type": "send", "conversation": "' + "a" * 32 + '", "client_id": "c1", "text": "   "}', "empty"),
    ('{"type": "send", "conversation": "' + "a" * 32 + '", "client_id": "c 1", "text": "hi"}', "bad_field"),
    ('{"type": "note", "conversation": "' + "a" * 32 + '", "text": "' + "x" * 4001 + '"}', "too_large"),
    ('{"type": "close", "conversation": "' + "a" * 32 + '", "outcome": 3}', "bad_field"),
    ("[]", "bad_frame"),
    ("  ", "empty"),
])
def test_console_frames_are_checked_like_the_chat_s(raw: str, code: str) -> None:
    from helpline.console import frames

    with pytest.raises(protocol.ProtocolError) as refused:
        frames.parse(raw, 2000)
    assert refused.value.code == code
