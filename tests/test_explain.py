"""Explanations: the evidence behind each verdict agrees with the verdict itself."""

import json

import pytest

from detector.explain import explain

from .conftest import DATA


def test_every_non_blank_line_is_explained_with_its_own_verdict(tiny_detector):
    lines = ["Home", "", "The council approved the budget on Tuesday after a long debate.", "Share this article"]
    explained = explain(tiny_detector, lines)
    verdicts = tiny_detector.classify(lines)
    assert [e.line_no for e in explained] == [1, 3, 4]
    for e in explained:
        v = verdicts[e.line_no - 1]
        assert (e.text, e.label, e.score, e.keep) == (v.text, v.label, v.score, v.keep)


def test_the_pushes_of_a_line_name_its_own_words_or_shape(tiny_detector):
    line = "Use code SPRING20 for 20 % off at checkout."
    [e] = explain(tiny_detector, [line])
    names = [n for n, _ in e.toward_junk + e.toward_editorial]
    assert names
    words = {"use", "code", "spring00", "for", "00", "off", "at", "checkout"}
    for n in names:
        assert n.startswith(("shape:", "cue_", "<", "^")) or n.endswith(("$", ">")) or set(n.split()) <= words
    assert all(w > 0 for _, w in e.toward_junk + e.toward_editorial)


def test_neighbour_scores_are_the_neighbours_scores(tiny_detector):
    lines = ["Home", "News", "The council approved the budget on Tuesday after a long debate."]
    explained = explain(tiny_detector, lines)
    assert explained[0].neighbours[0] is None and explained[-1].neighbours[1] is None
    assert explained[1].neighbours == (explained[0].score, explained[2].score)


def test_explanations_serialise_to_json(tiny_detector):
    records = [e.to_record() for e in explain(tiny_detector, ["Home", "A paragraph of real text, long enough."])]
    assert json.loads(json.dumps(records)) == records


def test_explain_refuses_a_bare_string(tiny_detector):
    with pytest.raises(TypeError, match="list of str"):
        explain(tiny_detector, "Home\nNews")


def test_a_title_removed_for_the_headline_that_repeats_it_says_so(tiny_detector):
    page = (DATA / "pages" / "titled-page.txt").read_text(encoding="utf-8").splitlines()
    explained = explain(tiny_detector.configure(threshold=1.0), page)  # the model keeps every line
    assert [e.line_no for e in explained if e.note] == [1]
