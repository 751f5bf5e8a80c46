"""The line model: a lexical view, a context view, and a boosted stage that weighs the two.

* **lexical** (context-free): hashed word 1-2-grams, word affixes, the line's shape and its
  advertising cues -> logistic regression, trained on every labelled line (pages and the line
  bank). An ad inside an article still reads like an ad here: its place cannot drown its words.
* **stage 1** (near context): the same hashed words and affixes, shape and context columns (neighbours, windows,
  prose mass, blocks) -> logistic regression.
* **stage 2** (context-sensitive, jusText's second pass learned): the out-of-fold probabilities
  of both views for the line and its neighbours, their window averages, the editorial mass
  before and after the line, block features and the numeric columns -> gradient boosting,
  editorial or not. Out-of-fold (documents of one site never split) so that it learns how far
  to trust each view on unseen pages.

Prediction is single-threaded unless asked otherwise: pipelines run many of these side by side,
and OpenMP threads spinning against busy neighbours made a call 15-80x slower.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from .allocation import gc_paused
from .dataset import EDITORIAL
from .features import (
    BLOCK_NAMES,
    N_SHAPE,
    SHAPE_NAMES,
    DocIndex,
    batch_line_features,
    block_features,
    context_feature_names,
    context_features,
    repeat_counts,
)
from .forums import ForumPages

N_HASH_FEATURES = 2**18
RANDOM_STATE = 0
EDITORIAL_COLUMN = 0  # classes_ put editorial first (see dataset.dataset_labels)
STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_LEXICAL_OFFSETS = (-2, -1, 1, 2)
STAGE2_RADII = (1, 3, 7, 20)
DEFAULT_THREADS = 1
TREE_BLOCK_ROWS = 2048  # rows whose stage-2 columns (about 2 MB) stay in cache while every tree runs


@dataclass(frozen=True)
class FeatureBatch:
    """Every feature of a batch of documents, computed once and sliced by document."""

    tokens: sp.csr_matrix  # hashed word 1-2-grams and (if the model reads them) word affixes
    numeric: np.ndarray  # shape columns, then context columns
    doc_ids: np.ndarray
    offsets: np.ndarray  # row where each document starts; offsets[-1] == number of rows

    @property
    def index(self) -> DocIndex:
        """Document boundaries for neighbour arithmetic."""
        return DocIndex(self.doc_ids)

    def rows_of(self, docs: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row numbers of the given documents, in their order."""
        docs = np.asarray(docs, dtype=np.int64)
        if len(docs) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(self.offsets[d], self.offsets[d + 1]) for d in docs])

    def take(self, docs: Sequence[int] | np.ndarray) -> FeatureBatch:
        """The features of some documents, as a batch of its own (context stays per document)."""
        rows = self.rows_of(docs)
        lengths = np.diff(self.offsets)[np.asarray(docs, dtype=np.int64)]
        return FeatureBatch(
            self.tokens[rows],
            self.numeric[rows],
            np.repeat(np.arange(len(lengths)), lengths),
            np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        )


def featurize(docs: Sequence[Sequence[str]], blocks: bool = True, affixes: bool = True) -> FeatureBatch:
    """All features of every line of ``docs`` (context never crosses a document boundary)."""
    with gc_paused():
        return _featurize(docs, blocks, affixes)


def _featurize(docs: Sequence[Sequence[str]], blocks: bool, affixes: bool) -> FeatureBatch:
    batch = batch_line_features(docs)
    index = DocIndex(batch.doc_ids)
    numeric = np.hstack([batch.shape, context_features(batch.shape, index, repeat_counts(docs), batch.content, blocks)])
    # One hashing pass over words and affixes (affix tokens carry < or >, which words never do).
    tokens = [w + a for w, a in zip(batch.words, batch.affixes)] if affixes else batch.words
    # (token, 1) pairs made by zip in C: the "string" input type makes them in a Python generator.
    hasher = FeatureHasher(n_features=N_HASH_FEATURES, input_type="pair", alternate_sign=False)
    lengths = [len(d) for d in docs]
    pairs = (zip(t, repeat(1)) for t in tokens)
    hashed = hasher.transform(pairs).tocsr() if tokens else sp.csr_matrix((0, N_HASH_FEATURES))
    return FeatureBatch(
        hashed,
        numeric,
        batch.doc_ids,
        np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
    )


