"""`helpline screen-diff`: the labelled lines a lexicon change moves, and which way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from helpline.config import ROOT
from helpline.safety import compare
from helpline.safety.screen import SafetyScreen

LEXICON = {
    "categories": {"suicidal_thoughts": {"level": "AMBER", "phrases": ["sewerslide"]}},
    "cues": {"benign": {"phrases": ["killing me"]}},
}


def screen(tmp_path: Path, name: str, lexicon: dict) -> SafetyScreen:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(lexicon), encoding="utf-8")
    return SafetyScreen(path)


def test_a_change_lists_each_moved_line_and_which_way(tmp_path: Path) -> None:
    old = screen(tmp_path, "old", LEXICON)
    new = screen(tmp_path, "new", LEXICON | {"categories": {"suicidal_thoughts": {
        "level": "AMBER", "phrases": ["sewerslide", "unalive"]}}})
    lines = {"feeling sewerslide": "AMBER", "i want to unalive": "AMBER", "unalive is a silly word": "GREEN",
             "this is killing me": "GREEN"}
    changes = compare.compare(old, new, lines)
    assert [(c.text, c.old, c.new, c.towards_label) for c in changes] == [
        ("i want to unalive", "GREEN", "AMBER", True), ("unalive is a silly word", "GREEN", "AMBER", False)]
    printed = compare.report(changes, len(lines)).splitlines()
    assert printed == ["+ AMBER: GREEN -> AMBER: i want to unalive", "- GREEN: GREEN -> AMBER: unalive is a silly word",
                       "4 labelled lines, 2 levels change, 1 towards their labels"]


def test_labelled_lines_are_the_sets_and_the_training_examples(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "a.tsv").write_text(
        "text\tlevel\ttopic\nIm  going to jump\tRED\tsuicide_plan\nhi\tGREEN\tgreet\n", encoding="utf-8")
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "x.yml").write_text(yaml.safe_dump({"nlu": [
        {"intent": "self_harm", "examples": "- i used to cut\n- im going to jump\n"},
        {"intent": "greet", "examples": "- hiya\n"}]}), encoding="utf-8")
    lines = compare.labelled_lines(tmp_path / "sets", tmp_path / "nlu")
    # a set's own label wins over a training example's; small talk is GREEN
    assert lines == {"im going to jump": "RED", "hi": "GREEN", "i used to cut": "AMBER", "hiya": "GREEN"}


def test_the_lexicon_before_is_read_from_git(tmp_path: Path) -> None:
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    path = compare.committed_lexicon("HEAD", tmp_path)
    committed = subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:data/safety/lexicon.yml"],
                               capture_output=True, text=True, check=True).stdout
    assert path.read_text(encoding="utf-8") == committed
    with pytest.raises(SystemExit, match="cannot read data/safety/lexicon.yml at no-such-revision"):
        compare.committed_lexicon("no-such-revision", tmp_path)
