"""Features on a hand-built batch of two documents: every column has a name, context never
crosses a document, counts stop growing where real pages outgrow training pages, cues fire."""

import numpy as np
import pytest

from detector.cues import CUE_NAMES, cue_vector
from detector.features import RUN_CAP, SHAPE_NAMES, DocIndex, context_feature_names
from detector.model import LineModel, featurize

MENU = ["Home", "News", "Sport", "Weather"]
PROSE = "The council approved the budget on Tuesday after a long debate about the harbour."
DOC_A = [*MENU, PROSE, "Use code SPRING20 for 20 % off at checkout.", "$329 at HomeMart"]
DOC_B = ["Lesen Sie auch: Neue Radwege für die Altstadt", PROSE, "Anzeige"]


@pytest.fixture(scope="module")
def batch():
    return featurize([DOC_A, DOC_B])


def column(batch, name: str) -> np.ndarray:
    names = [*SHAPE_NAMES, *context_feature_names()]
    return batch.numeric[:, names.index(name)]


def test_every_numeric_column_has_one_name(batch):
    names = LineModel().numeric_names
    assert len(names) == len(set(names)) == batch.numeric.shape[1]


def test_batch_rows_and_offsets_follow_the_documents(batch):
    assert batch.numeric.shape[0] == batch.tokens.shape[0] == len(DOC_A) + len(DOC_B)
    assert batch.offsets.tolist() == [0, len(DOC_A), len(DOC_A) + len(DOC_B)]
    assert batch.doc_ids.tolist() == [0] * len(DOC_A) + [1] * len(DOC_B)


def test_neighbours_never_cross_a_document_boundary(batch):
    exists_before = column(batch, "exists@-1")
    exists_after = column(batch, "exists@+1")
    first_b, last_a = len(DOC_A), len(DOC_A) - 1
    assert exists_before[0] == 0 and exists_before[first_b] == 0
    assert exists_after[last_a] == 0 and exists_after[-1] == 0
    assert exists_before[1] == 1 and exists_after[first_b] == 1


def test_a_document_scores_the_same_alone_and_in_a_batch(batch):
    alone = featurize([DOC_B])
    np.testing.assert_allclose(batch.take([1]).numeric, alone.numeric)
    assert (batch.take([1]).tokens != alone.tokens).nnz == 0


def test_shifts_and_window_means_read_each_array_within_its_own_document():
    index = DocIndex(np.array([0, 0, 0, 0, 1, 1, 1]))
    x = np.arange(7.0)
    y = 10.0 * x
    # the neighbour lookups an index keeps for one array serve another with its own values
    assert index.shift(x, 1, -1.0).tolist() == [1, 2, 3, -1, 5, 6, -1]
    assert index.shift(y, 1, -1.0).tolist() == [10, 20, 30, -1, 50, 60, -1]
    assert index.shift(np.column_stack([x, y]), -1)[:, 1].tolist() == [0, 0, 10, 20, 0, 40, 50]
    docs = [x[:4], x[4:]]
    for r, means in zip((1, 2), index.window_means(x, (1, 2))):
        brute = [d[max(i - r, 0) : i + r + 1].mean() for d in docs for i in range(len(d))]
        np.testing.assert_allclose(means, brute)
        np.testing.assert_allclose(index.window_mean(x, r), brute)


def test_a_comment_sees_its_header_above_it():
    comment = "It's a good thing we have no fans left, because this season is a dumpster fire."
    doc = ["joetoronto says:", "November 19, 2019 at 6:44 am", comment, "Reply"]
    batch = featurize([[comment], doc])  # the same line alone, then under its header
    assert column(batch, "time@-1")[3] == 1 and column(batch, "year@-1")[3] == 1
    assert column(batch, "ends_colon@-2")[3] == 1
    for name in ("time@-1", "year@-1", "ends_colon@-2", "ends_colon@+1"):
        assert column(batch, name)[0] == 0, "nothing above or below a line standing alone"


def test_the_short_run_feature_stops_growing_at_its_cap():
    long_menu = [f"Section {i}" for i in range(200)] + [PROSE]
    short_menu = [f"Section {i}" for i in range(RUN_CAP)] + [PROSE]
    run_long = column(featurize([long_menu]), "short_run")
    run_short = column(featurize([short_menu]), "short_run")
    assert run_long.max() == pytest.approx(np.log1p(RUN_CAP)) == pytest.approx(run_short.max())


