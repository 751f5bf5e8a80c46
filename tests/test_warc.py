"""Common Crawl input: WET and WARC files read, filtered and written back, broken records reported."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.errors import InputError, MissingExtraError

from . import warcfiles as wf
from .conftest import DATA
from .test_classifier import PAGE

pytest.importorskip("fastwarc")

from detector.warc import WarcSummary, filter_warc, read_pages, wet_record  # noqa: E402

TEXT = "\n".join(PAGE) + "\n"
CRLF_TEXT = "Home\r\nThe council met on Tuesday.  \r\n\tIndented line\rLast line without ending"
HTML = (
    "<html><body><nav><a href='/'>Home</a></nav><h1>Harbour wall repairs</h1>"
    "<p>The town council voted on Tuesday to fund repairs to the eastern harbour wall.</p></body></html>"
)


def crawl(tmp_path, name="crawl.warc", *, gzip_per_record=False):
    """A small crawl: warcinfo, a request, two WET pages, an HTML response, a PDF response."""
    records = [
        wf.warcinfo(),
        wf.request(1),
        wf.conversion(1, TEXT),
        wf.conversion(2, CRLF_TEXT),
        wf.response(3, "%PDF-1.4 not html", content_type="application/pdf"),
    ]
    return wf.write(tmp_path / name, records, gzip_per_record=gzip_per_record)


def pages_of(path, **kw):
    messages: list[str] = []
    summary = WarcSummary()
    pages = list(read_pages(path, report=messages.append, summary=summary, **kw))
    return pages, summary, messages


def test_wet_pages_carry_url_record_id_and_lines_byte_for_byte(tmp_path):
    pages, summary, messages = pages_of(crawl(tmp_path))
    assert [p.url for p in pages] == ["https://example.org/page/1", "https://example.org/page/2"]
    assert [p.record_id for p in pages] == [wf.record_id(1), wf.record_id(2)]
    assert pages[0].text == TEXT
    assert pages[1].lines == [
        "Home\r\n",
        "The council met on Tuesday.  \r\n",
        "\tIndented line\r",
        "Last line without ending",
    ]
    assert "".join(pages[1].lines) == CRLF_TEXT
    assert messages == []


def test_warcinfo_requests_and_non_html_responses_are_skipped_and_counted(tmp_path):
    _, summary, messages = pages_of(crawl(tmp_path))
    assert (summary.records, summary.pages, summary.skipped, summary.malformed) == (5, 2, 3, 0)
    assert messages == []


def test_invalid_utf8_in_a_wet_payload_is_replaced_not_fatal(tmp_path):
    path = wf.write(tmp_path / "bad.wet", [wf.conversion(1, b"Caf\xe9 au lait\nSecond line\n")])
    (page,), _, _ = pages_of(path)
    assert page.lines == ["Caf\ufffd au lait\n", "Second line\n"]


def test_html_responses_become_html_text_lines(tmp_path):
    pytest.importorskip("html_text")
    from detector.html_input import html_to_text

    path = wf.write(tmp_path / "html.warc", [wf.response(7, HTML), wf.response(8, HTML, "text/plain")])
    pages, summary, _ = pages_of(path)
    assert len(pages) == 1 and summary.skipped == 1
    assert pages[0].url == "https://example.org/page/7" and pages[0].record_id == wf.record_id(7)
    assert pages[0].text == html_to_text(HTML)
    assert any("Harbour wall repairs" in line for line in pages[0].lines)


def test_an_html_response_without_a_charset_header_is_read_in_the_charset_its_page_declares(tmp_path):
    pytest.importorskip("html_text")
    latin1 = (DATA / "html" / "latin1-page.html").read_bytes()
    path = wf.write(tmp_path / "latin.warc", [wf.response(9, latin1, "text/html")])
    pages, _, _ = pages_of(path)
    assert "Le café historique de la place du marché fermera ses portes en décembre" in pages[0].text


def test_gzip_per_record_files_read_like_plain_ones(tmp_path):
    plain, _, _ = pages_of(crawl(tmp_path))
    packed_path = crawl(tmp_path, "crawl.warc.gz", gzip_per_record=True)
    assert packed_path.read_bytes()[:2] == b"\x1f\x8b"
    packed, summary, _ = pages_of(packed_path)
    assert packed == plain and summary.records == 5


def test_a_gzip_file_is_recognised_by_its_bytes_not_its_name(tmp_path):
    path = crawl(tmp_path, "no-suffix", gzip_per_record=True)
    pages, _, _ = pages_of(path)
    assert len(pages) == 2


def test_a_record_with_a_bad_header_is_reported_and_the_next_one_read(tmp_path):
    broken = b"WARC/1.0\r\nWARC-Type conversion\r\nContent-Length: 5\r\n\r\nabcde\r\n\r\n"
    path = wf.write(tmp_path / "c.wet", [wf.conversion(1, TEXT), broken, wf.conversion(3, TEXT)])
    pages, summary, messages = pages_of(path)
    assert [p.record_id for p in pages] == [wf.record_id(1), wf.record_id(3)]
    assert summary.malformed == 1
    (message,) = messages
    assert message.startswith(f"{path}: record 2 at byte ") and "bad or truncated WARC header" in message


def test_a_truncated_last_record_is_reported_and_the_earlier_pages_kept(tmp_path):
    data = wf.conversion(1, TEXT) + wf.conversion(2, TEXT)
    path = tmp_path / "cut.wet"
    path.write_bytes(data[:-40])
    pages, summary, messages = pages_of(path)
    assert [p.record_id for p in pages] == [wf.record_id(1)]
    assert summary.malformed == 1 and "record 2" in messages[0] and "truncated" in messages[0]


def test_a_content_length_beyond_the_end_of_the_file_is_a_truncated_record(tmp_path):
    path = wf.write(
        tmp_path / "long.wet",
        [wf.conversion(1, TEXT), wf.record("conversion", b"short", number=2, content_length=10_000)],
    )
    pages, _, messages = pages_of(path)
    assert len(pages) == 1 and "Content-Length 10,000" in messages[0]


def test_a_truncated_gzip_member_is_reported_not_raised(tmp_path):
    path = crawl(tmp_path, "cut.warc.gz", gzip_per_record=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 120])
    pages, summary, messages = pages_of(path)
    assert len(pages) == 2  # the cut member is the PDF response
    (message,) = messages
    assert summary.malformed == 1 and message.startswith(f"{path}: record 5 at byte ")
    assert "truncated WARC header" in message


def test_on_error_fail_raises_one_line_naming_file_and_record(tmp_path):
    broken = b"WARC/1.0\r\nWARC-Type conversion\r\nContent-Length: 5\r\n\r\nabcde\r\n\r\n"
    path = wf.write(tmp_path / "c.wet", [wf.conversion(1, TEXT), broken])
    with pytest.raises(
        InputError, match=r"c\.wet: record 2 at byte \d+: bad or truncated WARC header.*--on-error skip"
    ):
        pages_of(path, on_error="fail")


def test_a_file_that_is_not_warc_is_refused(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(TEXT)
    with pytest.raises(InputError, match="not a WARC or WET file"):
        pages_of(path)


def test_a_missing_extra_names_the_install_command(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "fastwarc", None)
    monkeypatch.setitem(sys.modules, "fastwarc.warc", None)
    from detector.warc import _fastwarc

    with pytest.raises(MissingExtraError, match=r"pip install '\.\[warc\]'"):
        _fastwarc()


def test_filter_warc_writes_one_object_per_page_with_the_audit(tmp_path, tiny_detector):
    out = io.BytesIO()
    summary = filter_warc([crawl(tmp_path)], out, tiny_detector)
    records = [json.loads(x) for x in out.getvalue().decode().splitlines()]
    assert [r["url"] for r in records] == ["https://example.org/page/1", "https://example.org/page/2"]
    expected = tiny_detector.filter_document(TEXT)
    assert records[0]["record_id"] == wf.record_id(1)
    assert records[0]["text"] == expected.text
    assert records[0]["removed"] == [r.to_record() for r in expected.removed]
    assert summary.pages == 2 and summary.lines_removed == sum(len(r["removed"]) for r in records)


def test_with_on_error_fail_the_pages_before_the_bad_record_are_written(tmp_path, tiny_detector):
    path = wf.write(tmp_path / "c.wet", [wf.conversion(1, TEXT), wf.conversion(2, TEXT)])
    path.write_bytes(path.read_bytes()[:-40])
    out = io.BytesIO()
    with pytest.raises(InputError, match="record 2"):
        filter_warc([path], out, tiny_detector, on_error="fail")
    assert [json.loads(x)["record_id"] for x in out.getvalue().decode().splitlines()] == [wf.record_id(1)]


def test_wet_output_reads_back_with_the_cleaned_text(tmp_path, tiny_detector):
    out = tmp_path / "clean.warc.wet"
    with open(out, "wb") as f:
        filter_warc([crawl(tmp_path)], f, tiny_detector, output_format="wet")
    pages, summary, messages = pages_of(out)
    assert messages == [] and summary.skipped == 1  # our own warcinfo record
    assert [p.url for p in pages] == ["https://example.org/page/1", "https://example.org/page/2"]
    assert [p.refers_to for p in pages] == [wf.record_id(1), wf.record_id(2)]
    assert [p.text for p in pages] == [tiny_detector.filter_document(t).text for t in (TEXT, CRLF_TEXT)]
    assert all(p.record_id not in (wf.record_id(1), wf.record_id(2)) for p in pages)


def test_a_wet_record_keeps_refers_to_through_a_second_pass(tmp_path):
    first = next(read_pages(crawl(tmp_path)))
    again = tmp_path / "again.wet"
    again.write_bytes(wet_record(first._replace(refers_to="<urn:uuid:original>"), "kept\n"))
    (page,) = list(read_pages(again))
    assert page.refers_to == "<urn:uuid:original>" and page.text == "kept\n" and page.date == "2026-11-30T12:00:00Z"


def cli(*args, **kw):
    return CliRunner().invoke(app, ["filter", "--warc", *map(str, args)], **kw)


def test_cli_warc_writes_jsonl_to_stdout_and_a_summary(tmp_path, tiny_model_file, tiny_detector):
    result = cli(crawl(tmp_path, gzip_per_record=True), "--model", tiny_model_file)
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["record_id"] for r in records] == [wf.record_id(1), wf.record_id(2)]
    assert records[1]["text"] == tiny_detector.filter_document(CRLF_TEXT).text
    assert "5 WARC records, 2 pages" in result.stderr


def test_cli_warc_reads_stdin(tmp_path, tiny_model_file):
    data = crawl(tmp_path, gzip_per_record=True).read_bytes()
    result = cli("-", "--model", tiny_model_file, "-q", input=data)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2 and result.stderr == ""


def test_cli_skip_reports_the_bad_record_and_exits_0(tmp_path, tiny_model_file):
    path = wf.write(
        tmp_path / "c.wet", [wf.conversion(1, TEXT), wf.record("conversion", b"x", number=2, content_length=99)]
    )
    result = cli(path, "--model", tiny_model_file)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    assert f"warning: {path}: record 2 at byte" in result.stderr and "1 malformed" in result.stderr


def test_cli_fail_exits_1_with_one_line_and_keeps_what_was_written(tmp_path, tiny_model_file):
    path = wf.write(
        tmp_path / "c.wet", [wf.conversion(1, TEXT), wf.record("conversion", b"x", number=2, content_length=99)]
    )
    result = cli(path, "--model", tiny_model_file, "--on-error", "fail")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("detector: error: ") and "record 2" in line and "Traceback" not in result.stderr


def test_cli_a_text_file_given_as_warc_exits_1(tmp_path, tiny_model_file):
    path = tmp_path / "page.txt"
    path.write_text(TEXT)
    result = cli(path, "--model", tiny_model_file)
    assert result.exit_code == 1 and "not a WARC or WET file" in result.stderr


@pytest.mark.parametrize(
    "extra", [["--html"], ["--jsonl"], ["--output-dir", "out"], ["--removed", "r.jsonl"], ["--site-field", "url"]]
)
def test_cli_warc_with_an_option_of_another_mode_is_a_usage_error(tmp_path, tiny_model_file, extra):
    result = cli(crawl(tmp_path), "--model", tiny_model_file, *extra)
    assert result.exit_code == 2


def test_cli_output_format_wet_without_warc_is_a_usage_error(tmp_path, tiny_model_file):
    page = tmp_path / "p.txt"
    page.write_text(TEXT)
    result = CliRunner().invoke(app, ["filter", str(page), "--output-format", "wet", "--model", str(tiny_model_file)])
    assert result.exit_code == 2


def test_cli_wet_output_to_a_gz_file_round_trips(tmp_path, tiny_model_file, tiny_detector):
    out = tmp_path / "clean.warc.wet.gz"
    result = cli(crawl(tmp_path), "--model", tiny_model_file, "--output-format", "wet", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"\x1f\x8b" and gzip.decompress(out.read_bytes()).startswith(b"WARC/1.0\r\n")
    pages = list(read_pages(out))
    assert [p.text for p in pages] == [tiny_detector.filter_document(t).text for t in (TEXT, CRLF_TEXT)]


@pytest.mark.slow
def test_cli_warc_jobs_keep_order_and_output(tmp_path, tiny_model_file):
    records = [wf.conversion(n, TEXT if n % 2 else CRLF_TEXT) for n in range(1, 150)]
    path = wf.write(tmp_path / "many.wet.gz", records, gzip_per_record=True)
    one = cli(path, "--model", tiny_model_file, "-q")
    two = cli(path, "--model", tiny_model_file, "-q", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 149


def test_cli_fail_with_an_output_file_leaves_no_half_written_file(tmp_path, tiny_model_file):
    path = wf.write(
        tmp_path / "c.wet", [wf.conversion(1, TEXT), wf.record("conversion", b"x", number=2, content_length=99)]
    )
    out = tmp_path / "clean.jsonl"
    result = cli(path, "--model", tiny_model_file, "--on-error", "fail", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert list(tmp_path.glob(".clean.jsonl.*")) == []


# -- site memory: on by default over a crawl --------------------------------------------------
def ledger_crawl(tmp_path):
    from .test_sitememory import ledger

    records = [
        wf.record("conversion", r["text"].encode("utf-8"), url=r["url"], number=n)
        for n, r in enumerate(ledger(), start=1)
    ]
    return wf.write(tmp_path / "ledger.warc.wet.gz", records, gzip_per_record=True)


def test_site_memory_removes_a_hosts_recurring_chrome_unless_turned_off(tmp_path):
    from .test_sitememory import CHROME

    path = ledger_crawl(tmp_path)
    on = [json.loads(x) for x in cli(path, "-q").stdout.splitlines()]
    off = [json.loads(x) for x in cli(path, "-q", "--no-site-memory").stdout.splitlines()]
    assert CHROME[0] in on[0]["text"] and all(CHROME[0] not in r["text"] for r in on[3:])
    assert any(x["label"] == "site-chrome" for x in on[-1]["removed"])
    assert all(CHROME[0] in r["text"] for r in off)


def test_site_memory_file_is_saved_and_read_back(tmp_path):
    from .test_sitememory import CHROME

    path, saved = ledger_crawl(tmp_path), tmp_path / "sites.npz"
    assert cli(path, "-q", "--site-memory", saved).exit_code == 0
    again = [json.loads(x) for x in cli(path, "-q", "--site-memory", saved).stdout.splitlines()]
    assert CHROME[0] not in again[0]["text"]


def test_no_site_memory_outside_warc_is_a_usage_error(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Home\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["filter", str(page), "--no-site-memory"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_site_memory_with_jobs_gives_the_same_pages(tmp_path):
    path = ledger_crawl(tmp_path)
    assert cli(path, "-q", "--jobs", "2").stdout == cli(path, "-q").stdout
