"""The naive scrape: html-text's whole-page text, split into non-blank lines.

This is the input every line filter sees (keep-all, C4 rules, jusText,
detector). Extracted lines are cached under ``bench/.cache/`` keyed by the data
folder's fingerprint and the html-text version, so reruns skip the parsing.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from .data import BENCH_DIR, Page, fingerprint

CACHE_DIR = BENCH_DIR / ".cache"


def extract_text(html: str) -> str:
    """html-text's page text with layout guessing (its default)."""
    import html_text

    return html_text.extract_text(html, guess_layout=True)


def split_lines(text: str) -> list[str]:
    """Split text into lines and drop the blank ones, keeping each line as is.

    >>> split_lines("a\\n\\n  \\n b ")
    ['a', ' b ']
    """
    return [line for line in text.splitlines() if line.strip()]


def cache_path(data_dir: Path) -> Path:
    """Where the extracted lines of this data folder are cached."""
    key = f"{fingerprint(data_dir)}-html_text-{version('html-text')}"
    return CACHE_DIR / f"lines-{key}.json"


def scrape_pages(pages: list[Page], data_dir: Path) -> dict[str, list[str]]:
    """Return ``{page id: lines}`` for ``pages``, from the cache when present.

    The cache always holds every page of the folder, so ``--quick`` reuses it.
    """
    path = cache_path(data_dir)
    cached: dict[str, list[str]] = {}
    if path.is_file():
        cached = json.loads(path.read_text(encoding="utf-8"))
    missing = [p for p in pages if p.id not in cached]
    if missing:
        for page in missing:
            cached[page.id] = split_lines(extract_text(page.read_html(data_dir)))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    return {p.id: cached[p.id] for p in pages}
