"""The shipped corpus is well-formed: it loads (no malformed file, unknown label or duplicate
document), its metadata matches its paths, and the hold-out set shares no site with training."""

import pytest

from detector import load_dataset

from .conftest import REPO

CORPUS = REPO / "training_data"


@pytest.fixture(scope="module")
def train_docs():
    return load_dataset(CORPUS / "docs")


@pytest.fixture(scope="module")
def holdout_docs():
    return load_dataset(CORPUS / "holdout")


def test_every_document_loads_with_known_labels(train_docs, holdout_docs):
    for d in train_docs + holdout_docs:
        assert set(d.labels) <= {"editorial", "promotional", "boilerplate"}, d.source


def test_metadata_matches_folder_and_file_name(train_docs, holdout_docs):
    for d in train_docs + holdout_docs:
        path = d.source.replace("\\", "/")
        genre_folder, name = path.split("/")[-2:]
        assert d.genre == genre_folder, path
        assert name.startswith(d.lang + "-"), path
        assert d.meta.get("site"), f"{path} names no site"


def test_no_document_appears_in_both_training_and_holdout(train_docs, holdout_docs):
    seen = {tuple(d.lines) for d in train_docs}
    assert not [d.source for d in holdout_docs if tuple(d.lines) in seen]


def test_holdout_sites_are_never_trained_on(train_docs, holdout_docs):
    shared = {d.meta["site"] for d in train_docs} & {d.meta["site"] for d in holdout_docs}
    assert not shared


@pytest.mark.parametrize("folder", ["promo-dev", "sites", "adaptation", "candidates"])
def test_every_other_folder_loads_with_known_labels(folder):
    docs = load_dataset(CORPUS / folder)
    assert docs, f"{folder} is empty"
    for d in docs:
        assert set(d.labels) <= {"editorial", "promotional", "boilerplate"}, d.source
        assert d.meta.get("site"), f"{d.source} names no site"


def test_multi_page_sites_are_whole_sites_never_trained_on(train_docs):
    sites = load_dataset(CORPUS / "sites")
    pages_per_site: dict[str, int] = {}
    for d in sites:
        pages_per_site[d.meta["site"]] = pages_per_site.get(d.meta["site"], 0) + 1
    assert min(pages_per_site.values()) >= 20, "site memory is measured on sites of 20+ pages"
    assert not set(pages_per_site) & {d.meta["site"] for d in train_docs}
