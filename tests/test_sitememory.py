"""Site memory: a host's recurring chrome goes, its editorial furniture and other hosts stay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detector import Detector, SiteMemory
from detector.classifier import SITE_CHROME, Verdict, site_revised
from detector.errors import InputError
from detector.jsonl import filter_jsonl
from detector.sitememory import doubtful, fingerprint, host_of

DATA = Path(__file__).parent / "data" / "sites"
LEDGER = DATA / "ledger.jsonl"
# Recurring lines the model keeps, more than TEXT_MARGIN lines away from the page's own text.
CHROME = (
    "The Saturday edition reaches most doorsteps in the valley before seven in the morning.",
    "The Millbrook Ledger has reported on the valley's towns since 1921 and is owned by its readers.",
    "The Ledger's offices are closed on public holidays and reopen the following morning.",
)
# A recurring heading inside the page's own text: furniture, never removed.
FURNITURE = "In brief"
# Recurring sentences beside the page's own text that the model reads as plainly editorial: kept.
NEXT_TO_TEXT = (
    "Tips and story ideas reach the newsroom fastest by telephone during the working day.",
    "Letters to the editor are welcome and should be no longer than three hundred words.",
)


def ledger() -> list[dict[str, str]]:
    return [json.loads(line) for line in LEDGER.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector.default()


def test_recurring_chrome_is_removed_after_min_pages_and_reported(det: Detector) -> None:
    memory = SiteMemory(min_pages=3)
    results = [det.filter_document(r["text"], site=r["url"], memory=memory) for r in ledger()]
    for r in results[:3]:  # nothing is learnt from fewer than min_pages earlier pages
        assert not any(x.label == SITE_CHROME for x in r.removed)
    for r in results[3:]:
        gone = {x.text for x in r.removed if x.label == SITE_CHROME}
        assert set(CHROME) <= gone
        assert not any(line in r.text for line in CHROME)


def test_recurring_lines_in_or_next_to_the_pages_own_text_are_kept(det: Detector) -> None:
    memory = SiteMemory(min_pages=3)
    results = [det.filter_document(r["text"], site=r["url"], memory=memory) for r in ledger()]
    for r in results:
        kept = r.text.splitlines()
        assert FURNITURE in kept
        assert set(NEXT_TO_TEXT) <= set(kept)


def test_other_hosts_and_pages_without_a_site_are_untouched(det: Detector) -> None:
    memory = SiteMemory(min_pages=3)
    records = ledger()
    for r in records[:5]:
        det.filter_document(r["text"], site=r["url"], memory=memory)
    last = records[5]["text"]
    alone = det.filter_document(last)
    assert det.filter_document(last, site="https://another-paper.example/x", memory=memory) == alone
    assert det.filter_document(last, memory=memory) == alone


def test_host_of_ignores_scheme_www_port_and_path() -> None:
    assert host_of("https://www.Millbrook-Ledger.example:8443/news/1?x=2") == "millbrook-ledger.example"
    assert host_of("millbrook-ledger.example/news") == "millbrook-ledger.example"


def test_fingerprint_is_stable_and_blind_to_spacing() -> None:
    assert fingerprint("Home  page ") == fingerprint(" Home page")
    # a fixed value: saved memories must read the same in any process
    assert fingerprint("Home") == int.from_bytes(
        __import__("hashlib").blake2b(b"Home", digest_size=8).digest(), "little"
    )


def test_memory_is_bounded_in_hosts_and_lines() -> None:
    memory = SiteMemory(max_hosts=3, max_lines=50)
    for h in range(5):
        for p in range(4):
            memory.observe(f"host{h}", [f"line {p} {i}" for i in range(40)])
    assert len(memory) == 3
    assert sorted(memory._hosts) == ["host2", "host3", "host4"]  # the least recently seen went first
    assert all(len(h.keys) <= 50 for h in memory._hosts.values())


def test_cap_keeps_the_most_seen_lines() -> None:
    memory = SiteMemory(max_lines=10, min_pages=2)
    menu = [f"menu {i}" for i in range(5)]
    for p in range(6):
        memory.observe("h", menu + [f"story {p} line {i}" for i in range(20)])
    assert memory.recurring("h", menu) == [True] * 5


def test_same_input_order_gives_the_same_state(tmp_path: Path, det: Detector) -> None:
    paths = []
    for k in range(2):
        memory = SiteMemory()
        for r in ledger():
            det.filter_document(r["text"], site=r["url"], memory=memory)
        paths.append(tmp_path / f"m{k}.npz")
        memory.save(paths[-1])
    a, b = (np.load(p, allow_pickle=False) for p in paths)
    assert all(np.array_equal(a[k], b[k]) for k in a.files)


def test_saved_memory_resumes_where_it_stopped(tmp_path: Path, det: Detector) -> None:
    records = ledger()
    whole = SiteMemory(min_pages=3, doubt_margin=0.7)
    expected = [det.filter_document(r["text"], site=r["url"], memory=whole) for r in records]
    first = SiteMemory(min_pages=3, doubt_margin=0.7)
    for r in records[:4]:
        det.filter_document(r["text"], site=r["url"], memory=first)
    path = tmp_path / "memory"  # no suffix: the file is written under exactly this name
    first.save(path)
    resumed = SiteMemory.load(path)
    assert resumed.min_pages == 3 and resumed.doubt_margin == 0.7
    got = [det.filter_document(r["text"], site=r["url"], memory=resumed) for r in records[4:]]
    assert got == expected[4:]


def test_loading_something_else_is_a_one_line_error(tmp_path: Path) -> None:
    bogus = tmp_path / "memory.npz"
    bogus.write_text("not a memory", encoding="utf-8")
    with pytest.raises(InputError, match="not a site memory file"):
        SiteMemory.load(bogus)


def test_jsonl_stage_uses_the_site_field(det: Detector, tmp_path: Path) -> None:
    import io

    out = io.StringIO()
    memory = SiteMemory(min_pages=3)
    lines = LEDGER.read_text(encoding="utf-8").splitlines(keepends=True)
    filter_jsonl(lines, out, det, site_field="url", memory=memory, annotate=True)
    records = [json.loads(x) for x in out.getvalue().splitlines()]
    assert not any(CHROME[0] in r["text"] for r in records[3:])
    assert CHROME[0] in records[0]["text"]
    assert any(x["label"] == SITE_CHROME for x in records[4]["detector_removed"])


@pytest.mark.slow
def test_cli_site_memory_with_jobs_matches_one_process_and_persists(tmp_path: Path) -> None:
    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "detector", "filter", "--jsonl", str(LEDGER), "--site-field", "url", "-q", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    one = run()
    assert run("--jobs", "2") == one
    saved = tmp_path / "sites.npz"
    run("--site-memory", str(saved))
    assert saved.exists()
    again = [json.loads(x) for x in run("--site-memory", str(saved)).splitlines()]
    # the second pass remembers the first: chrome goes from the very first record
    assert CHROME[0] not in again[0]["text"]


def test_cli_site_field_needs_jsonl(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from detector.cli import app

    page = tmp_path / "page.txt"
    page.write_text("Home\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["filter", str(page), "--site-field", "url"])
    assert result.exit_code == 2
    assert "--jsonl" in result.output


def test_shares_count_the_hosts_recent_pages_without_changing_them() -> None:
    memory = SiteMemory(min_pages=2)
    for story in ("A fire", "A flood", "A fair", "A feast"):
        memory.observe("h", ["Home", f"{story} happened.", "Imprint" if story != "A fire" else "Other"])
    shares = memory.shares("h", ["Home", "Imprint", "A flood happened.", "Never seen"])
    assert shares[0] > 0.99 and 0.6 < shares[1] < 0.9 and 0.1 < shares[2] < 0.4 and shares[3] == 0.0
    assert memory.shares("h", ["Home"]).tolist() == shares[:1].tolist()  # reading does not count a page
    assert memory.shares("new-host", ["Home"]).tolist() == [0.0]
    assert memory.pages_seen("h") == 4 and memory.pages_seen("new-host") == 0


def test_a_recurring_line_the_model_doubted_goes_even_inside_the_pages_text() -> None:
    def page(i: int) -> list[str]:
        return ["Menu", f"Title {i}", f"Body {i}.", "Get our newsletter", f"More body {i}.", "Footer"]

    memory = SiteMemory(min_pages=2)
    for i in range(3):
        memory.observe("h", page(i))
    doubted = [False, False, False, True, False, False]
    assert memory.chrome("h", page(3), [True] * 6) == [False] * 6  # all recurring lines sit by the text
    assert memory.chrome("h", page(4), [True] * 6, doubted) == doubted  # the doubted one goes
    assert memory.chrome("h", page(5), [True] * 6, [True] * 6) == [True, False, False, True, False, True]


def test_a_recurring_sentence_goes_even_inside_the_pages_text_a_recurring_label_stays() -> None:
    box = "Sign up for our morning briefing and get the news before breakfast."

    def page(i: int) -> list[str]:
        return [f"Title {i}", f"Body {i}.", "Ingredients", f"Flour, {i} eggs.", box, f"More body {i}."]

    memory = SiteMemory(min_pages=2)
    for i in range(3):
        memory.observe("h", page(i))
    assert memory.chrome("h", page(3), [True] * 6) == [False, False, False, False, True, False]
    # ...unless the model read it as plainly editorial (a step shared by many recipes)
    assert memory.chrome("h", page(4), [True] * 6, sentence_doubted=[False] * 6) == [False] * 6


def test_the_pages_own_heading_stays_though_the_sites_menu_lists_it() -> None:
    pages = {
        "Error codes": "Every exception carries an error code and a message.",
        "Rate limits": "Each key may send sixty requests a minute; the limits reset hourly.",
        "Webhooks": "The server posts an event to your address when a job finishes.",
        "Retries": "Failed deliveries are tried again after one, five and thirty minutes.",
    }
    menu = ["Docs home", *pages, "Changelog"]

    def page(title: str, above: str | None = None) -> list[str]:
        return [*menu, above or title, pages[title], "© Example docs"]

    memory = SiteMemory(min_pages=2)
    for title in ("Rate limits", "Webhooks", "Retries"):
        memory.observe("h", page(title))
    everything_doubted = [True] * (len(menu) + 3)
    # The heading names what the text below it says; its copy in the menu is chrome.
    gone = memory.chrome("h", page("Error codes"), everything_doubted, everything_doubted)
    assert gone == [True] * len(menu) + [False, False, True]
    # A recurring label above the text that shares no word with it still goes when doubted.
    gone = memory.chrome("h", page("Webhooks", above="Changelog"), everything_doubted, everything_doubted)
    assert gone[len(menu)] and not gone[len(menu) + 1]


def test_a_memory_without_a_margin_of_its_own_takes_the_models(tiny_detector) -> None:
    loaded = tiny_detector._loaded
    wide = Detector.from_model(loaded.model, {**loaded.metadata, "site_memory": {"doubt_margin": 2.0}})
    narrow = Detector.from_model(loaded.model, {**loaded.metadata, "site_memory": {"doubt_margin": 0.0}})
    assert wide.doubt_margin == 2.0 and narrow.doubt_margin == 0.0

    def page(i: int, det: Detector) -> list[Verdict]:
        close = det.threshold * 0.8  # kept, a little below the threshold
        lines = [(f"Body {i}.", 0.0), ("Get our newsletter", close), (f"More body {i}.", 0.0)]
        return [Verdict(text, "editorial", score, True) for text, score in lines]

    for det, margin, goes in ((wide, None, True), (narrow, None, False), (narrow, 2.0, True)):
        memory = SiteMemory(min_pages=2, doubt_margin=margin)
        for i in range(3):
            site_revised(page(i, det), "example.org", memory, det)
        revised = site_revised(page(3, det), "example.org", memory, det)
        assert (revised[1].label == SITE_CHROME) is goes, (det.doubt_margin, margin)
        assert revised[0].keep and revised[2].keep


def test_the_margin_is_saved_with_the_memory_or_left_to_the_model(tmp_path: Path) -> None:
    for margin in (None, 0.3):
        SiteMemory(doubt_margin=margin).save(tmp_path / "m.npz")
        assert SiteMemory.load(tmp_path / "m.npz").doubt_margin == margin


def test_doubtful_means_within_the_margin_below_the_threshold_in_log_odds() -> None:
    assert doubtful([0.01, 0.30, 0.40, 0.90], 0.45, margin=0.4) == [False, False, True, True]
    assert doubtful([0.05, 0.07, 0.2], 0.087, margin=0.4) == [False, True, True]  # a low threshold, a narrow band
    assert doubtful([0.3], 0.45, margin=0.0) == [False]


@pytest.mark.parametrize(
    "settings", [{"max_hosts": 0}, {"min_pages": 0}, {"min_share": 0.0}, {"min_share": 1.5}, {"doubt_margin": -0.1}]
)
def test_settings_out_of_range_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(settings))):
        SiteMemory(**settings)  # type: ignore[arg-type]
