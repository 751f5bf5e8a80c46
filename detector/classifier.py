"""The public face of the model: :class:`Detector`, its verdicts, and the module shortcuts.

A document is one page's lines in reading order; the model reads each line with its
neighbours, so classify whole documents, not lines picked out of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .allocation import gc_paused
from .dataset import EDITORIAL
from .decision import decide
from .errors import DetectorError
from .model import LineModel
from .persistence import LoadedModel, base_metadata, load_default, load_model, save_model
from .sitememory import DOUBT_LOG_ODDS, SENTENCE_DOUBT_LOG_ODDS, SiteMemory, doubtful, host_of
from .text import is_blank, select_with_blanks, split_lines, strip_ending
from .titles import headline_of

log = logging.getLogger(__name__)

BLANK = "blank"
SITE_CHROME = "site-chrome"  # the label of a line that site memory removed as its host's chrome
TITLE_REPEAT = "title-repeat"  # the label of a page's first line removed as a copy of its headline
DEFAULT_KEEP: frozenset[str] = frozenset({EDITORIAL})


class Verdict(NamedTuple):
    """One line's fate. ``score`` is the probability that the line is NOT editorial."""

    text: str
    label: str
    score: float
    keep: bool


SCORE_DIGITS = 4  # scores in audit records: enough to rank, short enough to read


