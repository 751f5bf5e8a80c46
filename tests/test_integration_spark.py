"""Spark: mapInPandas on a real local[2] session, the model shipped with SparkContext.addFile."""

from __future__ import annotations

import os
import pickle
import shutil

import pytest

# A Spark session starts a JVM: every test here is slow.
pytestmark = pytest.mark.slow

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("pyspark needs a Java runtime (apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from detector import ModelError  # noqa: E402
from detector.integrations import spark as ds  # noqa: E402

from .conftest import REPO  # noqa: E402
from .test_classifier import PAGE  # noqa: E402

TEXT = "\n".join(PAGE) + "\n"
JUNK = "Home\nNews\nSport\nSign in\nPrivacy policy\nCookie settings\n"
ROWS = [
    (1, TEXT),
    (2, JUNK),
    (3, None),
    (4, ""),
    (5, "Home\r\nThe town council voted on Tuesday to fund repairs to the eastern harbour wall after the storms."),
]


@pytest.fixture(scope="module")
def spark():
    saved = os.environ.get("PYTHONPATH")
    # The Python workers must import detector; an installed package needs nothing of this.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), saved]))
    session = (
        SparkSession.builder.master("local[2]")
        .appName("detector-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = saved


@pytest.fixture(scope="module")
def shipped_model(spark, tiny_model_file):
    """The tiny model shipped to the executors, as a user ships a custom one: by file name."""
    spark.sparkContext.addFile(str(tiny_model_file))
    return tiny_model_file.name


def expected_fraction(det, text):
    content = sum(1 for line in text.splitlines() if line.strip())
    return len(det.filter_document(text).removed) / content if content else 0.0


@pytest.mark.slow
def test_map_in_pandas_cleans_the_text_column_on_two_partitions(spark, shipped_model, tiny_detector):
    df = spark.createDataFrame(ROWS, "id long, text string").repartition(2)
    cleaned = ds.clean_dataframe(df, model_path=shipped_model)
    assert cleaned.schema.fieldNames() == ["id", "text", ds.FRACTION_COL]
    rows = {r["id"]: r for r in cleaned.collect()}
    assert sorted(rows) == [1, 2, 3, 4, 5]
    for i, text in ROWS:
        if text is None:
            assert rows[i]["text"] is None and rows[i][ds.FRACTION_COL] is None
            continue
        assert rows[i]["text"] == tiny_detector.filter_text(text)
        assert rows[i][ds.FRACTION_COL] == pytest.approx(expected_fraction(tiny_detector, text))
    assert rows[2]["text"] == "" and rows[2][ds.FRACTION_COL] == 1.0
    assert "Harbour wall repairs to start in March" in rows[1]["text"] and "Sign in" not in rows[1]["text"]


@pytest.mark.slow
def test_scores_and_a_separate_output_column(spark, shipped_model, tiny_detector):
    df = spark.createDataFrame(ROWS[:2], "id long, text string")
    cleaner = ds.clean_partitions("text", model_path=shipped_model, with_scores=True, output_col="clean")
    out = df.mapInPandas(cleaner, ds.output_schema(df.schema, "text", with_scores=True, output_col="clean"))
    row = out.where("id = 1").first()
    assert row["text"] == TEXT and row["clean"] == tiny_detector.filter_text(TEXT)
    verdicts = tiny_detector.classify(PAGE)
    assert [(s["line"], s["label"], s["keep"]) for s in row[ds.SCORES_COL]] == [
        (n, v.label, v.keep) for n, v in enumerate(verdicts, start=1) if v.text.strip()
    ]
    assert [s["score"] for s in row[ds.SCORES_COL]] == pytest.approx([v.score for v in verdicts if v.text.strip()])


def test_the_cleaner_pickles_as_settings_and_caches_one_detector_per_process(tiny_model_file, tiny_detector):
    cleaner = ds.clean_partitions(model_path=str(tiny_model_file), threshold=0.6)
    assert len(pickle.dumps(cleaner)) < 1000
    batches = [pd.DataFrame({"text": [TEXT, None]}), pd.DataFrame({"text": [JUNK]})]
    out = list(pickle.loads(pickle.dumps(cleaner))(iter(batches)))
    det = tiny_detector.configure(threshold=0.6)
    assert out[0]["text"].tolist() == [det.filter_text(TEXT), None]
    assert out[1][ds.FRACTION_COL].tolist() == [1.0]
    list(cleaner(iter(batches)))
    assert sum(1 for c in ds._detectors if c == cleaner.config) == 1


def test_a_model_that_was_not_shipped_says_how_to_ship_it():
    with pytest.raises(ModelError, match=r"addFile\('nowhere.joblib'\)"):
        list(ds.clean_partitions(model_path="nowhere.joblib")(iter([pd.DataFrame({"text": ["x"]})])))


def test_output_schema_names_a_missing_column():
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    schema = StructType([StructField("id", LongType()), StructField("body", StringType())])
    with pytest.raises(KeyError, match="no column 'text'; the DataFrame has id, body"):
        ds.output_schema(schema)
