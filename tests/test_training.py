"""Training helpers: short views cut from pages keep their labels and their page's fold group."""

from detector.training import SHORT_VIEW_MAX_LINES, _groups, short_views


def test_short_views_are_true_slices_of_their_pages(tiny_docs):
    views = short_views(tiny_docs)
    assert views, "every tiny page is long enough to cut a view from"
    by_source = {d.source: d for d in tiny_docs}
    for v in views:
        page = by_source[v.source.split("#")[0]]
        first, last = (int(x) for x in v.source.split("#")[1].split("-"))
        assert 1 <= len(v.lines) <= SHORT_VIEW_MAX_LINES
        assert v.lines == page.lines[first - 1 : last]
        assert v.labels == page.labels[first - 1 : last]


def test_short_views_are_deterministic_and_share_their_page_group(tiny_docs):
    assert short_views(tiny_docs) == short_views(tiny_docs)
    views = short_views(tiny_docs)
    groups = _groups(list(tiny_docs) + views)
    index = {d.source: g for d, g in zip(tiny_docs, groups)}
    for v, g in zip(views, groups[len(tiny_docs) :]):
        assert g == index[v.source.split("#")[0]]


def test_train_fits_the_final_model_on_pages_and_their_short_views(tiny_docs, monkeypatch):
    from detector import training
    from detector.model import LineModel

    seen: list[int] = []
    original = LineModel.fit

    def spy(self, docs, labels, classes=None, groups=None):
        seen.append(len(docs))
        return original(self, docs, labels, classes=classes, groups=groups)

    monkeypatch.setattr(LineModel, "fit", spy)
    det, report = training.train(tiny_docs, folds=2, quiet=True, n_folds=2, boost_iter=5)
    assert seen[-1] == len(tiny_docs) + len(short_views(tiny_docs))
    assert 0.0 <= det.threshold <= 1.0 and report["overall"]["lines"] == sum(len(d.lines) for d in tiny_docs)
