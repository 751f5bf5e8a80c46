"""Raw HTML in: the page's text as a naive scraper prints it, one block element a line.

The model was built for that text, so HTML goes through the same extraction the benchmark uses
(html-text with layout guessing, the ``html`` extra) and then through the usual filter.
"""

from __future__ import annotations

import importlib

from .errors import MissingExtraError


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, a block element a line (html-text, layout guessed).

    >>> html_to_text("<nav><a>Home</a></nav><h1>Title</h1><p>First paragraph.</p>")  # doctest: +SKIP
    'Home\\n\\nTitle\\n\\nFirst paragraph.'
    """
    try:
        html_text = importlib.import_module("html_text")
    except ModuleNotFoundError as exc:
        raise MissingExtraError(exc.name or "html_text", "html") from exc
    if not isinstance(html, str):
        raise TypeError(f"html_to_text() takes the page's HTML as one str, not {type(html).__name__}")
    return str(html_text.extract_text(html, guess_layout=True))
