"""Quality figures of a detector on labelled documents: what it keeps, what it loses.

Editorial recall comes first (losing editorial text is the worst failure), by lines and by
characters, and how many pages keep their first editorial line, which is the page's title on
almost every page (a lost title is the loss a reader sees first, and benchmarks whose ground
truth leaves headlines out cannot see it); then per-label precision, recall and F1, the
confusion matrix, and the same editorial figures per genre and per language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .dataset import EDITORIAL, Document

if TYPE_CHECKING:
    from .classifier import Detector


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def editorial_figures(truth: Sequence[str], kept: Sequence[bool], chars: Sequence[int]) -> dict[str, float]:
    """Editorial recall/precision/F1 by lines, recall by characters, and the junk removal rate."""
    t = np.asarray([x == EDITORIAL for x in truth], dtype=bool)
    k = np.asarray(kept, dtype=bool)
    c = np.asarray(chars, dtype=np.float64)
    out = _prf(float(np.sum(t & k)), float(np.sum(~t & k)), float(np.sum(t & ~k)))
    out = {f"editorial_{key}": v for key, v in out.items()}
    ed_chars = float(c[t].sum())
    out["editorial_char_recall"] = float(c[t & k].sum()) / ed_chars if ed_chars else 0.0
    out["junk_removal"] = float(np.sum(~t & ~k)) / float(np.sum(~t)) if np.any(~t) else 0.0
    out["lines"] = float(len(t))
    return out


def title_figures(docs: Sequence[Document], kept: Sequence[Sequence[bool]]) -> dict[str, float]:
    """Pages whose first editorial line (their title, on almost every page) is kept.

    >>> from detector.dataset import Document
    >>> doc = Document(["Home", "Title", "Text."], ["boilerplate", "editorial", "editorial"], "a.txt")
    >>> title_figures([doc, doc], [[False, True, True], [False, False, True]])
    {'title_recall': 0.5, 'titles_kept': 1.0, 'titled_documents': 2.0}
    """
    pages = titles = 0
    for d, k in zip(docs, kept, strict=True):
        first = next((i for i, x in enumerate(d.labels) if x == EDITORIAL), None)
        if first is not None:
            pages += 1
            titles += bool(k[first])
    return {
        "title_recall": titles / pages if pages else 0.0,
        "titles_kept": float(titles),
        "titled_documents": float(pages),
    }


def label_report(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support, and the confusion matrix (rows: truth)."""
    idx = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for a, b in zip(truth, predicted):
        if a in idx and b in idx:
            m[idx[a], idx[b]] += 1
    per = {}
    for lab, i in idx.items():
        per[lab] = {**_prf(m[i, i], m[:, i].sum() - m[i, i], m[i, :].sum() - m[i, i]), "support": int(m[i, :].sum())}
    return {"per_label": per, "confusion": {"labels": list(labels), "matrix": m.tolist()}}


def evaluate_predictions(
    docs: Sequence[Document], predicted: Sequence[Sequence[str]], kept: Sequence[Sequence[bool]], labels: Sequence[str]
) -> dict[str, Any]:
    """All figures for documents whose lines were predicted ``predicted`` and kept ``kept``."""
    truth = [x for d in docs for x in d.labels]
    pred = [x for p in predicted for x in p]
    keep = [x for k in kept for x in k]
    chars = [len(x.strip()) for d in docs for x in d.lines]
    overall = {**editorial_figures(truth, keep, chars), **title_figures(docs, kept)}
    report: dict[str, Any] = {"overall": overall, **label_report(truth, pred, labels)}
    for key in ("genre", "lang"):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            groups[getattr(d, key)].append(i)
        report[f"by_{key}"] = {
            name: {
                **editorial_figures(
                    [x for i in ids for x in docs[i].labels],
                    [x for i in ids for x in kept[i]],
                    [len(x.strip()) for i in ids for x in docs[i].lines],
                ),
                "documents": len(ids),
            }
            for name, ids in sorted(groups.items())
        }
    report["documents"] = len(docs)
    return report


