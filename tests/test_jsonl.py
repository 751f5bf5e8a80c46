"""The streaming JSONL stage: one record out per record in, malformed records by the user's choice."""

import gzip
import io
import json

import pytest
from typer.testing import CliRunner

from detector import InputError
from detector.cli import app
from detector.jsonl import REMOVED_KEY, filter_jsonl

from .conftest import DATA
from .test_classifier import PAGE

TEXT = "\n".join(PAGE)
RECORDS = [
    json.dumps({"id": 1, "text": TEXT}),
    "{broken json",
    json.dumps({"id": 3, "body": "no text field"}),
    json.dumps({"id": 4, "text": ["not", "a", "string"]}),
    json.dumps({"id": 5, "content": {"text": TEXT}, "text": TEXT}),
]


def run_stage(det, lines, **kw):
    out = io.StringIO()
    messages = []
    summary = filter_jsonl(lines, out, det, report=messages.append, **kw)
    return [x for x in out.getvalue().splitlines()], summary, messages


def test_pass_keeps_malformed_records_in_place_and_reports_them(tiny_detector):
    out, summary, messages = run_stage(tiny_detector, RECORDS)
    assert len(out) == len(RECORDS)
    assert json.loads(out[0])["text"] == tiny_detector.filter_text(TEXT)
    assert out[1:4] == RECORDS[1:4]
    assert summary.records == 5 and summary.errors == 3
    assert [m.split(":")[1].strip() for m in messages] == ["record 2", "record 3", "record 4"]


def test_skip_drops_malformed_records(tiny_detector):
    out, summary, _ = run_stage(tiny_detector, RECORDS, on_error="skip")
    assert [json.loads(x)["id"] for x in out] == [1, 5]


def test_fail_stops_at_the_first_malformed_record_with_its_number(tiny_detector):
    with pytest.raises(InputError, match="record 2: not valid JSON"):
        run_stage(tiny_detector, RECORDS, on_error="fail")


def test_dotted_field_and_annotations(tiny_detector):
    out, _, _ = run_stage(tiny_detector, RECORDS[4:], field_path="content.text", annotate=True)
    record = json.loads(out[0])
    assert record["content"]["text"] == tiny_detector.filter_text(TEXT)
    assert record["text"] == TEXT, "only the chosen field changes"
    removed = tiny_detector.filter_document(TEXT).removed
    assert [(r["line"], r["label"]) for r in record[REMOVED_KEY]] == [(r.line_no, r.label) for r in removed]


def test_order_is_kept_across_batches(tiny_detector):
    lines = [json.dumps({"id": i, "text": TEXT if i % 3 else "Home"}) for i in range(50)]
    out, summary, _ = run_stage(tiny_detector, lines, batch_records=7)
    assert [json.loads(x)["id"] for x in out] == list(range(50))
    assert summary.records == 50


def test_cli_jsonl_with_gzip_in_and_out(tmp_path, tiny_model_file, tiny_detector):
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.write("\n".join(RECORDS) + "\n")
    dst = tmp_path / "out.jsonl.gz"
    result = CliRunner().invoke(app, ["filter", "--jsonl", str(src), "-o", str(dst), "--model", str(tiny_model_file)])
    assert result.exit_code == 0, result.stderr
    out = gzip.decompress(dst.read_bytes()).decode().splitlines()
    assert len(out) == len(RECORDS)
    assert "5 records" in result.stderr and "3 malformed" in result.stderr
    assert "record 2: not valid JSON" in result.stderr


