"""``python -m bench.sites``: what site memory removes on multi-page sites, and what it costs.

The pages of ``training_data/sites/<site>/`` (invented multi-page sites, never trained on) are
read in crawl order, the sites' pages interleaved as a crawler would fetch them, once by the
default model alone and once with a :class:`detector.SiteMemory`. Reported per site and in
total: the junk lines the model keeps, how many of them site memory removes, and the editorial
lines it loses. Then the memory's size for 1,000 hosts filled to their cap, measured with
tracemalloc. Writes ``bench/results/sites.md``.

    python -m bench.sites                         # training_data/sites
    python -m bench.sites training_data/adaptation --out /tmp/x.md
    python -m bench.sites --choose-margin MODEL    # record MODEL's doubt margin (make model)

The doubt margin depends on the model (how its scores sit around its threshold), so each model
records its own: half the largest margin that loses no more of the editorial lines of the five
sites written first (``TUNING_SITES``) than no margin does; the five written later check it.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from .data import REPO_DIR, RESULTS_DIR
from .report import machine

SITES = REPO_DIR / "training_data" / "sites"
TUNING_SITES = (
    "vaerdsbladet", "tech-postel-dokumentace", "fietsenwinkel-de-spaak", "giornale-di-val-brenta",
    "umschau-reisen-blog",
)  # fmt: skip
MARGIN_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0, 1.5)
MAX_EDITORIAL_LOSS = 0.002


def site_of(doc: Any) -> str:
    """A page's site: its ``# site:`` header, else its folder's name."""
    return str(doc.meta.get("site") or Path(str(doc.source)).parent.name)


def choose_margin(det: Any, docs: list[Any]) -> dict[str, Any]:
    """The doubt margin for ``det``: half the largest margin of ``MARGIN_GRID`` (every smaller one
    passing too) that loses no more of the tuning sites' editorial lines to site memory than no
    margin does, and at most 0.2 % of them. The margin buys junk only where doubt costs nothing:
    the budget belongs to site memory as a whole, and 0.2 % of the tuning sites is two lines."""
    from detector import SiteMemory
    from detector.classifier import site_revised

    pages = [d for d in crawl_order(docs) if site_of(d) in TUNING_SITES]
    alone = det.classify_many([d.lines for d in pages])  # the model's scores do not depend on the margin
    loss: dict[float, float] = {}
    for margin in MARGIN_GRID:
        memory = SiteMemory(doubt_margin=margin)
        lost = editorial = 0
        for d, verdicts in zip(pages, alone):
            revised = site_revised(verdicts, site_of(d), memory, det)
            for label, a, b in zip(d.labels, verdicts, revised):
                if label == "editorial":
                    editorial += 1
                    lost += a.keep and not b.keep
        loss[margin] = lost / max(editorial, 1)
        if loss[margin] > min(loss[MARGIN_GRID[0]], MAX_EDITORIAL_LOSS):
            break
    passing = [m for m in loss if loss[m] <= min(loss[MARGIN_GRID[0]], MAX_EDITORIAL_LOSS)]
    return {
        "doubt_margin": (max(passing) / 2) if passing else 0.0,
        "chosen_for": "half the largest margin losing no more editorial lines than no margin (and at most "
        f"{MAX_EDITORIAL_LOSS:.1%}) on {len(TUNING_SITES)} multi-page sites (training_data/sites), at the model's "
        f"threshold {det.threshold}",
        "editorial_lost_by_margin": {str(m): round(v, 5) for m, v in loss.items()},
        "sites": list(TUNING_SITES),
    }


def crawl_order(docs: list[Any]) -> list[Any]:
    """Pages of each site in file-name order, the sites interleaved round-robin."""
    by_site: dict[str, list[Any]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: str(d.source)):
        by_site[site_of(d)].append(d)
    rounds = itertools.zip_longest(*by_site.values())
    return [d for page in rounds for d in page if d is not None]


def measure(docs: list[Any], memory: Any, det: Any) -> dict[str, dict[str, int]]:
    """Per-site counts of ``det``'s kept junk, what memory removed, and editorial lost."""
    from detector.sitememory import host_of

    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in crawl_order(docs):
        site = site_of(d)
        alone = det.classify(d.lines)
        recurring = memory.recurring(host_of(site), d.lines)  # the count rule alone, read before the page
        with_memory = det.classify(d.lines, site=site, memory=memory)
        c = out[site]
        c["pages"] += 1
        for label, a, m, r in zip(d.labels, alone, with_memory, recurring):
            ed = label == "editorial"
            c["editorial" if ed else "junk"] += 1
            if ed:
                c["editorial_lost_model"] += not a.keep
                c["editorial_lost_memory"] += a.keep and not m.keep
                c["editorial_kept_recurring"] += a.keep and r
            else:
                c["junk_kept_model"] += a.keep
                c["junk_removed_memory"] += a.keep and not m.keep
                c["junk_kept_recurring"] += a.keep and r
    return {k: dict(v) for k, v in out.items()}


