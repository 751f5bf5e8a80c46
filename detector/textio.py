"""Reading user files and writing results safely: decoding policy, binary refusal, gzip,
atomic output files.

Undecodable bytes are kept as surrogate escapes by default, so the kept lines are written back
byte for byte; the first bad byte is reported with its file and offset.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, NamedTuple

from .errors import InputError

DEFAULT_ENCODING = "utf-8"
DEFAULT_ERRORS = "surrogateescape"
ERROR_POLICIES = ("strict", "surrogateescape", "replace", "ignore")
BINARY_SNIFF_BYTES = 8192
BOM = "\ufeff"  # Windows tools start UTF-8 files with one
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte it cannot decode
SURROGATE = re.compile("[\ud800-\udfff]")  # what UTF-8 cannot hold: escaped bytes, lone JSON escapes


class Decoded(NamedTuple):
    """A decoded input and, if some bytes were not valid, a one-line warning naming them."""

    text: str
    warning: str | None


def describe(path: str | Path) -> str:
    """The name used for a path in messages (``<stdin>`` for ``-``)."""
    return "<stdin>" if str(path) == "-" else str(path)


def _open_error(name: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a folder; give the files in it instead")
    return InputError(f"{name}: cannot read ({exc.strerror or exc})")


GZIP_MAGIC = b"\x1f\x8b"


def _peek(raw: Any, n: int) -> bytes:
    """The first ``n`` bytes of a stream, left unread."""
    if hasattr(raw, "peek"):
        return bytes(raw.peek(n)[:n])
    if raw.seekable():
        pos = raw.tell()
        head = raw.read(n)
        raw.seek(pos)
        return bytes(head)
    return b""


def open_raw(path: str | Path) -> IO[bytes]:
    """The bytes of a file or of stdin (``-``) as they are, with a one-line error for a folder
    or a file that cannot be opened."""
    name = describe(path)
    if str(path) == "-":
        return sys.stdin.buffer
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{name}: is a folder; give the files in it instead")
    try:
        return open(p, "rb")  # noqa: SIM115
    except OSError as exc:
        raise _open_error(name, exc) from None


def open_binary_stream(path: str | Path) -> IO[bytes]:
    """A byte stream over a file or stdin (``-``); gzip is unpacked when the bytes say so
    (by their magic number, whatever the name), so ``cat x.jsonl.gz | detector …`` works."""
    raw = open_raw(path)
    if _peek(raw, 2) == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


@contextmanager
def stream_errors(name: str) -> Iterator[None]:
    """Turn a damaged compressed stream, found while reading, into one line naming the input
    (a truncated gzip file otherwise surfaces as EOFError, which click reports as 'Aborted!')."""
    try:
        yield
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{describe(name)}: not a readable gzip stream, truncated or damaged ({exc})") from None


def open_text_stream(path: str | Path, encoding: str = DEFAULT_ENCODING, errors: str = DEFAULT_ERRORS) -> IO[str]:
    """A text stream over a file or stdin, gzip unpacked by its magic bytes, for reading line by line."""
    return io.TextIOWrapper(open_binary_stream(path), encoding=encoding, errors=errors)


def checked_lines(
    lines: Iterable[str],
    name: str,
    encoding: str = DEFAULT_ENCODING,
    errors: str = DEFAULT_ERRORS,
    report: Callable[[str], None] | None = None,
) -> Iterator[str]:
    """The lines of a stream opened by :func:`open_text_stream`, each passed on as it is read,
    with undecodable bytes made the user's business: under ``strict`` one line naming the first
    record they may stand in (an :class:`InputError`, not a traceback), and under
    ``surrogateescape`` a warning naming the first record that holds them. Records are the
    non-blank lines, numbered from 1 as in the JSON Lines stage's messages."""
    number = 0
    warned = errors != "surrogateescape" or report is None
    try:
        for line in lines:
            if line and not line.isspace():
                number += 1
                if report is not None and not warned and _ESCAPED_BYTE.search(line):
                    warned = True
                    report(
                        f"{describe(name)}: record {number}: invalid {encoding}, decoded with --errors "
                        "surrogateescape; later records with such bytes are not named"
                    )
            yield line
    except UnicodeDecodeError as exc:
        # The decoder reads ahead, so the bad byte is in the next record or one after it.
        raise InputError(
            f"{describe(name)}: invalid {encoding} in record {number + 1:,} or a later one ({exc.reason}); use "
            "--errors surrogateescape (keeps the bytes) or --errors replace"
        ) from None


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file or of stdin (``-``); gzip is unpacked (by a ``.gz`` name or its magic bytes)."""
    name = describe(path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
            if data[:2] == GZIP_MAGIC:
                try:
                    return gzip.decompress(data)
                except (OSError, EOFError) as exc:
                    raise InputError(f"{name}: not a readable gzip stream ({exc})") from None
            return data
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{name}: is a folder; give the files in it instead")
        data = p.read_bytes()
        if p.suffix == ".gz" or data[:2] == GZIP_MAGIC:
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise InputError(f"{name}: not a readable gzip file ({exc})") from None
        return data
    except OSError as exc:
        raise _open_error(name, exc) from None


def refuse_binary(data: bytes, name: str, encoding: str = DEFAULT_ENCODING) -> None:
    """Raise a one-line :class:`InputError` for binary data (NUL bytes near the start)."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES] and encoding.lower().replace("-", "") in ("utf8", "ascii", "latin1"):
        raise InputError(f"{name}: looks like a binary file (NUL bytes near the start); give text input")


