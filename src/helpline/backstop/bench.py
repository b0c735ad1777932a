"""`make bench-backstop` (`helpline bench-backstop`): the backstop reader's cost on one core.

Loads the trained reader (models/backstop), reads the evaluation set's messages over and over
for a few seconds, pinned to one CPU, and prints the load time, messages per second and the
memory the reader adds to the gateway process. A benchmark that prints figures, not a test.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

from ..config import ROOT, Settings
from .reading import BackstopReader

MESSAGES = ROOT / "tests" / "data" / "eval.tsv"


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc; 0 where there is none)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(seconds: float = 5.0, path: Path = MESSAGES, directory: Path | None = None) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    before = resident_mb()
    started = time.perf_counter()
    reader = BackstopReader.load(directory or Settings.from_env().backstop_dir)
    if reader is None:
        raise SystemExit("no trained backstop reader: run `make backstop` first")
    load_seconds = time.perf_counter() - started
    reader.read(texts[0])
    added = resident_mb() - before
    count, busy = 0, 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        round_start = time.perf_counter()
        for text in texts:
            reader.read(text)
        busy += time.perf_counter() - round_start
        count += len(texts)
    print(f"backstop reader on one core: {len(texts)} messages, {count // len(texts)} rounds "
          f"({reader.model.meta.get('examples')} examples, {len(reader.model.classes)} intents)")
    print(f"  loaded in {load_seconds:.2f} s, adding about {added:.0f} MB to the process")
    print(f"  {count / busy:,.0f} messages per second, {busy / count * 1e6:,.0f} µs per message")
