"""The one rule that turns a line's probabilities into its label.

A line's score is the probability that it is not editorial. Below the threshold it is
editorial; at or above it, it takes the likeliest of the other labels. The filter, training's
reports and evaluation all decide with this function, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .dataset import EDITORIAL


def decide(proba: np.ndarray, classes: Sequence[str], threshold: float | np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Scores (clipped to [0, 1]) and labels of lines, given their probabilities per class and
    the threshold (one, or one per line).

    >>> decide(np.array([[0.9, 0.1, 0.0], [0.2, 0.3, 0.5]]), ["editorial", "boilerplate", "promotional"], 0.5)
    (array([0.1, 0.8]), ['editorial', 'promotional'])
    """
    ed = list(classes).index(EDITORIAL)
    if len(proba) == 0:
        return np.zeros(0), []
    scores = np.clip(1.0 - proba[:, ed], 0.0, 1.0)
    other = [i for i in range(len(classes)) if i != ed]
    alt = np.asarray(other)[np.argmax(proba[:, other], axis=1)] if other else np.full(len(proba), ed)
    names = [classes[i] for i in alt.tolist()]
    editorial = (scores < threshold).tolist()
    return scores, [EDITORIAL if e else a for e, a in zip(editorial, names)]
