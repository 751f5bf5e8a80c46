"""The page's headline, found by the first line that it repeats.

html-text, BeautifulSoup's ``get_text`` and Common Crawl's WET records all print a page's
``<title>`` first, and the title is mostly the headline with the site's name after it ("Bridge
reopens in May | Kingsbridge Courier"). The headline itself then stands, alone and short, among
the menus above the article, where the model alone often drops it, while it often keeps the
title line, a second copy with the site's name. So a later line that is the start of the first
line, word for word (case and punctuation aside), is the headline when it opens the kept text:
more of the kept text follows it than precedes it, and either nothing kept lies between the
first line and it, or a kept line of prose follows within ``TOPIC_LEAD_REACH`` lines (a site's
name in the footer, or a menu phrase such as "Skip to main content" met again further down, is
not a headline). Among several such lines the longest wins: a breadcrumb may hold the first
words of the headline. Then:

- that line is kept as the page's headline;
- the first line is removed (label ``title-repeat``) when all it adds is a separator and a
  name ("| Kingsbridge Courier"), since the headline now carries its words.

On the ScrapingHub pages the model alone keeps 110 of the 171 ``<h1>`` headlines found among
their lines; with these rules 154, and the page F1 moves from 0.8852 to 0.8837 against the
benchmark's truth, which leaves headlines out, and from 0.8884 to 0.8913 with each headline
counted as article ("Real pages' headlines kept" in ``python -m bench``, 2026-12-05). On our
training, hold-out, promotion and multi-page sets, whose pages do not open with a ``<title>``,
no line's verdict changes: the guards above keep a footer's site name and a first line that is
the page's own longer title out of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .features import PROSE_MIN_WORDS, TOPIC_LEAD_REACH
from .text import WORD

MIN_WORDS = 4  # a site's name in the footer ("L'Écho Atlantique") also repeats a first line
MAX_EXTRA_WORDS = 10  # what the title may add after the headline: the site's name, a section
SEPARATORS = "|-–—:·»/•~"  # what stands between a headline and the site's name in a <title>


def title_echoes(lines: Sequence[str]) -> list[tuple[int, int]]:
    """The lines after the first that the first line starts with, word for word, each with
    its number of words.

    >>> title_echoes(["Bridge reopens in May | Kingsbridge Courier", "Home", "Bridge reopens", "Bridge reopens in May"])
    [(3, 4)]
    >>> title_echoes(["Kingsbridge Courier", "Home", "Kingsbridge Courier"])  # too short to be a headline
    []
    >>> title_echoes(["Bridge reopens in May", "Home", "Bridge works to start"])
    []
    """
    if len(lines) < 2:
        return []
    first = WORD.findall(lines[0].casefold())
    if len(first) < MIN_WORDS:
        return []
    lead = first[0]
    longest = len(lines[0]) + 8  # quotes and dashes may differ; words may not
    out = []
    for i in range(1, len(lines)):
        line = lines[i]
        if len(line) > longest or lead not in line[: len(lead) + 8].casefold():
            continue
        words = WORD.findall(line.casefold())
        if len(words) >= MIN_WORDS and len(first) - len(words) <= MAX_EXTRA_WORDS and first[: len(words)] == words:
            out.append((i, len(words)))
    return out


def only_repeats(first: str, headline: str) -> bool:
    """True when ``first`` is ``headline`` plus, at most, a separator and a name after it.

    >>> only_repeats("Bridge reopens in May | Kingsbridge Courier", "Bridge reopens in May")
    True
    >>> only_repeats("Roast cauliflower with tahini, brown butter and hazelnuts", "Roast cauliflower with tahini")
    False
    """
    n = len(WORD.findall(headline.casefold()))
    words = list(WORD.finditer(first.casefold()))
    if len(words) <= n:
        return True
    between = first[words[n - 1].end() : words[n].start()]
    return any(c in SEPARATORS for c in between)


def headline_of(lines: Sequence[str], kept: Sequence[bool]) -> tuple[int, bool] | None:
    """The page's headline among :func:`title_echoes` that open the kept text (the longest, a
    breadcrumb's shorter copy aside), and whether the first line only repeats it (see the
    module's docstring).

    >>> text = "The bridge over the Kings river reopens to traffic in May."
    >>> headline_of(["Bridge reopens in May | Courier", "Home", "Bridge reopens in May", text], [1, 0, 0, 1])
    (2, True)
    >>> headline_of(["Bridge reopens in May / Kingsbridge | Courier", "Bridge reopens in May", "Bridge reopens in May / Kingsbridge", text], [0] * 3 + [1])
    (2, True)
    >>> headline_of(["The Cedar Hollow Herald", "Home", "A long story.", "The Cedar Hollow Herald"], [0, 0, 1, 0])
    """
    best: tuple[int, int] | None = None
    for i, n_words in title_echoes(lines):
        if (best is None or n_words > best[1]) and _opens_kept_text(lines, kept, i):
            best = (i, n_words)
    return None if best is None else (best[0], only_repeats(lines[0], lines[best[0]]))


def _opens_kept_text(lines: Sequence[str], kept: Sequence[bool], i: int) -> bool:
    """More kept text follows line ``i`` than lies between it and the first line, and either
    none lies there or a kept line of prose follows within ``TOPIC_LEAD_REACH`` lines."""
    before = sum(len(line) for line, k in zip(lines[1:i], kept[1:i]) if k)
    after = sum(len(line) for line, k in zip(lines[i + 1 :], kept[i + 1 :]) if k)
    if after <= before:
        return False
    if before == 0:
        return True
    below = zip(lines[i + 1 : i + 1 + TOPIC_LEAD_REACH], kept[i + 1 : i + 1 + TOPIC_LEAD_REACH])
    return any(k and len(line.split()) >= PROSE_MIN_WORDS for line, k in below)
