"""Labelled training documents: the ``E text`` file format and JSONL, with file:line errors.

A text file holds one document: each content line is ``<CODE> <text>`` where CODE is a label
code (``E`` editorial, ``P`` promotional, ``B`` boilerplate by default, or the full label name).
``#`` starts a comment; ``# genre: news``, ``# lang: en``, ``# site: …`` and
``# labels: E=editorial S=spam`` are metadata. Blank lines are ignored. A code followed by
``?`` (``E? text``) is the same label, marked unsure by :func:`detector.labelling.prelabel`
for a person to check. A ``.jsonl`` file holds one document per line:
``{"lines": [...], "labels": [...]}`` plus optional ``source``, ``genre``, ``lang`` and ``site``
(documents of one site stay on one side of every cross-validation split). Every problem of every file is collected before anything is raised, so a user can
fix them all in one go.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError

EDITORIAL = "editorial"
DEFAULT_CODES: dict[str, str] = {"E": EDITORIAL, "P": "promotional", "B": "boilerplate"}
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl",)
_META_KEYS = ("genre", "lang", "site", "labels")
UNSURE_MARK = "?"  # after a label code: the pre-labeller was unsure of this line
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Document:
    """One labelled page: its lines in reading order, one label per line, and where it came from."""

    lines: list[str]
    labels: list[str]
    source: str
    genre: str = "unknown"
    lang: str = "unknown"
    meta: dict[str, str] = field(default_factory=dict)


def _parse_codes(spec: str, where: str, problems: list[str]) -> dict[str, str]:
    codes: dict[str, str] = {}
    for item in spec.split():
        code, sep, name = item.partition("=")
        if not sep or not code or not name:
            problems.append(f"{where}: a labels header takes CODE=name pairs, got {item!r}")
            continue
        codes[code] = name
    return codes


def parse_text_document(path: Path, data: bytes) -> tuple[Document | None, list[str]]:
    """Parse one text-format document; returns it (or None) and its problems as ``file:line: …``."""
    problems: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = data[: exc.start].count(b"\n") + 1
        return None, [f"{path}:{line_no}: not valid UTF-8 (byte offset {exc.start}); save the file as UTF-8"]
    meta: dict[str, str] = {}
    codes = dict(DEFAULT_CODES)
    lines: list[str] = []
    labels: list[str] = []
    for line_no, raw in enumerate(_NEWLINE.split(text), start=1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            key, sep, value = raw[1:].strip().partition(":")
            if sep and key.strip().lower() in _META_KEYS and not lines:
                key = key.strip().lower()
                meta[key] = value.strip()
                if key == "labels":
                    codes = _parse_codes(value, f"{path}:{line_no}", problems)
            continue
        code, sep, rest = raw.partition(" ")
        if not sep:
            code, sep, rest = raw.partition("\t")
        if code.endswith(UNSURE_MARK) and len(code) > 1:
            code = code[: -len(UNSURE_MARK)]
        label = codes.get(code) or (code if code in codes.values() else None)
        if label is None:
            valid = ", ".join(f"{c} ({n})" for c, n in codes.items())
            problems.append(
                f"{path}:{line_no}: unknown label {code[:20]!r}; a line starts with one of {valid} and a space"
            )
            continue
        if not rest.strip():
            problems.append(f"{path}:{line_no}: label {code} has no text after it")
            continue
        lines.append(rest)
        labels.append(label)
    if not lines and not problems:
        problems.append(f"{path}:1: empty document: no labelled lines")
    if problems:
        return None, problems
    doc = Document(lines, labels, str(path), meta.get("genre", "unknown"), meta.get("lang", "unknown"), meta)
    return doc, []


def parse_jsonl(path: Path, data: bytes) -> tuple[list[Document], list[str]]:
    """Parse a JSONL file of documents; returns the good ones and every problem."""
    docs: list[Document] = []
    problems: list[str] = []
    for line_no, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            rec = json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8"))
        except UnicodeDecodeError:
            problems.append(f"{where}: not valid UTF-8")
            continue
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{where}: a record must be a JSON object with 'lines' and 'labels'")
            continue
        lines, labels = rec.get("lines"), rec.get("labels")
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            problems.append(f"{where}: 'lines' must be a list of strings")
            continue
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            problems.append(f"{where}: 'labels' must be a list of label names")
            continue
        if len(lines) != len(labels):
            problems.append(f"{where}: {len(lines)} lines but {len(labels)} labels; they must match")
            continue
        if not lines:
            problems.append(f"{where}: empty document: no labelled lines")
            continue
        labels = [DEFAULT_CODES.get(x, x) for x in labels]
        source = str(rec.get("source") or f"{path}#{line_no}")
        meta = {k: str(rec[k]) for k in ("genre", "lang", "site") if rec.get(k) is not None}
        docs.append(Document(lines, labels, source, meta.get("genre", "unknown"), meta.get("lang", "unknown"), meta))
    return docs, problems


def iter_data_files(paths: Iterable[str | Path]) -> list[Path]:
    """The data files under ``paths`` (files or folders, searched recursively), sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix in TEXT_SUFFIXES + JSONL_SUFFIXES)
        elif p.is_file():
            files.append(p)
        else:
            raise DataError([f"{p}: no such file or folder"])
    return files


def load_dataset(*paths: str | Path) -> list[Document]:
    """Load every labelled document under ``paths``; raise :class:`DataError` listing all problems.

    >>> docs = load_dataset("training_data")  # doctest: +SKIP
    >>> docs[0].lines[0], docs[0].labels[0]  # doctest: +SKIP
    ('Home', 'boilerplate')
    """
    docs: list[Document] = []
    problems: list[str] = []
    files = iter_data_files(paths)
    if not files:
        raise DataError([f"{', '.join(map(str, paths))}: no .txt or .jsonl data files found"])
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            problems.append(f"{f}:1: cannot read ({exc.strerror})")
            continue
        if f.suffix in JSONL_SUFFIXES:
            found, errs = parse_jsonl(f, data)
            docs.extend(found)
        else:
            doc, errs = parse_text_document(f, data)
            if doc is not None:
                docs.append(doc)
        problems.extend(errs)
    seen: dict[tuple[str, ...], str] = {}
    for d in docs:
        key = tuple(d.lines)
        if key in seen:
            problems.append(f"{d.source}:1: exact duplicate of {seen[key]}; remove one of them")
        else:
            seen[key] = d.source
    if problems:
        raise DataError(problems)
    return docs


def dataset_labels(docs: Sequence[Document]) -> list[str]:
    """The label set of ``docs``, editorial first; raise :class:`DataError` if it cannot train."""
    labels = sorted({lab for d in docs for lab in d.labels})
    if EDITORIAL not in labels:
        raise DataError([f"the data has no '{EDITORIAL}' lines; the filter keeps editorial lines, so some are needed"])
    if len(labels) < 2:
        raise DataError([f"every line is labelled '{labels[0]}'; training needs at least two labels"])
    return [EDITORIAL] + [x for x in labels if x != EDITORIAL]


def dataset_sha256(docs: Sequence[Document]) -> str:
    """A SHA-256 of the documents' lines and labels, independent of file order and location."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: (d.lines, d.labels)):
        for line, label in zip(d.lines, d.labels):
            h.update(label.encode() + b"\t" + line.encode("utf-8", "surrogatepass") + b"\n")
        h.update(b"\x00")
    return h.hexdigest()
