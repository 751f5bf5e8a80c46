"""jusText applied to scraped lines, each line one paragraph.

jusText normally segments HTML itself; here it gets the same lines as every
other line filter. Each line becomes a :class:`justext.paragraph.Paragraph`
with no links and no heading tag, and jusText's own two passes
(``classify_paragraphs`` then ``revise_paragraph_classification``) run with
their default parameters. The stoplist is chosen per page: the language
whose jusText stoplist has the most hits among the page's words, or English
when no word hits any list.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import NamedTuple

FALLBACK_LANGUAGE = "English"


class _Path(NamedTuple):
    """The minimal stand-in for jusText's DOM path of a paragraph."""

    dom: str
    xpath: str


_BODY_P = _Path(dom="html.body.p", xpath="/html[1]/body[1]/p[1]")


@lru_cache(maxsize=1)
def _stoplists() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """All jusText stoplists, and an index word -> languages listing it."""
    import justext

    lists = {lang: justext.get_stoplist(lang) for lang in sorted(justext.get_stoplists())}
    index: dict[str, list[str]] = {}
    for lang, words in lists.items():
        for w in words:
            index.setdefault(w, []).append(lang)
    return lists, {w: tuple(langs) for w, langs in index.items()}


def choose_language(lines: list[str]) -> str:
    """The language whose stoplist the page's words hit most (English if none)."""
    _, index = _stoplists()
    hits: Counter[str] = Counter()
    for line in lines:
        for word in line.lower().split():
            for lang in index.get(word, ()):
                hits[lang] += 1
    if not hits:
        return FALLBACK_LANGUAGE
    best = max(hits.values())
    # ties broken by name so the choice is deterministic
    return min(lang for lang, n in hits.items() if n == best)


def filter_page(lines: list[str]) -> list[bool]:
    """Keep-mask of one page's lines: True where jusText says 'good'."""
    from justext.core import classify_paragraphs, revise_paragraph_classification
    from justext.paragraph import Paragraph

    lists, _ = _stoplists()
    stoplist = lists[choose_language(lines)]
    paragraphs = []
    for line in lines:
        p = Paragraph(_BODY_P)
        p.append_text(line)
        paragraphs.append(p)
    classify_paragraphs(paragraphs, stoplist)
    revise_paragraph_classification(paragraphs)
    return [not p.is_boilerplate for p in paragraphs]
