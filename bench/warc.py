"""Speed of ``detector filter --warc`` on a large generated WET file, and what a crawl would cost.

    python -m bench.warc                      # 1 GB WET file in a temporary folder, jobs 1 and 2
    python -m bench.warc --size-mb 50         # a quick check that everything runs
    python -m bench.warc --readers            # plain iteration: FastWARC against warcio

The pages are the ScrapingHub benchmark's pages as html-text prints them (``bench/data.py``, the
``html`` extra), repeated with distinct URLs and record ids until the file is as large as asked;
the file is deleted at the end (``--keep`` leaves it). Each run is a fresh subprocess writing
JSONL to /dev/null. The cost of a crawl is Common Crawl's monthly WET text, about 90 TB
uncompressed, at the single-process rate: one process uses one core.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from .data import RESULTS_DIR, data_available, data_dir, load_pages, missing_message
from .speed import time_filter_cli

REPO = Path(__file__).resolve().parent.parent
CRAWL_TB = 90  # one monthly Common Crawl, WET, uncompressed


def page_texts() -> list[str]:
    """The benchmark pages as html-text lines (what a WET record holds)."""
    from detector.html_input import html_to_text

    folder = data_dir()
    if not data_available(folder):
        sys.exit(missing_message(folder))
    return [html_to_text(page.read_html(folder)) for page in load_pages(folder)]


def make_wet(path: Path, size_mb: int, texts: list[str]) -> int:
    """Write a WET file of at least ``size_mb`` MB; return its number of pages."""
    from detector.warc import WarcPage, warcinfo_record, wet_record

    written = n = 0
    with open(path, "wb") as f:
        f.write(warcinfo_record())
        while written < size_mb * 1_000_000:
            page = WarcPage(
                f"https://example.org/{n}/page",
                f"<urn:uuid:{n:08x}-0000-4000-8000-000000000000>",
                texts[n % len(texts)],
            )
            record = wet_record(page, page.text)
            f.write(record)
            written += len(record)
            n += 1
    return n


def run(path: Path, jobs: int, pages: int) -> dict[str, float]:
    """Time one ``detector filter --warc`` run."""
    secs = time_filter_cli("--warc", str(path), "--jobs", str(jobs))
    mb = path.stat().st_size / 1e6
    return {"jobs": jobs, "seconds": secs, "mb_per_s": mb / secs, "pages_per_s": pages / secs, "mb": mb}


def core_hours(mb_per_s: float) -> float:
    """Core-hours for one monthly crawl at ``mb_per_s`` on one core.

    >>> round(core_hours(1.0))
    25000
    """
    return CRAWL_TB * 1e6 / mb_per_s / 3600


def readers(path: Path) -> list[str]:
    """Records per second of plain iteration (every payload read) with FastWARC and, if installed, warcio."""
    from fastwarc.warc import ArchiveIterator

    rows = []
    start = time.perf_counter()
    with open(path, "rb") as f:
        n = sum(1 for r in ArchiveIterator(f, parse_http=False) if r.reader.read() is not None)
    rows.append(f"fastwarc: {n / (time.perf_counter() - start):,.0f} records/s")
    try:
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    except ModuleNotFoundError:
        return rows + ["warcio: not installed (pip install warcio to compare)"]
    start = time.perf_counter()
    with open(path, "rb") as f:
        n = sum(1 for r in WarcioIterator(f) if r.content_stream().read() is not None)
    rows.append(f"warcio: {n / (time.perf_counter() - start):,.0f} records/s")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated WET file (default 1024)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time (default 1,2)")
    parser.add_argument("--readers", action="store_true", help="time plain iteration of the readers only")
    parser.add_argument("--keep", action="store_true", help="keep the generated file (its path is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="detector-bench-warc-"))
    path = folder / f"bench-{args.size_mb}mb.warc.wet"
    try:
        texts = page_texts()
        start = time.perf_counter()
        pages = make_wet(path, args.size_mb, texts)
        print(
            f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB, {pages:,} pages) in {time.perf_counter() - start:.0f} s"
        )
        if args.readers:
            print("\n".join(readers(path)))
            return
        results = [run(path, int(j), pages) for j in args.jobs.split(",")]
        lines = [
            f"# detector filter --warc ({results[0]['mb']:,.0f} MB generated WET file, {pages:,} pages)",
            "",
            f"`python -m bench.warc --size-mb {args.size_mb} --jobs {args.jobs}`, {date.today().isoformat()}; "
            f"pages: the ScrapingHub benchmark's {len(texts)} pages as html-text lines, repeated with distinct URLs.",
            "",
            "| jobs | seconds | MB/s | pages/s |",
            "|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['jobs']} | {r['seconds']:.1f} | {r['mb_per_s']:.2f} | {r['pages_per_s']:.1f} |" for r in results
        ]
        single = next((r for r in results if r["jobs"] == 1), results[0])
        lines += [
            "",
            f"One monthly Common Crawl (about {CRAWL_TB} TB of WET text, uncompressed) at the "
            f"{single['jobs']}-process rate of {single['mb_per_s']:.2f} MB/s: "
            f"{core_hours(single['mb_per_s']) * single['jobs']:,.0f} core-hours.",
        ]
        RESULTS_DIR.mkdir(exist_ok=True)
        (RESULTS_DIR / "warc.md").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
    finally:
        if args.keep:
            print(f"kept {path}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
