"""The evaluation sets are honest: labelled with levels and topics the service knows, large
enough, and the blind ones have none of their messages in the training data; the sets trained
on since session 7 are in it under their labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from helpline.config import ROOT
from helpline.safety import levels

SMALL_TALK = {"greet", "goodbye", "thanks", "affirm", "deny", "ask_for_person", "bot_challenge", "what_is_this",
              "out_of_scope", "insult"}


def training_labels() -> dict[str, set[str]]:
    """Every training example (lower case, single spaces) with the intents it is an example of."""
    labelled: dict[str, set[str]] = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.startswith("- "):
                    labelled.setdefault(" ".join(line[2:].split()).lower(), set()).add(block["intent"])
    return labelled


def training_examples() -> set[str]:
    return set(training_labels())


# Blind: none of their lines may be in the training data. eval.tsv is the development set the
# issue asks to keep out of training; holdout151 to holdout155 are session 14's last sets,
# measured blind on its final state (the bot trained to holdout150) and not trained on;
# holdout156 to holdout160 were written at its end and not yet run, for the next session.
BLIND = [("eval.tsv", 300)] + [(f"holdout{n}.tsv", 225) for n in range(151, 161)]
# Measured blind in their time, then read; their lines are training examples (holdout to
# holdout20 from session 7, holdout21 to holdout35 from session 8, holdout36 to holdout50 from
# session 9, holdout51 to holdout70 from session 10, holdout71 to holdout85 from session 11,
# holdout86 to holdout110 from session 12, holdout111 to holdout125 from session 13, holdout126
# to holdout150 from session 14; data/nlu,
# docs/triage.md).
# Kept as the record their figures were measured on.
def trained_on_minimum(n: int) -> int:
    """holdout{n}'s size when measured, rounded down: deduplication left some sets shorter."""
    if n == 4:
        return 220
    if n in (12, 15) or 25 < n < 46:
        return 230
    return 225 if n > 45 else 240


TRAINED_ON = [("holdout.tsv", 200), ("holdout2.tsv", 200), ("holdout3.tsv", 200)] + [
    (f"holdout{n}.tsv", trained_on_minimum(n)) for n in range(4, 151)]


def read_set(name: str) -> list[dict[str, str]]:
    path: Path = ROOT / "tests" / "data" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def check_labels(rows: list[dict[str, str]], minimum: int) -> list[str]:
    """Large enough, every line labelled with a level and topic the service knows, no line twice."""
    assert len(rows) >= minimum
    meanings = levels.intents()
    for row in rows:
        expected = "GREEN" if row["topic"] in SMALL_TALK else meanings[row["topic"]].level
        assert row["level"] == expected, row
    texts = [row["text"].strip().lower() for row in rows]
    assert len(set(texts)) == len(texts), "duplicate lines"
    assert {row["level"] for row in rows} == {"RED", "AMBER", "GREEN"}
    return texts


@pytest.mark.parametrize(("name", "minimum"), BLIND)
def test_a_blind_set_is_large_labelled_and_unseen(name: str, minimum: int) -> None:
    texts = check_labels(read_set(name), minimum)
    assert not set(texts) & training_examples(), "evaluation lines found in the training data"


@pytest.mark.parametrize(("name", "minimum"), TRAINED_ON)
def test_a_set_trained_on_is_labelled_and_in_the_training_data_under_its_label(name: str, minimum: int) -> None:
    rows = read_set(name)
    check_labels(rows, minimum)
    labelled = training_labels()
    blind = {" ".join(row["text"].split()).lower() for blind_set, _ in BLIND for row in read_set(blind_set)}
    for row in rows:
        text = " ".join(row["text"].split()).lower()
        if text in blind:
            continue  # a line some blind set has too ("can i talk to a real person") stays out of training
        assert text in labelled, f"not in data/nlu: {row['text']}"
        # Lines that were training examples before session 7 keep their original intent.
        assert row["topic"] in labelled[text], (row, labelled[text])