@pytest.mark.slow
def test_cli_jsonl_jobs_keep_order(tmp_path, tiny_model_file):
    lines = [json.dumps({"id": i, "text": TEXT}) for i in range(40)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    one = CliRunner().invoke(app, ["filter", "--jsonl", str(src), "--model", str(tiny_model_file), "-q"])
    two = CliRunner().invoke(app, ["filter", "--jsonl", str(src), "--model", str(tiny_model_file), "-q", "--jobs", "2"])
    assert two.exit_code == 0, two.stderr
    assert two.stdout == one.stdout


JSONL_DATA = DATA / "jsonl"


@pytest.mark.parametrize("on_error", ["pass", "skip", "fail"])
def test_a_plain_text_file_is_not_json_lines_whatever_on_error_says(tiny_model_file, on_error):
    result = CliRunner().invoke(
        app,
        [
            "filter",
            "--jsonl",
            str(JSONL_DATA / "plain-text.txt"),
            "--model",
            str(tiny_model_file),
            "--on-error",
            on_error,
        ],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not JSON Lines" in result.stderr and "plain-text.txt" in result.stderr


def test_a_stream_whose_records_are_all_malformed_exits_1(tiny_model_file):
    result = CliRunner().invoke(
        app, ["filter", "--jsonl", str(JSONL_DATA / "wrong-field.jsonl"), "-m", str(tiny_model_file)]
    )
    assert result.exit_code == 1
    assert "all 2 records are malformed" in result.stderr and "--field 'text'" in result.stderr


@pytest.mark.parametrize("name", ["one-bad-record.jsonl.gz", "gzip-without-suffix.jsonl"])
def test_gzip_is_recognised_by_its_bytes_on_stdin_and_in_files(tiny_model_file, name):
    plain = CliRunner().invoke(
        app, ["filter", "--jsonl", str(JSONL_DATA / "one-bad-record.jsonl"), "-m", str(tiny_model_file), "-q"]
    )
    data = (JSONL_DATA / name).read_bytes()
    piped = CliRunner().invoke(app, ["filter", "--jsonl", "-m", str(tiny_model_file), "-q"], input=data)
    named = CliRunner().invoke(app, ["filter", "--jsonl", str(JSONL_DATA / name), "-m", str(tiny_model_file), "-q"])
    assert plain.exit_code == piped.exit_code == named.exit_code == 0
    assert piped.stdout == named.stdout == plain.stdout and piped.stdout.startswith('{"text"')


def test_record_numbers_count_non_blank_records_in_warnings_and_summary(tiny_model_file):
    result = CliRunner().invoke(
        app, ["filter", "--jsonl", str(JSONL_DATA / "one-bad-record.jsonl"), "-m", str(tiny_model_file)]
    )
    assert result.exit_code == 0
    assert "record 2: not valid JSON: " in result.stderr and "at at" not in result.stderr
    assert "3 records" in result.stderr


def test_a_truncated_gzip_stream_is_one_line_naming_the_input(tiny_model_file):
    result = CliRunner().invoke(
        app, ["filter", "--jsonl", str(JSONL_DATA / "truncated.jsonl.gz"), "-m", str(tiny_model_file)]
    )
    assert result.exit_code == 1
    assert "truncated.jsonl.gz: not a readable gzip stream" in result.stderr and "Aborted" not in result.output


def test_a_byte_order_mark_and_strings_utf8_cannot_hold_pass_through_as_valid_json(tmp_path, tiny_model_file):
    """A BOM before the first record (Windows tools write one) does not make the stream 'not JSON
    Lines', and a lone surrogate (a JSON escape, or a byte that was not UTF-8) neither stops the
    stream nor makes the output invalid UTF-8: it comes out escaped, as the same string."""
    out = tmp_path / "out.jsonl"
    src = JSONL_DATA / "bom-and-odd-strings.jsonl"
    result = CliRunner().invoke(
        app, ["filter", "--jsonl", str(src), "-m", str(tiny_model_file), "-t", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "0 malformed" in result.stderr
    records = [json.loads(x) for x in out.read_bytes().decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == [1, 2, 3]
    assert records[0]["text"] == "The council met on Tuesday.\nIt voted to fund the repairs."
    assert records[1]["text"] == "A lone \ud800 surrogate escape."
    assert records[2]["text"] == "Caf\udce9 au lait, a byte that is not UTF-8."


def test_undecodable_bytes_in_a_stream_are_named_by_record_or_stop_it_in_one_line(tiny_model_file):
    src = str(JSONL_DATA / "invalid-byte-in-record-2.jsonl")
    kept = CliRunner().invoke(app, ["filter", "--jsonl", src, "-m", str(tiny_model_file), "-t", "1"])
    assert kept.exit_code == 0
    assert "invalid-byte-in-record-2.jsonl: record 2: invalid utf-8" in kept.stderr
    assert json.loads(kept.stdout.splitlines()[1])["text"] == "Caf\udce9 au lait."
    strict = CliRunner().invoke(app, ["filter", "--jsonl", src, "-m", str(tiny_model_file), "--errors", "strict"])
    assert strict.exit_code == 1
    assert strict.stderr.count("\n") == 1 and "Traceback" not in strict.output
    assert "invalid-byte-in-record-2.jsonl: invalid utf-8 in record 1 or a later one" in strict.stderr
