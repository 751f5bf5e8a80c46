"""Training with grouped cross-validation, a threshold chosen for editorial recall, provenance.

Documents of one site share their chrome, so folds are grouped by site (by document where a
document names no site): the reported figures are those of pages from sites never seen.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from .classifier import Detector
from .dataset import EDITORIAL, Document, dataset_labels, dataset_sha256
from .evaluation import evaluate_predictions, threshold_for_recall
from .model import LineModel
from .progress import progress

CV_FOLDS = 5
TARGET_EDITORIAL_RECALL = 0.985


SHORT_VIEWS_PER_PAGE = 2
SHORT_VIEW_MAX_LINES = 6


def short_views(docs: Sequence[Document], seed: int = 0) -> list[Document]:
    """A few short runs of lines cut from each page, as extra training documents.

    Pipelines also hand over short texts (a JSONL record of three paragraphs, a single line);
    pages never end after two lines, so a model trained on pages alone calls such text junk.
    Each run keeps its true labels and its page's site (it stays in the page's fold).
    """
    rng = np.random.default_rng(seed)
    out: list[Document] = []
    for d in docs:
        n = len(d.lines)
        for _ in range(SHORT_VIEWS_PER_PAGE):
            length = int(rng.integers(1, SHORT_VIEW_MAX_LINES + 1))
            if n <= length:
                continue
            a = int(rng.integers(0, n - length + 1))
            out.append(
                replace(
                    d,
                    lines=d.lines[a : a + length],
                    labels=d.labels[a : a + length],
                    source=f"{d.source}#{a + 1}-{a + length}",
                )
            )
    return out


def _training_set(docs: Sequence[Document]) -> list[Document]:
    return list(docs) + short_views(docs)


def _groups(docs: Sequence[Document]) -> np.ndarray:
    names = [d.meta.get("site") or d.source.split("#")[0] for d in docs]
    lookup = {n: i for i, n in enumerate(dict.fromkeys(names))}
    return np.asarray([lookup[n] for n in names])


def cross_validated_scores(
    docs: Sequence[Document], labels: Sequence[str], *, folds: int = CV_FOLDS, quiet: bool = False, **params: Any
) -> list[np.ndarray]:
    """Out-of-fold probabilities per document (lines x labels), grouped by site."""
    groups = _groups(docs)
    n_folds = min(folds, len(set(groups.tolist())))
    if n_folds < 2:
        raise ValueError("cross-validation needs documents from at least two sites")
    out: list[np.ndarray] = [np.zeros((0, 0))] * len(docs)
    with progress("cross-validating", n_folds, quiet=quiet) as advance:
        for train_idx, test_idx in GroupKFold(n_splits=n_folds).split(np.zeros(len(docs)), groups=groups):
            train_docs = _training_set([docs[i] for i in train_idx])
            model = LineModel(**{"n_folds": 3, **params}).fit(
                [d.lines for d in train_docs],
                [d.labels for d in train_docs],
                classes=labels,
                groups=_groups(train_docs),
            )
            proba = model.predict_proba([docs[i].lines for i in test_idx])
            start = 0
            for i in test_idx:
                n = len(docs[i].lines)
                out[i] = proba[start : start + n]
                start += n
            advance(1)
    return out


def report_at(
    docs: Sequence[Document], probas: Sequence[np.ndarray], labels: Sequence[str], threshold: float
) -> dict[str, Any]:
    """Evaluation figures of per-document probabilities at ``threshold``."""
    other = list(range(1, len(labels)))
    predicted, kept = [], []
    for p in probas:
        score = 1.0 - p[:, 0]
        alt = np.asarray(other)[np.argmax(p[:, other], axis=1)]
        lab = [EDITORIAL if s < threshold else labels[a] for s, a in zip(score, alt)]
        predicted.append(lab)
        kept.append([x == EDITORIAL for x in lab])
    return evaluate_predictions(docs, predicted, kept, labels)


def train(
    docs: Sequence[Document],
    *,
    folds: int = CV_FOLDS,
    target_recall: float = TARGET_EDITORIAL_RECALL,
    quiet: bool = False,
    **params: Any,
) -> tuple[Detector, dict[str, Any]]:
    """Cross-validate, choose the threshold, fit on everything; return the detector and its report.

    The threshold is the smallest score threshold at which the cross-validated editorial line
    recall reaches ``target_recall``: recall first, then as much junk removed as that allows.
    """
    labels = dataset_labels(docs)
    probas = cross_validated_scores(docs, labels, folds=folds, quiet=quiet, **params)
    truth = np.concatenate([np.asarray([x == EDITORIAL for x in d.labels]) for d in docs])
    scores = np.concatenate([1.0 - p[:, 0] for p in probas])
    threshold = threshold_for_recall(truth, scores, target_recall)
    validation = report_at(docs, probas, labels, threshold)
    with progress("fitting the final model", 1, quiet=quiet) as advance:
        fit_docs = _training_set(docs)
        model = LineModel(**params).fit(
            [d.lines for d in fit_docs], [d.labels for d in fit_docs], classes=labels, groups=_groups(fit_docs)
        )
        advance(1)
    metadata = {
        "labels": labels,
        "threshold": threshold,
        "target_editorial_recall": target_recall,
        "training_data_sha256": dataset_sha256(docs),
        "training_documents": len(docs),
        "training_lines": int(sum(len(d.lines) for d in docs)),
        "validation": {
            "method": f"GroupKFold({folds}) by site",
            "overall": validation["overall"],
            "per_label": validation["per_label"],
        },
        "model_params": {
            k: getattr(model, k) for k in ("blocks", "C", "n_folds", "boost_iter", "learning_rate", "random_state")
        },
        "short_views_per_page": SHORT_VIEWS_PER_PAGE,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return Detector.from_model(model, metadata), validation


def evaluate_cv(
    docs: Sequence[Document],
    *,
    threshold: float | None = None,
    folds: int = CV_FOLDS,
    target_recall: float = TARGET_EDITORIAL_RECALL,
    quiet: bool = False,
) -> dict[str, Any]:
    """Grouped cross-validation figures of a fresh model on ``docs`` (per genre and language).

    Without ``threshold`` the threshold is chosen as :func:`train` would choose it.
    """
    labels = dataset_labels(docs)
    probas = cross_validated_scores(docs, labels, folds=folds, quiet=quiet)
    if threshold is None:
        truth = np.concatenate([np.asarray([x == EDITORIAL for x in d.labels]) for d in docs])
        threshold = threshold_for_recall(truth, np.concatenate([1.0 - p[:, 0] for p in probas]), target_recall)
    report = report_at(docs, probas, labels, threshold)
    report["threshold"] = threshold
    return report
