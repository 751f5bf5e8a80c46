"""The retraining loop from the command line: pre-label, correct, retrain on top of the
default corpus, compare models, and see why a line was removed."""

import json

import pytest

from detector import Detector, load_dataset

from .conftest import DATA
from .test_cli import run


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes((DATA / "pages" / "example-page.txt").read_bytes())
    return path


def test_label_writes_one_prelabelled_file_per_document_that_loads_back(page, tiny_model_file, tmp_path):
    out = tmp_path / "labelled"
    result = run("label", page, DATA / "labelling" / "odd-lines.txt", "--model", tiny_model_file, "-o", out,
                 "--site", "harbour", "--lang", "en")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "pre-labelled 2 documents" in result.stderr
    docs = {d.source.split("/")[-1]: d for d in load_dataset(out)}
    assert set(docs) == {"page.txt", "odd-lines.txt"}
    odd = (DATA / "labelling" / "odd-lines.txt").read_text(encoding="utf-8").split("\n")
    assert docs["odd-lines.txt"].lines == [x for x in odd if x.strip()]
    assert docs["page.txt"].meta["site"] == "harbour"


def test_label_never_replaces_a_file_that_may_hold_corrections(page, tiny_model_file, tmp_path):
    out = tmp_path / "labelled"
    assert run("label", page, "--model", tiny_model_file, "-o", out, "-q").exit_code == 0
    (out / "page.txt").write_text("# corrected by hand\nE Home\n", encoding="utf-8")
    result = run("label", page, "--model", tiny_model_file, "-o", out)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (out / "page.txt").read_text(encoding="utf-8") == "# corrected by hand\nE Home\n"
    assert run("label", page, "--model", tiny_model_file, "-o", out, "--force", "-q").exit_code == 0


