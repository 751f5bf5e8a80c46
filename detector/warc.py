"""Common Crawl input: the pages of WET and WARC files, filtered and written as JSONL or WET.

A crawl is the largest input detector meets, so records stream through with memory flat: WET
``conversion`` records are the page text Common Crawl already extracted; WARC ``response``
records with an HTML content type go through :func:`detector.html_input.html_to_text` (the
``html`` extra). Every other record (warcinfo, request, metadata, a non-HTML response) is
skipped and counted. A malformed record (a bad header, a payload cut short by the end of the
file or of a gzip member) is reported with its file, number and byte offset and skipped, or
stops the run with ``on_error="fail"``; what was written before it stays written.

Records are read with FastWARC (the ``warc`` extra), chosen over warcio for speed; plain
iteration, every payload read, on this 2-core machine on 2026-12-04: 100,000 WET records of
2.8 kB (an ad-hoc loop like ``bench.warc --readers``), FastWARC 2.0.1 633,731 records/s
uncompressed and 258,425 gzip per record, warcio 1.8.1 59,223 and 45,737;
``python -m bench.warc --size-mb 50 --readers`` (5,314 records of 9.4 kB), FastWARC 308,060
records/s, warcio 51,870. Both pass over a malformed record without a word, so the checks that
report them are ours (:func:`read_pages`); FastWARC's strict mode refuses a header that is not
WARC, which is how a file that is not WARC is recognised. Either reader is far faster than the
model (about a megabyte a second), which sets the pace of a run.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any, NamedTuple

from . import textio
from ._version import __version__
from .classifier import Detector, RemovedLine
from .errors import InputError, MissingExtraError
from .html_input import decode_html
from .sitememory import SiteMemory
from .text import split_lines

ON_ERROR = ("skip", "fail")
OUTPUT_FORMATS = ("jsonl", "wet")
BATCH_PAGES = 64
HTML_TYPES = ("text/html", "application/xhtml+xml")
CRLF = b"\r\n"


class WarcPage(NamedTuple):
    """One page of a crawl: where it came from and its text (decoded, lines untouched)."""

    url: str | None
    record_id: str
    text: str
    date: str | None = None
    refers_to: str | None = None  # the WARC response a WET record was converted from

    @property
    def lines(self) -> list[str]:
        r"""The page's lines, each with its own line ending (``\n``, ``\r\n`` or ``\r``).

        >>> WarcPage("https://example.org/", "<urn:uuid:1>", "Title\r\nBody").lines
        ['Title\r\n', 'Body']
        """
        return split_lines(self.text)


@dataclass
class WarcSummary:
    """Counts for the end-of-run summary line; ``position`` is bytes of input read so far."""

    records: int = 0
    pages: int = 0
    skipped: int = 0
    malformed: int = 0
    lines: int = 0
    lines_removed: int = 0
    position: int = 0

    def line(self) -> str:
        """One line for stderr."""
        return (
            f"{self.records:,} WARC records, {self.pages:,} pages, {self.lines_removed:,} of {self.lines:,} lines "
            f"removed, {self.skipped:,} other records skipped, {self.malformed:,} malformed"
        )


def _fastwarc() -> ModuleType:
    try:
        import fastwarc.warc
    except ModuleNotFoundError as exc:
        raise MissingExtraError(exc.name or "fastwarc", "warc") from exc
    return fastwarc.warc


def _http_html(block: bytes) -> str | None:
    """The HTML of an HTTP response block, or None when it is not an HTML page."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    if not sep:
        return None
    charset = None
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() != b"content-type":
            continue
        media, *params = value.decode("latin-1").split(";")
        if media.strip().lower() not in HTML_TYPES:
            return None
        for param in params:
            key, _, val = param.partition("=")
            if key.strip().lower() == "charset" and val.strip(" \"'"):
                charset = val.strip(" \"'")
        return decode_html(body, charset)  # the header's charset, else the page's <meta>, else UTF-8
    return None