class RemovedLine(NamedTuple):
    """A line a filter removed: its 1-based number in the input, text, label and score."""

    line_no: int
    text: str
    label: str
    score: float

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready audit record every writer uses (CLI, JSONL stage, integrations).

        >>> RemovedLine(1, "Home", "boilerplate", 0.987654).to_record()
        {'line': 1, 'text': 'Home', 'label': 'boilerplate', 'score': 0.9877}
        """
        return {"line": self.line_no, "text": self.text, "label": self.label, "score": round(self.score, SCORE_DIGITS)}


class FilterResult(NamedTuple):
    """What a filter kept (as text) and everything it removed, for the audit trail."""

    text: str
    removed: list[RemovedLine]
    n_lines: int


PRESETS = ("safe", "balanced", "strict", "extracted")
# Memory stays bounded whatever the input: a document longer than WINDOW_LINES lines is read in
# overlapping windows (each line judged in the window where it sits most centrally, with at
# least WINDOW_OVERLAP lines of context on either side), and at most BATCH_LINES lines are
# featurised at once. A document that fits one window is read in one piece.
WINDOW_LINES = 8192
WINDOW_OVERLAP = 512
BATCH_LINES = 32768
DEFAULT_THREADS = 1


@dataclass(frozen=True)
class Settings:
    """How a :class:`Detector` decides; immutable, so detectors can be shared between threads.

    ``threshold``: a line is editorial when its score is below it (``None``: the preset's, or
    the model's own). ``preset``: a named operating point recorded in the model (``safe``,
    ``balanced`` — the default —, ``strict``, and ``extracted`` for text that an extractor such
    as trafilatura already cleaned); ``detector info`` shows what each one measured.
    ``keep``: the labels a filter keeps. ``threads``: threads inside one call (1: pipelines
    get their parallelism from processes, and threads spinning against busy neighbours made a
    call many times slower). ``title_echo``: keep the later line that a document's first line
    (a page's ``<title>``, as html-text and Common Crawl WET print it) starts with, the page's
    headline, and drop the first line where it only adds the site's name (:mod:`detector.titles`).
    ``forums``: judge a page that reads as a forum thread (:mod:`detector.forums`) at the
    ``safe`` preset, where the default operating point is in force (no threshold or preset
    other than ``balanced`` given): there the posts are the content, and the default, chosen on
    article pages where comments are chrome, removes many short replies.
    """

    threshold: float | None = None
    keep: frozenset[str] = DEFAULT_KEEP
    preset: str | None = None
    threads: int = DEFAULT_THREADS
    title_echo: bool = True
    forums: bool = True


FORUM_PRESET = "safe"


def preset_threshold(metadata: dict[str, Any], preset: str | None) -> float:
    """The threshold of a named preset (``None``: the model's default)."""
    if preset is None:
        return float(metadata["threshold"])
    presets = metadata.get("presets") or {}
    if preset not in presets:
        known = ", ".join(presets) or "none (this model records no presets; give a threshold)"
        raise DetectorError(f"unknown preset {preset!r}; this model has: {known}")
    return float(presets[preset]["threshold"])


def windows(n: int, size: int = WINDOW_LINES, overlap: int = WINDOW_OVERLAP) -> list[tuple[int, int, int, int]]:
    """How a document of ``n`` lines is read: ``(own_start, own_end, start, end)`` per window.

    Each window's own lines are judged with the window's lines as their document; windows
    overlap by ``overlap`` lines of context on each side.

    >>> windows(5, size=4, overlap=1)
    [(0, 2, 0, 3), (2, 4, 1, 5), (4, 5, 3, 5)]
    >>> windows(4, size=4, overlap=1)
    [(0, 4, 0, 4)]
    """
    if n <= size:
        return [(0, n, 0, n)]
    step = size - 2 * overlap
    return [(a, min(a + step, n), max(0, a - overlap), min(n, a + step + overlap)) for a in range(0, n, step)]


_default_lock = threading.Lock()
_default_loaded: LoadedModel | None = None


def _default() -> LoadedModel:
    global _default_loaded
    with _default_lock:
        if _default_loaded is None:
            _default_loaded = load_default()
        return _default_loaded


class Detector:
    """Classifies the lines of scraped documents and filters out the non-editorial ones.

    >>> det = Detector.default()
    >>> det.filter_lines(["Home", "The council approved the budget on Tuesday after a long debate."])
    ['The council approved the budget on Tuesday after a long debate.']
    """

    def __init__(self, loaded: LoadedModel, settings: Settings = Settings()) -> None:
        self._loaded = loaded
        labels = list(loaded.metadata["labels"])
        unknown = set(settings.keep) - set(labels)
        if unknown:
            raise DetectorError(f"unknown label(s) {', '.join(sorted(unknown))}; this model knows {', '.join(labels)}")
        threshold = settings.threshold
        if threshold is None:
            threshold = preset_threshold(loaded.metadata, settings.preset)
        if not 0.0 <= float(threshold) <= 1.0:
            raise DetectorError(f"threshold {threshold} is outside [0, 1]")
        if settings.threads < 1:
            raise DetectorError(f"threads must be at least 1, got {settings.threads}")
        self.settings = settings
        self.labels: list[str] = labels
        self.threshold: float = float(threshold)
        self.forum_threshold: float | None = self._forum_threshold()
        self._classes = list(loaded.model.classes_)

    def _forum_threshold(self) -> float | None:
        """The threshold for pages read as forum threads, or ``None`` where no such rule applies."""
        s = self.settings
        presets = self._loaded.metadata.get("presets") or {}
        if not s.forums or s.threshold is not None or s.preset not in (None, "balanced"):
            return None
        if self._loaded.model.forum_pages_ is None or FORUM_PRESET not in presets:
            return None
        return max(self.threshold, float(presets[FORUM_PRESET]["threshold"]))

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def default(
        cls,
        *,
        threshold: float | None = None,
        keep: Iterable[str] = DEFAULT_KEEP,
        preset: str | None = None,
        threads: int = DEFAULT_THREADS,
    ) -> Detector:
        """The embedded default model, loaded on first use and cached for the process."""
        return cls(_default(), Settings(threshold, frozenset(keep), preset, threads))

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        threshold: float | None = None,
        keep: Iterable[str] = DEFAULT_KEEP,
        preset: str | None = None,
        threads: int = DEFAULT_THREADS,
    ) -> Detector:
        """A model saved by ``detector train``. A joblib file runs code when loaded: trust it first."""
        return cls(load_model(path), Settings(threshold, frozenset(keep), preset, threads))

    @classmethod
    def from_model(cls, model: LineModel, metadata: dict[str, Any], *, settings: Settings = Settings()) -> Detector:
        """Wrap a freshly trained model (see :func:`detector.training.train`)."""
        meta = {**base_metadata(), **metadata}
        return cls(LoadedModel(model, meta, "<memory>", "memory"), settings)

    def configure(
        self,
        *,
        threshold: float | None = None,
        keep: Iterable[str] | None = None,
        preset: str | None = None,
        threads: int | None = None,
        title_echo: bool | None = None,
        forums: bool | None = None,
    ) -> Detector:
        """A detector sharing this model with other settings (a preset replaces a set threshold)."""
        old = self.settings
        settings = Settings(
            threshold if threshold is not None else (None if preset is not None else old.threshold),
            old.keep if keep is None else frozenset(keep),
            preset if preset is not None else old.preset,
            old.threads if threads is None else threads,
            old.title_echo if title_echo is None else title_echo,
            old.forums if forums is None else forums,
        )
        return Detector(self._loaded, settings)

    @property
    def presets(self) -> dict[str, dict[str, Any]]:
        """The model's named operating points: threshold and what was measured at it."""
        return dict(self._loaded.metadata.get("presets") or {})

    @property
    def doubt_margin(self) -> float:
        """How far below the threshold (in log-odds) site memory treats a kept line as doubted:
        chosen for this model on multi-page sites and recorded with it."""
        recorded = (self._loaded.metadata.get("site_memory") or {}).get("doubt_margin")
        return DOUBT_LOG_ODDS if recorded is None else float(recorded)

    @property
    def metadata(self) -> dict[str, Any]:
        """The provenance recorded with the model (versions, labels, data hash, metrics)."""
        return dict(self._loaded.metadata)

    @property
    def source(self) -> str:
        """Where the model came from (a path, or ``<memory>``)."""
        return self._loaded.path

    def save(self, path: str | Path) -> None:
        """Save the model with its metadata (joblib; ``.skops`` for the safe format)."""
        save_model(self._loaded.model, self._loaded.metadata, path)

    # -- classification ---------------------------------------------------------------------
    def classify(
        self, lines: Sequence[str], *, site: str | None = None, memory: SiteMemory | None = None
    ) -> list[Verdict]:
        """One verdict per line of ONE document (blank lines get label ``blank`` and are kept).

        With ``memory`` and ``site`` (the page's URL or host), lines that recur on the host's
        earlier pages are removed as chrome (label ``site-chrome``), and the page is remembered.
        """
        _check_lines(lines, "classify")
        return self.classify_many([lines], sites=None if site is None else [site], memory=memory)[0]

    def classify_many(
        self,
        documents: Sequence[Sequence[str]],
        *,
        sites: Sequence[str | None] | None = None,
        memory: SiteMemory | None = None,
    ) -> list[list[Verdict]]:
        """Verdicts for many documents in one batched model call (much faster than a loop).

        ``sites`` (one URL or host per document, or None) and ``memory``: see :meth:`classify`;
        the memory sees the documents in the order given.
        """
        if isinstance(documents, str):
            raise TypeError(
                "classify_many() takes a list of documents, each a list of lines; "
                "for text, use filter_documents() or split it with str.splitlines()"
            )
        for number, doc in enumerate(documents, start=1):
            _check_lines(doc, "classify_many", " as a document", number)
        with gc_paused():
            return self._classify_many(documents, sites, memory)

    def _classify_many(
        self, documents: Sequence[Sequence[str]], sites: Sequence[str | None] | None, memory: SiteMemory | None
    ) -> list[list[Verdict]]:
        blank = [[is_blank(line) for line in doc] for doc in documents]
        content = [[line for line, b in zip(doc, bl) if not b] for doc, bl in zip(documents, blank)]
        proba, forum = self._proba(content)
        thresholds = self._thresholds(forum, [len(c) for c in content])
        scores, labels = decide(proba, self._classes, thresholds)
        out: list[list[Verdict]] = []
        k = 0
        keep = self.settings.keep
        for doc, bl in zip(documents, blank):
            verdicts: list[Verdict] = []
            for line, is_b in zip(doc, bl):
                if is_b:
                    verdicts.append(Verdict(line, BLANK, 0.0, True))
                    continue
                score, label = float(scores[k]), labels[k]
                verdicts.append(Verdict(line, label, score, label in keep))
                k += 1
            if self.settings.title_echo and EDITORIAL in keep and not keep.issuperset(self._classes):
                verdicts = with_headline(verdicts)
            out.append(verdicts)
        if memory is not None and sites is not None:
            if len(sites) != len(out):
                raise ValueError(f"{len(sites)} sites for {len(out)} documents")
            out = [v if site is None else site_revised(v, site, memory, self) for v, site in zip(out, sites)]
        return out

    def _document_thresholds(self, forum: np.ndarray | None) -> np.ndarray | None:
        """Each document's threshold (``None``: all at :attr:`threshold`)."""
        pages = self._loaded.model.forum_pages_
        if self.forum_threshold is None or forum is None or pages is None or not pages.flags(forum).any():
            return None
        return np.where(pages.flags(forum), self.forum_threshold, self.threshold)

    def _thresholds(self, forum: np.ndarray | None, lengths: Sequence[int]) -> float | np.ndarray:
        """The threshold of every line: the forum threshold on documents read as threads."""
        per_doc = self._document_thresholds(forum)
        return self.threshold if per_doc is None else np.repeat(per_doc, lengths)

    def page_thresholds(self, documents: Sequence[Sequence[str]]) -> list[float]:
        """The threshold each document is judged at: :attr:`forum_threshold` on a page that reads
        as a forum thread (:mod:`detector.forums`), else :attr:`threshold`."""
        _, forum = self._proba([[x for x in doc if not is_blank(x)] for doc in documents])
        per_doc = self._document_thresholds(forum)
        return [self.threshold] * len(documents) if per_doc is None else [float(t) for t in per_doc]

    def _proba(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray | None]:
        """The model's probabilities for every line, in bounded windows and batches, and each
        document's forum probability (the mean over its windows; ``None`` without a page classifier)."""
        model = self._loaded.model
        n = sum(len(d) for d in docs)
        out = np.zeros((n, len(self._classes)))
        has_forum = model.forum_pages_ is not None
        forum_sum = np.zeros(len(docs))
        forum_count = np.zeros(len(docs))
        starts = np.concatenate(([0], np.cumsum([len(d) for d in docs])))
        pieces: list[Sequence[str]] = []
        owned: list[tuple[int, int, int]] = []  # (first row in out, first own row in piece, own rows)
        owner: list[int] = []  # the document of each piece
        size = 0

        def flush() -> None:
            if not pieces:
                return
            proba, forum = model.predict_pages(pieces, threads=self.settings.threads)
            if forum is not None:
                np.add.at(forum_sum, owner, forum)
                np.add.at(forum_count, owner, 1)
            at = 0
            for piece, (row, first, count) in zip(pieces, owned):
                out[row : row + count] = proba[at + first : at + first + count]
                at += len(piece)
            pieces.clear()
            owned.clear()
            owner.clear()

        for d, lines in enumerate(docs):
            for a, b, lo, hi in windows(len(lines), WINDOW_LINES, WINDOW_OVERLAP):
                if size + hi - lo > BATCH_LINES:
                    flush()
                    size = 0
                pieces.append(lines[lo:hi])
                owned.append((int(starts[d]) + a, a - lo, b - a))
                owner.append(d)
                size += hi - lo
        flush()
        return out, (forum_sum / np.maximum(forum_count, 1) if has_forum else None)

    # -- filtering --------------------------------------------------------------------------
    def filter_document(self, text: str, *, site: str | None = None, memory: SiteMemory | None = None) -> FilterResult:
        """Filter one document given as text; the kept lines come out byte for byte.

        ``site`` and ``memory``: remove the host's recurring chrome (see :meth:`classify`).
        """
        _check_text(text, "filter_document")
        lines = split_lines(text)
        verdicts = self.classify([strip_ending(line) for line in lines], site=site, memory=memory)
        return build_result(lines, verdicts)

    def filter_documents(
        self,
        texts: Sequence[str],
        *,
        sites: Sequence[str | None] | None = None,
        memory: SiteMemory | None = None,
    ) -> list[FilterResult]:
        """:meth:`filter_document` for many documents, batched."""
        if isinstance(texts, str):
            raise TypeError("filter_documents() takes a list of texts; for one text, use filter_document()")
        for t in texts:
            _check_text(t, "filter_documents", " as a document")
        split = [split_lines(t) for t in texts]
        all_verdicts = self.classify_many(
            [[strip_ending(x) for x in lines] for lines in split], sites=sites, memory=memory
        )
        return [build_result(lines, v) for lines, v in zip(split, all_verdicts)]

    def filter_html(
        self, html: str | bytes, *, site: str | None = None, memory: SiteMemory | None = None
    ) -> FilterResult:
        """Filter a raw HTML page: its text as a naive scraper prints it (html-text, the
        ``html`` extra), then :meth:`filter_document`. Bytes are decoded as the page declares
        (its ``<meta charset>``, else UTF-8; :func:`detector.html_input.decode_html`)."""
        from .html_input import html_to_text

        return self.filter_document(html_to_text(html), site=site, memory=memory)

    def filter_text(self, text: str) -> str:
        """The text without its non-editorial lines (see :meth:`filter_document` for what went)."""
        _check_text(text, "filter_text")
        return self.filter_document(text).text

    def filter_lines(self, lines: Sequence[str]) -> list[str]:
        """The kept lines of one document, unchanged, with sensible blank lines between them."""
        _check_lines(lines, "filter_lines")
        verdicts = self.classify(lines)
        return [lines[i] for i in select_with_blanks(lines, [v.keep for v in verdicts])]


def with_headline(verdicts: list[Verdict]) -> list[Verdict]:
    """A document's verdicts with its headline kept and, where the first line (its
    ``<title>``) only repeats the headline, that line removed (see :mod:`detector.titles`)."""
    at = [k for k, v in enumerate(verdicts) if v.label != BLANK]
    found = headline_of([verdicts[k].text for k in at], [verdicts[k].keep for k in at])
    if found is None:
        return verdicts
    echo, repeat = found
    out = list(verdicts)
    if not out[at[echo]].keep:
        out[at[echo]] = out[at[echo]]._replace(label=EDITORIAL, keep=True)
    if repeat:
        out[at[0]] = out[at[0]]._replace(label=TITLE_REPEAT, keep=False)
    return out


def site_revised(verdicts: list[Verdict], site: str, memory: SiteMemory, det: Detector) -> list[Verdict]:
    """One document's verdicts after site memory: kept lines recurring on ``site``'s earlier
    pages become ``site-chrome`` and are removed; the document is then remembered. ``det`` made
    the verdicts: its threshold and its model's doubt margin tell which kept lines were close."""
    at = [k for k, v in enumerate(verdicts) if v.label != BLANK]
    content = [verdicts[k] for k in at]
    margin = det.doubt_margin if memory.doubt_margin is None else memory.doubt_margin
    scores = [v.score for v in content]
    chrome = memory.chrome(
        host_of(site),
        [v.text for v in content],
        [v.keep for v in content],
        doubtful(scores, det.threshold, margin),
        doubtful(scores, det.threshold, max(margin, SENTENCE_DOUBT_LOG_ODDS)),
    )
    out = list(verdicts)
    for k, gone in zip(at, chrome):
        if gone:
            out[k] = out[k]._replace(label=SITE_CHROME, keep=False)
    return out


def build_result(lines: list[str], verdicts: list[Verdict]) -> FilterResult:
    """The kept text and the audit of removed lines, from a document's lines and verdicts."""
    chosen = select_with_blanks([v.text for v in verdicts], [v.keep for v in verdicts])
    # A line ending in a bare CR followed by a blank LF line would read back as one CRLF
    # line: drop such blanks, however many follow (each is checked against the line kept last;
    # none of them was next to that line in the input).
    out: list[int] = []
    for i in chosen:
        if not (out and lines[i] == "\n" and out[-1] != i - 1 and lines[out[-1]].endswith("\r")):
            out.append(i)
    chosen = out
    removed = [
        RemovedLine(i + 1, v.text, v.label, v.score) for i, v in enumerate(verdicts) if not v.keep and v.label != BLANK
    ]
    if removed:
        log.debug("removed %d of %d lines", len(removed), len(lines))
    return FilterResult("".join(lines[i] for i in chosen), removed, len(lines))


def _check_lines(lines: Any, fn: str, what: str = "", doc: int | None = None) -> None:
    """A bare string would be read as one line per character: refuse it, saying what to pass;
    and name the first line that is not a str (``doc``: the document's number, for many)."""
    if isinstance(lines, str | bytes):
        raise TypeError(
            f"{fn}() takes the lines of a document (a list of str), not one {type(lines).__name__}{what}; "
            "pass text.splitlines(), or use filter_text() for a whole text"
        )
    if not all(isinstance(line, str) for line in lines):
        i, bad = next((i, x) for i, x in enumerate(lines, start=1) if not isinstance(x, str))
        hint = "; decode it first" if isinstance(bad, bytes | bytearray) else ""
        where = "" if doc is None else f" of document {doc}"
        raise TypeError(f"{fn}() takes lines of str; line {i}{where} is a {type(bad).__name__}{hint}")


def _check_text(text: Any, fn: str, what: str = "") -> None:
    if not isinstance(text, str):
        raise TypeError(
            f"{fn}() takes a document's text (one str), not a {type(text).__name__}{what}; "
            "join the lines with '\\n', or use filter_lines() for a list of lines"
        )


def _detector(threshold: float | None, model: Detector | str | Path | None, preset: str | None = None) -> Detector:
    if isinstance(model, Detector):
        return model if threshold is None and preset is None else model.configure(threshold=threshold, preset=preset)
    if model is None:
        return Detector.default(threshold=threshold, preset=preset)
    return Detector.load(model, threshold=threshold, preset=preset)


def filter_text(
    text: str,
    threshold: float | None = None,
    model: Detector | str | Path | None = None,
    *,
    preset: str | None = None,
) -> str:
    """Remove the non-editorial lines of ``text`` with the default model (or ``model``).

    >>> filter_text("Home\\nThe council approved the budget on Tuesday after a long debate.\\n")
    'The council approved the budget on Tuesday after a long debate.\\n'
    """
    return _detector(threshold, model, preset).filter_text(text)


def filter_lines(
    lines: Sequence[str],
    threshold: float | None = None,
    model: Detector | str | Path | None = None,
    *,
    preset: str | None = None,
) -> list[str]:
    """The kept lines of one document, with the default model (or ``model``)."""
    return _detector(threshold, model, preset).filter_lines(lines)


def classify(
    lines: Sequence[str],
    threshold: float | None = None,
    model: Detector | str | Path | None = None,
    *,
    preset: str | None = None,
) -> list[Verdict]:
    """One :class:`Verdict` per line of one document, with the default model (or ``model``)."""
    return _detector(threshold, model, preset).classify(lines)
