"""Why a line was kept or removed: the evidence behind each verdict (``detector explain``).

For every line: its score and label; the lexical view's own verdict and the words, word
pieces and shape cues that pushed it toward junk or toward editorial (the view is a linear
model, so each feature's push is its weight times its value); the context view's verdict;
and the context evidence the boosted stage weighs: the neighbours' scores and where the line
sits relative to the page's main block of text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
from sklearn.feature_extraction import FeatureHasher

from .classifier import BLANK, TITLE_REPEAT, Detector, Verdict
from .dataset import EDITORIAL
from .features import SHAPE_NAMES, batch_line_features
from .model import N_HASH_FEATURES, LineModel, _Linear, featurize

DEFAULT_TOP = 3
RENDER_WIDTH = 140  # when the output is not a terminal
MAX_SHOWN_CHARS = 200
CUE_PREFIX = "cue_"
HEADLINE_NOTE = "kept as the page's headline: the page's first line, its title, repeats it (detector.titles)"
TITLE_REPEAT_NOTE = "removed as the page's title: the headline below repeats its words (detector.titles)"
# The context columns shown, and how they read (the model's own names, made readable).
CONTEXT_SHOWN = {
    "in_main": "in the main block of text",
    "before_main": "before the main block",
    "after_main": "after the main block",
    "prose_mass_before": "share of the page's prose before it",
    "prose_mass_after": "share of the page's prose after it",
    "short_run": "log1p length of the run of short lines holding it",
    "repeats": "log1p times its text repeats on the page",
}


@dataclass(frozen=True)
class Explanation:
    """The evidence behind one line's verdict (scores are P(not editorial), as everywhere)."""

    line_no: int
    text: str
    label: str
    score: float
    keep: bool
    lexical_score: float = float("nan")
    context_score: float = float("nan")
    toward_junk: list[tuple[str, float]] = field(default_factory=list)
    toward_editorial: list[tuple[str, float]] = field(default_factory=list)
    neighbours: tuple[float | None, float | None] = (None, None)
    context: dict[str, float] = field(default_factory=dict)
    note: str = ""

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready record of the explanation."""
        return {
            "line": self.line_no,
            "text": self.text,
            "label": self.label,
            "score": round(self.score, 4),
            "keep": self.keep,
            "lexical_score": round(self.lexical_score, 4),
            "context_score": round(self.context_score, 4),
            "toward_junk": [[n, round(w, 3)] for n, w in self.toward_junk],
            "toward_editorial": [[n, round(w, 3)] for n, w in self.toward_editorial],
            "previous_score": None if self.neighbours[0] is None else round(self.neighbours[0], 4),
            "next_score": None if self.neighbours[1] is None else round(self.neighbours[1], 4),
            "context": {k: round(v, 3) for k, v in self.context.items()},
            "note": self.note,
        }


def _toward_editorial(model: LineModel, lex: _Linear) -> np.ndarray:
    """Per input column of the lexical view: its weight toward editorial against the others."""
    k = len(model.classes_)
    full = np.zeros((k, lex.coef_.shape[1]))
    if lex.coef_.shape[0] == 1:  # binary: one row of log-odds for classes_[1]
        full[lex.classes_[1]] = lex.coef_[0]
    else:
        full[lex.classes_] = lex.coef_
    ed = model.classes_.index(EDITORIAL)
    others = [i for i in range(k) if i != ed]
    return full[ed] - full[others].mean(axis=0)


def explain(detector: Detector, lines: Sequence[str], top: int = DEFAULT_TOP) -> list[Explanation]:
    """The evidence behind every non-blank line's verdict in one document."""
    if isinstance(lines, str):
        raise TypeError("explain() takes the lines of one document (a list of str), not one str")
    lines = list(lines)
    verdicts = detector.classify(lines)
    model: LineModel = detector._loaded.model
    content = [i for i, v in enumerate(verdicts) if v.label != BLANK]
    doc = [lines[i] for i in content]
    if not doc:
        return []
    F = featurize([doc], model.blocks, model.affixes)
    parts = model.predict_features(F)
    ed = model.classes_.index(EDITORIAL)
    names = model.numeric_names
    col = {n: i for i, n in enumerate(names)}
    shown = {k: v for k, v in CONTEXT_SHOWN.items() if k in col}
    lexical: _Linear | None = getattr(model, "lexical_", None)
    weights = _toward_editorial(model, lexical) if lexical is not None else None
    batch = batch_line_features([doc]) if weights is not None else None
    hasher = FeatureHasher(n_features=N_HASH_FEATURES, input_type="string", alternate_sign=False)
    scores = [verdicts[i].score for i in content]
    out: list[Explanation] = []
    for row, i in enumerate(content):
        v = verdicts[i]
        pushes: list[tuple[str, float]] = []
        if lexical is not None and weights is not None and batch is not None:
            tokens = batch.words[row] + (batch.affixes[row] if model.affixes else [])
            if tokens:
                buckets = hasher.transform([[t] for t in tokens]).indices
                pushes += [(t, float(weights[b])) for t, b in zip(tokens, buckets)]
            raw = F.numeric[row : row + 1, : len(SHAPE_NAMES)]
            dense = lexical.scaler_.transform(raw)[0]
            start = sum(lexical.widths_)
            # A shape column pushes by how far it is from the average line; a cue only when present.
            pushes += [
                (name if name.startswith(CUE_PREFIX) else f"shape:{name}", float(weights[start + j] * x))
                for j, (name, x) in enumerate(zip(SHAPE_NAMES, dense))
                if x != 0 and (raw[0, j] != 0 or not name.startswith(CUE_PREFIX))
            ]
        junk = sorted((p for p in pushes if p[1] < 0), key=lambda p: p[1])[:top]
        editorial = sorted((p for p in pushes if p[1] > 0), key=lambda p: -p[1])[:top]
        out.append(
            Explanation(
                line_no=i + 1,
                text=v.text,
                label=v.label,
                score=v.score,
                keep=v.keep,
                lexical_score=float(1.0 - parts["lexical"][row, ed]),
                context_score=float(1.0 - parts["stage1"][row, ed]),
                toward_junk=[(n, -w) for n, w in junk],
                toward_editorial=editorial,
                neighbours=(scores[row - 1] if row else None, scores[row + 1] if row + 1 < len(scores) else None),
                context={text: float(F.numeric[row, col[k]]) for k, text in shown.items()},
                note=_note(v, detector.threshold),
            )
        )
    return out


