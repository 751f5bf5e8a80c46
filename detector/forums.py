"""Which pages are forum threads: a page-level classifier learned from the training pages' genre.

On a forum thread the posts are the content; under an article, readers' comments are chrome.
A post and a comment read alike, line by line and in their neighbourhood, so the line model,
trained on both, removes many short replies at an operating point chosen on article pages.
The page as a whole tells them apart ("Reply", "Posts: 212", "Thread starter" on every post).
This classifier reads the page's words (the line model's hashed tokens, pooled) and flags
threads, and :class:`detector.Detector` then judges a flagged page at the ``safe`` preset.

Its flag cut is chosen on the training pages alone, out of fold and grouped by site: the
probability above which at most ``FALSE_FLAG_RATE`` of the other pages' scores lie.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize

FORUM_GENRE = "forum"
MIN_PAGES = 10  # of each kind (threads, other pages), for a classifier and a cut worth trusting
FOLDS = 5
FALSE_FLAG_RATE = 0.01  # of the other training pages, out of fold, flagged as threads
C = 4.0
MAX_ITER = 2000


def page_vectors(tokens: sp.csr_matrix, offsets: np.ndarray) -> sp.csr_matrix:
    """One row per document: how many of its lines hold each hashed token (log-scaled), L2-normed."""
    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    rows = np.repeat(np.arange(n_docs), lengths)
    pool = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(n_docs, tokens.shape[0]))
    present = tokens.copy()
    present.data = np.ones_like(present.data)
    X = (pool @ present).tocsr()
    X.data = np.log1p(X.data)
    return normalize(X)


class ForumPages:
    """A fitted thread-or-not page classifier with its flag cut (see the module's docstring)."""

    def __init__(self, classifier: LogisticRegression, cut: float, report: dict[str, Any]) -> None:
        self.classifier = classifier
        self.cut = cut
        self.report = report

    @classmethod
    def fit(
        cls, tokens: sp.csr_matrix, offsets: np.ndarray, genres: list[str], groups: np.ndarray
    ) -> tuple[ForumPages | None, dict[str, Any]]:
        """Fit on whole pages (their tokens and genres; ``groups``: sites, kept on one side of
        every fold). With too few pages of either kind: ``None`` and the reason."""
        y = np.asarray([g == FORUM_GENRE for g in genres], dtype=np.int64)
        n_forum, n_other = int(y.sum()), int(len(y) - y.sum())
        counts = {"forum_pages": n_forum, "other_pages": n_other}
        if n_forum < MIN_PAGES or n_other < MIN_PAGES:
            return None, {
                **counts,
                "fitted": False,
                "why": f"fewer than {MIN_PAGES} pages of genre {FORUM_GENRE!r} or of others",
            }
        X = page_vectors(tokens, offsets)
        oof = np.zeros(len(y))
        folds = min(FOLDS, len(set(np.asarray(groups).tolist())))
        for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
            if len(set(y[train].tolist())) < 2:
                continue
            oof[test] = _classifier().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
        other = np.sort(oof[y == 0])
        cut = float(other[int(np.ceil((1 - FALSE_FLAG_RATE) * len(other))) - 1])
        flagged = oof > cut
        report = {
            **counts,
            "fitted": True,
            "method": f"logistic regression on each page's pooled hashed tokens; flag cut: at most "
            f"{FALSE_FLAG_RATE:.0%} of the other training pages above it, out of fold (GroupKFold({folds}) by site)",
            "cut": round(cut, 6),
            "oof_auc": round(float(roc_auc_score(y, oof)), 4),
            "forum_pages_flagged": int(flagged[y == 1].sum()),
            "other_pages_flagged": int(flagged[y == 0].sum()),
        }
        final = _classifier().fit(X, y)
        final.coef_ = final.coef_.astype(np.float32)  # 1 MB in the model file instead of 2
        return cls(final, cut, report), report

    def probability(self, tokens: sp.csr_matrix, offsets: np.ndarray) -> np.ndarray:
        """Each document's probability of being a forum thread: the classifier's own
        ``predict_proba`` of :func:`page_vectors`, computed page by page without building them
        (a fifth of a page's time went to sparse-matrix bookkeeping)."""
        coef = self.classifier.coef_.ravel()
        bias = float(self.classifier.intercept_[0])
        out = np.zeros(max(len(offsets) - 1, 0))
        indptr, indices = tokens.indptr, tokens.indices  # a line's tokens are unique (hashed, summed)
        for d in range(len(out)):
            held, lines = np.unique(indices[indptr[offsets[d]] : indptr[offsets[d + 1]]], return_counts=True)
            if not len(held):
                out[d] = expit(bias)
                continue
            v = np.log1p(lines)
            out[d] = expit(float(v @ coef[held]) / float(np.sqrt(v @ v)) + bias)
        return out

    def flags(self, probability: np.ndarray) -> np.ndarray:
        """Which documents read as threads."""
        return np.asarray(probability) > self.cut


def _classifier() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=MAX_ITER)
