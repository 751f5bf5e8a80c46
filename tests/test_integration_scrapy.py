"""The Scrapy pipeline: a real crawl of a local fixture site, then the pipeline item by item.

Expectations come from the tiny model of the fixtures (the same model the pipeline loads from
``tiny_model_file``), plus a few lines it classifies clearly one way or the other.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
import os
import subprocess
import sys
import threading
import warnings
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

scrapy = pytest.importorskip("scrapy")
attr = pytest.importorskip("attr")
pytest.importorskip("itemadapter")

from scrapy.exceptions import DropItem, NotConfigured, ScrapyDeprecationWarning  # noqa: E402
from scrapy.pipelines import ItemPipelineManager  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from detector import DetectorError  # noqa: E402
from detector.integrations.scrapy import DetectorAddon, DetectorPipeline  # noqa: E402

from .conftest import DATA, REPO  # noqa: E402
from .test_classifier import PAGE  # noqa: E402

SITE = DATA / "site"
PIPELINE = "detector.integrations.scrapy.DetectorPipeline"
TEXT = "\n".join(PAGE) + "\n"
JUNK = "Home\nNews\nSport\nSign in\nPrivacy policy\nCookie settings\n"

# Lines of the fixture pages the tiny model is sure about (score < 0.2 or > 0.85).
EDITORIAL = [
    "The island ferry will leave from the western quay for the next eleven weeks, the harbour master confirmed on Monday.",
    "Passengers should allow an extra ten minutes to reach the western quay, which is served by the number 4 bus from the station.",
    "This loaf needs ten minutes of work in the evening and an hour in the oven the next morning.",
    "400 g wholemeal rye flour",
]
NOT_EDITORIAL = [
    "Skip to content",
    "Sign in",
    "Share on Facebook",
    "Privacy policy",
    "Get my free bread e-book when you join the newsletter!",
    "Leave a comment",
    "Older posts",
]


# -- a real crawl -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_url():
    handler = partial(SimpleHTTPRequestHandler, directory=str(SITE))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def page_text(name: str) -> str:
    """The text the fixture spider extracts from a page, extracted here the same way."""
    spec = importlib.util.spec_from_file_location("fixture_spider", SITE / "spider.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sel = scrapy.Selector(text=(SITE / name).read_text(encoding="utf-8"))
    lines = [block.xpath("normalize-space(string(.))").get() for block in sel.xpath(module.BLOCKS)]
    return "\n".join(line for line in lines if line)


@pytest.mark.slow
def test_a_real_crawl_exports_cleaned_items_with_their_audit_and_stats(
    site_url, tiny_model_file, tiny_detector, tmp_path
):
    out, stats_path = tmp_path / "items.json", tmp_path / "stats.json"
    settings = {
        "ITEM_PIPELINES": json.dumps({PIPELINE: 300}),
        "DETECTOR_MODEL": str(tiny_model_file),
        "DETECTOR_REMOVED_FIELD": "detector_removed",
        "DETECTOR_DROP_EMPTY": "True",
        "TELNETCONSOLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
    }
    args = [sys.executable, "-m", "scrapy", "runspider", str(SITE / "spider.py"), "-O", str(out)]
    args += ["-a", f"start_url={site_url}index.html", "-a", f"stats_path={stats_path}"]
    for key, value in settings.items():
        args += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ours = [line for line in proc.stderr.splitlines() if "Deprecat" in line and "detector" in line.lower()]
    assert not ours, "the pipeline's signatures draw no deprecation warning"

    items = {item["url"].rsplit("/", 1)[1]: item for item in json.loads(out.read_text(encoding="utf-8"))}
    assert sorted(items) == ["ferry-timetable.html", "rye-loaf.html"], "the all-chrome tag page is dropped"
    kept = {line for item in items.values() for line in item["text"].splitlines()}
    assert set(EDITORIAL) <= kept
    assert not set(NOT_EDITORIAL) & kept
    lines_removed = 0
    for name, item in items.items():
        raw = page_text(name)
        expected = tiny_detector.filter_document(raw)
        assert item["text"] == expected.text
        assert [(r["field"], r["line"], r["text"], r["label"]) for r in item["detector_removed"]] == [
            ("text", r.line_no, r.text, r.label) for r in expected.removed
        ]
        assert all(0.5 <= r["score"] <= 1.0 for r in item["detector_removed"])
        lines_removed += len(expected.removed)

    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats["item_scraped_count"] == 2
    assert stats["detector/items_cleaned"] == 2
    assert stats["detector/items_dropped"] == stats["detector/items_dropped/empty"] == 1
    assert stats["detector/lines_removed"] == lines_removed
    pages = ["ferry-timetable.html", "rye-loaf.html", "tag-harbour.html"]
    assert stats["detector/lines"] == sum(len(page_text(name).splitlines()) for name in pages)


# -- the pipeline, item by item ---------------------------------------------------------------
@pytest.fixture
def make_pipeline(tiny_model_file):
    def make(**settings):
        crawler = get_crawler(settings_dict={"DETECTOR_MODEL": str(tiny_model_file), **settings})
        return DetectorPipeline.from_crawler(crawler), crawler.stats

    return make


class PageItem(scrapy.Item):
    url = scrapy.Field()
    text = scrapy.Field()
    detector_removed = scrapy.Field()


@dataclasses.dataclass
class PageData:
    url: str
    text: str
    detector_removed: list | None = None


@attr.s(auto_attribs=True)
class PageAttrs:
    url: str
    text: str
    detector_removed: list | None = None


@pytest.mark.parametrize(
    "make_item",
    [
        lambda: {"url": "u", "text": TEXT},
        lambda: PageItem(url="u", text=TEXT),
        lambda: PageData("u", TEXT),
        lambda: PageAttrs("u", TEXT),
    ],
    ids=["dict", "scrapy.Item", "dataclass", "attrs"],
)
def test_every_item_type_is_cleaned_in_place_with_its_audit(make_item, make_pipeline, tiny_detector):
    pipeline, stats = make_pipeline(DETECTOR_REMOVED_FIELD="detector_removed")
    item = make_item()
    assert pipeline.process_item(item) is item
    expected = tiny_detector.filter_document(TEXT)
    get = item.get if isinstance(item, (dict, scrapy.Item)) else partial(getattr, item)
    assert get("text") == expected.text
    assert get("url") == "u"
    assert [(r["line"], r["label"]) for r in get("detector_removed")] == [
        (r.line_no, r.label) for r in expected.removed
    ]
    assert stats.get_value("detector/items_cleaned") == 1
    assert stats.get_value("detector/lines_removed") == len(expected.removed)


def test_a_list_of_lines_comes_back_as_the_kept_lines(make_pipeline, tiny_detector):
    pipeline, _ = make_pipeline(DETECTOR_FIELDS=["text", "teaser"])
    item = {
        "text": list(PAGE),
        "teaser": "Home\nThe town council voted on Tuesday to fund repairs to the eastern harbour wall after the storms.\n",
        "n": 3,
    }
    pipeline.process_item(item, None)  # the old call, with a spider argument
    assert item["text"] == tiny_detector.filter_lines(PAGE)
    assert item["teaser"] == tiny_detector.filter_text(
        "Home\nThe town council voted on Tuesday to fund repairs to the eastern harbour wall after the storms.\n"
    )
    assert item["n"] == 3


def test_items_without_the_fields_pass_untouched(make_pipeline):
    pipeline, stats = make_pipeline()
    item = {"url": "u", "text": None}
    assert pipeline.process_item(item) == {"url": "u", "text": None}
    assert stats.get_value("detector/items_cleaned") is None


def test_drop_empty(make_pipeline):
    pipeline, stats = make_pipeline(DETECTOR_DROP_EMPTY=True)
    with pytest.raises(DropItem, match="nothing editorial left"):
        pipeline.process_item({"text": JUNK})
    assert stats.get_value("detector/items_dropped/empty") == 1
    kept, _ = make_pipeline()
    assert kept.process_item({"text": JUNK}) == {"text": ""}, "off by default: the item's other fields may still matter"


def test_the_budget_drops_or_flags(make_pipeline, tiny_detector):
    fraction = len(tiny_detector.filter_document(TEXT).removed) / sum(1 for line in PAGE if line)
    assert 0.3 < fraction < 0.9
    pipeline, stats = make_pipeline(DETECTOR_MAX_REMOVED_FRACTION=0.3)
    with pytest.raises(DropItem, match="over the budget of 30%"):
        pipeline.process_item({"text": TEXT})
    assert stats.get_value("detector/items_dropped/over_budget") == 1

    pipeline, stats = make_pipeline(DETECTOR_MAX_REMOVED_FRACTION="0.3", DETECTOR_BUDGET_ACTION="flag")
    item = pipeline.process_item({"text": TEXT})
    assert item["text"] == TEXT, "a flagged item keeps its text for review"
    assert item["detector_flag"] == {"removed_fraction": round(fraction, 4), "max_removed_fraction": 0.3}
    assert stats.get_value("detector/items_flagged") == 1

    generous, _ = make_pipeline(DETECTOR_MAX_REMOVED_FRACTION=0.9)
    assert generous.process_item({"text": TEXT})["text"] == tiny_detector.filter_text(TEXT)


def test_an_item_class_without_the_audit_field_is_warned_about_once(make_pipeline, caplog, tiny_detector):
    pipeline, _ = make_pipeline(DETECTOR_REMOVED_FIELD="audit")
    with caplog.at_level(logging.WARNING, logger="detector.integrations.scrapy"):
        for _ in range(3):
            item = pipeline.process_item(PageItem(text=TEXT))
    assert item["text"] == tiny_detector.filter_text(TEXT)
    assert [r.getMessage() for r in caplog.records] == [
        "detector: PageItem has no field 'audit', so it is left out; declare it (audit = scrapy.Field()) "
        "or change the DETECTOR_* setting that names it"
    ]


def test_the_model_loads_once_per_crawl(make_pipeline, monkeypatch):
    from detector import Detector

    calls = []
    real = Detector.load.__func__
    monkeypatch.setattr(Detector, "load", classmethod(lambda cls, *a, **k: calls.append(a) or real(cls, *a, **k)))
    pipeline, _ = make_pipeline()
    for _ in range(5):
        pipeline.process_item({"text": TEXT})
    assert len(calls) == 1


def test_settings_are_checked_when_the_crawl_starts(make_pipeline):
    with pytest.raises(NotConfigured):
        make_pipeline(DETECTOR_ENABLED=False)
    with pytest.raises(DetectorError, match="choose one of drop, flag"):
        make_pipeline(DETECTOR_BUDGET_ACTION="warn")
    with pytest.raises(DetectorError, match="unknown label"):
        make_pipeline(DETECTOR_KEEP_LABELS="editorial,ads")
    pipeline, _ = make_pipeline(DETECTOR_KEEP_LABELS="editorial,promotional", DETECTOR_THRESHOLD="0.7")
    assert pipeline.detector.settings.keep == {"editorial", "promotional"} and pipeline.detector.threshold == 0.7


def _pipelines(crawler):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manager = ItemPipelineManager.from_crawler(crawler)
    assert not [w for w in caught if issubclass(w.category, ScrapyDeprecationWarning)], [str(w.message) for w in caught]
    return manager.middlewares


def test_the_addon_installs_the_pipeline_without_deprecation_warnings(tiny_model_file):
    crawler = get_crawler(settings_dict={"ADDONS": {DetectorAddon: 0}, "DETECTOR_MODEL": str(tiny_model_file)})
    assert [type(p) for p in _pipelines(crawler)] == [DetectorPipeline]
    crawler = get_crawler(
        settings_dict={
            "ADDONS": {DetectorAddon: 0},
            "ITEM_PIPELINES": {PIPELINE: 500},
            "DETECTOR_MODEL": str(tiny_model_file),
        }
    )
    assert [type(p) for p in _pipelines(crawler)] == [DetectorPipeline], "listed once, at the user's priority"


# -- raw HTML and site memory -----------------------------------------------------------------
def test_the_html_field_is_turned_into_text_and_filtered_into_the_text_field(make_pipeline, tiny_detector):
    pytest.importorskip("html_text")
    from detector.html_input import html_to_text

    html = (DATA / "html" / "harbour-page.html").read_text(encoding="utf-8")
    pipeline, _ = make_pipeline(DETECTOR_HTML_FIELD="html", DETECTOR_REMOVED_FIELD="detector_removed")
    item = pipeline.process_item({"url": "https://harbour.example/a", "html": html})
    expected = tiny_detector.filter_document(html_to_text(html))
    assert item["text"] == expected.text
    assert item["html"] == html, "the HTML field stays as it was"
    assert [r["text"] for r in item["detector_removed"]] == [r.text for r in expected.removed]


def _ledger_items():
    from .test_sitememory import ledger

    return ledger()


def test_site_memory_removes_a_hosts_recurring_chrome_by_default(make_pipeline):
    from .test_sitememory import CHROME

    pipeline, _ = make_pipeline(DETECTOR_MODEL="", DETECTOR_REMOVED_FIELD="detector_removed")
    items = [pipeline.process_item(dict(record)) for record in _ledger_items()]
    assert CHROME[0] in items[0]["text"]
    assert all(CHROME[0] not in item["text"] for item in items[3:])
    assert any(r["label"] == "site-chrome" for r in items[-1]["detector_removed"])


def test_site_memory_can_be_turned_off(make_pipeline):
    from .test_sitememory import CHROME

    pipeline, _ = make_pipeline(DETECTOR_MODEL="", DETECTOR_SITE_MEMORY="False")
    items = [pipeline.process_item(dict(record)) for record in _ledger_items()]
    assert all(CHROME[0] in item["text"] for item in items)


def test_site_memory_file_carries_over_to_the_next_crawl(make_pipeline, tmp_path):
    from .test_sitememory import CHROME

    path = tmp_path / "sites.npz"
    first, _ = make_pipeline(DETECTOR_MODEL="", DETECTOR_SITE_MEMORY_FILE=str(path))
    for record in _ledger_items():
        first.process_item(dict(record))
    first.close_spider()
    assert path.exists()
    second, _ = make_pipeline(DETECTOR_MODEL="", DETECTOR_SITE_MEMORY_FILE=str(path))
    item = second.process_item(dict(_ledger_items()[0]))
    assert CHROME[0] not in item["text"]
