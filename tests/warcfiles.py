"""Small WARC and WET files for the tests, written by hand from the WARC/1.0 layout."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterable
from pathlib import Path


def record(
    warc_type: str,
    payload: bytes,
    *,
    url: str | None = None,
    number: int = 0,
    content_type: str = "text/plain",
    content_length: int | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> bytes:
    """One WARC record; ``content_length`` overrides the true length (to make a broken record)."""
    fields = [("WARC-Type", warc_type)]
    if url is not None:
        fields.append(("WARC-Target-URI", url))
    fields += [
        ("WARC-Date", "2026-11-30T12:00:00Z"),
        ("WARC-Record-ID", record_id(number)),
        ("Content-Type", content_type),
        ("Content-Length", str(len(payload) if content_length is None else content_length)),
        *headers,
    ]
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields) + "\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def record_id(number: int) -> str:
    """The record id :func:`record` gives record ``number``."""
    return f"<urn:uuid:{uuid.UUID(int=number)}>"


def conversion(number: int, text: str | bytes) -> bytes:
    """A WET conversion record of ``text`` for https://example.org/page/<number>."""
    body = text.encode("utf-8") if isinstance(text, str) else text
    return record("conversion", body, url=f"https://example.org/page/{number}", number=number)


def response(number: int, html: str | bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    """A WARC response record: an HTTP 200 with ``html`` (UTF-8 if text) as its body."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    return record(
        "response",
        http + body,
        url=f"https://example.org/page/{number}",
        number=number,
        content_type="application/http; msgtype=response",
    )


def warcinfo() -> bytes:
    """The warcinfo record a crawl file starts with."""
    return record("warcinfo", b"software: tests\r\n", number=999_999, content_type="application/warc-fields")


def request(number: int) -> bytes:
    """A WARC request record (skipped by the reader)."""
    http = b"GET /page HTTP/1.1\r\nHost: example.org\r\n\r\n"
    return record(
        "request",
        http,
        url=f"https://example.org/page/{number}",
        number=number,
        content_type="application/http; msgtype=request",
    )


def write(path: Path, records: Iterable[bytes], *, gzip_per_record: bool = False) -> Path:
    """Write ``records`` to ``path``, each one a gzip member of its own if asked (as Common Crawl does)."""
    with open(path, "wb") as f:
        for r in records:
            f.write(gzip.compress(r, mtime=0) if gzip_per_record else r)
    return path
