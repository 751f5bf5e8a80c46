"""The library API on a tiny model trained in a fixture."""

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest

from detector import DetectorError, Verdict, classify, filter_lines, filter_text
from detector.classifier import BLANK, TITLE_REPEAT, build_result, with_headline
from detector.text import split_lines

from .conftest import DATA

PAGE = [
    "Home",
    "News",
    "Sign in",
    "Harbour wall repairs to start in March",
    "The town council voted on Tuesday to fund repairs to the eastern harbour wall after the storms.",
    "",
    "Engineers estimate the work will take eleven weeks and cost about £1.8 million.",
    "Share on Facebook",
    "© 2026 Harbour Gazette. All rights reserved.",
]


def test_one_verdict_per_line_with_text_label_score_keep(tiny_detector):
    verdicts = tiny_detector.classify(PAGE)
    assert len(verdicts) == len(PAGE)
    assert all(isinstance(v, Verdict) for v in verdicts)
    assert [v.text for v in verdicts] == PAGE
    for v in verdicts:
        assert 0.0 <= v.score <= 1.0
        assert v.label in tiny_detector.labels + [BLANK]


def test_keep_follows_the_threshold(tiny_detector):
    for v in tiny_detector.classify(PAGE):
        if v.label != BLANK:
            assert v.keep == (v.score < tiny_detector.threshold)
            assert (v.label == "editorial") == v.keep


def test_blank_lines_are_structure_not_content(tiny_detector):
    v = tiny_detector.classify(PAGE)[5]
    assert v.label == BLANK and v.keep and v.score == 0.0


def test_threshold_zero_removes_all_content_and_one_keeps_it(tiny_detector):
    assert tiny_detector.configure(threshold=0.0).filter_lines(PAGE) == []
    everything = tiny_detector.configure(threshold=1.0)
    assert all(v.keep for v in everything.classify(PAGE) if v.score < 1.0)


def test_keeping_more_labels_keeps_more_lines(tiny_detector):
    all_labels = tiny_detector.configure(keep=tiny_detector.labels)
    assert len(all_labels.filter_lines(PAGE)) == len(PAGE)


def test_unknown_keep_label_lists_the_known_ones(tiny_detector):
    with pytest.raises(DetectorError, match="unknown label.*knows editorial"):
        tiny_detector.configure(keep=["editorail"])


def test_threshold_outside_unit_interval_is_refused(tiny_detector):
    with pytest.raises(DetectorError, match="outside"):
        tiny_detector.configure(threshold=1.5)


def test_classify_many_equals_classifying_each_document(tiny_detector):
    docs = [PAGE, PAGE[3:], ["Only one line here."], []]
    assert tiny_detector.classify_many(docs) == [tiny_detector.classify(d) for d in docs]


def test_filter_text_keeps_lines_byte_for_byte_and_in_order(tiny_detector):
    text = "Home\r\n\u00a0Caf\u00e9 cr\u00e8me  et \u2028 spaces \r\nThe council voted on Tuesday to fund the repairs, said the mayor.\n"
    out = tiny_detector.configure(threshold=1.0).filter_text(text)
    assert out == text, "keeping every line must give the input back unchanged"
    result = tiny_detector.filter_document(text)
    kept = result.text.splitlines(keepends=True)
    assert all(line in text.splitlines(keepends=True) for line in kept)


def test_filter_document_reports_every_removed_line(tiny_detector):
    text = "\n".join(PAGE)
    result = tiny_detector.filter_document(text)
    kept_numbers = {i + 1 for i, v in enumerate(tiny_detector.classify(PAGE)) if v.keep}
    removed_numbers = {r.line_no for r in result.removed}
    content_numbers = {i + 1 for i, line in enumerate(PAGE) if line.strip()}
    assert removed_numbers | (kept_numbers & content_numbers) == content_numbers
    for r in result.removed:
        assert PAGE[r.line_no - 1] == r.text and r.label != "editorial"


def test_module_shortcuts_accept_a_detector(tiny_detector):
    text = "\n".join(PAGE)
    assert filter_text(text, model=tiny_detector) == tiny_detector.filter_text(text)
    assert filter_lines(PAGE, model=tiny_detector) == tiny_detector.filter_lines(PAGE)
    assert classify(PAGE, model=tiny_detector, threshold=0.9) == tiny_detector.configure(threshold=0.9).classify(PAGE)


