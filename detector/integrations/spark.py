"""Spark: clean a DataFrame's text column with ``DataFrame.mapInPandas``.

::

    from detector.integrations.spark import clean_dataframe

    cleaned = clean_dataframe(df, text_col="text")      # text cleaned + detector_removed_fraction

    # or, spelled out:
    from detector.integrations.spark import clean_partitions, output_schema
    cleaned = df.mapInPandas(clean_partitions(text_col="text"), output_schema(df.schema))

The output has every input column, ``text_col`` cleaned (or the cleaned text in ``output_col``
beside the original), ``detector_removed_fraction`` (removed over content lines; null for a
null text) and, with ``with_scores=True``, ``detector_lines``: one
``{line, label, score, keep}`` struct per content line (``line`` counts from 1 over all lines of
the original text; this costs a second pass of the model). Filter on the fraction to apply a
removal budget: ``cleaned.where("detector_removed_fraction <= 0.8")``.

Common Crawl files: :func:`read_warc` reads WET (and WARC HTML response) files into a DataFrame
of ``url``, ``record_id``, ``text``, one page a row, ready for :func:`clean_dataframe`::

    pages = read_warc(spark, ["/data/CC-MAIN-….warc.wet.gz", ...])   # paths every executor can read
    cleaned = clean_dataframe(pages, text_col="text")

The model loads once per Python worker process (Spark reuses workers between tasks by default,
``spark.python.worker.reuse``) and is never pickled: tasks carry only the settings.

Shipping a custom model to the executors: give Spark the file, then pass its *file name*::

    spark.sparkContext.addFile("/models/news.joblib")       # or: spark-submit --files /models/news.joblib
    cleaned = clean_dataframe(df, model_path="news.joblib")

On an executor a ``model_path`` that is not an existing file is looked up with
``pyspark.SparkFiles.get``; a path every executor can read (a shared file system) works as is.
The embedded default model travels inside the ``detector`` package, which every executor needs
installed (``pip install 'detector[spark]'`` in the executors' environment, or
``--py-files``/``spark.archives`` with a packed environment).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..classifier import BLANK, DEFAULT_KEEP, Detector
from ..errors import ModelError
from ..text import split_lines, strip_ending
from ._common import FilterConfig, clean_values, require

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["PartitionCleaner", "clean_dataframe", "clean_partitions", "output_schema", "read_warc"]

FRACTION_COL = "detector_removed_fraction"
SCORES_COL = "detector_lines"

_lock = threading.Lock()
_detectors: dict[FilterConfig, Detector] = {}


def _resolve_model(path: str) -> str:
    if os.path.exists(path):
        return path
    try:
        from pyspark import SparkFiles

        shipped = SparkFiles.get(path)
    except Exception:  # no SparkContext or SparkFiles root here: nothing was shipped
        shipped = None
    if shipped and os.path.exists(shipped):
        return shipped
    raise ModelError(
        f"model {path!r} is neither a file on this executor nor a file shipped to it; ship it with "
        f"spark.sparkContext.addFile({path!r}) (or spark-submit --files) and pass its file name"
    )


def _worker_detector(config: FilterConfig) -> Detector:
    """The detector for ``config``, loaded once per Python worker process."""
    with _lock:
        detector = _detectors.get(config)
        if detector is None:
            model = None if config.model is None else _resolve_model(config.model)
            detector = _detectors[config] = config.build(model)
        return detector


@dataclass(frozen=True)
class PartitionCleaner:
    """The function ``mapInPandas`` runs: pandas batches in, batches with cleaned text out.

    It pickles as its settings only (the class is found by import on the executors, where the
    model cache lives).
    """

    text_col: str = "text"
    config: FilterConfig = FilterConfig()
    with_scores: bool = False
    output_col: str | None = None

    def __call__(self, batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        detector = _worker_detector(self.config)
        for batch in batches:
            yield self.clean_batch(detector, batch)

    def clean_batch(self, detector: Detector, batch: pd.DataFrame) -> pd.DataFrame:
        """One pandas batch, cleaned (null texts stay null)."""
        import pandas as pd

        texts = batch[self.text_col].tolist()
        present = [i for i, t in enumerate(texts) if isinstance(t, str)]
        cleaned_texts: list[Any] = [None] * len(texts)
        fractions: list[Any] = [None] * len(texts)
        for i, cleaned in zip(present, clean_values(detector, [texts[i] for i in present])):
            cleaned_texts[i] = cleaned.value
            fractions[i] = cleaned.removed_fraction
        out = batch.copy()
        # object, not pandas 3's inferred string dtype, so a null text stays None, not NaN
        out[self.output_col or self.text_col] = pd.Series(cleaned_texts, index=batch.index, dtype=object)
        out[FRACTION_COL] = fractions
        if self.with_scores:
            scores: list[Any] = [None] * len(texts)
            docs = [[strip_ending(line) for line in split_lines(texts[i])] for i in present]
            for i, verdicts in zip(present, detector.classify_many(docs)):
                scores[i] = [
                    {"line": n, "label": v.label, "score": v.score, "keep": v.keep}
                    for n, v in enumerate(verdicts, start=1)
                    if v.label != BLANK
                ]
            out[SCORES_COL] = scores
        return out


def clean_partitions(
    text_col: str = "text",
    model_path: str | None = None,
    threshold: float | None = None,
    keep_labels: Iterable[str] = DEFAULT_KEEP,
    with_scores: bool = False,
    output_col: str | None = None,
) -> PartitionCleaner:
    """The callable for ``df.mapInPandas(clean_partitions(...), output_schema(df.schema, ...))``."""
    require("pandas", "spark")
    config = FilterConfig(model_path, threshold, frozenset(keep_labels))
    return PartitionCleaner(text_col, config, with_scores, output_col)


def output_schema(
    input_schema: StructType, text_col: str = "text", with_scores: bool = False, output_col: str | None = None
) -> StructType:
    """The schema of what :func:`clean_partitions` returns for a DataFrame of ``input_schema``."""
    types = require("pyspark.sql.types", "spark")
    if text_col not in input_schema.fieldNames():
        raise KeyError(f"no column {text_col!r}; the DataFrame has {', '.join(input_schema.fieldNames())}")
    fields = list(input_schema.fields)
    if output_col and output_col not in input_schema.fieldNames():
        fields.append(types.StructField(output_col, types.StringType(), True))
    fields.append(types.StructField(FRACTION_COL, types.DoubleType(), True))
    if with_scores:
        line = types.StructType(
            [
                types.StructField("line", types.IntegerType(), False),
                types.StructField("label", types.StringType(), False),
                types.StructField("score", types.DoubleType(), False),
                types.StructField("keep", types.BooleanType(), False),
            ]
        )
        fields.append(types.StructField(SCORES_COL, types.ArrayType(line, False), True))
    return types.StructType(fields)


def clean_dataframe(
    df: DataFrame,
    text_col: str = "text",
    model_path: str | None = None,
    threshold: float | None = None,
    keep_labels: Iterable[str] = DEFAULT_KEEP,
    with_scores: bool = False,
    output_col: str | None = None,
) -> DataFrame:
    """``df`` with ``text_col`` cleaned: :func:`clean_partitions` and :func:`output_schema` in one call."""
    cleaner = clean_partitions(text_col, model_path, threshold, keep_labels, with_scores, output_col)
    return df.mapInPandas(cleaner, output_schema(df.schema, text_col, with_scores, output_col))


def _warc_rows(path: str) -> Iterator[tuple[str | None, str, str]]:
    """The (url, record_id, text) rows of one WARC or WET file, read on an executor."""
    import logging

    from ..warc import read_pages

    log = logging.getLogger("detector.integrations.spark")
    for page in read_pages(path, report=log.warning):
        yield page.url, page.record_id, page.text


def read_warc(spark: Any, paths: Iterable[str]) -> DataFrame:
    """A DataFrame of ``url``, ``record_id``, ``text``: the pages of WET or WARC files, a partition per file.

    The files are read on the executors (``paths`` must be readable there: a shared file
    system, or files shipped with ``addFile``) with :func:`detector.warc.read_pages`; a
    malformed record is logged as a warning and skipped. The ``warc`` extra (and ``html`` for
    WARC response records) must be installed on the executors.
    """
    types = require("pyspark.sql.types", "spark")
    files = [os.fspath(p) for p in paths]
    schema = types.StructType(
        [
            types.StructField("url", types.StringType(), True),
            types.StructField("record_id", types.StringType(), False),
            types.StructField("text", types.StringType(), False),
        ]
    )
    rdd = spark.sparkContext.parallelize(files, max(len(files), 1)).flatMap(_warc_rows)
    return spark.createDataFrame(rdd, schema)
