"""`make bench-screen` (`helpline bench-screen`): the safety screen's throughput on one core.

Screens the evaluation set's messages (young people's words, short and long) over and over for
a few seconds, pinned to one CPU, and prints messages per second. A benchmark that prints
figures, not a test.
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from pathlib import Path

from ..config import ROOT
from .screen import SafetyScreen

MESSAGES = ROOT / "tests" / "data" / "eval.tsv"


def main(seconds: float = 5.0, path: Path = MESSAGES) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    started = time.perf_counter()
    screen = SafetyScreen()
    load_seconds = time.perf_counter() - started
    rounds, count, per_round = 0, 0, []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        round_start = time.perf_counter()
        for text in texts:
            screen.screen(text)
        per_round.append(time.perf_counter() - round_start)
        rounds += 1
        count += len(texts)
    total = sum(per_round)
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"safety screen on one core: {len(texts)} messages (mean {mean_chars:.0f} characters), {rounds} rounds")
    print(f"  built in {load_seconds:.2f} s")
    print(f"  {count / total:,.0f} messages per second, {total / count * 1e6:,.0f} µs per message")
