"""Locate and read the ScrapingHub article-extraction benchmark pages.

The data is read in place (never copied into the repository). Its folder comes
from the ``BENCH_DATA`` environment variable, or defaults to
``<repo>/../shared/benchmarks/scrapinghub`` resolved from this file, never from
the current directory.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "BENCH_DATA"
BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATA_DIR = REPO_DIR.parent / "shared" / "benchmarks" / "scrapinghub"

MISSING_DATA_MESSAGE = (
    "bench: benchmark data not found at {path}\n"
    "  Set {env} to the folder that holds html/<id>.html.gz and ground-truth.json,\n"
    "  e.g. {env}=/path/to/scrapinghub python -m bench\n"
    "  Nothing was measured (the benchmark is not a test, so this exits 0)."
)


@dataclass(frozen=True)
class Page:
    """One benchmark page: its id, URL and the human-marked article body."""

    id: str
    url: str
    truth: str

    def read_html(self, data_dir: Path) -> str:
        """Return the page's HTML (gzip, UTF-8 on disk)."""
        with gzip.open(data_dir / "html" / f"{self.id}.html.gz", "rt", encoding="utf-8") as f:
            return f.read()


def data_dir() -> Path:
    """Return the benchmark folder (``$BENCH_DATA`` or the default), resolved."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser().resolve() if env else DEFAULT_DATA_DIR.resolve()


def data_available(path: Path) -> bool:
    """True when ``path`` holds the ground truth and the ``html/`` folder."""
    return (path / "ground-truth.json").is_file() and (path / "html").is_dir()


def missing_message(path: Path) -> str:
    """The message printed when the data folder is absent."""
    return MISSING_DATA_MESSAGE.format(path=path, env=ENV_VAR)


def load_pages(path: Path, limit: int | None = None) -> list[Page]:
    """Load the pages that have both HTML and ground truth, sorted by id.

    ``limit`` keeps only the first pages (``--quick``).
    """
    truth = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        Page(id=pid, url=rec.get("url", ""), truth=rec.get("articleBody", "") or "")
        for pid, rec in sorted(truth.items())
        if (path / "html" / f"{pid}.html.gz").is_file()
    ]
    return pages[:limit] if limit is not None else pages


def fingerprint(path: Path) -> str:
    """A cheap identity of the data folder: file names, sizes and mtimes."""
    parts = [str(path)]
    for f in sorted((path / "html").glob("*.html.gz")) + [path / "ground-truth.json"]:
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{int(st.st_mtime)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
