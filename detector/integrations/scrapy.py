"""A Scrapy item pipeline that removes the non-editorial lines of scraped text fields.

One line in ``settings.py`` turns it on::

    ITEM_PIPELINES = {"detector.integrations.scrapy.DetectorPipeline": 300}

or, as a Scrapy add-on (it installs the same pipeline at priority 300)::

    ADDONS = {"detector.integrations.scrapy.DetectorAddon": 0}

Settings (all optional):

=================================  ===================  ==============================================
setting                            default              meaning
=================================  ===================  ==============================================
``DETECTOR_ENABLED``               ``True``             ``False`` turns the pipeline off
``DETECTOR_FIELDS``                ``["text"]``         fields to clean: a string or a list of lines
``DETECTOR_MODEL``                 ``None``             a model file; ``None``: the embedded default
``DETECTOR_THRESHOLD``             ``None``             ``None``: the model's own
``DETECTOR_KEEP_LABELS``           ``["editorial"]``    the labels to keep
``DETECTOR_REMOVED_FIELD``         ``None``             where to store the removed lines, for audit
``DETECTOR_DROP_EMPTY``            ``False``            drop items with nothing editorial left
``DETECTOR_MAX_REMOVED_FRACTION``  ``None``             the removal budget, a share of lines (0-1)
``DETECTOR_BUDGET_ACTION``         ``"drop"``           over budget: ``"drop"`` or ``"flag"``
``DETECTOR_FLAG_FIELD``            ``"detector_flag"``  where ``"flag"`` writes its note
``DETECTOR_HTML_FIELD``            ``None``             a field holding the page's HTML (see below)
``DETECTOR_SITE_MEMORY``           ``True``             remove lines recurring on a host's pages
``DETECTOR_URL_FIELD``             ``"url"``            the item field holding the page's URL
``DETECTOR_SITE_MEMORY_FILE``      ``None``             load site memory from / save it to this file
=================================  ===================  ==============================================

Spiders that keep the HTML (``{"url": response.url, "html": response.text}``) set
``DETECTOR_HTML_FIELD = "html"``: the page's text, as html-text prints it (the ``html`` extra),
is filtered and written into the first of ``DETECTOR_FIELDS``; the HTML field stays as it was.

Site memory: an item pipeline sees items, not responses, so the page's host comes from the
item's URL field. Lines that recur on many earlier pages of the same host are removed as that
site's chrome (:class:`detector.SiteMemory`, label ``site-chrome`` in the removed-lines
field); it applies to the first of ``DETECTOR_FIELDS``, and items without a URL are filtered by
the model alone. With ``DETECTOR_SITE_MEMORY_FILE`` a resumed crawl keeps what the last one
learnt (read when the spider opens if the file exists, written when it closes).

An item over budget is either dropped, or (``"flag"``) passed on with its text *unchanged* and
``{"removed_fraction": ..., "max_removed_fraction": ...}`` in the flag field: a page the filter
wanted to gut is one to look at, not one to trust the filter with. The removed-lines field
holds ``{"field", "line", "text", "label", "score"}`` records. Items may be dicts,
``scrapy.Item``, dataclasses or attrs classes; an Item class must declare the removed and flag
fields it is given. Stats: ``detector/items_cleaned``, ``detector/items_dropped`` (and
``detector/items_dropped/<reason>``), ``detector/items_flagged``, ``detector/lines`` (content
lines seen) and ``detector/lines_removed``.

The model is loaded once, in ``from_crawler``; filtering runs in the reactor thread (about a
millisecond per page), like any synchronous pipeline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..classifier import DEFAULT_KEEP, Detector
from ..errors import DetectorError
from ..sitememory import SiteMemory
from ._common import (
    REASON_EMPTY,
    REASON_OVER_BUDGET,
    FilterConfig,
    audit_records,
    clean_values,
    drop_reason,
    is_cleanable,
    removed_fraction,
    require,
)

require("scrapy", "scrapy")
require("itemadapter", "scrapy")

from itemadapter import ItemAdapter  # noqa: E402
from scrapy.exceptions import DropItem, NotConfigured  # noqa: E402

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

__all__ = ["DetectorAddon", "DetectorPipeline", "PipelineSettings"]

log = logging.getLogger(__name__)

PIPELINE_PRIORITY = 300
DEFAULT_FIELDS = ("text",)
DEFAULT_FLAG_FIELD = "detector_flag"
BUDGET_ACTIONS = ("drop", "flag")
STATS = "detector/"


@dataclass(frozen=True)
class PipelineSettings:
    """The pipeline's settings, read once from the crawler's ``DETECTOR_*`` settings."""

    fields: tuple[str, ...] = DEFAULT_FIELDS
    filter: FilterConfig = FilterConfig()
    removed_field: str | None = None
    drop_empty: bool = False
    budget_action: str = "drop"
    flag_field: str = DEFAULT_FLAG_FIELD
    html_field: str | None = None
    site_memory: bool = True
    url_field: str = "url"
    site_memory_file: str | None = None

    def __post_init__(self) -> None:
        if self.budget_action not in BUDGET_ACTIONS:
            raise DetectorError(
                f"DETECTOR_BUDGET_ACTION is {self.budget_action!r}; choose one of {', '.join(BUDGET_ACTIONS)}"
            )
        if not self.fields:
            raise DetectorError("DETECTOR_FIELDS is empty; name the fields to clean, for example ['text']")

    @classmethod
    def from_scrapy(cls, settings: BaseSettings) -> PipelineSettings:
        """Read ``DETECTOR_*`` settings (strings from ``-s`` included)."""
        threshold = settings.get("DETECTOR_THRESHOLD")
        fraction = settings.get("DETECTOR_MAX_REMOVED_FRACTION")
        return cls(
            fields=tuple(settings.getlist("DETECTOR_FIELDS", list(DEFAULT_FIELDS))),
            filter=FilterConfig(
                model=settings.get("DETECTOR_MODEL") or None,
                threshold=None if threshold in (None, "") else float(threshold),
                keep=frozenset(settings.getlist("DETECTOR_KEEP_LABELS", sorted(DEFAULT_KEEP))),
                max_removed_fraction=None if fraction in (None, "") else float(fraction),
            ),
            removed_field=settings.get("DETECTOR_REMOVED_FIELD") or None,
            drop_empty=settings.getbool("DETECTOR_DROP_EMPTY", False),
            budget_action=str(settings.get("DETECTOR_BUDGET_ACTION", "drop")),
            flag_field=settings.get("DETECTOR_FLAG_FIELD") or DEFAULT_FLAG_FIELD,
            html_field=settings.get("DETECTOR_HTML_FIELD") or None,
            site_memory=settings.getbool("DETECTOR_SITE_MEMORY", True),
            url_field=settings.get("DETECTOR_URL_FIELD") or "url",
            site_memory_file=settings.get("DETECTOR_SITE_MEMORY_FILE") or None,
        )


class DetectorPipeline:
    """Cleans ``DETECTOR_FIELDS`` of every item; see the module docstring for the settings."""

    def __init__(
        self, detector: Detector, settings: PipelineSettings = PipelineSettings(), stats: StatsCollector | None = None
    ) -> None:
        self.detector = detector
        self.settings = settings
        self.stats = stats
        self._warned: set[tuple[type, str]] = set()
        self.memory: SiteMemory | None = None
        if settings.site_memory:
            path = settings.site_memory_file
            self.memory = SiteMemory.load(path) if path and Path(path).exists() else SiteMemory()
        if settings.html_field:
            require("html_text", "html")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DetectorPipeline:
        """Read the settings and load the model, once per crawl."""
        if not crawler.settings.getbool("DETECTOR_ENABLED", True):
            raise NotConfigured("DETECTOR_ENABLED is False")
        settings = PipelineSettings.from_scrapy(crawler.settings)
        detector = settings.filter.build()
        log.info(
            "detector: cleaning %s with %s (threshold %.3f, keeping %s)",
            ", ".join(settings.fields),
            detector.source,
            detector.threshold,
            ", ".join(sorted(detector.settings.keep)),
        )
        return cls(detector, settings, crawler.stats)

    # ``spider`` is optional: Scrapy before 2.13 passes it, later versions call without it
    # (a required ``spider`` argument is deprecated there).
    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean the item's text fields in place; raise ``DropItem`` for empty or over-budget items."""
        adapter = ItemAdapter(item)
        html_field = self.settings.html_field
        if html_field and isinstance(adapter.get(html_field), str):
            from ..html_input import html_to_text

            self._set(adapter, self.settings.fields[0], html_to_text(adapter[html_field]))
        names = [name for name in self.settings.fields if name in adapter and is_cleanable(adapter[name])]
        if not names:
            return item
        url = adapter.get(self.settings.url_field) if self.memory is not None else None
        sites: list[str | None] | None = None
        if isinstance(url, str) and url.strip():
            sites = [url if name == self.settings.fields[0] else None for name in names]
        cleaned = clean_values(self.detector, [adapter[name] for name in names], sites, self.memory)
        content = sum(c.content_lines for c in cleaned)
        removed = sum(len(c.removed) for c in cleaned)
        self._inc("lines", content)
        reason = drop_reason(cleaned, self.settings.filter, drop_empty=self.settings.drop_empty)
        if reason == REASON_EMPTY or (reason == REASON_OVER_BUDGET and self.settings.budget_action == "drop"):
            self._inc("items_dropped")
            self._inc(f"items_dropped/{reason.removeprefix('detector_')}")
            raise DropItem(self._why(reason, removed, content))
        flagged = reason == REASON_OVER_BUDGET
        if flagged:
            self._set(
                adapter,
                self.settings.flag_field,
                {
                    "removed_fraction": round(removed_fraction(removed, content), 4),
                    "max_removed_fraction": self.settings.filter.max_removed_fraction,
                },
            )
            self._inc("items_flagged")
        else:
            for name, value in zip(names, cleaned):
                adapter[name] = value.value
            self._inc("items_cleaned")
            self._inc("lines_removed", removed)
        if self.settings.removed_field:
            records = [r for name, value in zip(names, cleaned) for r in audit_records(value.removed, name)]
            self._set(adapter, self.settings.removed_field, records)
        return item

    def close_spider(self, spider: Any = None) -> None:
        """Save the site memory where ``DETECTOR_SITE_MEMORY_FILE`` says, for the next crawl."""
        if self.memory is not None and self.settings.site_memory_file:
            self.memory.save(self.settings.site_memory_file)
            log.info("detector: site memory of %d hosts saved to %s", len(self.memory), self.settings.site_memory_file)

    def _why(self, reason: str, removed: int, content: int) -> str:
        if reason == REASON_EMPTY:
            return f"detector: nothing editorial left ({removed} of {content} lines removed)"
        return (
            f"detector: {removed} of {content} lines removed, over the budget of "
            f"{self.settings.filter.max_removed_fraction:.0%} (DETECTOR_MAX_REMOVED_FRACTION)"
        )

    def _set(self, adapter: ItemAdapter, name: str, value: Any) -> None:
        try:
            adapter[name] = value
        except KeyError:
            key = (type(adapter.item), name)
            if key not in self._warned:
                self._warned.add(key)
                log.warning(
                    "detector: %s has no field %r, so it is left out; declare it (%s = scrapy.Field()) "
                    "or change the DETECTOR_* setting that names it",
                    type(adapter.item).__name__,
                    name,
                    name,
                )

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(STATS + key, count)


class DetectorAddon:
    """A Scrapy add-on that installs :class:`DetectorPipeline` (priority 300) with its defaults.

    ``ADDONS = {"detector.integrations.scrapy.DetectorAddon": 0}``; the ``DETECTOR_*`` settings
    still apply. A pipeline already listed in ``ITEM_PIPELINES`` keeps its priority.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        """Add the pipeline to ``ITEM_PIPELINES`` unless it is there already."""
        if hasattr(settings, "setdefault_in_component_priority_dict"):  # Scrapy 2.13+
            settings.setdefault_in_component_priority_dict("ITEM_PIPELINES", DetectorPipeline, PIPELINE_PRIORITY)
            return
        from scrapy.utils.misc import load_object

        pipelines = settings["ITEM_PIPELINES"]
        if not any(load_object(k) is DetectorPipeline for k in pipelines):
            pipelines[DetectorPipeline] = PIPELINE_PRIORITY
