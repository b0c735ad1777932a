"""`helpline screen-diff`: what a lexicon change does, before it is committed.

Screens every labelled line the project has (the evaluation sets under their level, the bot's
training examples under their intent's level) with two lexicons, and prints each line whose
level differs, marked + when it moved towards its label and - when away, then a count. By
default the lexicon in the working tree is compared with the one committed at HEAD, so an
edit to data/safety/lexicon.yml can be read line by line before it goes in.
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..backstop import examples
from ..config import ROOT
from . import levels
from .screen import SafetyScreen

SETS_DIR = ROOT / "tests" / "data"
LEXICON = levels.SAFETY_DIR / "lexicon.yml"


def normalised(text: str) -> str:
    return " ".join(text.split()).lower()


def labelled_lines(sets_dir: Path = SETS_DIR, nlu_dir: Path = examples.NLU_DIR) -> dict[str, str]:
    """Every distinct labelled line (lower case, single spaces) with its level. A line in an
    evaluation set keeps the set's label; a training example takes its intent's level, GREEN
    for small talk."""
    lines: dict[str, str] = {}
    for path in sorted(sets_dir.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("text") and row.get("level") in levels.LEVELS:
                    lines.setdefault(normalised(row["text"]), row["level"])
    meanings = levels.intents()
    for text, intent in examples.read(nlu_dir):
        meaning = meanings.get(intent)
        lines.setdefault(normalised(text), (meaning.level if meaning else "") or "GREEN")
    return lines


@dataclass(frozen=True)
class Change:
    text: str
    label: str
    old: str
    new: str

    @property
    def towards_label(self) -> bool:
        label = levels.rank(self.label)
        return abs(levels.rank(self.new) - label) < abs(levels.rank(self.old) - label)


def compare(old: SafetyScreen, new: SafetyScreen, lines: Mapping[str, str]) -> list[Change]:
    changes = []
    for text, label in lines.items():
        before, after = old.screen(text).level, new.screen(text).level
        if before != after:
            changes.append(Change(text, label, before, after))
    return changes


def committed_lexicon(revision: str, directory: Path) -> Path:
    """The lexicon as committed at a git revision, written into directory."""
    relative = LEXICON.resolve().relative_to(ROOT)
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{relative.as_posix()}"],
                           capture_output=True, text=True, check=False)
    if shown.returncode != 0:
        raise SystemExit(f"screen-diff: cannot read {relative} at {revision}: {shown.stderr.strip()}")
    path = directory / "lexicon.yml"
    path.write_text(shown.stdout, encoding="utf-8")
    return path


def report(changes: list[Change], total: int) -> str:
    out = [f"{'+' if c.towards_label else '-'} {c.label}: {c.old} -> {c.new}: {c.text}" for c in changes]
    towards = sum(c.towards_label for c in changes)
    out.append(f"{total:,} labelled lines, {len(changes)} levels change, {towards} towards their labels")
    return "\n".join(out)


def main(old: Path | None = None, revision: str = "HEAD", new: Path = LEXICON) -> None:
    lines = labelled_lines()
    with tempfile.TemporaryDirectory() as scratch:
        old_screen = SafetyScreen(old or committed_lexicon(revision, Path(scratch)))
    print(report(compare(old_screen, SafetyScreen(new), lines), len(lines)))
