"""Choose a model's default threshold and presets on the even-numbered benchmark pages.

``python -m bench.calibrate MODEL`` (``make model`` runs it) rewrites MODEL's metadata:

* ``balanced`` (the default threshold): as much junk removed as editorial **character** recall
  >= 0.96 allows, on the html-text lines of the even-numbered pages;
* ``safe`` and ``strict``: the same at recall >= 0.99 and >= 0.90;
* ``extracted``: for text an extractor already cleaned. On trafilatura's output of the same
  pages, among the thresholds that keep editorial character recall >= 0.96, the smallest whose
  page F1 is within 0.001 of the best (the curve is flat at its top; the smallest removes most).

Pages are numbered 0, 1, 2, ... in the order of their ids; the even ones choose, the odd ones
are never looked at here and are reported apart by ``make bench``. These thresholds are the
only things fitted on benchmark pages; the model itself never sees them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from . import metric
from .data import data_available, data_dir, fingerprint, load_pages, missing_message
from .labels import label_lines
from .rows import joined
from .scrape import scrape_pages, split_lines

PRESET_CHAR_RECALL = {"safe": 0.99, "balanced": 0.96, "strict": 0.90}
EXTRACTED_MIN_CHAR_RECALL = 0.96
EXTRACTED_F1_TOLERANCE = 0.001
THRESHOLD_GRID = np.round(np.arange(0.02, 0.995, 0.01), 3)


def half(items: list[Any], parity: int) -> list[Any]:
    """The items at even (``parity`` 0) or odd (1) positions.

    >>> half(["a", "b", "c", "d", "e"], 0), half(["a", "b", "c", "d", "e"], 1)
    (['a', 'c', 'e'], ['b', 'd'])
    """
    return items[parity::2]


def figures(
    lines: list[list[str]], labels: list[list[bool]], scores: list[list[float]], truths: list[str], t: float
) -> dict[str, float]:
    """Editorial character recall, junk lines removed and page F1 at threshold ``t``."""
    from detector.evaluation import editorial_figures

    masks = [[s < t for s in page] for page in scores]
    flat = editorial_figures(
        ["editorial" if x else "other" for page in labels for x in page],
        [k for m in masks for k in m],
        [len(x) for page in lines for x in page],
    )
    preds = [joined(ls, m) for ls, m in zip(lines, masks, strict=True)]
    page = metric.aggregate(metric.evaluate(truths, preds))
    return {
        "threshold": round(float(t), 4),
        "editorial_char_recall": round(flat["editorial_char_recall"], 4),
        "junk_lines_removed": round(flat["junk_removal"], 4),
        "page_f1": round(page.f1, 4),
    }


def char_threshold(lines: list[list[str]], labels: list[list[bool]], scores: list[list[float]], target: float) -> float:
    """The smallest threshold keeping ``target`` of the editorial characters."""
    from detector.evaluation import threshold_for_char_recall

    return threshold_for_char_recall(
        np.asarray([x for page in labels for x in page], dtype=bool),
        np.asarray([s for page in scores for s in page]),
        np.asarray([len(x) for page in lines for x in page]),
        target,
    )


def calibrate(det: Any, data: Path) -> dict[str, Any]:
    """Thresholds of every preset, chosen on the even-numbered pages, with their figures there."""
    import trafilatura

    pages = half(load_pages(data), 0)
    by_id = scrape_pages(load_pages(data), data)
    lines = [by_id[p.id] for p in pages]
    truths = [p.truth for p in pages]
    labels = [[m.editorial for m in label_lines(ls, t)] for ls, t in zip(lines, truths, strict=True)]
    scores = [[v.score for v in vs] for vs in det.classify_many(lines)]
    presets: dict[str, Any] = {}
    for name, target in PRESET_CHAR_RECALL.items():
        t = char_threshold(lines, labels, scores, target)
        presets[name] = {
            "chosen_for": f"editorial char recall >= {target} on html-text lines",
            **figures(lines, labels, scores, truths, t),
        }
    texts = [trafilatura.extract(p.read_html(data)) or "" for p in pages]
    tl = [split_lines(t) for t in texts]
    tlab = [[m.editorial for m in label_lines(ls, t)] for ls, t in zip(tl, truths, strict=True)]
    tsc = [[v.score for v in vs] for vs in det.classify_many(tl)]
    floor = char_threshold(tl, tlab, tsc, EXTRACTED_MIN_CHAR_RECALL)
    grid = [figures(tl, tlab, tsc, truths, t) for t in [*THRESHOLD_GRID, floor] if t >= floor]
    top = max(f["page_f1"] for f in grid)
    # The F1 curve on extracted text is flat near its top: differences of a tenth of a point are
    # one page's noise. Among those thresholds, the one removing the most junk (the smallest).
    best = min((f for f in grid if f["page_f1"] >= top - EXTRACTED_F1_TOLERANCE), key=lambda f: f["threshold"])
    presets["extracted"] = {
        "chosen_for": f"the smallest threshold within {EXTRACTED_F1_TOLERANCE} of the best page F1 on trafilatura's "
        f"output, editorial char recall >= {EXTRACTED_MIN_CHAR_RECALL}",
        **best,
    }
    return {
        "threshold": presets["balanced"]["threshold"],
        "threshold_source": {
            "method": "smallest threshold with editorial character recall >= 0.96 (as much junk removed as that "
            "allows) on the even-numbered ScrapingHub benchmark pages (0-based positions in id order)",
            "pages": len(pages),
            "data_fingerprint": fingerprint(data),
            "note": "the only values fitted on benchmark pages; the odd-numbered pages are reported apart",
        },
        "presets": presets,
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite a model file's threshold and presets; print them."""
    ap = argparse.ArgumentParser(prog="python -m bench.calibrate", description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="model file to calibrate in place")
    args = ap.parse_args(argv)
    d = data_dir()
    if not data_available(d):
        print(missing_message(d), file=sys.stderr)
        print("bench.calibrate: the model keeps its cross-validated threshold", file=sys.stderr)
        return 0
    from detector.persistence import default_model_path, load_model, save_model, write_checksum

    loaded = load_model(args.model)
    from detector import Detector

    chosen = calibrate(Detector.load(args.model), d)
    meta = {**loaded.metadata, "cv_threshold": loaded.metadata.get("cv_threshold", loaded.metadata["threshold"])}
    meta.update(chosen)
    save_model(loaded.model, meta, args.model)
    if args.model.resolve() == default_model_path().resolve():
        write_checksum(args.model)
    print(json.dumps(chosen["presets"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