def test_module_shortcuts_accept_a_model_path(tiny_detector, tiny_model_file):
    assert classify(PAGE, model=tiny_model_file) == tiny_detector.classify(PAGE)


def test_detector_is_safe_to_share_between_threads(tiny_detector):
    docs = [PAGE[i:] + PAGE[:i] for i in range(len(PAGE))] * 8
    sequential = [tiny_detector.classify(d) for d in docs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(tiny_detector.classify, docs))
    assert concurrent == sequential


def test_detector_pickles_for_process_pools(tiny_detector):
    clone = pickle.loads(pickle.dumps(tiny_detector))
    assert clone.classify(PAGE) == tiny_detector.classify(PAGE)
    assert clone.threshold == tiny_detector.threshold


def test_empty_document_gives_no_verdicts(tiny_detector):
    assert tiny_detector.classify([]) == []
    assert tiny_detector.filter_text("") == ""
    assert tiny_detector.filter_text("\n\n") == "\n\n"


def _long_page(n_pages: int = 6) -> list[str]:
    page = (DATA / "pages" / "example-page.txt").read_text(encoding="utf-8").splitlines()
    return [line for _ in range(n_pages) for line in page if line.strip()]


def test_a_long_document_is_judged_window_by_window(tiny_detector, monkeypatch):
    from detector import classifier

    lines = _long_page()
    monkeypatch.setattr(classifier, "WINDOW_LINES", 40)
    monkeypatch.setattr(classifier, "WINDOW_OVERLAP", 8)
    windowed = [v.score for v in tiny_detector.classify(lines)]
    monkeypatch.setattr(classifier, "WINDOW_LINES", 10**9)
    for a, b, lo, hi in classifier.windows(len(lines), 40, 8):
        alone = [v.score for v in tiny_detector.classify(lines[lo:hi])]
        assert windowed[a:b] == alone[a - lo : b - lo]


def test_a_document_that_fits_one_window_is_read_in_one_piece(tiny_detector, monkeypatch):
    from detector import classifier

    lines = _long_page(2)
    whole = tiny_detector.classify(lines)
    monkeypatch.setattr(classifier, "WINDOW_LINES", len(lines))
    assert tiny_detector.classify(lines) == whole


def test_batch_size_never_changes_a_verdict(tiny_detector, monkeypatch):
    from detector import classifier

    docs = [_long_page(1)[i : i + 7] for i in range(0, 60, 7)]
    together = tiny_detector.classify_many(docs)
    monkeypatch.setattr(classifier, "BATCH_LINES", 10)
    assert tiny_detector.classify_many(docs) == together


@pytest.mark.parametrize(
    "call",
    [
        lambda d: d.classify("Home\nNews"),
        lambda d: d.classify_many("Home\nNews"),
        lambda d: d.classify_many(["Home\nNews"]),
        lambda d: d.filter_lines("Home\nNews"),
    ],
)
def test_a_bare_string_where_lines_belong_is_refused_with_what_to_pass(tiny_detector, call):
    with pytest.raises(TypeError, match="splitlines|list of documents"):
        call(tiny_detector)


@pytest.mark.parametrize(
    "call",
    [
        lambda d: d.filter_text(["Home", "News"]),
        lambda d: d.filter_document(["Home"]),
        lambda d: d.filter_documents([["Home"]]),
    ],
)
def test_lines_where_text_belongs_are_refused_with_what_to_pass(tiny_detector, call):
    with pytest.raises(TypeError, match="filter_lines"):
        call(tiny_detector)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: d.classify(["Home", 5]), "line 2 is a int"),
        (lambda d: d.classify([b"Home"]), "line 1 is a bytes; decode it first"),
        (lambda d: d.classify_many([["Home"], ["News", None]]), "line 2 of document 2 is a NoneType"),
        (lambda d: d.filter_lines(["Home", 1.5]), "line 2 is a float"),
    ],
)
def test_a_line_that_is_not_a_str_is_named_by_its_number(tiny_detector, call, message):
    with pytest.raises(TypeError, match=message):
        call(tiny_detector)


def test_the_module_shortcuts_refuse_the_wrong_shape_too(tiny_detector):
    with pytest.raises(TypeError, match="splitlines"):
        filter_lines("Home\nNews", model=tiny_detector)
    with pytest.raises(TypeError, match="filter_lines"):
        filter_text(["Home", "News"], model=tiny_detector)


