"""Peak memory and speed of the streaming JSONL stage on a large generated file.

    python -m bench.stream --mb 1024            # writes bench/.cache/stream-1024mb.jsonl once
    python -m bench.stream --mb 100 --jobs 1,2

Records are pages of our own training corpus (training_data/docs), joined as text, with an id;
they repeat, so the file can be as large as asked. Each run is a fresh subprocess of
``detector filter --jsonl`` to /dev/null; its peak RSS comes from getrusage of the child.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

from .speed import time_filter_cli

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"


def make_file(mb: int) -> Path:
    """Write (once) a JSONL file of about ``mb`` megabytes of page records."""
    sys.path.insert(0, str(REPO))
    from detector import load_dataset

    path = CACHE / f"stream-{mb}mb.jsonl"
    if path.exists() and path.stat().st_size >= mb * 1_000_000:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    texts = ["\n".join(d.lines) for d in load_dataset(REPO / "training_data" / "docs")]
    written = i = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < mb * 1_000_000:
            rec = (
                json.dumps(
                    {"id": i, "url": f"https://example.org/{i}", "text": texts[i % len(texts)]}, ensure_ascii=False
                )
                + "\n"
            )
            f.write(rec)
            written += len(rec.encode("utf-8"))
            i += 1
    return path


def run(path: Path, jobs: int) -> dict[str, float]:
    """Time one streaming run and read the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    secs = time_filter_cli("--jsonl", str(path), "--jobs", str(jobs))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = path.stat().st_size
    return {
        "jobs": jobs,
        "seconds": secs,
        "mb_per_s": size / 1e6 / secs,
        "peak_rss_mb": max(peak_kb, before) / 1024,
        "file_mb": size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    path = make_file(args.mb)
    results = [run(path, int(j)) for j in args.jobs.split(",")]
    lines = [
        f"# Streaming JSONL stage ({results[0]['file_mb']:.0f} MB generated file)",
        "",
        "| jobs | seconds | MB/s | peak RSS of the largest process (MB) |",
        "|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['jobs']} | {r['seconds']:.1f} | {r['mb_per_s']:.2f} | {r['peak_rss_mb']:.0f} |" for r in results]
    if len(results) > 1:
        lines += [
            "",
            f"Speed-up with {results[-1]['jobs']} jobs: {results[0]['seconds'] / results[-1]['seconds']:.2f}×",
        ]
    out = Path(__file__).resolve().parent / "results" / "stream.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
