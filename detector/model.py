"""The two-stage line model: a linear model over each line and its neighbours, then a boosted
model that reads the first stage's scores of the neighbourhood.

Stage 1 (context-free and near context): hashed word n-grams + scaled shape and context
columns -> multinomial logistic regression. Stage 2 (context-sensitive, jusText's second pass
learned): stage-1 probabilities of the line and its neighbours, their window averages and the
editorial mass before and after the line, plus the numeric columns -> gradient boosting. Stage 2
is trained on out-of-fold stage-1 probabilities (documents never split across folds), so it
learns how far to trust stage 1 on unseen pages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from .features import DocIndex, batch_line_features, block_features, context_features, repeat_counts

N_HASH_FEATURES = 2**17
RANDOM_STATE = 0


class LineModel:
    """Scores every line of a batch of documents: one probability per label.

    >>> m = LineModel().fit([["Home", "A real paragraph of text, long enough to read."]] * 4,
    ...                     [["boilerplate", "editorial"]] * 4)  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        blocks: bool = True,
        C: float = 0.5,
        n_folds: int = 5,
        boost_iter: int = 200,
        learning_rate: float = 0.08,
        random_state: int = RANDOM_STATE,
    ) -> None:
        self.blocks = blocks
        self.C = C
        self.n_folds = n_folds
        self.boost_iter = boost_iter
        self.learning_rate = learning_rate
        self.random_state = random_state

    # -- features -------------------------------------------------------------------------
    def _base(self, docs: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, np.ndarray, DocIndex]:
        tokens, shape, doc_ids = batch_line_features(docs)
        index = DocIndex(doc_ids)
        numeric = np.hstack([shape, context_features(shape, index, repeat_counts(docs), self.blocks)])
        hashed = FeatureHasher(n_features=N_HASH_FEATURES, input_type="string", alternate_sign=False).transform(tokens)
        return hashed.tocsr(), numeric, index

    def _stage2_columns(self, proba: np.ndarray, numeric: np.ndarray, index: DocIndex) -> np.ndarray:
        pe = proba[:, 0]
        cols = [proba]
        for k in (-3, -2, -1, 1, 2, 3):
            cols.append(index.shift(pe, k, -1.0)[:, None])
        for r in (1, 3, 7, 20):
            cols.append(index.window_mean(pe, r)[:, None])
        chars = np.expm1(numeric[:, 0])
        before, after = index.mass_before_after(pe * chars)
        cols += [before[:, None], after[:, None], index.window_max(pe, 3)[:, None], numeric]
        if self.blocks:
            cols += [c[:, None] for c in block_features(pe > 0.5, pe * chars, index)]
        return np.hstack(cols)

    def _stage1_matrix(self, hashed: sp.csr_matrix, numeric: np.ndarray, scaler: StandardScaler) -> sp.csr_matrix:
        return sp.hstack([hashed, sp.csr_matrix(scaler.transform(numeric))], format="csr")

    def _fit_stage1(
        self, hashed: sp.csr_matrix, numeric: np.ndarray, y: np.ndarray
    ) -> tuple[StandardScaler, LogisticRegression]:
        scaler = StandardScaler().fit(numeric)
        # lbfgs logistic regression: SGD fitted 3x faster here but ranked real pages worse.
        clf = LogisticRegression(C=self.C, max_iter=200, tol=1e-3, random_state=self.random_state)
        clf.fit(self._stage1_matrix(hashed, numeric, scaler), y)
        return scaler, clf

    # -- fit / predict --------------------------------------------------------------------
    def fit(
        self,
        docs: Sequence[Sequence[str]],
        labels: Sequence[Sequence[str]],
        classes: Sequence[str] | None = None,
        groups: Sequence[int] | np.ndarray | None = None,
    ) -> LineModel:
        """Fit both stages; ``classes`` fixes the label order (editorial first), ``groups`` (one
        per document, e.g. its site) keeps related documents in the same out-of-fold split."""
        self.classes_ = list(classes) if classes is not None else sorted({x for ls in labels for x in ls})
        lookup = {c: i for i, c in enumerate(self.classes_)}
        y = np.asarray([lookup[x] for ls in labels for x in ls])
        doc_groups = np.arange(len(docs)) if groups is None else np.asarray(groups)
        line_groups = np.repeat(doc_groups, [len(d) for d in docs])
        hashed, numeric, index = self._base(docs)
        k = len(self.classes_)
        oof = np.zeros((len(y), k))
        n_folds = min(self.n_folds, len(set(doc_groups.tolist())))
        if n_folds >= 2:
            for train, test in GroupKFold(n_splits=n_folds).split(numeric, y, line_groups):
                scaler, clf = self._fit_stage1(hashed[train], numeric[train], y[train])
                proba = clf.predict_proba(self._stage1_matrix(hashed[test], numeric[test], scaler))
                oof[np.ix_(test, clf.classes_)] = proba
        self.scaler_, self.stage1_ = self._fit_stage1(hashed, numeric, y)
        if n_folds < 2:
            oof = self._stage1_proba(hashed, numeric)
        self.stage2_ = HistGradientBoostingClassifier(
            max_iter=self.boost_iter, learning_rate=self.learning_rate, random_state=self.random_state
        ).fit(self._stage2_columns(oof, numeric, index), y)
        return self

    def _stage1_proba(self, hashed: sp.csr_matrix, numeric: np.ndarray) -> np.ndarray:
        # The same as stage1_.predict_proba on the stacked matrix, without building it: the
        # sparse and dense halves of the weights are applied separately (a large saving per line).
        coef = self.stage1_.coef_
        z = hashed @ coef[:, :N_HASH_FEATURES].T + self.scaler_.transform(numeric) @ coef[:, N_HASH_FEATURES:].T
        z = np.asarray(z) + self.stage1_.intercept_
        if z.shape[1] == 1:  # binary: one column of log-odds
            p1 = expit(z[:, 0])
            proba = np.column_stack([1.0 - p1, p1])
        else:
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            proba = e / e.sum(axis=1, keepdims=True)
        out = np.zeros((hashed.shape[0], len(self.classes_)))
        out[:, self.stage1_.classes_] = proba
        return out

    def predict_proba(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities (lines of all documents x ``classes_``), in reading order."""
        n = sum(len(d) for d in docs)
        if n == 0:
            return np.zeros((0, len(self.classes_)))
        hashed, numeric, index = self._base(docs)
        p1 = self._stage1_proba(hashed, numeric)
        out = np.zeros((n, len(self.classes_)))
        out[:, self.stage2_.classes_] = self.stage2_.predict_proba(self._stage2_columns(p1, numeric, index))
        return out
