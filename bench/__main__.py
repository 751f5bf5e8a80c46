"""``python -m bench``: run the whole benchmark (everything except scaling).

Examples::

    python -m bench                      # all rows, all 181 pages, bootstrap
    python -m bench --quick              # first 30 pages, no bootstrap
    python -m bench --rows c4,detector   # only some rows
    BENCH_DETECTOR=standin python -m bench --quick
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .backend import CHOICES
from .data import RESULTS_DIR
from .run import ALL_ROWS, Options, run


def parse(argv: list[str] | None = None) -> Options:
    """Parse the command line into :class:`Options`."""
    ap = argparse.ArgumentParser(
        prog="python -m bench",
        description="Compare detector with keep-all, C4 rules, jusText and trafilatura "
        "on the ScrapingHub benchmark pages (data folder: $BENCH_DATA).",
        epilog="Example: python -m bench --quick --rows keep-all,c4,detector",
    )
    ap.add_argument("--quick", action="store_true", help="first 30 pages only, no bootstrap")
    ap.add_argument(
        "--rows", default=",".join(ALL_ROWS), help=f"comma-separated rows to run (default all): {','.join(ALL_ROWS)}"
    )
    ap.add_argument(
        "--detector",
        choices=CHOICES,
        default=None,
        help="real package, stand-in, or auto (default: $BENCH_DETECTOR or auto)",
    )
    ap.add_argument(
        "--model",
        default=None,
        help="measure this model file via Detector.load (default: $BENCH_MODEL or the embedded model)",
    )
    ap.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder (default bench/results)")
    args = ap.parse_args(argv)
    picked = tuple(r.strip() for r in args.rows.split(",") if r.strip())
    unknown = [r for r in picked if r not in ALL_ROWS]
    if unknown:
        ap.error(f"unknown row(s) {', '.join(unknown)}; choose from {', '.join(ALL_ROWS)}")
    return Options(quick=args.quick, rows=picked, detector=args.detector, model=args.model, out_dir=args.out)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return run(parse(argv))


if __name__ == "__main__":
    sys.exit(main())
