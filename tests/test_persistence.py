"""Saving and loading models: the round trip, and one clear error for each way a file is wrong."""

import copy
import pickle

import joblib
import pytest
import sklearn

from detector import Detector, ModelError
from detector.persistence import FORMAT, FORMAT_VERSION, describe_model_file, load_model, untrusted_types

from .test_classifier import PAGE


def test_round_trip_keeps_verdicts_and_metadata(tiny_detector, tmp_path):
    path = tmp_path / "m.joblib"
    tiny_detector.save(path)
    loaded = Detector.load(path)
    assert loaded.classify(PAGE) == tiny_detector.classify(PAGE)
    meta = loaded.metadata
    assert meta["sklearn_version"] == sklearn.__version__
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["labels"][0] == "editorial"


def test_skops_round_trip_loads_without_trusting_foreign_types(tiny_detector, tmp_path):
    pytest.importorskip("skops")
    path = tmp_path / "m.skops"
    tiny_detector.save(path)
    assert untrusted_types(path) == []
    assert Detector.load(path).classify(PAGE) == tiny_detector.classify(PAGE)
    assert describe_model_file(path)["format"] == "skops"


def _payload(tiny_detector, **changes):
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "metadata": tiny_detector.metadata,
        "model": tiny_detector._loaded.model,
    }
    payload.update(changes)
    return payload


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p, d: None, "no such model file"),
        (lambda p, d: p.write_bytes(b""), "empty"),
        (lambda p, d: p.write_bytes(d.read_bytes()[:200]), "not a readable detector model"),
        (lambda p, d: p.write_text("hello, I am text"), "not a readable detector model"),
        (lambda p, d: joblib.dump({"weights": [1, 2, 3]}, p), "holds dict, not a detector model"),
        (lambda p, d: joblib.dump([1, 2], p), "holds list, not a detector model"),
    ],
    ids=["missing", "empty", "truncated", "not-joblib", "foreign-dict", "foreign-list"],
)
def test_each_broken_file_gets_its_own_clear_error(tiny_model_file, tmp_path, make, message):
    path = tmp_path / "broken.joblib"
    make(path, tiny_model_file)
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="folder"):
        load_model(tmp_path)


def test_newer_format_says_to_upgrade_or_retrain(tiny_detector, tmp_path):
    path = tmp_path / "future.joblib"
    joblib.dump(_payload(tiny_detector, format_version=FORMAT_VERSION + 1), path)
    with pytest.raises(ModelError, match="newer than this detector reads.*detector train"):
        load_model(path)


def test_other_sklearn_version_names_it_and_how_to_retrain(tiny_detector, tmp_path):
    path = tmp_path / "old.joblib"
    meta = {**tiny_detector.metadata, "sklearn_version": "0.24.2"}
    joblib.dump(_payload(tiny_detector, metadata=meta), path)
    with pytest.raises(ModelError, match=r"trained with scikit-learn 0\.24\.2.*retrain it with `detector train"):
        load_model(path)


def test_a_model_made_for_other_feature_columns_names_them_and_how_to_retrain(tiny_detector, tmp_path):
    model = copy.deepcopy(tiny_detector._loaded.model)
    model.feature_names_ = [*model.feature_names_[:-1], "a_column_we_dropped"]
    path = tmp_path / "other-features.joblib"
    joblib.dump(_payload(tiny_detector, model=model), path)
    with pytest.raises(
        ModelError,
        match=r"another detector version \(this detector adds 1 .*no longer computes 1 "
        r"\(a_column_we_dropped\)\); retrain it with `detector train",
    ):
        load_model(path)


def test_labels_without_editorial_are_refused(tiny_detector, tmp_path):
    path = tmp_path / "nolabel.joblib"
    meta = {**tiny_detector.metadata, "labels": ["spam", "ham"]}
    joblib.dump(_payload(tiny_detector, metadata=meta), path)
    with pytest.raises(ModelError, match="lack 'editorial'"):
        load_model(path)


def test_plain_pickle_of_something_else_is_refused(tmp_path):
    path = tmp_path / "x.joblib"
    path.write_bytes(pickle.dumps(("not", "a", "model")))
    with pytest.raises(ModelError, match="not a detector model"):
        load_model(path)


def test_skops_file_with_untrusted_types_is_refused(tmp_path):
    sio = pytest.importorskip("skops.io")
    from fractions import Fraction

    path = tmp_path / "evil.skops"
    sio.dump({"format": FORMAT, "x": Fraction(1, 3)}, str(path))
    with pytest.raises(ModelError, match="untrusted types fractions.Fraction"):
        load_model(path)


def test_damaged_skops_file_is_a_clear_error(tmp_path):
    pytest.importorskip("skops")
    path = tmp_path / "bad.skops"
    path.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(ModelError, match="not a readable .skops model"):
        load_model(path)


def test_embedded_model_checksum_mismatch_is_detected(tiny_model_file, tmp_path, monkeypatch):
    from detector import persistence

    fake = tmp_path / "default.joblib"
    fake.write_bytes(tiny_model_file.read_bytes())
    persistence.write_checksum(fake)
    monkeypatch.setattr(persistence, "default_model_path", lambda: fake)
    assert persistence.load_default().metadata["labels"][0] == "editorial"
    (tmp_path / "default.joblib.sha256").write_text("0" * 64 + "  default.joblib\n")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        persistence.load_default()


def test_the_packaged_corpus_is_what_the_shipped_model_was_trained_on():
    from detector import Detector
    from detector.corpus import load_corpus
    from detector.dataset import dataset_sha256

    corpus = load_corpus()
    meta = Detector.default().metadata
    assert dataset_sha256(corpus.pages) == meta["training_data_sha256"]
    assert dataset_sha256(corpus.bank) == meta["line_bank_sha256"]


def test_the_packaged_corpus_is_the_repositorys_training_data():
    from detector import load_dataset
    from detector.corpus import load_corpus
    from detector.dataset import dataset_sha256

    from .conftest import REPO

    corpus = load_corpus()
    assert dataset_sha256(corpus.pages) == dataset_sha256(load_dataset(REPO / "training_data" / "docs"))
    assert dataset_sha256(corpus.bank) == dataset_sha256(load_dataset(REPO / "training_data" / "linebank"))
