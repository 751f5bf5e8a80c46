"""Training with grouped cross-validation, a threshold chosen for editorial recall, provenance.

Documents of one site share their chrome, so folds are grouped by site (by document where a
document names no site): the reported figures are those of pages from sites never seen.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from .classifier import Detector
from .corpus import Corpus
from .dataset import EDITORIAL, Document, dataset_labels, dataset_sha256
from .decision import decide
from .errors import DataError
from .evaluation import evaluate_predictions, threshold_for_char_recall, threshold_for_recall
from .forums import ForumPages
from .model import FeatureBatch, LineModel, featurize
from .progress import note, progress

CV_FOLDS = 5
TARGET_EDITORIAL_RECALL = 0.985


MODEL_PARAMS = (
    "blocks", "stage1", "stage1_words", "lexical", "affixes", "C", "lexical_C", "n_folds", "boost_iter", "learning_rate",
    "max_leaf_nodes", "max_iter", "random_state",
)  # fmt: skip
# ``detector train --small``: a model that trains in seconds, for trials and tests, not for use.
SMALL_MODEL: dict[str, Any] = {"n_folds": 2, "boost_iter": 20, "max_iter": 30}
SHORT_VIEWS_PER_PAGE = 2
SHORT_VIEW_MAX_LINES = 6


VIEW_OF = "view_of"  # a short view's page, whose fold it shares


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
                    meta={**d.meta, VIEW_OF: d.source},
                )
            )
    return out


SITES_NEEDED = "cross-validation needs documents from at least two sites (give them different '# site:')"


def _check_sites(docs: Sequence[Document]) -> None:
    """Fail before any featurising when cross-validation cannot split the documents."""
    if len(set(_groups(docs).tolist())) < 2:
        raise DataError([SITES_NEEDED])


def _groups(docs: Sequence[Document]) -> np.ndarray:
    """One cross-validation group per site; a document without a site is a group of its own."""
    names = [d.meta.get("site") or d.meta.get(VIEW_OF) or d.source for d in docs]
    lookup = {n: i for i, n in enumerate(dict.fromkeys(names))}
    return np.asarray([lookup[n] for n in names])


@dataclass(frozen=True)
class TrainingSet:
    """The pages, their short views and the line bank, featurised once.

    Features are per document by design (context never crosses a document boundary), so every
    cross-validation fold and the final fit slice this one batch instead of recomputing it.
    """

    pages: list[Document]
    features: FeatureBatch  # pages first, then their short views
    y: np.ndarray
    groups: np.ndarray  # one per document of ``features``
    labels: list[str]
    bank: FeatureBatch | None
    y_bank: np.ndarray
    weights: np.ndarray | None = None  # one per document of ``features``; None: all 1

    @classmethod
    def build(
        cls,
        pages: Sequence[Document],
        bank: Sequence[Document] = (),
        blocks: bool = True,
        affixes: bool = True,
        weights: Sequence[float] | None = None,
    ) -> TrainingSet:
        """Featurise ``pages``, their short views and the stand-alone lines of ``bank``;
        ``weights`` (one per page, shared by its short views) make some pages count more."""
        labels = dataset_labels([*pages, *bank])
        lookup = {c: i for i, c in enumerate(labels)}
        views = short_views(pages)
        docs = list(pages) + views
        doc_weights = None
        if weights is not None:
            by_source = {d.source: float(w) for d, w in zip(pages, weights)}
            doc_weights = np.asarray([*map(float, weights), *(by_source[v.meta[VIEW_OF]] for v in views)])
        y = np.asarray([lookup[x] for d in docs for x in d.labels], dtype=np.int64)
        bank_lines = [line for d in bank for line in d.lines]
        y_bank = np.asarray([lookup[x] for d in bank for x in d.labels], dtype=np.int64)
        fb = featurize([[line] for line in bank_lines], blocks, affixes) if bank_lines else None
        features = featurize([d.lines for d in docs], blocks, affixes)
        return cls(list(pages), features, y, _groups(docs), labels, fb, y_bank, doc_weights)

    def fit(self, docs: np.ndarray, **params: Any) -> LineModel:
        """A model fitted on some documents of :attr:`features` (and the whole bank)."""
        rows = self.features.rows_of(docs)
        weight = None
        if self.weights is not None:
            weight = np.repeat(self.weights[docs], np.diff(self.features.offsets)[docs])
        return LineModel(**params).fit_features(
            self.features.take(docs), self.y[rows], self.labels, self.groups[docs], self.bank, self.y_bank, weight
        )


def _fold_scores(data: TrainingSet, train_docs: np.ndarray, test_idx: np.ndarray | None, params: dict[str, Any]) -> Any:
    """Probabilities of one fold's test pages from a model fitted on its training documents;
    with no test pages, the fitted model itself (the final fit)."""
    if test_idx is None:
        return data.fit(train_docs, **params)
    model = data.fit(train_docs, **{"n_folds": 3, **params})
    return model.combine(model.predict_features(data.features.take(test_idx)))


def cross_validated_scores(
    data: TrainingSet,
    *,
    folds: int = CV_FOLDS,
    jobs: int = 1,
    quiet: bool = False,
    final: bool = False,
    **params: Any,
) -> tuple[list[np.ndarray], LineModel | None]:
    """Out-of-fold probabilities per page (lines x labels), folds grouped by site, and with
    ``final`` the model fitted on everything, which is fitted alongside the folds.

    ``jobs`` fits run at once in worker processes (processes, not threads: they do not spin
    against each other or against other work on the machine).
    """
    n_pages = len(data.pages)
    page_groups = data.groups[:n_pages]
    n_folds = min(folds, len(set(page_groups.tolist())))
    if n_folds < 2:
        raise DataError([SITES_NEEDED])
    tasks: list[tuple[np.ndarray, np.ndarray | None]] = []
    if final:  # the longest fit goes first
        tasks.append((np.arange(len(data.groups)), None))
    for _, test_idx in GroupKFold(n_splits=n_folds).split(np.zeros(n_pages), groups=page_groups):
        test_groups = set(page_groups[test_idx].tolist())
        train_docs = np.asarray([i for i, g in enumerate(data.groups.tolist()) if g not in test_groups])
        tasks.append((train_docs, test_idx))
    out: list[np.ndarray] = [np.zeros((0, 0))] * n_pages
    model: LineModel | None = None
    what = f"{n_folds}-fold cross-validation" + (" and the final fit" if final else "")
    note(f"{what}: {len(tasks)} model fits in {min(jobs, len(tasks))} process(es)", quiet=quiet)
    with progress("model fits", len(tasks), quiet=quiet, plain=True) as advance:
        if jobs > 1:
            from joblib import Parallel, delayed

            results = Parallel(n_jobs=min(jobs, len(tasks)), return_as="generator")(
                delayed(_fold_scores)(data, tr, te, params) for tr, te in tasks
            )
        else:
            results = (_fold_scores(data, tr, te, params) for tr, te in tasks)
        for (_, test_idx), result in zip(tasks, results):
            if test_idx is None:
                model = result
            else:
                lengths = np.diff(data.features.offsets)[test_idx]
                for i, part in zip(test_idx, np.split(result, np.cumsum(lengths)[:-1])):
                    out[i] = part
            advance(1)
    return out, model


def report_at(
    docs: Sequence[Document], probas: Sequence[np.ndarray], labels: Sequence[str], threshold: float
) -> dict[str, Any]:
    """Evaluation figures of per-document probabilities at ``threshold``."""
    predicted, kept = [], []
    for p in probas:
        _, lab = decide(p, labels, threshold)
        predicted.append(lab)
        kept.append([x == EDITORIAL for x in lab])
    return evaluate_predictions(docs, predicted, kept, labels)


def default_jobs() -> int:
    """Worker processes for cross-validation: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


