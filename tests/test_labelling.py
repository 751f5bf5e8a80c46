"""Pre-labelled files: a person corrects them in an editor and trains on them as they are."""

from pathlib import Path

import pytest

from detector.dataset import UNSURE_MARK, parse_text_document
from detector.labelling import is_unsure, prelabel

from .conftest import DATA

ODD = DATA / "labelling" / "odd-lines.txt"


def _odd_lines() -> list[str]:
    return ODD.read_text(encoding="utf-8").split("\n")


def test_a_prelabelled_file_loads_back_to_the_same_lines_byte_for_byte(tiny_detector):
    lines = _odd_lines()
    out = prelabel(tiny_detector, lines, meta={"genre": "news", "lang": "en", "site": "harbour"})
    doc, problems = parse_text_document(Path("page.txt"), out.text.encode("utf-8"))
    assert problems == []
    assert doc.lines == [line for line in lines if line.strip()]
    assert doc.meta["site"] == "harbour"


def test_prelabelled_labels_are_the_models_verdicts(tiny_detector):
    lines = _odd_lines()
    out = prelabel(tiny_detector, lines)
    doc, _ = parse_text_document(Path("page.txt"), out.text.encode("utf-8"))
    verdicts = [v for v in tiny_detector.classify(lines) if v.label != "blank"]
    assert doc.labels == [v.label for v in verdicts]


def test_lines_near_the_threshold_are_marked_unsure(tiny_detector):
    lines = _odd_lines()
    out = prelabel(tiny_detector, lines, margin=0.3)
    verdicts = [v for v in tiny_detector.classify(lines) if v.label != "blank"]
    codes = [row.split(" ", 1)[0] for row in out.text.splitlines() if not row.startswith("#")]
    marked = [c.endswith(UNSURE_MARK) for c in codes]
    assert marked == [is_unsure(v.score, tiny_detector.threshold, 0.3) for v in verdicts]
    assert out.unsure == sum(marked)
    assert prelabel(tiny_detector, lines, margin=0.0).unsure == 0


def test_prelabel_refuses_a_bare_string(tiny_detector):
    with pytest.raises(TypeError, match="list of str"):
        prelabel(tiny_detector, "Home\nNews")