def decode(data: bytes, name: str, encoding: str = DEFAULT_ENCODING, errors: str = DEFAULT_ERRORS) -> Decoded:
    """Decode ``data`` under the user's policy; refuse binary data with a clear message."""
    refuse_binary(data, name, encoding)
    if errors not in ERROR_POLICIES:
        raise InputError(f"unknown --errors policy {errors!r}; choose one of {', '.join(ERROR_POLICIES)}")
    try:
        text = data.decode(encoding, errors="strict")
        warning = None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        where = f"{name}: invalid {encoding} at byte offset {exc.start}"
        if errors == "strict":
            raise InputError(f"{where}; use --errors surrogateescape (keeps the bytes) or --errors replace") from None
        text = data.decode(encoding, errors=errors)
        warning = f"{where}; decoded with --errors {errors}"
    if text.startswith(BOM):
        text = text[len(BOM) :]
    return Decoded(text, warning)


def json_line(record: Any) -> str:
    """``record`` as one line of JSON that is valid UTF-8 whatever its strings hold.

    Text is written as itself, not escaped; a record holding lone surrogates (a JSON ``\\ud800``
    escape, or input bytes that were not UTF-8, kept as surrogate escapes) is written with ASCII
    escapes instead, so that a JSON reader gets back exactly the strings that were read.

    >>> json_line({"text": "café"}), json_line({"text": "caf\\udce9"})
    ('{"text": "café"}\\n', '{"text": "caf\\\\udce9"}\\n')
    """
    line = json.dumps(record, ensure_ascii=False)
    return (json.dumps(record) if SURROGATE.search(line) else line) + "\n"


def read_text(path: str | Path, encoding: str = DEFAULT_ENCODING, errors: str = DEFAULT_ERRORS) -> Decoded:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path), describe(path), encoding, errors)


@contextmanager
def atomic_output(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """A file object whose content replaces ``path`` only if the block finishes without error.

    A ``.gz`` name is written gzip-compressed. On any failure the temporary file is removed and
    an existing ``path`` is left as it was.
    """
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # A device, a pipe or a link (/dev/stderr, a FIFO): replacing it would break it, so
        # write straight in; atomicity is for regular files.
        with open(path, "wb") as raw_stream:
            if binary:
                yield raw_stream
            else:
                text = io.TextIOWrapper(raw_stream, encoding="utf-8", errors="surrogateescape", newline="")
                yield text
                text.flush()
                text.detach()
        return
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    raw = os.fdopen(fd, "wb")
    try:
        stream: Any = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if path.suffix == ".gz" else raw
        out: Any = (
            stream if binary else io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
        )
        yield out
        out.flush()
        if out is not stream:
            out.detach()
        if stream is not raw:
            stream.close()
        raw.flush()
        os.fsync(raw.fileno())
        raw.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            raw.close()
        Path(tmp).unlink(missing_ok=True)
        raise
