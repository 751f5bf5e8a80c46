"""Training helpers: short views cut from pages keep their labels and their page's fold group."""

import numpy as np
import pytest

from detector.features import N_SHAPE
from detector.model import _Linear, collapse_rows, featurize
from detector.training import SHORT_VIEW_MAX_LINES, _groups, short_views


def test_short_views_are_true_slices_of_their_pages(tiny_docs):
    views = short_views(tiny_docs)
    assert views, "every tiny page is long enough to cut a view from"
    by_source = {d.source: d for d in tiny_docs}
    for v in views:
        page = by_source[v.source.split("#")[0]]
        first, last = (int(x) for x in v.source.split("#")[1].split("-"))
        assert 1 <= len(v.lines) <= SHORT_VIEW_MAX_LINES
        assert v.lines == page.lines[first - 1 : last]
        assert v.labels == page.labels[first - 1 : last]


def test_short_views_are_deterministic_and_share_their_page_group(tiny_docs):
    assert short_views(tiny_docs) == short_views(tiny_docs)
    views = short_views(tiny_docs)
    groups = _groups(list(tiny_docs) + views)
    index = {d.source: g for d, g in zip(tiny_docs, groups)}
    for v, g in zip(views, groups[len(tiny_docs) :]):
        assert g == index[v.source.split("#")[0]]


@pytest.mark.slow
def test_train_fits_the_final_model_on_pages_and_their_short_views(tiny_docs, monkeypatch):
    from detector import training
    from detector.model import LineModel

    seen: list[int] = []
    original = LineModel.fit_features

    def spy(self, F, *args, **kwargs):
        seen.append(len(F.offsets) - 1)
        return original(self, F, *args, **kwargs)

    monkeypatch.setattr(LineModel, "fit_features", spy)
    det, report = training.train(tiny_docs, folds=2, jobs=1, quiet=True, n_folds=2, boost_iter=5)
    assert max(seen) == len(tiny_docs) + len(short_views(tiny_docs))  # the final fit: every page and view
    assert 0.0 <= det.threshold <= 1.0 and report["overall"]["lines"] == sum(len(d.lines) for d in tiny_docs)


@pytest.mark.slow
def test_cross_validation_featurises_each_document_once(tiny_docs, monkeypatch):
    from detector import model, training

    calls: list[int] = []
    original = model.featurize

    def spy(docs, *args, **kwargs):
        calls.append(len(docs))
        return original(docs, *args, **kwargs)

    monkeypatch.setattr(training, "featurize", spy)
    training.train(tiny_docs, folds=2, jobs=1, quiet=True, n_folds=2, boost_iter=5)
    assert calls == [len(tiny_docs) + len(short_views(tiny_docs))]


@pytest.mark.slow
def test_a_line_bank_trains_the_lexical_view_only(tiny_docs):
    from detector import training
    from detector.dataset import Document

    bank = [
        Document(
            ["Use code SAVE20 for 20 % off today!", "Preheat the oven to 200 °C."], ["promotional", "editorial"], "bank"
        )
    ]
    data = training.TrainingSet.build(tiny_docs, bank)
    assert data.bank is not None and data.bank.numeric.shape[0] == 2
    assert data.features.numeric.shape[0] == len(data.y)  # the bank is not a page


def test_jsonl_documents_group_by_their_site_or_alone(tmp_path):
    import json

    from detector import load_dataset

    rows = [
        {"lines": ["a", "b"], "labels": ["E", "B"], "site": "one"},
        {"lines": ["c", "d"], "labels": ["E", "B"], "site": "one"},
        {"lines": ["e", "f"], "labels": ["E", "B"]},
        {"lines": ["g", "h"], "labels": ["E", "B"]},
    ]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    groups = _groups(load_dataset(tmp_path)).tolist()
    assert groups[0] == groups[1]
    assert len({groups[0], groups[2], groups[3]}) == 3


@pytest.mark.slow
def test_training_on_top_of_a_base_corpus_weighs_and_reports_your_pages_apart(tiny_docs, monkeypatch):
    from detector import training
    from detector.corpus import Corpus
    from detector.model import LineModel

    base, yours = list(tiny_docs[:3]), list(tiny_docs[3:])
    weights: list = []
    original = LineModel.fit_features

    def spy(self, F, y, classes, groups=None, bank=None, y_bank=None, weight=None):
        weights.append((len(F.offsets) - 1, weight))
        return original(self, F, y, classes, groups, bank, y_bank, weight)

    monkeypatch.setattr(LineModel, "fit_features", spy)
    det, report = training.train(
        yours, base=Corpus(base, []), weight=3.0, folds=2, jobs=1, quiet=True, n_folds=2, boost_iter=5
    )
    n_docs, final = max(weights, key=lambda x: x[0])
    your_lines = sum(len(d.lines) for d in yours)
    base_lines = sum(len(d.lines) for d in base)
    assert final is not None and set(final[:base_lines].tolist()) == {1.0}
    assert set(final[base_lines : base_lines + your_lines].tolist()) == {3.0}
    assert report["yours"]["lines"] == your_lines
    assert det.metadata["default_corpus"]["your_pages"] == len(yours)


def test_repeated_lexical_rows_are_fitted_once_with_their_count():
    lines = ["Home", "Home", "Subscribe now", "A long paragraph of the article, ending here.", "Home", "Subscribe now"]
    y = np.asarray([1, 1, 2, 0, 2, 2])  # one "Home" carries another label: it stays a row of its own
    F = featurize([[line] for line in lines])
    sparse, dense, y2, w, copies = collapse_rows([F.tokens], F.numeric[:, :N_SHAPE], y, None)
    assert sorted(zip(y2.tolist(), copies.tolist())) == [(0, 1.0), (1, 2.0), (2, 1.0), (2, 2.0)]
    assert w is None and sparse[0].shape[0] == dense.shape[0] == 4
    full = _Linear(1.0, 0, 500).fit([F.tokens], F.numeric[:, :N_SHAPE], y, 3)
    merged = _Linear(1.0, 0, 500).fit(sparse, dense, y2, 3, None, copies)
    np.testing.assert_allclose(
        merged.proba([F.tokens], F.numeric[:, :N_SHAPE]), full.proba([F.tokens], F.numeric[:, :N_SHAPE]), atol=1e-3
    )
