"""The C4 cleaning heuristics (Raffel et al. 2020, section 2.2) applied per line.

Our own implementation of the rules as the paper describes them. Only the
rules that can act on a single line are applied, each as a line filter:

* keep a line only if it ends in a terminal punctuation mark (period,
  exclamation mark, question mark or end quotation mark);
* keep a line only if it has at least ``MIN_WORDS`` words;
* drop a line containing the word "javascript" (any case);
* drop a line containing "lorem ipsum" (the paper drops the whole page);
* drop a line containing a curly bracket (the paper drops the whole page).

Not applied: the page-level rules (minimum sentence count, the bad-words
list, whole-page removal for "lorem ipsum" or "{"), three-sentence-span
deduplication across the corpus, and English language identification.
"""

from __future__ import annotations

MIN_WORDS = 3
TERMINAL_MARKS = (".", "!", "?", '"', "\u201d")
BANNED_SUBSTRINGS = ("javascript", "lorem ipsum")
CURLY = ("{", "}")


def keep_line(line: str) -> bool:
    """True when a line passes the C4 line rules.

    >>> keep_line("The council approved the plan on Monday.")
    True
    >>> keep_line("Please enable JavaScript to view comments.")
    False
    >>> keep_line("Home")
    False
    """
    text = line.strip()
    if not text.endswith(TERMINAL_MARKS):
        return False
    if len(text.split()) < MIN_WORDS:
        return False
    low = text.lower()
    if any(s in low for s in BANNED_SUBSTRINGS):
        return False
    return not any(c in text for c in CURLY)


def filter_page(lines: list[str]) -> list[bool]:
    """Keep-mask of one page's lines under the C4 line rules."""
    return [keep_line(line) for line in lines]