class _Linear:
    """A fitted logistic regression over [sparse blocks..., scaled dense columns], applied
    without building the stacked matrix (the sparse and dense weights are used separately)."""

    def __init__(self, C: float, random_state: int, max_iter: int) -> None:
        self.C = C
        self.random_state = random_state
        self.max_iter = max_iter

    def fit(
        self,
        sparse: list[sp.csr_matrix],
        dense: np.ndarray,
        y: np.ndarray,
        k: int,
        weight: np.ndarray | None = None,
        copies: np.ndarray | None = None,
    ) -> _Linear:
        """``copies`` (one per row) says how many identical rows each row stands for: the
        scaler and the loss count a row that often, as if the copies were there."""
        self.scaler_ = StandardScaler().fit(dense, sample_weight=copies)
        if copies is not None:
            weight = copies if weight is None else weight * copies
        X = sp.hstack([*sparse, sp.csr_matrix(self.scaler_.transform(dense))], format="csr")
        # lbfgs logistic regression: SGD fitted 3x faster here but ranked real pages worse.
        with warnings.catch_warnings():
            # Stopping at max_iter is a deliberate budget: the stacked stage learns how far to
            # trust these scores, and more iterations did not change the ranking of real pages.
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=1e-3, random_state=self.random_state)
            clf.fit(X, y, sample_weight=weight)
        self.widths_ = [m.shape[1] for m in sparse]
        # float32 weights halve the model file; scores move by less than 1e-6.
        self.coef_, self.intercept_, self.classes_, self.k_ = (
            clf.coef_.astype(np.float32),
            clf.intercept_,
            clf.classes_,
            k,
        )
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_sparse_weights"}

    def sparse_weights(self) -> list[np.ndarray]:
        """Each sparse block's weights as one contiguous float64 array (features x classes),
        made on first use. Given the stored float32 slice, scipy converted it on every call:
        80 ms of a pass over the benchmark pages one call per page, for the same products."""
        cached: list[np.ndarray] | None = self.__dict__.get("_sparse_weights")
        if cached is None:
            bounds = np.cumsum([0, *self.widths_])
            cached = [
                np.ascontiguousarray(self.coef_[:, a:b].T, dtype=np.float64) for a, b in zip(bounds[:-1], bounds[1:])
            ]
            self._sparse_weights = cached
        return cached

    def proba(self, sparse: list[sp.csr_matrix], dense: np.ndarray) -> np.ndarray:
        n = dense.shape[0]
        z = np.zeros((n, self.coef_.shape[0])) + self.intercept_
        for m, weights in zip(sparse, self.sparse_weights()):
            z += np.asarray(m @ weights)
        start = sum(self.widths_)
        # The scaler's own transform, without its input validation (0.5 ms a call, per page).
        scaled = (dense - self.scaler_.mean_) / self.scaler_.scale_
        z += scaled @ self.coef_[:, start:].T
        if z.shape[1] == 1:  # binary: one column of log-odds
            p1 = expit(z[:, 0])
            p = np.column_stack([1.0 - p1, p1])
        else:
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            p = e / e.sum(axis=1, keepdims=True)
        out = np.zeros((n, self.k_))
        out[:, self.classes_] = p
        return out


