"""The shipped model must not get worse on our held-out pages (floors in quality_floors.json)."""

import json

from .eval_gate import FLOORS, check, measure


def test_default_model_meets_the_pinned_floors_on_the_holdout_pages():
    pinned = json.loads(FLOORS.read_text())
    sha, figures = measure()
    problems = check(pinned, sha, figures)
    assert not problems, "; ".join(problems) + f" (figures: {figures})"


def test_gate_reports_a_floor_that_is_not_met():
    pinned = json.loads(FLOORS.read_text())
    sha, figures = measure()
    raised = {**pinned, "floors": {**pinned["floors"], "editorial_recall": 1.01}}
    assert check(raised, sha, figures) == [f"editorial_recall {figures['editorial_recall']:.4f} < floor 1.0100"]
    assert "data changed" in check({**pinned, "holdout_sha256": "0" * 64}, sha, figures)[0]
