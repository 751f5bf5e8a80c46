"""What the integrations share (detector/integrations/_common.py); needs no extra installed."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

from detector import DetectorError
from detector.errors import MissingExtraError
from detector.integrations import _common
from detector.integrations._common import (
    REASON_EMPTY,
    REASON_OVER_BUDGET,
    FilterConfig,
    audit_records,
    clean_values,
    drop_reason,
    is_cleanable,
    require,
)

from .conftest import REPO
from .test_classifier import PAGE

TEXT = "\n".join(PAGE) + "\n"
JUNK = "Home\nNews\nSport\nSign in\nPrivacy policy\nCookie settings\n"


def test_the_docstring_examples_run():
    assert doctest.testmod(_common).failed == 0


@pytest.mark.slow
def test_import_detector_imports_no_integration_and_no_framework():
    # (scikit-learn itself imports pandas when it is installed, so pandas is not checked.)
    code = (
        "import sys, detector, detector.integrations; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'datatrove', 'pyspark', 'itemadapter')"
        " or m.startswith('detector.integrations.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def hide(package, monkeypatch):
    """Make ``package`` look uninstalled, even where a test module imported it already."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")] + [package]:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize(
    ("module", "package", "extra"), [("scrapy", "scrapy", "scrapy"), ("datatrove", "datatrove", "datatrove")]
)
def test_a_missing_extra_names_the_pip_command(module, package, extra, monkeypatch):
    hide(package, monkeypatch)
    monkeypatch.delitem(sys.modules, f"detector.integrations.{module}", raising=False)
    with pytest.raises(MissingExtraError) as info:
        importlib.import_module(f"detector.integrations.{module}")
    assert str(info.value).startswith(f"{package} is not installed; install the extra from the detector checkout")
    assert f"pip install '.[{extra}]'" in str(info.value)
    assert isinstance(info.value, ImportError) and isinstance(info.value, DetectorError)


def test_spark_imports_without_pyspark_and_says_so_when_used(monkeypatch):
    hide("pyspark", monkeypatch)
    monkeypatch.delitem(sys.modules, "detector.integrations.spark", raising=False)
    spark = importlib.import_module("detector.integrations.spark")
    with pytest.raises(MissingExtraError, match=r"pip install '\.\[spark\]'"):
        spark.output_schema(None)


def test_a_missing_dependency_of_the_framework_names_the_same_extra(tmp_path, monkeypatch):
    # datatrove's filters import `regex`, which plain `pip install datatrove` does not bring.
    (tmp_path / "framework").mkdir()
    (tmp_path / "framework" / "__init__.py").write_text("import no_such_helper_module\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(MissingExtraError, match=r"^no_such_helper_module is not installed; .*'detector\[x\]'") as info:
        require("framework", "x")
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_filter_config_reads_labels_and_checks_the_budget():
    assert FilterConfig(keep="editorial, promotional").keep == {"editorial", "promotional"}
    assert FilterConfig(model=REPO / "m.joblib").model == str(REPO / "m.joblib")
    with pytest.raises(DetectorError, match="outside"):
        FilterConfig(max_removed_fraction=1.5)
    with pytest.raises(DetectorError, match="no labels to keep"):
        FilterConfig(keep=())
    config = FilterConfig(max_removed_fraction=0.5)
    assert not config.over_budget(0.5) and config.over_budget(0.51)
    assert not FilterConfig().over_budget(1.0)
    assert hash(config) == hash(FilterConfig(max_removed_fraction="0.5")), "usable as a cache key"


def test_build_loads_the_file_with_the_settings(tiny_model_file):
    det = FilterConfig(model=tiny_model_file, threshold=0.7, keep={"editorial", "promotional"}).build()
    assert det.threshold == 0.7 and det.settings.keep == {"editorial", "promotional"}


def test_clean_values_keeps_each_value_in_its_form(tiny_detector):
    text, lines, junk, empty = clean_values(tiny_detector, [TEXT, PAGE, JUNK, ""])
    expected = tiny_detector.filter_document(TEXT)
    assert text.value == expected.text and text.removed == expected.removed
    assert text.content_lines == sum(1 for line in PAGE if line)
    assert lines.value == tiny_detector.filter_lines(PAGE)
    assert lines.removed == expected.removed
    assert junk.value == "" and junk.kept_lines == 0 and junk.removed_fraction == 1.0
    assert empty.value == "" and empty.content_lines == 0 and empty.removed_fraction == 0.0
    assert clean_values(tiny_detector, [("Home", "A\nB")])[0].content_lines == 3, "an element with a break is two lines"


def test_drop_reason_prefers_empty_to_over_budget(tiny_detector):
    page, junk = clean_values(tiny_detector, [TEXT, JUNK])
    strict = FilterConfig(max_removed_fraction=0.1)
    assert drop_reason([junk], strict, drop_empty=True) == REASON_EMPTY
    assert drop_reason([junk], strict, drop_empty=False) == REASON_OVER_BUDGET
    assert drop_reason([page], strict, drop_empty=True) == REASON_OVER_BUDGET
    assert drop_reason([page], FilterConfig(), drop_empty=True) is None
    assert drop_reason([page, junk], FilterConfig(), drop_empty=True) is None, "one field with content keeps the item"


def test_audit_records_and_cleanable_values(tiny_detector):
    removed = tiny_detector.filter_document(TEXT).removed
    records = audit_records(removed, field="body")
    assert [r["line"] for r in records] == [r.line_no for r in removed]
    assert {r["field"] for r in records} == {"body"}
    assert all(set(r) == {"line", "text", "label", "score", "field"} for r in records)
    assert is_cleanable("x") and is_cleanable(["a", "b"]) and is_cleanable(())
    assert not is_cleanable(None) and not is_cleanable(["a", 1]) and not is_cleanable(b"x")