CV_PRESET_CHAR_RECALL = {"safe": 0.995, "strict": 0.95}


def cv_presets(
    docs: Sequence[Document], probas: Sequence[np.ndarray], labels: Sequence[str], threshold: float, target: float
) -> dict[str, dict[str, Any]]:
    """Named operating points from cross-validation: ``balanced`` is the chosen threshold,
    ``safe`` and ``strict`` keep 99.5 % and 95 % of the editorial characters."""
    truth = np.concatenate([np.asarray([x == EDITORIAL for x in d.labels]) for d in docs])
    scores = np.concatenate([1.0 - p[:, 0] for p in probas])
    chars = np.concatenate([[len(x.strip()) for x in d.lines] for d in docs])
    points = {"balanced": (threshold, f"cross-validated editorial line recall >= {target}")}
    for name, r in CV_PRESET_CHAR_RECALL.items():
        points[name] = (
            threshold_for_char_recall(truth, scores, chars, r),
            f"cross-validated editorial char recall >= {r}",
        )
    out = {}
    for name in ("safe", "balanced", "strict"):
        t, why = points[name]
        overall = report_at(docs, probas, labels, t)["overall"]
        out[name] = {
            "threshold": t,
            "chosen_for": why,
            "editorial_char_recall": overall["editorial_char_recall"],
            "junk_lines_removed": overall["junk_removal"],
        }
    return out


