"""Figures on our own labelled pages: the hold-out per language, the in-article promotion set,
the languages our training pages do not have, and the page titles kept on every set we never
train on.

``training_data/holdout`` holds whole invented sites never trained on; ``training_data/promo-dev``
holds pages written to a different brief, with promotional lines inside the article body, never
trained on; ``training_data/scripts-dev`` holds pages in languages and scripts none of our
training pages use (Korean, Japanese, Chinese, Arabic, Hebrew, Hindi, Thai, ...), never trained
on; ``training_data/sites`` holds multi-page sites written for site memory. All are
scored at the detector's default threshold. The ScrapingHub ground truth leaves headlines out, so
the benchmark cannot see a lost title; these pages can.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from .data import REPO_DIR

HOLDOUT = REPO_DIR / "training_data" / "holdout"
PROMO_DEV = REPO_DIR / "training_data" / "promo-dev"
SITES = REPO_DIR / "training_data" / "sites"
SCRIPTS_DEV = REPO_DIR / "training_data" / "scripts-dev"


def _kept(det: Any, docs: list[Any]) -> list[list[bool]]:
    return [[v.keep for v in vs] for vs in det.classify_many([d.lines for d in docs])]


def holdout_by_language(det: Any, folder: Path = HOLDOUT) -> dict[str, dict[str, float]]:
    """Editorial line recall and junk lines removed per language of the hold-out pages."""
    from detector import load_dataset

    if not folder.is_dir():
        return {}
    docs = load_dataset(folder)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for d, kept in zip(docs, _kept(det, docs)):
        c = counts[d.lang]
        c[4] += 1
        for label, k in zip(d.labels, kept):
            if label == "editorial":
                c[0] += 1
                c[1] += k
            else:
                c[2] += 1
                c[3] += not k
    return {
        lang: {"pages": c[4], "editorial_recall": c[1] / max(c[0], 1), "junk_removed": c[3] / max(c[2], 1)}
        for lang, c in sorted(counts.items())
    }


def promo_dev(det: Any, folder: Path = PROMO_DEV) -> dict[str, Any]:
    """Promotional lines removed and editorial lines kept on the in-article promotion set."""
    from detector import load_dataset

    if not folder.is_dir():
        return {}
    docs = load_dataset(folder)
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for d, kept in zip(docs, _kept(det, docs)):
        for key in (d.lang, "all"):
            c = by_lang[key]
            for label, k in zip(d.labels, kept):
                if label == "promotional":
                    c[0] += 1
                    c[1] += not k
                elif label == "editorial":
                    c[2] += 1
                    c[3] += k
            c[4] += 1
    return {
        lang: {
            "pages": c[4],
            "promotional_lines": c[0],
            "promotional_removed": c[1] / max(c[0], 1),
            "editorial_kept": c[3] / max(c[2], 1),
        }
        for lang, c in sorted(by_lang.items())
    }


def titles_kept(
    det: Any, folders: tuple[Path, ...] = (HOLDOUT, PROMO_DEV, SCRIPTS_DEV, SITES)
) -> dict[str, dict[str, Any]]:
    """Per set: pages whose first editorial line (their title, on almost every page) is kept."""
    from detector import load_dataset
    from detector.evaluation import title_figures

    out: dict[str, dict[str, Any]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        docs = load_dataset(folder)
        t = title_figures(docs, _kept(det, docs))
        out[folder.name] = {"pages": int(t["titled_documents"]), "kept": int(t["titles_kept"])}
    return out


def forum_threads(det: Any, folders: tuple[Path, ...] = (HOLDOUT, PROMO_DEV, SITES)) -> dict[str, Any]:
    """The forum-thread pages of our sets never trained on: how many the detector reads as
    threads, and editorial lines kept / other lines removed with and without its forum rule."""
    from detector import load_dataset

    docs = [d for f in folders if f.is_dir() for d in load_dataset(f) if d.genre == "forum"]
    if not docs or not hasattr(det, "page_thresholds"):
        return {}
    out: dict[str, Any] = {
        "pages": len(docs),
        "read_as_threads": sum(t != det.threshold for t in det.page_thresholds([d.lines for d in docs])),
    }
    for name, d in (("forum_rule", det), ("no_forum_rule", det.configure(forums=False))):
        e = ek = j = jr = 0
        for doc, kept in zip(docs, _kept(d, docs)):
            for label, k in zip(doc.labels, kept):
                if label == "editorial":
                    e, ek = e + 1, ek + k
                else:
                    j, jr = j + 1, jr + (not k)
        out[name] = {"editorial_kept": ek / max(e, 1), "junk_removed": jr / max(j, 1)}
    return out