def read_pages(
    path: str | Path,
    *,
    on_error: str = "skip",
    report: Callable[[str], None] | None = None,
    summary: WarcSummary | None = None,
) -> Iterator[WarcPage]:
    """The pages of one WET or WARC file (gzip per record or not, found by its first bytes; ``-``: stdin).

    WET conversion records give their payload as UTF-8 (bad bytes replaced); HTML responses give
    html-text's lines. Malformed records are reported through ``report`` and skipped, or raise
    :class:`InputError` with ``on_error="fail"``.
    """
    if on_error not in ON_ERROR:
        raise InputError(f"unknown --on-error {on_error!r} for WARC input; choose one of {', '.join(ON_ERROR)}")
    warc = _fastwarc()
    summary = summary if summary is not None else WarcSummary()
    name = textio.describe(path)
    start = summary.position
    stdin = str(path) == "-"
    # FastWARC tells gzip from plain by the magic bytes in files; stdin cannot be peeked twice.
    stream: Any = textio.open_binary_stream(path) if stdin else textio.open_raw(path)
    detect = not stdin

    def bad(number: int, offset: int, what: str) -> None:
        summary.malformed += 1
        message = f"{name}: record {number} at byte {offset}: {what}"
        if on_error == "fail":
            raise InputError(message + " (use --on-error skip to go on)")
        if report:
            report(message + "; skipped")

    number = 0
    offset = 0
    with stream:
        records = iter(warc.ArchiveIterator(stream, parse_http=False, stream_detect=detect))
        while True:
            try:
                record = next(records)
                payload = record.reader.read()
            except StopIteration:
                break
            except (OSError, EOFError, ValueError) as exc:
                if number == 0:  # not one record: this is no WARC file, whatever on_error says
                    raise InputError(
                        f"{name}: not a WARC or WET file ({exc}); give .warc(.gz) or .wet(.gz) files"
                    ) from None
                number += 1
                summary.records += 1
                bad(number, offset, f"unreadable ({exc}); the rest of the file is skipped")
                break
            number += 1
            summary.records += 1
            offset = record.stream_pos
            summary.position = start + offset
            kind = record.record_type
            if record.record_id is None or kind in (warc.no_type, warc.unknown):
                # A gzip member cut short reads as a record whose header stops early: same message.
                bad(number, offset, "bad or truncated WARC header (no WARC-Record-ID or WARC-Type)")
                continue
            if len(payload) < record.content_length:
                bad(number, offset, f"truncated: Content-Length {record.content_length:,}, {len(payload):,} bytes left")
                continue
            url = record.headers.get("WARC-Target-URI")
            date = record.headers.get("WARC-Date")
            if kind == warc.conversion:
                text = payload.decode("utf-8", errors="replace")
                refers = record.headers.get("WARC-Refers-To")
            elif kind == warc.response and (html := _http_html(payload)) is not None:
                from .html_input import html_to_text

                text, refers = html_to_text(html), record.record_id
            else:
                summary.skipped += 1
                continue
            summary.pages += 1
            yield WarcPage(url, record.record_id, text, date, refers)
    if str(path) != "-":
        summary.position = start + Path(path).stat().st_size


def page_record(page: WarcPage, text: str, removed: Iterable[RemovedLine]) -> dict[str, Any]:
    """The JSON object ``detector filter --warc`` writes for one page (``removed``: the audit)."""
    return {"url": page.url, "record_id": page.record_id, "text": text, "removed": [r.to_record() for r in removed]}


def wet_record(page: WarcPage, text: str) -> bytes:
    """A WARC/1.0 conversion record holding ``text``, the cleaned ``page``.

    Its id is derived from the page's (the same input gives the same file); ``WARC-Refers-To``
    names the response the text came from and ``WARC-Target-URI`` its URL.
    """
    body = text.encode("utf-8", errors="replace")
    headers = [
        ("WARC-Type", "conversion"),
        ("WARC-Target-URI", page.url),
        ("WARC-Date", page.date),
        ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'detector:' + page.record_id)}>"),
        ("WARC-Refers-To", page.refers_to or page.record_id),
        ("Content-Type", "text/plain"),
        ("Content-Length", str(len(body))),
    ]
    head = "".join(f"{k}: {v}\r\n" for k, v in headers if v is not None)
    return b"WARC/1.0\r\n" + head.encode("utf-8") + CRLF + body + CRLF + CRLF