def test_label_takes_a_jsonl_stream_and_skips_malformed_records(tiny_model_file, tmp_path):
    src = tmp_path / "crawl.jsonl"
    src.write_text(
        json.dumps({"text": "Home\nThe council met on Tuesday and approved the budget."}) + "\n{oops\n"
        + json.dumps({"text": "News\nA second page with one real sentence of text in it."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = run("label", src, "--jsonl", "--model", tiny_model_file, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "record 2" in result.stderr and "pre-labelled 2 documents" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["crawl-00001.txt", "crawl-00003.txt"]


def test_explain_prints_one_record_per_line_with_its_evidence(page, tiny_model_file, tiny_detector):
    result = run("explain", page, "--model", tiny_model_file, "--json")
    assert result.exit_code == 0
    records = [json.loads(x) for x in result.stdout.splitlines()]
    verdicts = [v for v in tiny_detector.classify(page.read_text().splitlines()) if v.label != "blank"]
    assert [r["label"] for r in records] == [v.label for v in verdicts]
    assert all({"toward_junk", "toward_editorial", "context", "lexical_score"} <= set(r) for r in records)


def test_explain_renders_a_table_for_people(page, tiny_model_file):
    result = run("explain", page, "--model", tiny_model_file)
    assert result.exit_code == 0 and "words alone" in result.stdout and "threshold" in result.stdout


def test_evaluate_compares_two_models_side_by_side(tiny_model_file):
    result = run("evaluate", DATA / "tiny", "--model", "default", "--model", tiny_model_file, "-q")
    assert result.exit_code == 0, result.stderr
    assert "junk lines removed" in result.stdout and str(tiny_model_file) in result.stdout
    data = json.loads(run("evaluate", DATA / "tiny", "-m", "default", "-m", tiny_model_file, "-q", "--json").stdout)
    assert set(data) == {"default", str(tiny_model_file)}


@pytest.mark.slow
def test_train_small_on_top_of_a_corpus_reports_your_documents_apart(tmp_path, monkeypatch):
    from detector import corpus

    tiny = load_dataset(DATA / "tiny")
    monkeypatch.setattr(corpus, "load_corpus", lambda path=None: corpus.Corpus(tiny[:3], []))
    model = tmp_path / "mine.joblib"
    result = run("train", DATA / "tiny" / "harbour-news.txt", DATA / "tiny" / "bakery-blog.txt",
                 "--with-default-corpus", "--weight", "4", "--small", "--folds", "2", "-o", model, "-q")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "your documents:" in result.stdout
    info = json.loads(run("info", "--model", model, "--json").stdout)
    assert info["default_corpus"]["your_pages"] == 2 and info["default_corpus"]["weight"] == 4.0
    shipped = Detector.default()  # its operating points were chosen on real pages and sites: inherited
    assert info["threshold"] == shipped.threshold and info["presets"] == shipped.presets
    assert info["site_memory"]["doubt_margin"] == shipped.doubt_margin


@pytest.mark.parametrize("name", ["model.pkl", "model", "missing-folder/model.joblib"])
def test_train_refuses_an_output_it_cannot_save_before_training(tmp_path, name, monkeypatch):
    from detector import training

    def never(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(training, "train", never)
    result = run("train", DATA / "tiny", "-o", tmp_path / name)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert ".joblib" in result.stderr or "does not exist" in result.stderr


@pytest.mark.slow
def test_training_reports_plain_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    result = run("train", DATA / "tiny", "--small", "--folds", "2", "--jobs", "1", "-o", tmp_path / "m.joblib")
    assert result.exit_code == 0, result.stderr
    assert "featurising 5 documents" in result.stderr
    assert "model fits: 3 of 3 done, elapsed" in result.stderr
    quiet = run("train", DATA / "tiny", "--small", "--folds", "2", "--jobs", "1", "-o", tmp_path / "q.joblib", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_the_clis_choices_are_the_librarys():
    from typing import get_args

    from detector import classifier, cli, jsonl, textio

    assert set(get_args(cli.Preset)) == set(classifier.PRESETS)
    assert set(get_args(cli.OnError)) == set(jsonl.ON_ERROR)
    assert set(get_args(cli.ErrorPolicy)) == set(textio.ERROR_POLICIES)


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--format", "xml", "x.txt"],
        ["filter", "--threshold", "1.5", "x.txt"],
        ["filter", "--preset", "nope", "x.txt"],
        ["filter", "--jsonl", "--on-error", "ignore", "x.jsonl"],
        ["filter", "--errors", "sloppy", "x.txt"],
    ],
)
def test_usage_errors_exit_2_as_click_does(args):
    assert run(*args).exit_code == 2


def test_bad_files_exit_1(tmp_path):
    assert run("filter", tmp_path / "missing.txt").exit_code == 1
    assert run("train", DATA / "bad" / "unknown-label.txt", "-o", tmp_path / "m.joblib").exit_code == 1


@pytest.mark.parametrize("command", ["filter", "score", "train", "evaluate", "label", "explain"])
def test_help_shows_readable_metavars(command):
    text = run(command, "--help").stdout
    assert "--model FILE" in text or command == "train"
    assert "FILE:" in text or "PATH:" in text  # what the positional arguments take, in words
    assert not any(t in text for t in ("<float range>", "<list[Path]>", "<path>", "<int range>"))


@pytest.fixture
def two_pages(tmp_path):
    a, b = tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt"
    a.parent.mkdir()
    a.write_bytes((DATA / "pages" / "example-page.txt").read_bytes())
    b.write_text("Home\nThe council met on Tuesday and approved the budget for the harbour wall.", encoding="utf-8")
    return a, b


def test_several_documents_on_stdout_are_separated_by_a_blank_line(two_pages, tiny_model_file, tiny_detector):
    a, b = two_pages
    result = run("filter", a, b, "--model", tiny_model_file, "-q")
    first = tiny_detector.filter_text(a.read_text(encoding="utf-8"))
    second = tiny_detector.filter_text(b.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert first.endswith("\n")
    assert result.stdout == first + "\n" + second + ("\n" if second and not second.endswith("\n") else "")


def test_output_dir_writes_one_cleaned_file_per_input(two_pages, tiny_model_file, tiny_detector, tmp_path):
    a, b = two_pages
    out = tmp_path / "clean"
    result = run("filter", a, b, "--model", tiny_model_file, "--output-dir", out)
    assert result.exit_code == 0 and "into" in result.stderr
    for src in (a, b):
        assert (out / src.name).read_text(encoding="utf-8") == tiny_detector.filter_text(
            src.read_text(encoding="utf-8")
        )
    assert result.stdout == ""


def test_output_dir_refuses_two_inputs_of_the_same_name(two_pages, tiny_model_file, tmp_path):
    a, _ = two_pages
    twin = tmp_path / "other" / "a.txt"
    twin.parent.mkdir()
    twin.write_text("Home\n", encoding="utf-8")
    result = run("filter", a, twin, "--model", tiny_model_file, "--output-dir", tmp_path / "clean")
    assert result.exit_code == 1 and "would both be written" in result.stderr
    assert not (tmp_path / "clean" / "a.txt").exists()


def test_output_dir_goes_with_neither_output_nor_jsonl(two_pages, tmp_path):
    a, _ = two_pages
    assert run("filter", a, "--output-dir", tmp_path / "d", "-o", tmp_path / "x.txt").exit_code == 2


def test_reading_stdin_on_a_terminal_says_so(capsys):
    from detector.cli import _stdin_hint

    _stdin_hint(["-"], quiet=False, interactive=True)
    assert "reading stdin" in capsys.readouterr().err
    _stdin_hint(["-"], quiet=False, interactive=False)
    _stdin_hint(["-"], quiet=True, interactive=True)
    _stdin_hint(["a.txt"], quiet=False, interactive=True)
    assert capsys.readouterr().err == ""


def test_output_dir_never_writes_over_an_input(two_pages, tiny_model_file):
    a, _ = two_pages
    before = a.read_bytes()
    result = run("filter", a, "--model", tiny_model_file, "--output-dir", a.parent)
    assert result.exit_code == 1 and "write over this input" in result.stderr
    assert a.read_bytes() == before


def test_training_on_one_jsonl_document_is_one_line_not_a_traceback(tmp_path):
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"lines": ["Home", "A paragraph of text."], "labels": ["B", "E"]}) + "\n")
    result = run("train", src, "-o", tmp_path / "m.joblib")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "at least two sites" in result.stderr


def test_label_gives_inputs_of_the_same_name_files_of_their_own(tiny_model_file, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.v1.txt").write_text(f"Home\nA page from folder {folder}.\n", encoding="utf-8")
    out = tmp_path / "labelled"
    result = run(
        "label", tmp_path / "a" / "page.v1.txt", tmp_path / "b" / "page.v1.txt", "-m", tiny_model_file, "-o", out
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["page.v1-2.txt", "page.v1.txt"]


def test_label_output_from_undecodable_input_still_trains(tiny_model_file, tmp_path):
    """Training files are UTF-8: bytes that were not (a latin-1 file, a lone surrogate escape in a
    JSON record) come out as U+FFFD, counted in the summary, and a BOM before the first JSON
    record is no malformed record."""
    out = tmp_path / "labelled"
    jsonl = DATA / "jsonl" / "bom-and-odd-strings.jsonl"
    result = run("label", jsonl, "--jsonl", "--model", tiny_model_file, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "pre-labelled 3 documents" in result.stderr and "2 lines with undecodable text" in result.stderr
    lines = {d.source.split("/")[-1]: d.lines for d in load_dataset(out)}
    assert lines["bom-and-odd-strings-00002.txt"] == ["A lone \ufffd surrogate escape."]
    assert lines["bom-and-odd-strings-00003.txt"] == ["Caf\ufffd au lait, a byte that is not UTF-8."]
