"""Shared fixtures: a tiny model trained here on tests/data/tiny, and paths to test data.

Unit tests use the tiny model; only golden and quality-gate tests use the shipped one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from detector import Detector, load_dataset
from detector.dataset import dataset_labels
from detector.model import LineModel

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SHARED = Path(os.environ.get("DETECTOR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def tiny_docs():
    return load_dataset(DATA / "tiny")


@pytest.fixture(scope="session")
def tiny_detector(tiny_docs) -> Detector:
    labels = dataset_labels(tiny_docs)
    model = LineModel(n_folds=2, boost_iter=20).fit(
        [d.lines for d in tiny_docs], [d.labels for d in tiny_docs], classes=labels
    )
    return Detector.from_model(model, {"labels": labels, "threshold": 0.5})


@pytest.fixture(scope="session")
def tiny_model_file(tiny_detector, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny.joblib"
    tiny_detector.save(path)
    return path


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); set DETECTOR_SHARED to run this test")
    return SHARED
