"""Forum threads: the page classifier learned from our pages' genre, and the operating point it picks."""

import copy

import numpy as np
import pytest

from detector import Detector, load_dataset
from detector.forums import ForumPages
from detector.model import featurize
from detector.training import _groups

from .conftest import DATA, REPO

THREAD = DATA / "golden" / "forum-thread.txt"
EXAMPLE_PAGE = DATA / "pages" / "example-page.txt"
LATE_REPLY = "Found a few larvae on the lowest branches, thanks. Picked them off and will water tonight."


def _fit(pages):
    F = featurize([d.lines for d in pages])
    return ForumPages.fit(F.tokens, F.offsets, [d.genre for d in pages], _groups(pages))


@pytest.fixture(scope="module")
def thread():
    return load_dataset(THREAD)[0]


@pytest.fixture(scope="module")
def example_lines():
    return EXAMPLE_PAGE.read_text(encoding="utf-8").splitlines()


def test_the_page_classifier_learns_threads_from_the_pages_genre(thread, example_lines):
    docs = load_dataset(REPO / "training_data" / "docs")
    pages = [d for d in docs if d.genre == "forum"][:24] + [d for d in docs if d.genre != "forum"][::12]
    fitted, report = _fit(pages)
    assert fitted is not None and report["fitted"] and report["oof_auc"] > 0.8
    F = featurize([thread.lines, example_lines])
    p = fitted.probability(F.tokens, F.offsets)
    assert p[0] > p[1] and not fitted.flags(p)[1]
    assert report["forum_pages_flagged"] > report["other_pages_flagged"]


def test_too_few_forum_pages_fit_no_page_classifier(tiny_docs):
    fitted, report = _fit(tiny_docs)
    assert fitted is None and not report["fitted"] and report["forum_pages"] == 1 and "fewer than" in report["why"]


def test_the_default_model_judges_a_forum_thread_at_the_safe_preset(thread, example_lines):
    det = Detector.default()
    assert det.forum_threshold == max(det.threshold, det.presets["safe"]["threshold"]) > det.threshold
    assert det.page_thresholds([thread.lines, example_lines]) == [det.forum_threshold, det.threshold]


def test_a_thread_keeps_a_short_reply_that_the_article_operating_point_removes(thread):
    kept = {v.text for v in Detector.default().classify(thread.lines) if v.keep}
    without = {v.text for v in Detector.default().configure(forums=False).classify(thread.lines) if v.keep}
    assert LATE_REPLY in kept and LATE_REPLY not in without
    assert without < kept


@pytest.mark.parametrize(
    "settings",
    [{"threshold": 0.4}, {"preset": "strict"}, {"preset": "extracted"}, {"forums": False}],
    ids=["threshold", "strict", "extracted", "off"],
)
def test_a_chosen_operating_point_or_forums_off_judges_every_page_alike(settings, thread):
    det = Detector.default().configure(**settings)
    assert det.forum_threshold is None
    assert det.page_thresholds([thread.lines]) == [det.threshold]


def test_the_balanced_preset_named_keeps_the_forum_rule():
    assert Detector.default(preset="balanced").forum_threshold == Detector.default().forum_threshold


def test_a_model_without_a_page_classifier_judges_every_page_alike(thread):
    det = Detector.default()
    model = copy.copy(det._loaded.model)
    model.forum_pages_ = None  # as in a model saved before the page classifier was added
    plain = Detector.from_model(model, det.metadata)
    assert plain.forum_threshold is None
    scores = [v.score for v in plain.classify(thread.lines)]
    assert [v.keep for v in plain.classify(thread.lines)] == [
        v.keep for v in det.configure(forums=False).classify(thread.lines)
    ]
    assert np.allclose(scores, [v.score for v in det.classify(thread.lines)])


@pytest.mark.slow
def test_train_fits_the_page_classifier_when_enough_pages_carry_the_forum_genre(tiny_docs, monkeypatch):
    from detector import forums, training

    det, _ = training.train(tiny_docs, folds=2, jobs=1, quiet=True, n_folds=2, boost_iter=5)
    assert det.metadata["forum_pages"]["fitted"] is False and det.forum_threshold is None
    monkeypatch.setattr(forums, "MIN_PAGES", 1)
    det, _ = training.train(tiny_docs, folds=2, jobs=1, quiet=True, n_folds=2, boost_iter=5)
    assert det.metadata["forum_pages"]["fitted"] is True and det.forum_threshold is not None


def test_a_thread_read_in_several_windows_is_still_one_thread(thread, monkeypatch):
    from detector import classifier

    monkeypatch.setattr(classifier, "WINDOW_LINES", 16)
    monkeypatch.setattr(classifier, "WINDOW_OVERLAP", 4)
    det = Detector.default()
    assert len(classifier.windows(len(thread.lines) * 2, 16, 4)) > 1
    assert det.page_thresholds([thread.lines * 2, ["Home", "Contact"]]) == [det.forum_threshold, det.threshold]


def test_the_fast_page_probability_is_the_classifiers_own(thread, example_lines):
    from detector.forums import page_vectors

    pages = Detector.default()._loaded.model.forum_pages_
    F = featurize([thread.lines, example_lines, ["Home"], []])
    expected = pages.classifier.predict_proba(page_vectors(F.tokens, F.offsets))[:, 1]
    assert np.allclose(pages.probability(F.tokens, F.offsets), expected)
