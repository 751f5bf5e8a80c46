"""Error analysis of one line row: the worst pages and a failure-category summary.

``worst-pages.md`` quotes benchmark text, so it is git-ignored and never
committed. The category summary holds only counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .data import Page
from .metric import Counts, page_f1, page_precision, page_recall

WORST_N = 20
LENGTH_BUCKETS = (
    (0, 30, "short <30 chars"),
    (30, 80, "30-79 chars"),
    (80, 200, "80-199 chars"),
    (200, 10**9, "long >=200 chars"),
)
POSITIONS = ("before article", "inside article", "after article")


def length_bucket(line: str) -> str:
    """The length category of a line."""
    n = len(line.strip())
    return next(name for lo, hi, name in LENGTH_BUCKETS if lo <= n < hi)


def positions(labels: list[bool]) -> list[str]:
    """Each line's place relative to the first and last editorial line of its page."""
    ed = [i for i, e in enumerate(labels) if e]
    if not ed:
        return ["before article"] * len(labels)
    first, last = ed[0], ed[-1]
    return [
        "before article" if i < first else "after article" if i > last else "inside article" for i in range(len(labels))
    ]


def categories(lines: list[list[str]], labels: list[list[bool]], masks: list[list[bool]]) -> dict[str, Counter[str]]:
    """Counts of wrongly kept / wrongly removed lines (and chars) by length and position."""
    out: dict[str, Counter[str]] = {
        k: Counter() for k in ("kept_lines", "kept_chars", "removed_lines", "removed_chars")
    }
    for page, labs, keep in zip(lines, labels, masks, strict=True):
        for line, ed, k, pos in zip(page, labs, keep, positions(labs), strict=True):
            if k == ed:
                continue
            kind = "kept" if k else "removed"
            for cat in (length_bucket(line), pos):
                out[f"{kind}_lines"][cat] += 1
                out[f"{kind}_chars"][cat] += len(line)
    return out


def category_table(cats: dict[str, Counter[str]]) -> str:
    """The category counts as a Markdown table (no benchmark text)."""
    rows = [
        "| category | wrongly kept lines | wrongly kept chars | wrongly removed lines | wrongly removed chars |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in [b[2] for b in LENGTH_BUCKETS] + list(POSITIONS):
        rows.append(
            f"| {name} | {cats['kept_lines'][name]} | {cats['kept_chars'][name]} | "
            f"{cats['removed_lines'][name]} | {cats['removed_chars'][name]} |"
        )
    return "\n".join(rows)


def _quote(line: str, limit: int = 240) -> str:
    text = " ".join(line.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def write_worst(
    out: Path,
    row_name: str,
    pages: list[Page],
    lines: list[list[str]],
    labels: list[list[bool]],
    masks: list[list[bool]],
    scores: list[list[float]],
    counts: list[Counts],
    n: int = WORST_N,
) -> list[str]:
    """Write the ``n`` pages with the lowest page F1 and their wrong lines; return their ids."""
    order = sorted(range(len(pages)), key=lambda i: (page_f1(counts[i]), pages[i].id))[:n]
    parts = [
        f"# Worst {len(order)} pages for {row_name}\n",
        (
            "Quotes benchmark text: git-ignored, never commit. `score` is the detector's "
            "probability that the line is not editorial.\n"
        ),
    ]
    for rank, i in enumerate(order, 1):
        c = counts[i]
        parts.append(
            f"## {rank}. `{pages[i].id[:16]}` F1 {page_f1(c):.3f} "
            f"(P {page_precision(c):.3f}, R {page_recall(c):.3f})\n\n{pages[i].url}\n"
        )
        for kind, want_keep in (("Wrongly kept (not editorial)", True), ("Wrongly removed (editorial)", False)):
            wrong = [j for j, (e, k) in enumerate(zip(labels[i], masks[i], strict=True)) if k == want_keep and e != k]
            parts.append(f"**{kind}: {len(wrong)} lines**\n")
            parts.extend(f"- [{j}] {scores[i][j]:.2f} {_quote(lines[i][j])}" for j in wrong[:40])
            if len(wrong) > 40:
                parts.append(f"- … {len(wrong) - 40} more")
            parts.append("")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return [pages[i].id for i in order]
