"""Property-based tests: whatever the text, the filter never raises, gives one verdict per line,
and keeps lines byte for byte as a sub-sequence of the input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from detector.cli import app
from detector.text import split_lines, strip_ending

ODD = [
    "\x00",
    "\r",
    "\n",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u2028",
    "\x85",
    "\udcff",
    "\U0001f600",
    "\t",
    "\x1b",
    "ע",
    "\u0301",
]
chars = st.one_of(st.characters(), st.sampled_from(ODD))
texts = st.lists(
    st.one_of(
        st.text(chars, max_size=80),
        st.sampled_from(["\x1b[31mred\x1b[0m", "עברית ומספרים 123", "\r\n"]),
        st.sampled_from(["Home", "See also  Something", "", "  ", "A real sentence of the article, with words."]),
    ),
    max_size=40,
).map(lambda parts: "".join(p + e for p, e in zip(parts, ["\n", "\r\n", "\r", ""] * 20)))
SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _subsequence(part, whole):
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


@SETTINGS
@given(text=texts)
def test_filter_text_output_is_a_subsequence_of_the_input_lines(tiny_detector, text):
    result = tiny_detector.filter_document(text)
    assert _subsequence(split_lines(result.text), split_lines(text))
    assert result.n_lines == len(split_lines(text))


@SETTINGS
@given(text=texts)
def test_keeping_every_label_gives_the_input_back(tiny_detector, text):
    keep_all = tiny_detector.configure(keep=tiny_detector.labels)
    assert keep_all.filter_text(text) == text


@SETTINGS
@given(lines=st.lists(st.text(chars, max_size=60), max_size=30))
def test_one_verdict_per_line_with_a_score_in_the_unit_interval(tiny_detector, lines):
    verdicts = tiny_detector.classify(lines)
    assert [v.text for v in verdicts] == lines
    assert all(0.0 <= v.score <= 1.0 for v in verdicts)


@SETTINGS
@given(docs=st.lists(st.lists(st.text(chars, max_size=40), max_size=8), max_size=6))
def test_batched_and_single_document_verdicts_agree(tiny_detector, docs):
    assert tiny_detector.classify_many(docs) == [tiny_detector.classify(d) for d in docs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
@pytest.mark.slow
def test_cli_never_shows_a_traceback_whatever_the_bytes(tiny_model_file, tmp_path, data):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["filter", str(path), "--model", str(tiny_model_file), "-q"])
    assert result.exit_code in (0, 1)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
        assert "binary" in result.stderr or "gzip" in result.stderr  # gzip is recognised by its first bytes
    elif b"\x00" not in data:
        kept = result.stdout_bytes.splitlines(keepends=True)
        assert _subsequence(kept, data.replace(b"\xef\xbb\xbf", b"", 1).splitlines(keepends=True)) or not kept


def test_line_endings_of_kept_lines_are_preserved(tiny_detector):
    text = "Home\r\nThe council voted on Tuesday to fund the repairs after a long debate.\rIt will cost £1.8 million, the engineers said.\n"
    keep_all = tiny_detector.configure(keep=tiny_detector.labels)
    assert keep_all.filter_text(text) == text
    for line in split_lines(tiny_detector.filter_text(text)):
        assert line in split_lines(text)


def test_a_single_ten_megabyte_line(tiny_detector):
    line = ("word " * 2_000_000)[:10_000_000]
    verdicts = tiny_detector.classify([line])
    assert len(verdicts) == 1 and verdicts[0].text is line


@pytest.mark.slow
def test_a_hundred_thousand_line_document(tiny_detector):
    lines = [f"Line {i} of a very long page, with some words." if i % 3 else "Home" for i in range(100_000)]
    verdicts = tiny_detector.classify(lines)
    assert len(verdicts) == 100_000
    assert [v.text for v in verdicts[:5]] == lines[:5]


def test_documents_of_only_blank_lines_pass_through(tiny_detector):
    for text in ("", "\n", "\r\n\r\n", "   \n\t\n"):
        assert tiny_detector.filter_text(text) == text
        assert all(v.label == "blank" for v in tiny_detector.classify([strip_ending(x) for x in split_lines(text)]))
