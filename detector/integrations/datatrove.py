"""A datatrove filter block that removes the non-editorial lines of every document.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from detector.integrations.datatrove import DetectorFilter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("data/in"),
        DetectorFilter(max_removed_fraction=0.9, exclusion_writer=JsonlWriter("data/removed")),
        JsonlWriter("data/out"),
    ], tasks=4).run()

Each kept document gets its cleaned text and, in ``doc.metadata``,
``detector_removed_fraction`` (removed over content lines) and ``detector_removed`` (the removed
lines as ``{"line", "text", "label", "score"}`` records; ``record_removed=False`` leaves them
out). A document goes to the exclusion writer, with its original text and
``metadata["filter_reason"]``, when nothing editorial is left (``detector_empty``; turn off with
``drop_empty=False``) or when it lost more than ``max_removed_fraction`` of its lines
(``detector_over_budget``). Stats: ``lines``, ``lines_removed`` and datatrove's own
``forwarded`` / ``dropped`` / ``dropped_<reason>``.

Site memory is on by default: lines that recur on many documents of one host (the host of
``doc.metadata[url_key]``, ``"url"`` by default, as datatrove's WARC and JSONL readers give it)
are removed as that site's chrome (:class:`detector.SiteMemory`, label ``site-chrome``). Each
task keeps its own bounded memory and sees its documents in order, so a task's output does
not depend on the others. ``site_memory=False`` turns it off; documents without a URL are
filtered by the model alone.

The model loads on first use in each worker; the block pickles without it, so it is shipped to
workers as a path, not as a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..classifier import DEFAULT_KEEP, Detector
from ..sitememory import SiteMemory
from ._common import FilterConfig, audit_records, clean_values, drop_reason, require

require("datatrove.pipeline.filters.base_filter", "datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.filters.base_filter import BaseFilter  # noqa: E402
from datatrove.pipeline.writers.disk_base import DiskWriter  # noqa: E402

__all__ = ["DetectorFilter"]

METADATA_REMOVED = "detector_removed"
METADATA_FRACTION = "detector_removed_fraction"
# Documents per batched model call (Detector.filter_documents): larger batches amortise the
# model's per-call overhead.
DEFAULT_BATCH_SIZE = 64


class DetectorFilter(BaseFilter):
    """Keep the editorial lines of ``doc.text``; drop documents left empty or over budget."""

    name = "🧹 detector"

    def __init__(
        self,
        model_path: str | None = None,
        threshold: float | None = None,
        keep_labels: Iterable[str] = DEFAULT_KEEP,
        max_removed_fraction: float | None = None,
        drop_empty: bool = True,
        record_removed: bool = True,
        exclusion_writer: DiskWriter | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        site_memory: bool = True,
        url_key: str = "url",
    ) -> None:
        super().__init__(exclusion_writer, batch_size)
        self.config = FilterConfig(model_path, threshold, frozenset(keep_labels), max_removed_fraction)
        self.drop_empty = drop_empty
        self.record_removed = record_removed
        self.site_memory = site_memory
        self.url_key = url_key
        self._detector: Detector | None = None
        self._memory: SiteMemory | None = None

    @property
    def detector(self) -> Detector:
        """The detector, loaded on first use in this process."""
        if self._detector is None:
            self._detector = self.config.build()
        return self._detector

    def __getstate__(self) -> dict[str, Any]:
        # Blocks are pickled (and deep-copied) for every task: ship the settings, not the model.
        state = self.__dict__.copy()
        state["_detector"] = None
        state["_memory"] = None  # each task starts its own memory
        return state

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Clean one document (``filter_batch`` does the work, batched)."""
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        """Clean a batch of documents with one model call; returns keep or ``(False, reason)``."""
        results: list[bool | tuple[bool, str]] = []
        sites: list[str | None] | None = None
        if self.site_memory:
            if self._memory is None:
                self._memory = SiteMemory()
            sites = [_url(doc.metadata.get(self.url_key)) for doc in batch]
        cleaned_values = clean_values(self.detector, [doc.text for doc in batch], sites, self._memory)
        for doc, cleaned in zip(batch, cleaned_values):
            doc.metadata[METADATA_FRACTION] = round(cleaned.removed_fraction, 4)
            if self.record_removed:
                doc.metadata[METADATA_REMOVED] = audit_records(cleaned.removed)
            self.stat_update("lines", value=cleaned.content_lines)
            reason = drop_reason([cleaned], self.config, drop_empty=self.drop_empty)
            if reason is not None:
                results.append((False, reason))
                continue
            self.stat_update("lines_removed", value=len(cleaned.removed))
            doc.text = str(cleaned.value)
            results.append(True)
        return results


def _url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
