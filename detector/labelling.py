"""Pre-labelled training files: the model's labels filled in, its doubts marked, for a person
to correct in an editor and train on (``detector label``).

The file is the training format of :mod:`detector.dataset`: ``E text``, ``P text``,
``B text``. A line the model was unsure of (its score within ``margin`` of the threshold)
gets ``?`` after its code (``E? text``); the loader reads ``E?`` as ``E``, so a corrected file
trains as it is, and deleting the marks is optional. The text after the code is the line
byte for byte, so a file loads back to exactly the lines it was made from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .classifier import BLANK, Detector, Verdict
from .dataset import DEFAULT_CODES, UNSURE_MARK

DEFAULT_MARGIN = 0.15
_CODE_OF = {name: code for code, name in DEFAULT_CODES.items()}


@dataclass(frozen=True)
class Prelabelled:
    """A pre-labelled document: its file text, and how many lines were labelled and marked unsure."""

    text: str
    lines: int
    unsure: int


def code_of(label: str) -> str:
    """The short code a label is written with (its full name when it has none)."""
    return _CODE_OF.get(label, label)


def is_unsure(score: float, threshold: float, margin: float = DEFAULT_MARGIN) -> bool:
    """Whether a score lies so close to the threshold that a person should check the label."""
    return abs(score - threshold) < margin


def prelabel(
    detector: Detector,
    lines: Sequence[str],
    *,
    margin: float = DEFAULT_MARGIN,
    meta: dict[str, str] | None = None,
) -> Prelabelled:
    """The training-format file for one document's ``lines``, labelled by ``detector``.

    ``meta`` (``genre``, ``lang``, ``site``) goes into the header; give every page of one site
    the same ``site`` so that cross-validation keeps them together. Blank lines are left out
    (training ignores them).
    """
    if isinstance(lines, str):
        raise TypeError("prelabel() takes the lines of one document (a list of str), not one str")
    verdicts = detector.classify(list(lines))
    header = [f"# {k}: {v}" for k, v in (meta or {}).items() if v]
    header.append(
        f"# pre-labelled at threshold {detector.threshold:.3f}; a code with {UNSURE_MARK} (E{UNSURE_MARK}) "
        f"scored within {margin:g} of it: check those first"
    )
    body, unsure = _body(verdicts, detector.threshold, margin)
    return Prelabelled("\n".join(header + body) + "\n", len(body), unsure)


def _body(verdicts: Sequence[Verdict], threshold: float, margin: float) -> tuple[list[str], int]:
    out: list[str] = []
    unsure = 0
    for v in verdicts:
        if v.label == BLANK:
            continue
        mark = UNSURE_MARK if is_unsure(v.score, threshold, margin) else ""
        unsure += bool(mark)
        out.append(f"{code_of(v.label)}{mark} {v.text}")
    return out, unsure