class LineModel:
    """Scores every line of a batch of documents: one probability per label.

    >>> m = LineModel().fit([["Home", "A real paragraph of text, long enough to read."]] * 4,
    ...                     [["boilerplate", "editorial"]] * 4)  # doctest: +SKIP
    """

    # Set by training when the pages carry genres (detector.forums); models saved before it
    # was added read as having none.
    forum_pages_: ForumPages | None = None

    def __init__(
        self,
        *,
        blocks: bool = True,
        stage1: bool = True,
        stage1_words: bool = False,
        lexical: bool = True,
        affixes: bool = True,
        C: float = 0.5,
        lexical_C: float = 2.0,
        n_folds: int = 3,
        boost_iter: int = 120,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 31,
        max_iter: int = 80,
        random_state: int = RANDOM_STATE,
        train_threads: int = DEFAULT_THREADS,
    ) -> None:
        self.blocks = blocks
        self.stage1 = stage1
        # Without words, stage 1 reads only shape and context, and the line's words reach the
        # boosted stage through the lexical view alone, where context cannot drown them.
        self.stage1_words = stage1_words
        self.lexical = lexical or not stage1
        self.affixes = affixes
        self.C = C
        self.lexical_C = lexical_C
        self.n_folds = n_folds
        self.boost_iter = boost_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_iter = max_iter
        self.random_state = random_state
        # Threads of the boosted stage's training. One by default: OpenMP threads spin against
        # busy neighbours, and the boosted stage is a small part of training time.
        self.train_threads = train_threads

    # -- feature names ----------------------------------------------------------------------
    @property
    def numeric_names(self) -> list[str]:
        """Names of the numeric columns of stage 1 (shape, cues, context)."""
        return [*SHAPE_NAMES, *context_feature_names(self.blocks)]

    def stage2_names(self, classes: Sequence[str]) -> list[str]:
        """Names of the stage-2 columns, in order."""
        main = "s1" if self.stage1 else "lex"
        names = [f"{main}_p_{c}" for c in classes]
        names += [f"{main}_p_editorial@{k:+d}" for k in STAGE2_OFFSETS]
        names += [f"{main}_p_editorial_mean_r{r}" for r in STAGE2_RADII]
        names += [f"{main}_editorial_mass_before", f"{main}_editorial_mass_after", f"{main}_p_editorial_max_r3"]
        if self.stage1 and self.lexical:
            names += [f"lex_p_{c}" for c in classes]
            names += [f"lex_p_editorial@{k:+d}" for k in STAGE2_LEXICAL_OFFSETS]
            names += ["lex_p_editorial_mean_r3", "s1_minus_lex_p_editorial"]
        names += self.numeric_names
        if self.blocks:
            names += [f"{main}_{b}" for b in BLOCK_NAMES]
        return names

    # -- the parts --------------------------------------------------------------------------
    def _lexical_inputs(self, F: FeatureBatch) -> tuple[list[sp.csr_matrix], np.ndarray]:
        return [F.tokens], F.numeric[:, :N_SHAPE]

    def _stage2_columns(self, p1: np.ndarray | None, plex: np.ndarray | None, F: FeatureBatch) -> np.ndarray:
        index = F.index
        if p1 is None:  # no stage 1: the lexical view takes its place
            p1, plex = plex, None
        assert p1 is not None
        pe = p1[:, EDITORIAL_COLUMN]
        cols = [p1]
        cols += [index.shift(pe, k, -1.0)[:, None] for k in STAGE2_OFFSETS]
        cols += [m[:, None] for m in index.window_means(pe, STAGE2_RADII)]
        chars = np.expm1(F.numeric[:, 0])
        before, after = index.mass_before_after(pe * chars)
        cols += [before[:, None], after[:, None], index.window_max(pe, 3)[:, None]]
        if plex is not None:
            le = plex[:, EDITORIAL_COLUMN]
            cols.append(plex)
            cols += [index.shift(le, k, -1.0)[:, None] for k in STAGE2_LEXICAL_OFFSETS]
            cols += [index.window_mean(le, 3)[:, None], (pe - le)[:, None]]
        cols.append(F.numeric)
        if self.blocks:
            cols += [c[:, None] for c in block_features(pe > 0.5, pe * chars, index)]
        return np.hstack(cols)

    # -- fit / predict --------------------------------------------------------------------
    def fit(
        self,
        docs: Sequence[Sequence[str]],
        labels: Sequence[Sequence[str]],
        classes: Sequence[str] | None = None,
        groups: Sequence[int] | np.ndarray | None = None,
        *,
        bank_lines: Sequence[str] = (),
        bank_labels: Sequence[str] = (),
    ) -> LineModel:
        """Fit every part. ``classes`` fixes the label order (editorial first); ``groups`` (one
        per document, e.g. its site) keeps related documents on one side of every split;
        ``bank_lines`` are stand-alone labelled lines that only the lexical view learns from."""
        if classes is None:
            seen = sorted({x for ls in labels for x in ls})
            classes = [c for c in seen if c == EDITORIAL] + [c for c in seen if c != EDITORIAL]
        lookup = {c: i for i, c in enumerate(classes)}
        y = np.asarray([lookup[x] for ls in labels for x in ls], dtype=np.int64)
        bank = featurize([[line] for line in bank_lines], self.blocks, self.affixes) if len(bank_lines) else None
        y_bank = np.asarray([lookup[x] for x in bank_labels], dtype=np.int64)
        return self.fit_features(featurize(docs, self.blocks, self.affixes), y, classes, groups, bank, y_bank)

    def fit_features(
        self,
        F: FeatureBatch,
        y: np.ndarray,
        classes: Sequence[str],
        groups: Sequence[int] | np.ndarray | None = None,
        bank: FeatureBatch | None = None,
        y_bank: np.ndarray | None = None,
        weight: np.ndarray | None = None,
    ) -> LineModel:
        """:meth:`fit` on features already computed (cross-validation slices one batch).

        ``weight`` (one per line of ``F``) lets some documents count more, e.g. a user's own
        pages trained on top of the default corpus; the bank's lines weigh 1."""
        self.classes_ = list(classes)
        k = len(self.classes_)
        n_docs = len(F.offsets) - 1
        doc_groups = np.arange(n_docs) if groups is None else np.asarray(groups)
        line_groups = np.repeat(doc_groups, np.diff(F.offsets))
        oof1 = np.zeros((len(y), k)) if self.stage1 else None
        oofl = np.zeros((len(y), k)) if self.lexical else None
        n_folds = min(self.n_folds, len(set(doc_groups.tolist())))
        if n_folds >= 2:
            for train, test in GroupKFold(n_splits=n_folds).split(F.numeric, y, line_groups):
                if oof1 is not None:
                    s1 = self._fit_stage1(F, train, y, weight)
                    oof1[test] = s1.proba(self._stage1_sparse(F, test), F.numeric[test])
                if oofl is not None:
                    lex = self._fit_lexical(F, train, y, bank, y_bank, weight)
                    oofl[test] = lex.proba(*self._lexical_inputs(_rows(F, test)))
        everything = np.arange(len(y))
        self.stage1_ = self._fit_stage1(F, everything, y, weight) if self.stage1 else None
        self.lexical_ = self._fit_lexical(F, everything, y, bank, y_bank, weight) if self.lexical else None
        if n_folds < 2:
            oof1 = self.stage1_.proba(self._stage1_sparse(F), F.numeric) if self.stage1_ is not None else None
            if self.lexical_ is not None:
                oofl = self.lexical_.proba(*self._lexical_inputs(F))
        with threadpool_limits(limits=self.train_threads, user_api="openmp"):
            self.stage2_ = HistGradientBoostingClassifier(
                max_iter=self.boost_iter,
                learning_rate=self.learning_rate,
                max_leaf_nodes=self.max_leaf_nodes,
                early_stopping=False,
                random_state=self.random_state,
            ).fit(self._stage2_columns(oof1, oofl, F), (y == EDITORIAL_COLUMN).astype(np.int64), sample_weight=weight)
        self.feature_names_ = self.numeric_names
        self.stage2_feature_names_ = self.stage2_names(self.classes_)
        return self

    def _stage1_sparse(self, F: FeatureBatch, rows: np.ndarray | None = None) -> list[sp.csr_matrix]:
        if not getattr(self, "stage1_words", True):
            return []
        return [F.tokens if rows is None else F.tokens[rows]]

    def _fit_stage1(self, F: FeatureBatch, rows: np.ndarray, y: np.ndarray, weight: np.ndarray | None) -> _Linear:
        sparse = [F.tokens[rows]] if self.stage1_words else []
        return _Linear(self.C, self.random_state, self.max_iter).fit(
            sparse, F.numeric[rows], y[rows], len(self.classes_), None if weight is None else weight[rows]
        )

    def _fit_lexical(
        self,
        F: FeatureBatch,
        rows: np.ndarray,
        y: np.ndarray,
        bank: FeatureBatch | None,
        y_bank: np.ndarray | None,
        weight: np.ndarray | None = None,
    ) -> _Linear:
        sparse, dense = self._lexical_inputs(_rows(F, rows))
        target = y[rows]
        w = None if weight is None else weight[rows]
        if bank is not None and y_bank is not None and len(y_bank):
            bsparse, bdense = self._lexical_inputs(bank)
            sparse = [sp.vstack([a, b], format="csr") for a, b in zip(sparse, bsparse)]
            dense = np.vstack([dense, bdense])
            target = np.concatenate([target, y_bank])
            w = None if w is None else np.concatenate([w, np.ones(len(y_bank))])
        # The lexical view reads a line without its page, so the same line with the same label
        # (a site's menu, the short views cut from pages) is one row counted several times.
        sparse, dense, target, w, copies = collapse_rows(sparse, dense, target, w)
        return _Linear(self.lexical_C, self.random_state, self.max_iter).fit(
            sparse, dense, target, len(self.classes_), w, copies
        )

    def _editorial_probability(self, X2: np.ndarray, threads: int) -> np.ndarray:
        """Stage 2's P(editorial), evaluating the trees with an explicit thread count."""
        hgb = self.stage2_
        X2 = np.ascontiguousarray(X2, dtype=np.float64)
        # The estimator's own predict_proba reads the thread count from the process-wide OpenMP
        # setting; passing it to each tree keeps one call from fighting its neighbours. Stage 2
        # is binary: one tree per iteration, added in order as scikit-learn adds them (the same
        # scores to the last bit, without its per-call wrappers: 10 % of the trees' time).
        known, f_idx = hgb._bin_mapper.make_known_categories_bitsets()
        trees = [tree for (tree,) in hgb._predictors]
        raw = np.full(X2.shape[0], hgb._baseline_prediction.ravel()[0], dtype=hgb._baseline_prediction.dtype)
        # The trees are applied one after another to all rows given: a block of rows that stays
        # in the CPU cache across all trees made a 94k-line batch 3.5x faster than one pass.
        for a in range(0, X2.shape[0], TREE_BLOCK_ROWS):
            block, acc = X2[a : a + TREE_BLOCK_ROWS], raw[a : a + TREE_BLOCK_ROWS]
            for tree in trees:
                acc += tree.predict(block, known, f_idx, threads)
        p = expit(raw)
        return p if hgb.classes_[1] == 1 else 1.0 - p

    def predict_parts(self, docs: Sequence[Sequence[str]], threads: int = DEFAULT_THREADS) -> dict[str, np.ndarray]:
        """Stage 1's and the lexical view's probabilities and stage 2's P(editorial), per line."""
        return self.predict_features(featurize(docs, self.blocks, self.affixes), threads)

    def predict_features(self, F: FeatureBatch, threads: int = DEFAULT_THREADS) -> dict[str, np.ndarray]:
        """:meth:`predict_parts` on features already computed."""
        k = len(self.classes_)
        if F.numeric.shape[0] == 0:
            return {"stage1": np.zeros((0, k)), "lexical": np.zeros((0, k)), "editorial": np.zeros(0)}
        p1, plex, X2 = self.stage2_inputs(F)
        pe = self._editorial_probability(X2, threads)
        s1 = p1 if p1 is not None else plex
        assert s1 is not None
        return {"stage1": s1, "lexical": plex if plex is not None else s1, "editorial": pe}

    def stage2_inputs(self, F: FeatureBatch) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
        """Stage 1's and the lexical view's probabilities, and the boosted stage's columns."""
        p1 = self.stage1_.proba(self._stage1_sparse(F), F.numeric) if self.stage1_ is not None else None
        plex = self.lexical_.proba(*self._lexical_inputs(F)) if self.lexical_ is not None else None
        return p1, plex, self._stage2_columns(p1, plex, F)

    def predict_pages(
        self, docs: Sequence[Sequence[str]], threads: int = DEFAULT_THREADS
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`predict_proba`, and each document's probability of being a forum thread
        (``None`` for a model without the page classifier, :mod:`detector.forums`)."""
        F = featurize(docs, self.blocks, self.affixes)
        proba = self.combine(self.predict_features(F, threads))
        forum = self.forum_pages_.probability(F.tokens, F.offsets) if self.forum_pages_ is not None else None
        return proba, forum

    def predict_proba(self, docs: Sequence[Sequence[str]], threads: int = DEFAULT_THREADS) -> np.ndarray:
        """Probabilities (lines of all documents x ``classes_``), in reading order.

        The editorial column is stage 2's; the other labels share the rest in the proportions
        of stage 1 and the lexical view together.
        """
        return self.predict_pages(docs, threads)[0]

    def combine(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """One probability per label from :meth:`predict_parts`' output."""
        pe = parts["editorial"]
        k = len(self.classes_)
        out = np.zeros((len(pe), k))
        if len(pe) == 0:
            return out
        other = [i for i in range(k) if i != EDITORIAL_COLUMN]
        mix = parts["stage1"][:, other] + parts["lexical"][:, other]
        mix /= np.maximum(mix.sum(axis=1, keepdims=True), 1e-12)
        out[:, EDITORIAL_COLUMN] = pe
        out[:, other] = (1.0 - pe)[:, None] * mix
        return out


def collapse_rows(
    sparse: list[sp.csr_matrix], dense: np.ndarray, y: np.ndarray, weight: np.ndarray | None
) -> tuple[list[sp.csr_matrix], np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Identical rows (same features, label and weight) merged into one, with their count.

    A logistic regression fitted on the merged rows, each weighted by its count, minimises the
    same loss as on all rows; 42 % of the default corpus's lexical rows are repeats.
    """
    n = dense.shape[0]
    mats = [m.tocsr() for m in sparse]
    dense_bytes = np.ascontiguousarray(dense)
    first: dict[tuple[bytes, ...], int] = {}
    keep: list[int] = []
    count: list[int] = []
    for i in range(n):
        key = [dense_bytes[i].tobytes(), int(y[i]).to_bytes(4, "little", signed=True)]
        if weight is not None:
            key.append(np.float64(weight[i]).tobytes())
        for m in mats:
            a, b = m.indptr[i], m.indptr[i + 1]
            key += [m.indices[a:b].tobytes(), m.data[a:b].tobytes()]
        j = first.setdefault(tuple(key), len(keep))
        if j == len(keep):
            keep.append(i)
            count.append(1)
        else:
            count[j] += 1
    rows = np.asarray(keep, dtype=np.int64)
    return (
        [m[rows] for m in mats],
        dense[rows],
        y[rows],
        None if weight is None else weight[rows],
        np.asarray(count, dtype=np.float64),
    )


def _rows(F: FeatureBatch, rows: np.ndarray) -> FeatureBatch:
    """Some rows of a batch for the context-free parts (no document structure needed)."""
    return FeatureBatch(F.tokens[rows], F.numeric[rows], F.doc_ids[rows], np.array([0, len(rows)]))
