"""Spark: WET files read on a local[2] session into (url, record_id, text) rows, then cleaned."""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = pytest.mark.slow  # a Spark session starts a JVM

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark")
pytest.importorskip("fastwarc")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("pyspark needs a Java runtime (apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from detector.integrations import spark as ds  # noqa: E402

from . import warcfiles as wf  # noqa: E402
from .test_integration_spark import JUNK, TEXT, spark  # noqa: E402, F401


def test_read_warc_gives_one_row_per_page_ready_for_clean_dataframe(spark, tmp_path, tiny_model_file, tiny_detector):  # noqa: F811
    a = wf.write(tmp_path / "a.warc.wet.gz", [wf.warcinfo(), wf.conversion(1, TEXT)], gzip_per_record=True)
    b = wf.write(tmp_path / "b.warc.wet", [wf.conversion(2, JUNK), wf.request(3), wf.conversion(4, TEXT)])
    pages = ds.read_warc(spark, [str(a), str(b)])
    assert pages.columns == ["url", "record_id", "text"]
    rows = sorted(pages.collect(), key=lambda r: r.record_id)
    assert [r.record_id for r in rows] == [wf.record_id(n) for n in (1, 2, 4)]
    assert rows[0].url == "https://example.org/page/1" and rows[0].text == TEXT
    spark.sparkContext.addFile(str(tiny_model_file))
    cleaned = ds.clean_dataframe(pages, model_path=tiny_model_file.name)
    got = {r.record_id: r.text for r in cleaned.collect()}
    assert got[wf.record_id(4)] == tiny_detector.filter_text(TEXT)