def train(
    docs: Sequence[Document],
    *,
    bank: Sequence[Document] = (),
    folds: int = CV_FOLDS,
    target_recall: float = TARGET_EDITORIAL_RECALL,
    jobs: int | None = None,
    quiet: bool = False,
    base: Corpus | None = None,
    weight: float = 1.0,
    operating_points: dict[str, Any] | None = None,
    **params: Any,
) -> tuple[Detector, dict[str, Any]]:
    """Cross-validate, choose the threshold, fit on everything; return the detector and its report.

    The threshold is the smallest score threshold at which the cross-validated editorial line
    recall reaches ``target_recall``: recall first, then as much junk removed as that allows.
    ``bank`` holds stand-alone labelled lines (no page around them) for the lexical view.
    With ``base`` (e.g. :func:`detector.corpus.load_corpus`, the shipped model's own training
    data), ``docs`` are trained on top of it, each counting ``weight`` times a base page, and
    the report's ``yours`` part gives the cross-validated figures of ``docs`` alone.
    ``operating_points`` (the metadata of the model the base corpus trained, e.g. the shipped
    one's) hands its threshold and presets, chosen on real pages, and its site-memory margin to
    the new model; the cross-validated threshold is recorded beside them.
    """
    yours = list(docs)
    weights: list[float] | None = None
    if base is not None:
        docs = [*base.pages, *yours]
        bank = [*base.bank, *bank]
        weights = [1.0] * len(base.pages) + [float(weight)] * len(yours)
    _check_sites(docs)
    note(f"featurising {len(docs):,} documents and {sum(len(d.lines) for d in bank):,} line-bank lines", quiet=quiet)
    data = TrainingSet.build(docs, bank, weights=weights)
    labels = data.labels
    jobs = default_jobs() if jobs is None else jobs
    probas, model = cross_validated_scores(data, folds=folds, jobs=jobs, quiet=quiet, final=True, **params)
    assert model is not None
    pages = data.features.take(np.arange(len(docs)))
    model.forum_pages_, forum_report = ForumPages.fit(
        pages.tokens, pages.offsets, [d.genre for d in docs], data.groups[: len(docs)]
    )
    truth = np.concatenate([np.asarray([x == EDITORIAL for x in d.labels]) for d in docs])
    scores = np.concatenate([1.0 - p[:, 0] for p in probas])
    threshold = threshold_for_recall(truth, scores, target_recall)
    validation = report_at(docs, probas, labels, threshold)
    if base is not None:
        n_base = len(base.pages)
        validation["yours"] = report_at(yours, probas[n_base:], labels, threshold)["overall"]
    presets = cv_presets(docs, probas, labels, threshold, target_recall)
    metadata = {
        "labels": labels,
        "threshold": threshold,
        "threshold_source": {
            "method": f"cross-validated editorial line recall >= {target_recall} on the training pages",
        },
        "cv_threshold": threshold,
        "presets": presets,
        "target_editorial_recall": target_recall,
        "training_data_sha256": dataset_sha256(docs),
        "line_bank_sha256": dataset_sha256(bank) if bank else None,
        "training_documents": len(docs),
        "training_lines": int(sum(len(d.lines) for d in docs)),
        "line_bank_lines": int(sum(len(d.lines) for d in bank)),
        "validation": {
            "method": f"GroupKFold({folds}) by site",
            "overall": validation["overall"],
            "per_label": validation["per_label"],
            **({"yours": validation["yours"]} if "yours" in validation else {}),
        },
        "model_params": {k: getattr(model, k) for k in MODEL_PARAMS},
        "short_views_per_page": SHORT_VIEWS_PER_PAGE,
        "forum_pages": forum_report,
        "default_corpus": None
        if base is None
        else {
            "pages": len(base.pages),
            "sha256": dataset_sha256(base.pages),
            "your_pages": len(yours),
            "weight": weight,
        },
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if operating_points is not None and "threshold" in operating_points:
        metadata["threshold"] = float(operating_points["threshold"])
        metadata["presets"] = operating_points.get("presets") or presets
        metadata["threshold_source"] = {
            "method": "inherited from the model the base corpus trained (its threshold and presets were chosen "
            "on real pages); the cross-validated threshold is cv_threshold",
            "inherited": operating_points.get("threshold_source"),
        }
        if operating_points.get("site_memory"):  # the margin was chosen at that threshold
            metadata["site_memory"] = operating_points["site_memory"]
    return Detector.from_model(model, metadata), validation


def evaluate_cv(
    docs: Sequence[Document],
    *,
    threshold: float | None = None,
    folds: int = CV_FOLDS,
    target_recall: float = TARGET_EDITORIAL_RECALL,
    jobs: int | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Grouped cross-validation figures of a fresh model on ``docs`` (per genre and language).

    Without ``threshold`` the threshold is chosen as :func:`train` would choose it.
    """
    _check_sites(docs)
    note(f"featurising {len(docs):,} documents", quiet=quiet)
    data = TrainingSet.build(docs)
    labels = data.labels
    probas, _ = cross_validated_scores(data, folds=folds, jobs=default_jobs() if jobs is None else jobs, quiet=quiet)
    if threshold is None:
        truth = np.concatenate([np.asarray([x == EDITORIAL for x in d.labels]) for d in docs])
        threshold = threshold_for_recall(truth, np.concatenate([1.0 - p[:, 0] for p in probas]), target_recall)
    report = report_at(docs, probas, labels, threshold)
    report["threshold"] = threshold
    return report
