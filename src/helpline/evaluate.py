"""`make eval` (`helpline eval FILE`): the triage measured on the real pipeline.

Each line of a labelled TSV (text, expected level, expected topic) goes through the running
service's chat protocol in a fresh conversation, exactly as a young person's message would.
What the service did is read from the frames: the level from the queue status (no escalation
reads as GREEN), the topics from the answers (a RED message may get the safety message and
then the bot's signposting; the right topic among them counts). With --bot-down the gateway runs
without Rasa: what the screen and the backstop reader do alone.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import uuid
from collections import Counter
from pathlib import Path

import aiohttp

from .config import Settings
from .safety import levels
from .stack import running_or_own

QUIET_SECONDS = 0.4  # after the bot's answer, no more frames for this long: the turn is over
CONCURRENCY = 4
SMALL_TALK = {"greet", "goodbye", "thanks", "affirm", "deny", "ask_for_person", "bot_challenge", "what_is_this",
              "out_of_scope", "insult"}


@dataclasses.dataclass
class Case:
    text: str
    level: str
    topic: str
    got_level: str = "GREEN"
    got_topics: list[str] = dataclasses.field(default_factory=list)
    maybe_topics: list[str] = dataclasses.field(default_factory=list)  # offered as a second topic
    escalated: bool = False


def load(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Case(text=row["text"], level=row["level"], topic=row["topic"]) for row in rows]


async def run_case(session: aiohttp.ClientSession, url: str, case: Case) -> None:
    async with session.ws_connect(f"{url}/chat/ws") as ws:
        await ws.send_json({"type": "hello", "v": 1})
        while (await ws.receive_json(timeout=30))["type"] != "welcome":
            pass
        await ws.send_json({"type": "message", "client_id": uuid.uuid4().hex, "text": case.text})
        answered = False
        while True:
            try:
                frame = await ws.receive_json(timeout=QUIET_SECONDS if answered else 30)
            except asyncio.TimeoutError:
                break
            if frame["type"] == "bot":
                answered = True
                topics = case.maybe_topics if frame.get("maybe") else case.got_topics
                topics.extend(t for t in frame.get("topics") or [] if t not in topics)
            elif frame["type"] == "status" and frame["state"] == "queued":
                case.escalated = True
                case.got_level = levels.highest(case.got_level, frame.get("level") or "GREEN")


async def run_all(url: str, cases: list[Case]) -> None:
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(case: Case) -> None:
        async with limit:
            await run_case(session, url, case)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(case) for case in cases))


def expected_answer_topic(case: Case) -> str:
    """The content topic that should answer the case (RED intents are answered by `crisis`)."""
    meaning = levels.intents().get(case.topic)
    return meaning.topic if meaning else case.topic


def right_topic(case: Case, maybe_too: bool = True) -> bool:
    return expected_answer_topic(case) in case.got_topics + (case.maybe_topics if maybe_too else [])


def report(cases: list[Case]) -> str:
    def share(hits: int, total: int) -> str:
        return f"{hits / total:.3f} ({hits}/{total})" if total else "n/a"

    red = [c for c in cases if c.level == "RED"]
    danger = [c for c in cases if c.level in ("RED", "AMBER")]
    green = [c for c in cases if c.level == "GREEN" and c.topic != "ask_for_person"]
    signposted = [c for c in cases if c.topic not in SMALL_TALK]
    lines = [
        f"cases: {len(cases)} (RED {len(red)}, AMBER {len(danger) - len(red)}, GREEN and small talk "
        f"{len(cases) - len(danger)})",
        f"RED recall (read as RED):                  {share(sum(c.got_level == 'RED' for c in red), len(red))}",
        f"RED+AMBER recall (read as RED or AMBER):   "
        f"{share(sum(c.got_level in ('RED', 'AMBER') for c in danger), len(danger))}",
        f"false escalations, GREEN and small talk:   {share(sum(c.escalated for c in green), len(green))}"
        "  (asking for a person excluded)",
        f"signposting accuracy (right topic among the answers): "
        f"{share(sum(right_topic(c) for c in signposted), len(signposted))}",
        f"  of which right only as a second topic (a maybe):  "
        f"{sum(right_topic(c) and not right_topic(c, maybe_too=False) for c in signposted)}"
        f"  (a maybe was sent for {sum(bool(c.maybe_topics) for c in cases)} lines)",
        "",
        "level confusions (expected -> read):",
    ]
    for (expected, got), count in sorted(Counter((c.level, c.got_level) for c in cases).items()):
        lines.append(f"  {expected:>5} -> {got:<5} {count}")
    lines.append("")
    lines.append("missed RED and AMBER (expected level, topic -> read level, topic: text):")
    for c in danger:
        if levels.rank(c.got_level) < levels.rank(c.level):
            lines.append(f"  {c.level} {c.topic} -> {c.got_level} {','.join(c.got_topics) or '-'}: {c.text}")
    lines.append("")
    lines.append("false escalations (GREEN topic -> read level: text):")
    for c in green:
        if c.escalated:
            lines.append(f"  {c.topic} -> {c.got_level}: {c.text}")
    lines.append("")
    lines.append("topic confusions (expected -> answered, count):")
    wrong = Counter((expected_answer_topic(c), ",".join(c.got_topics + c.maybe_topics) or "-") for c in signposted
                    if not right_topic(c))
    for (expected, got), count in wrong.most_common(25):
        lines.append(f"  {expected} -> {got}: {count}")
    return "\n".join(lines)


def main(path: Path, settings: Settings | None = None, bot: bool = True) -> None:
    cases = load(path)
    with running_or_own(settings or Settings.from_env(), bot=bot) as (gateway_url, _):
        asyncio.run(run_all(gateway_url, cases))
    print(report(cases))
