"""The command line, in-process with CliRunner: results on stdout, one clear line on stderr for
every user mistake, never a traceback."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from detector import load_dataset
from detector.cli import app

from .conftest import DATA
from .test_classifier import PAGE

runner = CliRunner()


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("\n".join(PAGE) + "\n", encoding="utf-8")
    return path


def run(*args, input=None):
    result = runner.invoke(app, [str(a) for a in args], input=input)
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def test_filter_prints_the_kept_lines_and_a_summary(page, tiny_model_file, tiny_detector):
    result = run("filter", page, "--model", tiny_model_file)
    assert result.exit_code == 0
    assert result.stdout == tiny_detector.filter_text(page.read_text())
    assert "removed" in result.stderr and "lines from 1 document" in result.stderr


def test_filter_reads_stdin(page, tiny_model_file, tiny_detector):
    result = run("filter", "-", "--model", tiny_model_file, "--quiet", input=page.read_text())
    assert result.exit_code == 0 and result.stdout == tiny_detector.filter_text(page.read_text())
    assert result.stderr == ""


def test_filter_writes_the_removed_lines_as_an_audit_trail(page, tiny_model_file, tmp_path, tiny_detector):
    audit = tmp_path / "removed.jsonl"
    run("filter", page, "--model", tiny_model_file, "--removed", audit, "-o", tmp_path / "out.txt")
    records = [json.loads(x) for x in audit.read_text().splitlines()]
    expected = tiny_detector.filter_document(page.read_text()).removed
    assert [(r["line"], r["text"], r["label"]) for r in records] == [(x.line_no, x.text, x.label) for x in expected]
    assert (tmp_path / "out.txt").read_text() == tiny_detector.filter_text(page.read_text())


def test_filter_keep_and_threshold_options_reach_the_detector(page, tiny_model_file):
    everything = run(
        "filter",
        page,
        "--model",
        tiny_model_file,
        "--threshold",
        "1",
        "-k",
        "editorial",
        "-k",
        "promotional",
        "-k",
        "boilerplate",
    )
    assert everything.stdout == page.read_text()


def test_filter_title_echo_removes_a_title_that_only_repeats_the_headline_unless_turned_off(tiny_model_file):
    page = DATA / "pages" / "titled-page.txt"
    on = run("filter", page, "--model", tiny_model_file, "--threshold", "1", "--quiet")
    off = run("filter", page, "--model", tiny_model_file, "--threshold", "1", "--quiet", "--no-title-echo")
    first = page.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    assert on.exit_code == off.exit_code == 0
    assert off.stdout == page.read_text(encoding="utf-8") and on.stdout == off.stdout.removeprefix(first)


def test_filter_keeps_undecodable_bytes_byte_for_byte_and_says_where(tmp_path, tiny_model_file):
    raw = b"The council voted on Tuesday to fund the repairs, caf\xe9 included.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(raw)
    result = runner.invoke(
        app, ["filter", str(path), "--model", str(tiny_model_file), "-t", "1", "-o", str(tmp_path / "o.txt")]
    )
    assert result.exit_code == 0
    assert (tmp_path / "o.txt").read_bytes() == raw
    assert f"{path}: invalid utf-8 at byte offset 53" in result.stderr


def test_the_removed_lines_audit_is_valid_utf8_json_when_the_input_is_not(tmp_path, tiny_model_file):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Caf\xe9 au lait.\n")
    audit = tmp_path / "removed.jsonl"
    result = run("filter", path, "--model", tiny_model_file, "-t", "0", "--removed", audit, "-o", tmp_path / "o.txt")
    assert result.exit_code == 0
    (record,) = [json.loads(x) for x in audit.read_bytes().decode("utf-8").splitlines()]
    assert record["text"] == "Caf\udce9 au lait.", "the string that was read, escaped"


def test_strict_decoding_refuses_with_file_and_offset(tmp_path, tiny_model_file):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"abc\xff\n")
    result = run("filter", path, "--model", tiny_model_file, "--errors", "strict")
    assert result.exit_code == 1
    assert f"{path}: invalid utf-8 at byte offset 3" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["filter", "missing.txt"], "missing.txt: no such file"),
        (["filter", "--jsonl", "missing.jsonl.gz"], "missing.jsonl.gz: no such file"),
        (["filter", "{tmp}"], "is a folder"),
        (["filter", "{binary}"], "looks like a binary file"),
        (["filter", "{page}", "--model", "nope.joblib"], "nope.joblib: no such model file"),
        (["filter", "{page}", "--keep", "editoral"], "unknown label(s) editoral"),
        (["train", str(DATA / "bad"), "-o", "{tmp}/m.joblib"], "unknown-label.txt:3: unknown label 'X'"),
        (["evaluate", str(DATA / "tiny"), "--model", "{page}"], "not a readable detector model"),
    ],
    ids=[
        "missing",
        "missing-jsonl",
        "folder",
        "binary",
        "model",
        "label",
        "bad-data",
        "not-a-model",
    ],
)
def test_user_mistakes_get_one_line_and_exit_1(args, message, page, tmp_path, tiny_model_file):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02PK\x00" * 100)
    args = [a.format(tmp=tmp_path, page=page, binary=binary) for a in args]
    if "--model" not in args and args[0] in ("filter", "score"):
        args += ["--model", str(tiny_model_file)]
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    if args[0] != "train":  # malformed data lists every problem, one per line
        assert len(result.stderr.strip().splitlines()) == 1


def test_threshold_out_of_range_is_a_usage_error(page, tiny_model_file):
    result = run("filter", page, "--model", tiny_model_file, "--threshold", "2")
    assert result.exit_code == 2


def test_failed_output_leaves_no_half_written_file(tmp_path, tiny_model_file, page):
    out = tmp_path / "out.txt"
    out.write_text("previous content")
    result = run("filter", page, tmp_path / "missing.txt", "--model", tiny_model_file, "-o", out)
    assert result.exit_code == 1
    assert out.read_text() == "previous content"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt")]


def test_score_prints_one_tsv_row_per_line(page, tiny_model_file):
    result = run("score", page, "--model", tiny_model_file)
    rows = result.stdout.splitlines()
    assert rows[0] == "document\tline\tlabel\tscore\tkeep\ttext"
    assert len(rows) == 1 + len(PAGE)
    assert rows[1].split("\t")[1:3] == ["1", rows[1].split("\t")[2]]


def test_score_jsonl_records(page, tiny_model_file):
    result = run("score", page, "--model", tiny_model_file, "--format", "jsonl")
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["text"] for r in records] == PAGE
    assert {"document", "line", "label", "score", "keep", "text"} <= set(records[0])


@pytest.mark.slow
def test_train_then_info_then_evaluate(tmp_path):
    model = tmp_path / "m.joblib"
    trained = run("train", DATA / "tiny", "-o", model, "--folds", "2", "--quiet")
    assert trained.exit_code == 0, trained.stderr
    assert "editorial recall" in trained.stdout
    info = run("info", "--model", model, "--json")
    meta = json.loads(info.stdout)
    assert meta["format"] == "joblib" and "runs code" in meta["trust"]
    assert meta["labels"][0] == "editorial" and len(meta["training_data_sha256"]) == 64
    assert "validation" in meta and meta["training_documents"] == 5
    evaluated = run("evaluate", DATA / "tiny", "--model", model, "--json")
    report = json.loads(evaluated.stdout)
    assert set(report["per_label"]) == {"editorial", "promotional", "boilerplate"}
    assert report["by_lang"]["de"]["documents"] == 1


def test_every_command_has_help_with_an_example():
    for command in ("filter", "score", "train", "evaluate", "info"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example: detector " + command in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full to simulate a full disk")
@pytest.mark.parametrize("how", ["stdout", "output-file"])
def test_full_disk_gives_one_line_and_exit_1(page, tiny_model_file, how):
    cmd = [sys.executable, "-m", "detector", "filter", str(page), "--model", str(tiny_model_file), "-t", "1", "-q"]
    if how == "stdout":
        with open("/dev/full", "w") as full:
            done = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    else:
        done = subprocess.run([*cmd, "-o", "/dev/full"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "No space left on device" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.slow
def test_train_reads_a_line_bank_and_warns_about_held_out_folders(tmp_path):
    held = tmp_path / "holdout"
    shutil.copytree(DATA / "tiny", held)
    bank = tmp_path / "bank.txt"
    bank.write_text("P Use code SAVE20 for 20 % off today!\nE Preheat the oven to 200 °C.\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    trained = run("train", held, "--lines", bank, "-o", model, "--folds", "2", "--jobs", "1", "--quiet")
    assert trained.exit_code == 0, trained.stderr
    assert "warning: training on documents under holdout/" in trained.stderr
    meta = json.loads(run("info", "--model", model, "--json").stdout)
    assert meta["line_bank_lines"] == 2
    assert {"safe", "balanced", "strict"} <= set(meta["presets"])


def test_presets_are_listed_by_info_and_an_unknown_one_is_refused(page, tiny_model_file):
    info = run("info")
    assert info.exit_code == 0
    for name in ("safe", "balanced", "strict", "extracted"):
        assert f"preset {name}: threshold" in info.stdout
    assert run("filter", page, "--preset", "fastest").exit_code == 2  # not a preset name: usage
    missing = run("filter", page, "--preset", "strict", "--model", tiny_model_file)  # a model without it
    assert missing.exit_code == 1
    assert missing.stderr.strip().count("\n") == 0 and "unknown preset 'strict'" in missing.stderr


@pytest.mark.parametrize(("threshold", "kept"), [("1", "all"), ("0", "none")])
def test_evaluate_counts_the_pages_that_keep_their_title(tiny_model_file, threshold, kept):
    titled = sum("editorial" in d.labels for d in load_dataset(DATA / "tiny"))
    result = run("evaluate", DATA / "tiny", "--model", tiny_model_file, "-t", threshold, "--quiet")
    assert result.exit_code == 0, result.stderr
    expected = titled if kept == "all" else 0
    assert f"page titles (first editorial line) kept: {expected} of {titled} " in result.stdout
