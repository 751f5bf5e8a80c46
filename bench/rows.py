"""The benchmark's rows: each turns the pages into predicted article bodies, timed.

Line rows (keep-all, C4, jusText, detector) see the same html-text lines and
return a keep-mask per page; trafilatura rows work from the raw HTML and are
scored with the page metric only.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from . import c4, jt
from .backend import DetectorLike
from .scrape import split_lines
from .speed import Timing, best_of

ROW_KEYS = ("keep-all", "c4", "justext", "detector", "detector-html", "trafilatura", "trafilatura+detector")
LOGIT_STEP = 1.0


@dataclass
class Row:
    """One row's output: predictions per page, keep-masks (line rows) and timing."""

    key: str
    name: str
    preds: list[str]
    masks: list[list[bool]] | None
    seconds: float
    end_to_end_seconds: float
    timing: str
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class Inputs:
    """What every row reads: lines and HTML per page, in the same page order."""

    lines: list[list[str]]
    htmls: list[str]
    html_text_seconds: float


def joined(lines: list[str], mask: list[bool]) -> str:
    """The kept lines of one page as a text.

    >>> joined(["a", "b", "c"], [True, False, True])
    'a\\nc'
    """
    return "\n".join(line for line, keep in zip(lines, mask, strict=True) if keep)


def _line_row(key: str, name: str, inp: Inputs, page_filter: Callable[[list[str]], list[bool]]) -> Row:
    """Time a per-page line filter over all pages and build its row."""
    timing, masks = best_of(lambda: [page_filter(ls) for ls in inp.lines])
    secs = timing.wall
    preds = [joined(ls, m) for ls, m in zip(inp.lines, masks, strict=True)]
    return Row(
        key,
        name,
        preds,
        masks,
        secs,
        secs + inp.html_text_seconds,
        "filter only, best of 3; end-to-end adds html-text extraction",
        {"cpu_seconds": timing.cpu},
    )


def keep_all(inp: Inputs) -> Row:
    """Every line kept: the whole html-text output."""
    masks = [[True] * len(ls) for ls in inp.lines]
    preds = [joined(ls, m) for ls, m in zip(inp.lines, masks, strict=True)]
    return Row(
        "keep-all",
        "keep-all (html-text)",
        preds,
        masks,
        0.0,
        inp.html_text_seconds,
        "no filtering; end-to-end is html-text extraction, best of 3",
    )


def c4_rules(inp: Inputs) -> Row:
    """The C4 line rules."""
    return _line_row("c4", "C4 line rules", inp, c4.filter_page)


def justext_lines(inp: Inputs) -> Row:
    """jusText over the lines, per-page stoplist."""
    jt.filter_page(["warm up the stoplists"])  # loading ~100 stoplists is a one-off cost
    return _line_row("justext", "jusText 3.0.2 on lines", inp, jt.filter_page)


def thresholds_around(t: float) -> list[float]:
    """The default threshold and one logit unit either side, rounded to 3 decimals.

    Steps in logit space stay inside (0, 1) and give comparable moves whether the model's
    threshold sits in the middle or near the edge.

    >>> thresholds_around(0.5)
    [0.269, 0.5, 0.731]
    """
    t = min(max(t, 1e-6), 1 - 1e-6)
    logit = math.log(t / (1 - t))
    return sorted({round(1 / (1 + math.exp(-(logit + d))), 3) for d in (-LOGIT_STEP, 0.0, LOGIT_STEP)})


def detector_scores(det: DetectorLike, docs: list[list[str]]) -> tuple[Timing, list[list[float]], list[list[bool]]]:
    """Time ``classify_many`` over all docs; return the timing, scores and keep flags."""
    timing, verdicts = best_of(lambda: det.classify_many(docs))
    scores = [[float(v.score) for v in vs] for vs in verdicts]
    keeps = [[bool(v.keep) for v in vs] for vs in verdicts]
    return timing, scores, keeps


