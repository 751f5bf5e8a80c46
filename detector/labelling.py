"""Pre-labelled training files: the model's labels filled in, its doubts marked, for a person
to correct in an editor and train on (``detector label``).

The file is the training format of :mod:`detector.dataset`: ``E text``, ``P text``,
``B text``. A line the model was unsure of (its score within ``margin`` of the threshold)
gets ``?`` after its code (``E? text``); the loader reads ``E?`` as ``E``, so a corrected file
trains as it is, and deleting the marks is optional. The text after the code is the line
byte for byte, so a file loads back to exactly the lines it was made from; only what UTF-8
cannot hold (bytes of the input that were not UTF-8, a lone ``\\ud800`` escape in a JSON
record) is written as U+FFFD, since training files are UTF-8, and the summary counts those lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import textio
from .classifier import BLANK, Detector, Verdict
from .dataset import DEFAULT_CODES, UNSURE_MARK
from .errors import InputError
from .jsonl import parse_record
from .text import split_lines, strip_ending

DEFAULT_MARGIN = 0.15
_CODE_OF = {name: code for code, name in DEFAULT_CODES.items()}
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Prelabelled:
    """A pre-labelled document: its file text, and how many lines were labelled and marked unsure."""

    text: str
    lines: int
    unsure: int


def code_of(label: str) -> str:
    """The short code a label is written with (its full name when it has none)."""
    return _CODE_OF.get(label, label)


def is_unsure(score: float, threshold: float, margin: float = DEFAULT_MARGIN) -> bool:
    """Whether a score lies so close to the threshold that a person should check the label."""
    return abs(score - threshold) < margin


def prelabel(
    detector: Detector,
    lines: Sequence[str],
    *,
    margin: float = DEFAULT_MARGIN,
    meta: dict[str, str] | None = None,
) -> Prelabelled:
    """The training-format file for one document's ``lines``, labelled by ``detector``.

    ``meta`` (``genre``, ``lang``, ``site``) goes into the header; give every page of one site
    the same ``site`` so that cross-validation keeps them together. Blank lines are left out
    (training ignores them).
    """
    if isinstance(lines, str):
        raise TypeError("prelabel() takes the lines of one document (a list of str), not one str")
    verdicts = detector.classify(list(lines))
    header = [f"# {k}: {v}" for k, v in (meta or {}).items() if v]
    header.append(
        f"# pre-labelled at threshold {detector.threshold:.3f}; a code with {UNSURE_MARK} (E{UNSURE_MARK}) "
        f"scored within {margin:g} of it: check those first"
    )
    body, unsure = _body(verdicts, detector.threshold, margin)
    return Prelabelled("\n".join(header + body) + "\n", len(body), unsure)


def _body(verdicts: Sequence[Verdict], threshold: float, margin: float) -> tuple[list[str], int]:
    out: list[str] = []
    unsure = 0
    for v in verdicts:
        if v.label == BLANK:
            continue
        mark = UNSURE_MARK if is_unsure(v.score, threshold, margin) else ""
        unsure += bool(mark)
        out.append(f"{code_of(v.label)}{mark} {v.text}")
    return out, unsure


@dataclass
class LabelSummary:
    """What :func:`write_prelabelled` did, for the one-line report."""

    documents: int = 0
    lines: int = 0
    unsure: int = 0
    skipped: int = 0
    replaced: int = 0  # lines whose undecodable bytes were written as U+FFFD
    files: list[Path] = field(default_factory=list)

    def line(self) -> str:
        """One line for stderr."""
        skipped = f", {self.skipped:,} malformed records skipped" if self.skipped else ""
        n = self.replaced
        replaced = f", {n:,} line{'s' if n != 1 else ''} with undecodable text written with U+FFFD" if n else ""
        return (
            f"pre-labelled {self.documents:,} document{'s' if self.documents != 1 else ''}, {self.lines:,} lines, "
            f"{self.unsure:,} marked {UNSURE_MARK}{skipped}{replaced}"
        )


def _safe_name(text: str) -> str:
    name = _UNSAFE.sub("-", text).strip("-.")
    return name[:80] or "document"


def documents_in(
    name: str,
    *,
    jsonl: bool = False,
    field: str = "text",
    encoding: str = textio.DEFAULT_ENCODING,
    errors: str = textio.DEFAULT_ERRORS,
    report: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """``(name, lines)`` of each document of an input: a text file is one document, a JSON
    Lines file one per record (named ``<file>-<record number>``; malformed records reported
    and skipped)."""
    path = Path(name.removesuffix(".gz"))
    stem = _safe_name(path.stem if name != "-" else "stdin")
    if not jsonl:
        decoded = textio.read_text(name, encoding, errors)
        if decoded.warning and report:
            report(decoded.warning)
        yield stem, [strip_ending(x) for x in split_lines(decoded.text)]
        return
    with textio.open_text_stream(name, encoding, errors) as stream, textio.stream_errors(name):
        number = 0
        for raw in textio.checked_lines(stream, name, encoding, errors, report):
            if not raw.strip():
                continue
            number += 1
            _, value, problem = parse_record(raw, field)
            if problem is not None or value is None:
                if report:
                    report(f"{textio.describe(name)}: record {number}: {problem}; skipped")
                continue
            yield f"{stem}-{number:05d}", [strip_ending(x) for x in split_lines(value)]


def write_prelabelled(
    detector: Detector,
    documents: Iterable[tuple[str, list[str]]],
    out_dir: Path,
    *,
    margin: float = DEFAULT_MARGIN,
    meta: dict[str, str] | None = None,
    overwrite: bool = False,
) -> LabelSummary:
    """One pre-labelled file per document in ``out_dir`` (``<name>.txt``; a name met twice in
    one run, such as two inputs called ``page.txt`` in different folders, gets ``-2``, ``-3``).

    Existing files are never replaced unless ``overwrite``: they may hold a person's corrections.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = LabelSummary()
    used: dict[str, int] = {}
    for name, lines in documents:
        used[name] = used.get(name, 0) + 1
        path = out_dir / (f"{name}.txt" if used[name] == 1 else f"{name}-{used[name]}.txt")
        if path.exists() and not overwrite:
            raise InputError(f"{path}: already exists and may hold corrections; remove it or pass --force")
        done = prelabel(detector, lines, margin=margin, meta=meta)
        if done.lines == 0:
            summary.skipped += 1
            continue
        text = done.text
        if textio.SURROGATE.search(text):
            summary.replaced += sum(1 for line in text.splitlines() if textio.SURROGATE.search(line))
            text = textio.SURROGATE.sub("\ufffd", text)
        with textio.atomic_output(path) as f:
            f.write(text)
        summary.documents += 1
        summary.lines += done.lines
        summary.unsure += done.unsure
        summary.files.append(path)
    return summary