def _verdicts(lines: list[str], kept: set[int]) -> list[Verdict]:
    return [
        Verdict(t, "editorial" if i in kept else "boilerplate", 0.1 if i in kept else 0.9, i in kept)
        for i, t in enumerate(lines)
    ]


def _titled_page() -> list[str]:
    return (DATA / "pages" / "titled-page.txt").read_text(encoding="utf-8").splitlines()


def test_the_line_that_the_pages_title_repeats_is_kept_and_the_title_removed():
    lines = _titled_page()
    # kept: the <title> line and the two paragraphs; the headline (5) scored as junk
    revised = with_headline(_verdicts(lines, {0, 7, 8}))
    assert [i for i, v in enumerate(revised) if v.keep] == [5, 7, 8]
    assert revised[5].label == "editorial" and revised[0].label == TITLE_REPEAT


def test_a_site_name_repeated_in_the_footer_is_not_taken_for_the_headline():
    lines = [
        "The Cedar Hollow Herald",
        "Home",
        "A paragraph of the article, long enough to be kept.",
        "The Cedar Hollow Herald",
    ]
    verdicts = [Verdict(t, "editorial", 0.1, True) for t in lines]
    verdicts[3] = verdicts[3]._replace(label="boilerplate", score=0.9, keep=False)
    assert with_headline(verdicts) == verdicts


def test_the_title_echo_rule_can_be_turned_off(tiny_detector):
    page = _titled_page()
    everything = tiny_detector.configure(threshold=1.0)  # every line scores below 1: all kept
    assert everything.classify(page)[0].label == TITLE_REPEAT
    assert everything.configure(title_echo=False).filter_lines(page) == page


def test_a_filter_that_keeps_other_labels_is_not_given_the_headline(tiny_detector):
    page = _titled_page()
    promo = tiny_detector.configure(threshold=0.0, keep=["promotional"])
    assert all(v.label not in ("editorial", TITLE_REPEAT) for v in promo.classify(page))


def test_blank_lines_after_a_bare_cr_line_never_join_it_into_a_crlf_line():
    lines = ["Kept\r", "Removed\n", "\n", "\n", "Next\n"]
    keep = [True, False, True, True, True]
    verdicts = [Verdict(t, "editorial" if k else "boilerplate", 0.0, k) for t, k in zip(lines, keep)]
    text = build_result(lines, verdicts).text
    assert text == "Kept\rNext\n"
    assert split_lines(text) == ["Kept\r", "Next\n"]


def test_a_menu_phrase_met_again_further_down_is_not_taken_for_the_headline():
    menu = ["Skip to main content", "Home", "News", "Sport", "Weather", "Sign in", "Search", "Subscribe", "Contact"]
    prose = "The town council voted on Tuesday to fund repairs to the harbour wall after the storms."
    lines = [*menu, "Skip to main content", *menu[1:], prose]
    verdicts = [Verdict(t, "editorial", 0.1, True) for t in lines]  # a threshold that keeps everything
    assert with_headline(verdicts) == verdicts


def test_a_headline_far_above_its_text_is_kept_when_nothing_is_kept_between_it_and_the_title():
    share = ["Share", "Facebook", "X", "LinkedIn", "Email", "Print", "Comments (4)", "Listen", "Save"]
    lines = [
        "Harbour wall repairs to start in March | Harbour Gazette",
        "Home",
        "Harbour wall repairs to start in March",
        "By Jane Doe",
        *share,
        "The town council voted on Tuesday to fund repairs to the eastern harbour wall after the storms.",
    ]
    revised = with_headline(_verdicts(lines, {0, len(lines) - 1}))
    assert [i for i, v in enumerate(revised) if v.keep] == [2, len(lines) - 1]


def test_the_longest_copy_of_the_title_is_the_headline_not_a_breadcrumbs_shorter_one():
    lines = [
        "Harbour rowing league 2026 / Week 3 – Harbour Gazette",
        "Sport",
        "Harbour rowing league 2026",
        "Harbour rowing league 2026 / Week 3",
        "Eight crews raced on Saturday morning, and the Quayside club won the final by two lengths.",
    ]
    revised = with_headline(_verdicts(lines, {4}))
    assert [i for i, v in enumerate(revised) if v.keep] == [3, 4]
