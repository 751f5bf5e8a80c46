"""What the Scrapy, datatrove and Spark integrations share: settings, values, budgets, imports.

The integrations filter only through :meth:`detector.Detector.filter_documents`; this module
turns their settings into a detector and their field values into documents and back, so the
three agree on what a line, a removed fraction and an over-budget document are.

>>> config = FilterConfig(max_removed_fraction=0.5)
>>> config.over_budget(removed_fraction(3, 4))
True
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from ..classifier import DEFAULT_KEEP, Detector, RemovedLine
from ..errors import DetectorError, MissingExtraError
from ..sitememory import SiteMemory
from ..text import is_blank, split_lines, strip_ending

# Why a document was dropped; datatrove reports them as ``dropped_<reason>`` stats.
REASON_EMPTY = "detector_empty"
REASON_OVER_BUDGET = "detector_over_budget"

FieldValue = str | Sequence[str]


def require(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or raise :class:`MissingExtraError` naming the extra.

    Whatever module turns out to be missing, the framework or one of the packages it imports
    (datatrove's filters need ``regex``, which datatrove itself leaves to an extra of its own),
    the extra installs it; the original error stays chained for the traceback.

    >>> require("json", "none").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        missing = (exc.name or module).split(".")[0]
        raise MissingExtraError(missing, extra) from exc


def _labels(keep: Iterable[str] | str) -> frozenset[str]:
    # A comma-separated string is what `-s DETECTOR_KEEP_LABELS=a,b` and config files give.
    if isinstance(keep, str):
        return frozenset(x.strip() for x in keep.split(",") if x.strip())
    return frozenset(keep)


@dataclass(frozen=True)
class FilterConfig:
    """How an integration builds its detector and judges a document; immutable and hashable.

    It holds a model *path*, never a loaded model, so blocks that carry it pickle small.
    ``model``: a file saved by ``detector train`` (``None``: the embedded default model).
    ``threshold``: ``None`` for the model's own. ``keep``: the labels a filter keeps.
    ``max_removed_fraction``: the removal budget; a document that loses a larger share of its
    content lines is over budget (``None``: no budget).
    """

    model: str | None = None
    threshold: float | None = None
    keep: frozenset[str] = DEFAULT_KEEP
    max_removed_fraction: float | None = None

    def __post_init__(self) -> None:
        if self.model is not None:
            object.__setattr__(self, "model", os.fspath(self.model))
        object.__setattr__(self, "keep", _labels(self.keep))
        if not self.keep:
            raise DetectorError("no labels to keep; name at least one, for example 'editorial'")
        if self.threshold is not None:
            object.__setattr__(self, "threshold", float(self.threshold))
        if self.max_removed_fraction is not None:
            fraction = float(self.max_removed_fraction)
            if not 0.0 <= fraction <= 1.0:
                raise DetectorError(
                    f"max removed fraction {fraction} is outside [0, 1]; 0.8 drops pages that lose over 80% of their lines"
                )
            object.__setattr__(self, "max_removed_fraction", fraction)

    def build(self, model: str | Path | None = None) -> Detector:
        """Load the detector these settings describe (``model`` overrides where the file is)."""
        path = self.model if model is None else model
        if path is None:
            return Detector.default(threshold=self.threshold, keep=self.keep)
        return Detector.load(path, threshold=self.threshold, keep=self.keep)

    def over_budget(self, fraction: float) -> bool:
        """True when a document lost more than the budget allows."""
        return self.max_removed_fraction is not None and fraction > self.max_removed_fraction


def removed_fraction(removed: int, content_lines: int) -> float:
    """Removed lines over content (non-blank) lines; 0.0 for a document without content.

    >>> removed_fraction(1, 4), removed_fraction(0, 0)
    (0.25, 0.0)
    """
    return removed / content_lines if content_lines else 0.0


class CleanedValue(NamedTuple):
    """One field after filtering, in the form it came in: a string, or a list of lines."""

    value: str | list[str]
    removed: list[RemovedLine]
    content_lines: int

    @property
    def kept_lines(self) -> int:
        """Content lines left."""
        return self.content_lines - len(self.removed)

    @property
    def removed_fraction(self) -> float:
        """See :func:`removed_fraction`."""
        return removed_fraction(len(self.removed), self.content_lines)


def is_cleanable(value: Any) -> bool:
    """A string, or a list or tuple of strings (one line each)."""
    if isinstance(value, str):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value)


def as_text(value: FieldValue) -> str:
    """The document a field value stands for: a string as it is, a list one element per line.

    >>> as_text(["Home", "", "A paragraph."])
    'Home\\n\\nA paragraph.\\n'
    """
    if isinstance(value, str):
        return value
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in value)


def clean_values(
    detector: Detector,
    values: Sequence[FieldValue],
    sites: Sequence[str | None] | None = None,
    memory: SiteMemory | None = None,
) -> list[CleanedValue]:
    """Filter many field values in one batched call; each comes back in its own form.

    A list comes back as the list of kept lines (with the blank lines the filter keeps between
    paragraphs); an element holding line breaks counts as that many lines. ``sites`` (a URL per
    value, or None) and ``memory`` remove each host's recurring chrome (:class:`SiteMemory`).
    """
    texts = [as_text(v) for v in values]
    out: list[CleanedValue] = []
    results = detector.filter_documents(texts, sites=sites, memory=memory)
    for value, text, result in zip(values, texts, results):
        content = sum(1 for line in split_lines(text) if not is_blank(line))
        cleaned: str | list[str] = (
            result.text if isinstance(value, str) else [strip_ending(x) for x in split_lines(result.text)]
        )
        out.append(CleanedValue(cleaned, result.removed, content))
    return out


def drop_reason(cleaned: Sequence[CleanedValue], config: FilterConfig, *, drop_empty: bool) -> str | None:
    """Why a document made of ``cleaned`` fields should go, or ``None`` to keep it.

    Empty comes first: a document with nothing editorial left is also over any budget, and
    "empty" says more.
    """
    content = sum(c.content_lines for c in cleaned)
    kept = sum(c.kept_lines for c in cleaned)
    if drop_empty and kept == 0:
        return REASON_EMPTY
    if config.over_budget(removed_fraction(content - kept, content)):
        return REASON_OVER_BUDGET
    return None


def audit_records(removed: Iterable[RemovedLine], field: str | None = None) -> list[dict[str, Any]]:
    """Removed lines as JSON-ready records (the keys ``detector filter-jsonl --annotate`` writes).

    >>> audit_records([RemovedLine(1, "Home", "boilerplate", 0.987654)])
    [{'line': 1, 'text': 'Home', 'label': 'boilerplate', 'score': 0.9877}]
    """
    records = []
    for r in removed:
        record = r.to_record()
        if field is not None:
            record["field"] = field
        records.append(record)
    return records
