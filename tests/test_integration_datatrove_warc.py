"""datatrove's own WarcReader on a WET file, then the detector block: the documents it yields
(text, id = WARC-Record-ID, metadata url and date) are what the block expects."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("orjson")
pytest.importorskip("warcio")  # datatrove's WarcReader needs warcio, cchardet and python-magic
pytest.importorskip("cchardet")
pytest.importorskip("magic")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from detector.integrations.datatrove import DetectorFilter  # noqa: E402

from . import warcfiles as wf  # noqa: E402
from .test_integration_datatrove import ARTICLE, TEXT, read_jsonl  # noqa: E402


def test_datatrove_warc_reader_feeds_the_detector_block_wet_pages_with_their_urls(
    tmp_path, tiny_model_file, tiny_detector
):
    src = tmp_path / "wet"
    src.mkdir()
    records = [wf.warcinfo(), wf.conversion(1, TEXT), wf.conversion(2, ARTICLE)]
    wf.write(src / "part-0.warc.wet.gz", records, gzip_per_record=True)
    block = DetectorFilter(model_path=str(tiny_model_file), drop_empty=False, site_memory=False)
    LocalPipelineExecutor(
        pipeline=[WarcReader(str(src)), block, JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    out = {d["id"]: d for d in read_jsonl(tmp_path / "out")}
    assert sorted(out) == [wf.record_id(1), wf.record_id(2)], "the warcinfo record is not a document"
    for number, text in ((1, TEXT), (2, ARTICLE)):
        doc = out[wf.record_id(number)]
        expected = tiny_detector.filter_document(text)
        assert doc["text"] == expected.text
        assert doc["metadata"]["url"] == f"https://example.org/page/{number}"
        assert [r["line"] for r in doc["metadata"]["detector_removed"]] == [r.line_no for r in expected.removed]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    assert next(s for s in stats if "detector" in s["name"])["stats"]["forwarded"] == 2


def test_site_memory_reads_the_url_datatrove_warc_reader_puts_in_metadata(tmp_path, tiny_model_file):
    from datatrove.pipeline.readers.warc import process_record
    from warcio.archiveiterator import ArchiveIterator

    path = wf.write(tmp_path / "p.wet", [wf.conversion(1, TEXT)])
    with open(path, "rb") as f:
        (data,) = [process_record(r) for r in ArchiveIterator(f)]
    assert data["url"] == "https://example.org/page/1" and data["id"] == wf.record_id(1)
    assert DetectorFilter(model_path=str(tiny_model_file)).url_key in data