def threshold_for_recall(truth_editorial: np.ndarray, scores: np.ndarray, target: float) -> float:
    """The smallest threshold whose editorial line recall reaches ``target`` (score < t keeps)."""
    ed = np.sort(scores[truth_editorial])
    if len(ed) == 0:
        return 0.5
    k = int(np.ceil(target * len(ed))) - 1
    k = min(max(k, 0), len(ed) - 1)
    return float(min(np.nextafter(ed[k], 1.0), 1.0))


def evaluate_detector(detector: Detector, docs: Sequence[Document], *, quiet: bool = False) -> dict[str, Any]:
    """Score a detector on labelled documents at its threshold."""
    from .progress import progress

    predicted: list[list[str]] = []
    kept: list[list[bool]] = []
    batch = 64
    with progress("evaluating", len(docs), quiet=quiet) as advance:
        for i in range(0, len(docs), batch):
            chunk = docs[i : i + batch]
            for verdicts in detector.classify_many([d.lines for d in chunk]):
                predicted.append([v.label for v in verdicts])
                kept.append([v.keep for v in verdicts])
            advance(len(chunk))
    return evaluate_predictions(docs, predicted, kept, detector.labels)


def threshold_for_char_recall(
    truth_editorial: np.ndarray, scores: np.ndarray, chars: np.ndarray, target: float
) -> float:
    """The smallest threshold whose editorial CHARACTER recall reaches ``target``.

    The smallest such threshold removes the most junk that the recall allows (score < t keeps).

    >>> threshold_for_char_recall(np.array([True, True, False]), np.array([0.1, 0.6, 0.9]), np.array([90, 10, 50]), 0.9)
    0.10000000000000002
    """
    ed = np.asarray(truth_editorial, dtype=bool)
    s, c = np.asarray(scores, dtype=np.float64)[ed], np.asarray(chars, dtype=np.float64)[ed]
    if len(s) == 0 or c.sum() <= 0:
        return 0.5
    order = np.argsort(s, kind="stable")
    cum = np.cumsum(c[order])
    k = int(np.searchsorted(cum, target * cum[-1] - 1e-9))
    k = min(k, len(s) - 1)
    return float(min(np.nextafter(s[order][k], 1.0), 1.0))


COMPARED = (
    ("editorial_recall", "editorial line recall"),
    ("editorial_char_recall", "editorial char recall"),
    ("editorial_precision", "editorial precision"),
    ("junk_removal", "junk lines removed"),
    ("editorial_f1", "editorial F1"),
    ("title_recall", "page titles kept"),
)


def compare_reports(reports: dict[str, dict[str, Any]]) -> str:
    """Reports of several models on the same documents, side by side, with each one's change
    against the first (what a retrain bought and what it cost)."""
    names = list(reports)
    width = max(12, *(len(n) for n in names))
    rows = [f"{'':<24}" + "".join(f"{n:>{width + 2}}" for n in names)]
    for key, title in COMPARED:
        values = [reports[n]["overall"].get(key, float("nan")) for n in names]
        cells = [f"{values[0]:>{width + 2}.4f}"]
        cells += [f"{f'{v:.4f} ({v - values[0]:+.4f})':>{width + 2}}" for v in values[1:]]
        rows.append(f"{title:<24}" + "".join(cells))
    for key in ("by_genre", "by_lang"):
        groups = sorted(set().union(*(reports[n].get(key, {}) for n in names)))
        rows.append(f"{key.replace('by_', 'per ')}: editorial recall / junk removed")
        for g in groups:
            cells = []
            for n in names:
                m = reports[n].get(key, {}).get(g)
                cells.append(f"{m['editorial_recall']:.3f} / {m['junk_removal']:.3f}" if m else "-")
            rows.append(f"  {g:<22}" + "".join(f"{c:>{width + 2}}" for c in cells))
    return "\n".join(rows)
