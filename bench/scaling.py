"""``python -m bench.scaling``: detector time on one generated document of growing size.

Documents of 1 KB to 100 MB are built from a fixed-seed pool of
paragraph-like and short lines over a small invented word list, the pool
repeated until the size is reached. Each size is classified as ONE document
(``det.classify(lines)``); small sizes take the best of 3 runs. The largest size
is run a second time with one 10 MB line in its middle (a pathological input a
crawl does produce). Prints seconds and MB/s per size and writes
``bench/results/scaling.md``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

from .backend import CHOICES, choose
from .data import RESULTS_DIR
from .report import machine
from .rows import progress

SIZES_KB = (1, 10, 100, 1_000, 10_000, 100_000)
LONG_LINE_BYTES = 10_000_000
POOL_LINES = 500
SEED = 1234
REPEAT_BELOW_BYTES = 2_000_000
# fmt: off
WORDS = (
    "the", "a", "of", "and", "to", "in", "is", "for", "on", "with", "that", "by", "from", "at", "as",
    "river", "council", "market", "garden", "morning", "project", "school", "water", "north", "harbour",
    "winter", "report", "street", "museum", "library", "train", "bridge", "season", "farmers", "local",
    "plan", "budget", "study", "village", "weather", "festival", "data", "new", "old", "small", "large",
    "early", "late", "quiet", "open", "public", "said", "will", "would", "could", "more", "most",
    "after", "before", "during", "under", "over", "between", "through", "against", "about", "three",
    "seven", "twelve", "home", "news", "contact", "share", "menu", "login", "search", "subscribe",
    "privacy", "terms", "next", "previous",
)
# fmt: on


def line_pool(seed: int = SEED, n: int = POOL_LINES) -> list[str]:
    """Fixed-seed lines: mostly paragraph-like sentences, some short menu-like lines.

    >>> line_pool(n=3) == line_pool(n=3)
    True
    """
    rng = random.Random(seed)
    pool = []
    for _ in range(n):
        if rng.random() < 0.3:
            pool.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title())
            continue
        sentences = []
        for _ in range(rng.randint(1, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".!?."))
        pool.append(" ".join(sentences))
    return pool


def document(size_bytes: int, pool: list[str]) -> list[str]:
    """Lines from the pool, repeated, until their UTF-8 size (with newlines) reaches ``size_bytes``."""
    lines: list[str] = []
    total = 0
    i = 0
    while total < size_bytes:
        line = pool[i % len(pool)]
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
        i += 1
    return lines


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Run the sizes up to ``--max-mb`` and write the table."""
    ap = argparse.ArgumentParser(
        prog="python -m bench.scaling",
        description=__doc__.splitlines()[0],
        epilog="Example: python -m bench.scaling --max-mb 10",
    )
    ap.add_argument("--max-mb", type=float, default=100.0, help="largest size to run, in MB (default 100)")
    ap.add_argument("--detector", choices=CHOICES, default=None, help="real, standin or auto")
    ap.add_argument("--model", default=None, help="model file for Detector.load (default: embedded)")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "scaling.md", help="Markdown output file")
    args = ap.parse_args(argv)

    load_start = os.getloadavg()[0]
    backend = choose(args.detector, args.model)
    det = backend.load()
    det.classify(["Warm up the model once."])
    pool = line_pool()
    rows = []
    sizes = [(kb, False) for kb in SIZES_KB if kb * 1000 <= args.max_mb * 1_000_000]
    if sizes and sizes[-1][0] * 1000 > LONG_LINE_BYTES:
        sizes.append((sizes[-1][0], True))
    for kb, long_line in sizes:
        size = kb * 1000
        doc = document(size - (LONG_LINE_BYTES if long_line else 0), pool)
        if long_line:
            doc.insert(
                len(doc) // 2, " ".join(pool[i % len(pool)] for i in range(LONG_LINE_BYTES // 100))[:LONG_LINE_BYTES]
            )
        repeats = 3 if size < REPEAT_BELOW_BYTES else 1
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            det.classify(doc)
            best = min(best, time.perf_counter() - t0)
        mb = size / 1e6
        rows.append((kb, long_line, len(doc), best, mb / best, len(doc) / best, _peak_mb()))
        progress(f"{kb:>7,} KB  {len(doc):>9,} lines  {best:9.3f} s  {mb / best:7.2f} MB/s")
        del doc

    m = machine()
    md = [
        "# Detector scaling with document size",
        "",
        (
            f"{m['date']} · {m['cpu']} · {m['cores']} cores · Python {m['python']} · "
            f"scikit-learn {m['versions'].get('scikit-learn')} · detector: **{backend.name}**"
        ),
        "",
        (
            f"One generated document per size (seed {SEED}, {POOL_LINES}-line pool repeated; ~30 % short "
            "lines), classified with `det.classify(lines)` after a warm-up; sizes under 2 MB are the best "
            "of 3 runs. Peak RSS is the process's high-water mark so far. "
            f"1-minute load average {load_start:.2f} at the start and {os.getloadavg()[0]:.2f} at the end "
            f"on {m['cores']} cores (well above 0 means other processes shared the machine)."
        ),
        "",
        "| size | lines | seconds | MB/s | lines/s | peak RSS so far (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for kb, long_line, n, secs, mbs, lps, rss in rows:
        label = f"{kb / 1000:g} MB" if kb >= 1000 else f"{kb} KB"
        label += " (one line of 10 MB)" if long_line else ""
        md.append(f"| {label} | {n:,} | {secs:.4f} | {mbs:.2f} | {lps:,.0f} | {rss:.0f} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md[6:]))
    progress(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
