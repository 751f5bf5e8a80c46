"""The page's own headline on real pages: does the detector keep it?

The ScrapingHub ground truth leaves headlines out, so page F1 rewards a filter that drops them,
while for us a page's title is editorial and the first thing a reader misses. Each page's
headline is the text of its first ``<h1>`` of ``MIN_WORDS`` words or more; where one of the
page's html-text lines equals it (whitespace collapsed), that line is the headline line. Reported:
on how many pages it was found, and how many of them keep it at the default threshold.
"""

from __future__ import annotations

from typing import Any

MIN_WORDS = 3


def _squash(text: str) -> str:
    return " ".join(text.split())


def headline_line(html: str, lines: list[str]) -> int | None:
    """Index of the line holding the page's headline (its first long enough ``<h1>``), if any.

    >>> headline_line("<h1>Ok</h1><h1>Bridge  reopens in May</h1>", ["Menu", "Bridge reopens in May", "Text."])
    1
    """
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for h1 in tree.iter("h1"):
        text = _squash(h1.text_content())
        if len(text.split()) >= MIN_WORDS:
            return next((i for i, line in enumerate(lines) if _squash(line) == text), None)
    return None


def headlines_kept(htmls: list[str], lines: list[list[str]], kept: list[list[bool]]) -> dict[str, Any]:
    """Pages whose headline line was found, and how many of them keep it."""
    found = 0
    kept_n = 0
    for html, ls, k in zip(htmls, lines, kept, strict=True):
        i = headline_line(html, ls)
        if i is not None:
            found += 1
            kept_n += k[i]
    return {"pages": len(lines), "found": found, "kept": kept_n}