def memory_per_1000_hosts(pages: int = 60, lines: int = 150, seed: int = 7) -> dict[str, float]:
    """Bytes the memory holds for 1,000 hosts whose pages are all distinct lines (its worst case)."""
    from detector import SiteMemory

    rng = random.Random(seed)
    tracemalloc.start()
    memory = SiteMemory()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    for h in range(1000):
        for _ in range(pages):
            memory.observe(f"host{h}.example", [f"line {rng.getrandbits(48)}" for _ in range(lines)])
    seconds = time.perf_counter() - start
    current = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return {"traced_mb": current / 1e6, "array_mb": memory.nbytes / 1e6, "pages_per_s": 1000 * pages / seconds}


def table(counts: dict[str, dict[str, int]]) -> list[str]:
    rows = [
        "| site | pages | junk lines | kept by the model | removed by site memory | share | editorial lines "
        "| lost by the model | lost to site memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total: dict[str, int] = defaultdict(int)
    for site, c in sorted(counts.items()):
        for k, v in c.items():
            total[k] += v
        rows.append(_row(site, c))
    rows.append(_row("**all**", total))
    return rows


def _row(name: str, c: dict[str, int]) -> str:
    kept = c.get("junk_kept_model", 0)
    gone = c.get("junk_removed_memory", 0)
    share = f"{gone / kept:.3f}" if kept else "—"
    ed = c.get("editorial", 0)
    lost = c.get("editorial_lost_memory", 0)
    return (
        f"| {name} | {c.get('pages', 0)} | {c.get('junk', 0):,} | {kept:,} | {gone:,} | {share} | {ed:,} "
        f"| {c.get('editorial_lost_model', 0):,} | {lost:,} ({lost / max(ed, 1):.2%}) |"
    )


def record_margin(model: Path, docs: list[Any]) -> int:
    """Choose ``model``'s doubt margin on the tuning sites and write it into its metadata."""
    import json

    from detector import Detector
    from detector.persistence import default_model_path, load_model, save_model, write_checksum

    loaded = load_model(model)
    chosen = choose_margin(Detector.load(model), docs)
    save_model(loaded.model, {**loaded.metadata, "site_memory": chosen}, model)
    if model.resolve() == default_model_path().resolve():
        write_checksum(model)
    print(json.dumps(chosen, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    from detector import Detector, SiteMemory, load_dataset

    ap = argparse.ArgumentParser(prog="python -m bench.sites", description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=SITES)
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "sites.md")
    ap.add_argument(
        "--doubt-margin", type=float, default=None, help="SiteMemory's doubt_margin (default: the model's own)"
    )
    ap.add_argument("--choose-margin", type=Path, metavar="MODEL", help="choose MODEL's doubt margin and record it")
    args = ap.parse_args(argv)
    docs = load_dataset(args.folder)
    if args.choose_margin is not None:
        return record_margin(args.choose_margin, docs)
    memory = SiteMemory() if args.doubt_margin is None else SiteMemory(doubt_margin=args.doubt_margin)
    det = Detector.default()
    counts = measure(docs, memory, det)
    size = memory_per_1000_hosts()
    m = machine()
    folder = args.folder.resolve()
    shown = folder.relative_to(REPO_DIR) if folder.is_relative_to(REPO_DIR) else args.folder
    lines = [
        "# Site memory on multi-page sites",
        "",
        f"{m['date']} · {m['cpu']} · {m['cores']} cores · `python -m bench.sites {shown}` · load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        "",
        f"{len(docs)} pages of {len(counts)} sites, in crawl order (sites interleaved), default model and "
        f"threshold; site memory with its defaults (min_pages {memory.min_pages}, min_share {memory.min_share}, "
        f"window {memory.window}, max_lines {memory.max_lines} per host, doubt_margin "
        f"{det.doubt_margin if memory.doubt_margin is None else memory.doubt_margin}). "
        "'Lost to site memory' counts "
        "editorial lines the model kept and site memory removed, as a share of all editorial lines.",
        "",
        *table(counts),
        "",
        f"The count rule alone (seen on >= {memory.min_pages} earlier pages and >= {memory.min_share:.0%} of them, "
        f"no guard) marks {sum(c.get('junk_kept_recurring', 0) for c in counts.values()):,} of the junk lines the "
        "model keeps, the most any guard could remove, and "
        f"{sum(c.get('editorial_kept_recurring', 0) for c in counts.values()):,} of the editorial lines it keeps.",
        "",
        f"Memory for 1,000 hosts, each given 60 pages of 150 distinct lines (every host at its cap of "
        f"{memory.max_lines} fingerprints): {size['traced_mb']:.1f} MB traced by tracemalloc, "
        f"{size['array_mb']:.1f} MB of it in the fingerprint arrays; {size['pages_per_s']:,.0f} pages/s "
        "through `SiteMemory.observe` alone.",
        "",
    ]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