def test_advertising_cues_fire_on_their_lines(batch):
    cue = {name: column(batch, name) for name in CUE_NAMES}
    assert cue["cue_coupon"][5] == 1 and cue["cue_discount"][5] == 1
    assert cue["cue_price_at_shop"][6] == 1
    assert cue["cue_teaser_opener"][len(DOC_A)] == 1
    assert cue["cue_ad_marker"][-1] == 1
    assert not any(cue[name][len(MENU)] for name in CUE_NAMES)  # the article's prose


@pytest.mark.parametrize(
    ("line", "cue"),
    [
        ("Zobacz też: Nowy most na Wiśle", "cue_teaser_opener"),
        ("Читайте также: Новый мост через реку", "cue_teaser_opener"),
        ("149 € bei Technikwelt", "cue_price_at_shop"),
        ("Jetzt bestellen und sparen!", "cue_call_to_action"),
        ("We may earn a commission when you buy through our links.", "cue_affiliate"),
        ("Melden Sie sich für unseren Newsletter an.", "cue_newsletter"),
        ("Publicité", "cue_ad_marker"),
        ("Lies auch: Winterwochenende im Bayerischen Wald", "cue_teaser_opener"),
        ("Passend dazu: Wärmepumpe oder Fernwärme?", "cue_teaser_opener"),
        ("Vedi anche: il nuovo ponte sul Brenta", "cue_teaser_opener"),
        ("Przeczytaj też: Nowe trasy rowerowe", "cue_teaser_opener"),
        ("Don't miss: the weekend's best walks", "cue_teaser_opener"),
    ],
)
def test_cues_read_the_languages_we_read(line, cue):
    assert cue_vector(line)[CUE_NAMES.index(cue)] == 1


@pytest.mark.parametrize(
    "line",
    [
        "Sprawdź też hak przerzutki – po przewróceniu roweru potrafi się lekko wygiąć.",
        "Zum Thema Datenschutz sagte der Minister nichts.",
        "Mehr Licht im Flur hilft auch älteren Bewohnern.",
    ],
)
def test_editorial_lines_that_start_like_a_teaser_do_not_fire_the_teaser_cue(line):
    assert cue_vector(line)[CUE_NAMES.index("cue_teaser_opener")] == 0


def test_a_title_shares_the_words_of_its_body_a_teaser_for_another_story_does_not():
    doc = [
        "Harbour wall repairs approved by the council",
        "Read next: Bakery on Mill Street celebrates fifty years",
        "The council approved repairs to the harbour wall on Tuesday after a long debate.",
        "Work on the wall starts in spring, when the harbour is quiet.",
        "Share",
    ]
    batch = featurize([doc])
    overlap, none = column(batch, "topic_overlap"), column(batch, "no_topic_words")
    assert overlap[0] > 0.5, "the title's harbour, wall, repairs and council are in the body"
    assert overlap[1] == 0, "nothing of the bakery is in the body"
    assert 0 < overlap[2] < 1, "a paragraph counts its words in the other paragraph only"
    assert none.tolist() == [0, 0, 0, 0, 0] and column(featurize([["Is it on?"]]), "no_topic_words")[0] == 1


def test_a_paragraph_alone_finds_no_topic_outside_itself():
    batch = featurize([[PROSE]])
    assert column(batch, "topic_overlap")[0] == 0


def test_the_title_above_bylines_and_share_buttons_leads_its_run_of_non_prose_lines():
    doc = [
        "Home",
        "News",
        "Harbour wall repairs approved by the council",
        "By Ann Lee",
        "Share",
        "The council approved repairs to the harbour wall on Tuesday after a long debate.",
        "Work on the wall starts in spring, when the harbour is quiet and the boats are away.",
    ]
    lead = column(featurize([doc]), "topic_lead")
    assert lead.tolist() == [0, 0, 1, 0, 0, 0, 0]


@pytest.mark.parametrize(
    "sentence",
    [
        "그리고 우리는 그 일을 다시 시작했다.",
        "ذهب الولد إلى المدرسة في الصباح.",
        "Το σχολείο του χωριού έκλεισε και οι οικογένειες έφυγαν.",
        "הוא הלך אל הבית של אמא שלו.",
    ],
)
def test_prose_in_scripts_we_do_not_train_on_still_has_stopwords(sentence):
    """Without them, a paragraph in these scripts reads like a menu item to the lexical view."""
    assert column(featurize([[sentence]]), "stopword_ratio")[0] > 0.1
