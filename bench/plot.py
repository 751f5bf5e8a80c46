"""The detector's precision-recall curve over thresholds, with the other rows as points."""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

from .linemetrics import line_scores
from .metric import aggregate, page_counts, shingles
from .rows import joined

LOGIT_MIN, LOGIT_MAX, LOGIT_STEP = -12.0, 12.0, 0.25


def curve_thresholds() -> list[float]:
    """Thresholds evenly spaced in logit space (dense near 0 and 1, where models put them), plus 1.

    Threshold 0 keeps nothing, where page precision is undefined, so the sweep starts just above it.

    >>> ts = curve_thresholds(); round(ts[0], 6), ts[-1], len(ts)
    (6e-06, 1.0, 98)
    """
    n = round((LOGIT_MAX - LOGIT_MIN) / LOGIT_STEP)
    mids = [1 / (1 + math.exp(-(LOGIT_MIN + k * LOGIT_STEP))) for k in range(n + 1)]
    return [*mids, 1.0]


class CurvePoint(NamedTuple):
    """Page-level and line-level precision/recall at one threshold."""

    threshold: float
    page_precision: float
    page_recall: float
    page_f1: float
    line_precision: float
    line_recall: float


def pr_curve(
    lines: list[list[str]],
    scores: list[list[float]],
    labels: list[list[bool]],
    truths: list[str],
    thresholds: list[float] | None = None,
) -> list[CurvePoint]:
    """Sweep thresholds (keep = score < t) and score each setting."""
    truth_sh = [shingles(t) for t in truths]
    points = []
    for t in thresholds or curve_thresholds():
        masks = [[s < t for s in page] for page in scores]
        if not any(any(m) for m in masks):
            continue  # nothing kept: precision undefined
        counts = [page_counts(ts, shingles(joined(ls, m))) for ts, ls, m in zip(truth_sh, lines, masks, strict=True)]
        page = aggregate(counts)
        ln = line_scores(lines, labels, masks)
        points.append(
            CurvePoint(t, page.precision, page.recall, page.f1, ln.precision_lines, ln.editorial_recall_lines)
        )
    return points


def draw(
    curve: list[CurvePoint],
    page_points: dict[str, tuple[float, float]],
    line_points: dict[str, tuple[float, float]],
    title: str,
    out: Path,
) -> None:
    """Write the two-panel PNG: page metric (left) and line metric (right).

    ``page_points``/``line_points`` map a row name to its (recall, precision).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2))
    panels = [
        (axes[0], [(c.page_recall, c.page_precision) for c in curve], page_points, "Page metric (4-token shingles)"),
        (axes[1], [(c.line_recall, c.line_precision) for c in curve], line_points, "Lines (kept = editorial)"),
    ]
    markers = "osD^v<>Xp*h"
    for ax, pts, others, sub in panels:
        xs, ys = zip(*pts, strict=True)
        ax.plot(xs, ys, "-", color="tab:blue", lw=1.5, label=f"{title}, threshold sweep")
        for i, (name, (r, p)) in enumerate(sorted(others.items())):
            ax.plot([r], [p], markers[i % len(markers)], ms=8, label=name)
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_title(sub)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
