"""Line-level metrics of a keep-mask against the matched labels, pooled over pages.

"Positive" is *kept = editorial*: precision is the share of kept lines that
are editorial, editorial recall the share of editorial lines kept (by lines
and by characters), removal rate the share of non-editorial lines dropped.
"""

from __future__ import annotations

from typing import NamedTuple


class LineScores(NamedTuple):
    """Pooled line metrics of one row."""

    editorial_recall_lines: float
    editorial_recall_chars: float
    removal_rate_lines: float
    precision_lines: float
    f1_lines: float


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def line_scores(lines: list[list[str]], labels: list[list[bool]], masks: list[list[bool]]) -> LineScores:
    """Pool counts over all pages and return the five line metrics.

    >>> line_scores([["a", "bb"]], [[True, False]], [[True, True]]).precision_lines
    0.5
    """
    tp = fp = fn = tn = 0
    ed_chars = kept_ed_chars = 0
    for page, labs, keep in zip(lines, labels, masks, strict=True):
        for line, ed, k in zip(page, labs, keep, strict=True):
            if ed:
                ed_chars += len(line)
                if k:
                    tp += 1
                    kept_ed_chars += len(line)
                else:
                    fn += 1
            elif k:
                fp += 1
            else:
                tn += 1
    recall = _ratio(tp, tp + fn)
    precision = _ratio(tp, tp + fp)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return LineScores(recall, _ratio(kept_ed_chars, ed_chars), _ratio(tn, tn + fp), precision, f1)
