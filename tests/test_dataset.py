"""Loading labelled documents, and one file:line message for every kind of malformed data."""

import json

import pytest

from detector import DataError, load_dataset
from detector.dataset import dataset_labels, dataset_sha256

from .conftest import DATA


def test_text_and_jsonl_documents_load_with_their_metadata(tiny_docs):
    by_source = {d.source.split("/")[-1]: d for d in tiny_docs}
    news = by_source["harbour-news.txt"]
    assert news.genre == "news" and news.lang == "en"
    assert news.lines[0] == "Skip to content" and news.labels[0] == "boilerplate"
    assert len(news.lines) == len(news.labels)
    forum = next(d for d in tiny_docs if d.source == "tiny-forum-1")
    assert forum.labels[2] == "editorial"


def test_labels_put_editorial_first(tiny_docs):
    assert dataset_labels(tiny_docs)[0] == "editorial"


def test_unknown_label_names_the_file_the_line_and_the_valid_codes():
    with pytest.raises(DataError) as err:
        load_dataset(DATA / "bad" / "unknown-label.txt")
    problems = err.value.problems
    assert any("unknown-label.txt:3: unknown label 'X'" in p and "E (editorial)" in p for p in problems)
    assert any("unknown-label.txt:4:" in p for p in problems), "a label without text is reported too"


def test_every_problem_of_every_file_is_reported_at_once():
    with pytest.raises(DataError) as err:
        load_dataset(DATA / "bad")
    text = "\n".join(err.value.problems)
    for expected in (
        "empty.txt:1: empty document",
        "latin1.txt:1: not valid UTF-8",
        "mismatch.jsonl:1: 2 lines but 1 labels",
        "mismatch.jsonl:2: not valid JSON",
    ):
        assert expected in text


def test_exact_duplicate_documents_are_refused(tmp_path):
    doc = "E A headline\nB Home\n"
    (tmp_path / "a.txt").write_text(doc)
    (tmp_path / "b.txt").write_text(doc)
    with pytest.raises(DataError, match="exact duplicate"):
        load_dataset(tmp_path)


def test_a_single_label_cannot_train(tmp_path):
    (tmp_path / "a.txt").write_text("E One\nE Two\n")
    with pytest.raises(DataError, match="at least two labels"):
        dataset_labels(load_dataset(tmp_path))


def test_custom_label_set_from_a_header(tmp_path):
    (tmp_path / "a.txt").write_text("# labels: E=editorial S=spam\nE Real text\nS Buy now\n")
    doc = load_dataset(tmp_path)[0]
    assert doc.labels == ["editorial", "spam"]


def test_missing_path_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no such file or folder"):
        load_dataset(tmp_path / "nope")


def test_hash_ignores_file_order_but_not_labels(tmp_path):
    (tmp_path / "a.txt").write_text("E One\nB Two\n")
    (tmp_path / "b.txt").write_text("E Three\nP Four\n")
    docs = load_dataset(tmp_path)
    assert dataset_sha256(docs) == dataset_sha256(list(reversed(docs)))
    (tmp_path / "b.txt").write_text("E Three\nB Four\n")
    assert dataset_sha256(load_dataset(tmp_path)) != dataset_sha256(docs)


def test_jsonl_codes_and_names_are_both_accepted(tmp_path):
    rec = {"lines": ["x", "y"], "labels": ["E", "boilerplate"]}
    (tmp_path / "d.jsonl").write_text(json.dumps(rec) + "\n")
    assert load_dataset(tmp_path)[0].labels == ["editorial", "boilerplate"]


def test_an_unsure_mark_after_a_code_keeps_the_label(tmp_path):
    (tmp_path / "d.txt").write_text("E? A heading the model doubted\nB? Share\nP Ad\n", encoding="utf-8")
    doc = load_dataset(tmp_path)[0]
    assert doc.labels == ["editorial", "boilerplate", "promotional"]
    assert doc.lines[0] == "A heading the model doubted"


def test_a_jsonl_document_keeps_its_site(tmp_path):
    rec = {"lines": ["x", "y"], "labels": ["E", "B"], "site": "harbour-times", "genre": "news"}
    (tmp_path / "d.jsonl").write_text(json.dumps(rec) + "\n")
    doc = load_dataset(tmp_path)[0]
    assert doc.meta["site"] == "harbour-times" and doc.genre == "news"