def _note(v: Verdict, threshold: float) -> str:
    """Why a verdict is not the score's: a rule after the model decided it."""
    if v.label == TITLE_REPEAT:
        return TITLE_REPEAT_NOTE
    if v.keep and v.label == EDITORIAL and v.score >= threshold:
        return HEADLINE_NOTE
    return ""


def render(explained: Sequence[Explanation], threshold: float, out: IO[str], why: str = "") -> None:
    """A table for a terminal (rich): one row per line, the evidence under it, removed lines in red;
    ``why`` tells where the threshold came from when it is not the detector's own."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, width=None if out.isatty() else RENDER_WIDTH)
    table = Table(title=f"threshold {threshold:.3f}{why} · score = P(not editorial)", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("label")
    table.add_column("line, then the evidence: words alone · pushes toward junk | toward editorial · context")
    for e in explained:
        where = next((k for k in ("in_main", "before_main", "after_main") if e.context.get(CONTEXT_SHOWN[k])), "")
        prev, nxt = (f"{x:.2f}" if x is not None else "-" for x in e.neighbours)
        pushes = " | ".join(
            ", ".join(f"{n} {w:+.2f}" for n, w in side) or "-"
            for side in (e.toward_junk, [(n, -w) for n, w in e.toward_editorial])
        )
        cell = Text(e.text if len(e.text) <= MAX_SHOWN_CHARS else e.text[:MAX_SHOWN_CHARS] + "…")
        cell.append(
            f"\nwords alone {e.lexical_score:.2f}, context alone {e.context_score:.2f} · {pushes} · "
            f"{where.replace('_', ' ')}, neighbours {prev} / {nxt}" + (f" · {e.note}" if e.note else ""),
            style="dim",
        )
        table.add_row(str(e.line_no), f"{e.score:.3f}", e.label, cell, style=None if e.keep else "red")
    console.print(table)
