"""The benchmark's page metric: 4-token shingle precision/recall/F1.

Written from the description in the benchmark data's README: tokens are
``\\w+`` runs (case kept); a page's TP/FP/FN are counted over shingle
multisets and normalised to sum to 1; precision and recall are means over
pages; F1 is the harmonic mean of those two means. The ``±`` of the published
table is 1.96 times the bootstrap standard deviation over page resamples (the
upstream ``evaluate.py`` multiplies by 1.96), so :func:`bootstrap` reports that.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from typing import NamedTuple

TOKEN_RE = re.compile(r"\w+")
SHINGLE_N = 4
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240521
CI_Z = 1.96


class Counts(NamedTuple):
    """Normalised true positives, false positives and false negatives of a page."""

    tp: float
    fp: float
    fn: float


class Scores(NamedTuple):
    """Benchmark scores: mean precision, mean recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float


def tokens(text: str) -> list[str]:
    """Word-character runs of ``text``, case kept.

    >>> tokens("Hello, wide-world!")
    ['Hello', 'wide', 'world']
    """
    return TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    """Counts of consecutive ``n``-token tuples; a short text gives one shorter tuple.

    >>> sorted(shingles("a b c"))
    [('a', 'b', 'c')]
    """
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def page_counts(truth: Counter[tuple[str, ...]], pred: Counter[tuple[str, ...]]) -> Counts:
    """Normalised TP/FP/FN of one page from its true and predicted shingle counts."""
    tp = fp = fn = 0.0
    for key in truth.keys() | pred.keys():
        t, p = truth.get(key, 0), pred.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        return Counts(tp / total, fp / total, fn / total)
    return Counts(tp, fp, fn)


def page_precision(c: Counts) -> float:
    """Precision of one page, with the benchmark's conventions for empty cases."""
    if c.fp == 0 and c.fn == 0:
        return 1.0
    if c.tp == 0 and c.fp == 0:
        return 0.0
    return c.tp / (c.tp + c.fp)


def page_recall(c: Counts) -> float:
    """Recall of one page, with the benchmark's conventions for empty cases."""
    if c.fp == 0 and c.fn == 0:
        return 1.0
    if c.tp == 0 and c.fn == 0:
        return 0.0
    return c.tp / (c.tp + c.fn)


def page_f1(c: Counts) -> float:
    """Harmonic mean of one page's precision and recall (for ranking pages)."""
    p, r = page_precision(c), page_recall(c)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def aggregate(counts: list[Counts]) -> Scores:
    """Mean precision over pages with TP+FP>0, mean recall over pages with TP+FN>0."""
    precs = [page_precision(c) for c in counts if c.tp + c.fp > 0]
    recs = [page_recall(c) for c in counts if c.tp + c.fn > 0]
    p = statistics.fmean(precs) if precs else 0.0
    r = statistics.fmean(recs) if recs else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r > 0 else 0.0)


def bootstrap(counts: list[Counts], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> Scores:
    """The ``±`` of each score: 1.96 × the standard deviation over page resamples."""
    rng = random.Random(seed)
    n = len(counts)
    samples = [aggregate([counts[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples)]
    return Scores(*(CI_Z * statistics.stdev(col) for col in zip(*samples, strict=True)))


def evaluate(truths: list[str], preds: list[str]) -> list[Counts]:
    """Per-page counts for parallel lists of true and predicted article bodies."""
    return [page_counts(shingles(t), shingles(p)) for t, p in zip(truths, preds, strict=True)]
