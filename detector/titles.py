"""The page's headline, found by the first line that it repeats.

html-text, BeautifulSoup's ``get_text`` and Common Crawl's WET records all print a page's
``<title>`` first, and the title is mostly the headline with the site's name after it ("Bridge
reopens in May | Kingsbridge Courier"). The headline itself then stands, alone and short, among
the menus above the article, where the model alone often drops it. When the first line is not
kept, the first later line that it starts with (word for word, case and punctuation aside) is
kept as the page's headline. On the ScrapingHub pages the shipped model alone keeps 110 of the
171 ``<h1>`` headlines found among their lines; with this rule, 153 ("Real pages' headlines
kept" in ``python -m bench``; 2026-12-05). It kept no other line of our hold-out, promotion and
multi-page sets, whose pages do not open with a ``<title>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_WORDS = 4  # a site's name in the footer ("L'Écho Atlantique") also repeats a first line
MAX_EXTRA_WORDS = 10  # what the title may add after the headline: the site's name, a section

_WORD = re.compile(r"\w+")


def title_echo(lines: Sequence[str]) -> int | None:
    """Index of the first line after the first that the first line starts with, word for word.

    >>> title_echo(["Bridge reopens in May | Kingsbridge Courier", "Home", "News", "Bridge reopens in May", "Text."])
    3
    >>> title_echo(["Kingsbridge Courier", "Home", "Kingsbridge Courier"]) is None  # too short to be a headline
    True
    >>> title_echo(["Bridge reopens in May", "Home", "Bridge works to start"]) is None
    True
    """
    if len(lines) < 2:
        return None
    first = _WORD.findall(lines[0].casefold())
    if len(first) < MIN_WORDS:
        return None
    lead = first[0]
    longest = len(lines[0]) + 8  # quotes and dashes may differ; words may not
    for i in range(1, len(lines)):
        line = lines[i]
        if len(line) > longest or lead not in line[: len(lead) + 8].casefold():
            continue
        words = _WORD.findall(line.casefold())
        if len(words) >= MIN_WORDS and len(first) - len(words) <= MAX_EXTRA_WORDS and first[: len(words)] == words:
            return i
    return None