def operating_points(det: DetectorLike) -> list[tuple[float, str]]:
    """The thresholds to report: the model's presets (except ``extracted``, which is for
    extracted text) or, for a model without presets, its threshold and one logit step either side."""
    presets = getattr(det, "presets", None) or {}
    points = [(round(float(p["threshold"]), 3), f" (preset {k})") for k, p in presets.items() if k != "extracted"]
    if not points:
        points = [(t, "") for t in thresholds_around(float(det.threshold))]
    return sorted(points)


def detector_rows(inp: Inputs, det: DetectorLike, name: str) -> tuple[list[Row], list[list[float]]]:
    """Rows of the detector at its default threshold and its other operating points."""
    timing, scores, keeps = detector_scores(det, inp.lines)
    secs = timing.wall
    default = float(det.threshold)
    rows = []
    for t, what in operating_points(det):
        # at the model's own threshold, use its own decision as `keep` reports it
        masks = keeps if t == round(default, 3) else [[s < t for s in page] for page in scores]
        preds = [joined(ls, m) for ls, m in zip(inp.lines, masks, strict=True)]
        label = f"{name} @ {t:g}{what}" + (" (default)" if t == round(default, 3) else "")
        rows.append(
            Row(
                f"detector@{t:g}",
                label,
                preds,
                masks,
                secs,
                secs + inp.html_text_seconds,
                "classify_many over all pages, best of 3, model loaded; end-to-end adds html-text extraction",
                {"threshold": t, "cpu_seconds": timing.cpu},
            )
        )
    return rows, scores


def detector_html_row(inp: Inputs, det: DetectorLike, name: str) -> Row:
    """``Detector.filter_html`` on each page's raw HTML, one call per page, as ``detector filter
    --html`` runs: html-text and the filter, timed together end to end."""
    filter_html = det.filter_html  # type: ignore[attr-defined]
    timing, texts = best_of(lambda: [filter_html(h).text for h in inp.htmls])
    return Row(
        "detector-html",
        f"{name} --html (raw HTML, one call per page)",
        texts,
        None,
        timing.wall,
        timing.wall,
        "filter_html over all pages, one call each, best of 3 (html-text included)",
        {"cpu_seconds": timing.cpu, "lines": 0.0},  # no lines/s: the time includes html-text
    )


def trafilatura_texts(inp: Inputs) -> tuple[Timing, list[str]]:
    """Time trafilatura.extract (defaults) over the raw HTML of all pages."""
    import trafilatura

    return best_of(lambda: [trafilatura.extract(h) or "" for h in inp.htmls])


def trafilatura_row(timing: Timing, texts: list[str]) -> Row:
    """trafilatura on the raw HTML, page metric only."""
    return Row(
        "trafilatura",
        "trafilatura (raw HTML)",
        texts,
        None,
        timing.wall,
        timing.wall,
        "trafilatura.extract over all pages, best of 3",
        {"cpu_seconds": timing.cpu},
    )


def trafilatura_detector_row(traf: Timing, texts: list[str], det: DetectorLike, name: str) -> Row:
    """trafilatura's text split into lines and post-filtered by the detector (its ``extracted``
    preset, made for text an extractor already cleaned, where the model has one)."""
    presets = getattr(det, "presets", None) or {}
    if "extracted" in presets:
        det = det.configure(preset="extracted")  # type: ignore[attr-defined]
        name = f"{name} (preset extracted @ {det.threshold:.3g})"
    docs = [split_lines(t) for t in texts]
    timing, verdicts = best_of(lambda: det.classify_many(docs))
    secs = timing.wall
    preds = [joined(d, [bool(v.keep) for v in vs]) for d, vs in zip(docs, verdicts, strict=True)]
    return Row(
        "trafilatura+detector",
        f"trafilatura + {name} post-filter",
        preds,
        None,
        secs,
        traf.wall + secs,
        "post-filter only, best of 3; end-to-end adds trafilatura's time",
        {"lines": float(sum(len(d) for d in docs)), "cpu_seconds": timing.cpu},
    )


def progress(msg: str) -> None:
    """One progress line on stderr."""
    print(f"bench: {msg}", file=sys.stderr, flush=True)