def warcinfo_record() -> bytes:
    """The warcinfo record a WET file written by detector starts with."""
    body = f"software: detector {__version__}\r\nformat: WARC File Format 1.0\r\n".encode()
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"detector:warcinfo:{__version__}")
    head = (
        f"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"Content-Type: application/warc-fields\r\nContent-Length: {len(body)}\r\n"
    )
    return head.encode() + CRLF + body + CRLF + CRLF


def _batches(pages: Iterable[WarcPage], size: int) -> Iterator[list[WarcPage]]:
    """Pages in lists of ``size``; a reading error comes after the pages read before it."""
    batch: list[WarcPage] = []
    try:
        for page in pages:
            batch.append(page)
            if len(batch) >= size:
                yield batch
                batch = []
    except InputError:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def filter_warc(
    paths: Sequence[str | Path],
    out: IO[bytes],
    detector: Detector,
    *,
    output_format: str = "jsonl",
    on_error: str = "skip",
    jobs: int = 1,
    report: Callable[[str], None] | None = None,
    advance: Callable[[float], None] | None = None,
    batch_pages: int = BATCH_PAGES,
    memory: SiteMemory | None = None,
) -> WarcSummary:
    """Filter every page of ``paths`` and write one JSON object (or WET record) per page, in order.

    With ``jobs > 1`` batches of pages go to worker processes as in the JSONL stage
    (:func:`detector.jsonl.filter_jsonl`); ``advance`` is told how many input bytes each batch
    covered, for a progress bar. With ``memory``, lines recurring on many pages of a page's
    host (its ``WARC-Target-URI``) are removed as that site's chrome (:class:`SiteMemory`); the
    memory sees the pages in input order whatever ``jobs`` is.
    """
    from .jsonl import _clean_batch, _finish_batch, _worker_clean, _worker_init, _worker_verdicts

    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {output_format!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    summary = WarcSummary()
    done = 0

    def pages() -> Iterator[WarcPage]:
        for path in paths:
            yield from read_pages(path, on_error=on_error, report=report, summary=summary)

    def consume(batch: list[WarcPage], cleaned: list[Any]) -> None:
        nonlocal done
        for page, (text, n_lines, removed) in zip(batch, cleaned):
            summary.lines += n_lines
            summary.lines_removed += len(removed)
            if output_format == "wet":
                out.write(wet_record(page, text))
            else:
                record = page_record(page, text, (RemovedLine(*r) for r in removed))
                out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", errors="replace"))
        if advance is not None:
            advance(summary.position - done)
            done = summary.position

    if output_format == "wet":
        out.write(warcinfo_record())

    def sites(batch: list[WarcPage]) -> list[str | None]:
        return [p.url or None for p in batch]

    if jobs <= 1:
        for batch in _batches(pages(), batch_pages):
            consume(batch, _clean_batch(detector, [p.text for p in batch], sites(batch), memory))
        return summary

    def finish(batch: list[WarcPage], result: Any) -> None:
        got = result.get()
        if memory is not None:
            got = _finish_batch([p.text for p in batch], got, sites(batch), memory, detector)
        consume(batch, got)

    work = _worker_verdicts if memory is not None else _worker_clean
    import multiprocessing as mp

    # The JSONL stage's workers: the detector is sent once, at start; batches carry only text.
    with mp.get_context("spawn").Pool(jobs, initializer=_worker_init, initargs=(detector,)) as pool:
        queue: list[tuple[list[WarcPage], Any]] = []
        try:
            for batch in _batches(pages(), batch_pages):
                queue.append((batch, pool.apply_async(work, ([p.text for p in batch],))))
                if len(queue) >= jobs * 2:
                    finish(*queue.pop(0))
        except InputError:  # with --on-error fail, the pages read before the bad record are still written
            for batch_done, result in queue:
                finish(batch_done, result)
            raise
        for batch_done, result in queue:
            finish(batch_done, result)
    return summary
