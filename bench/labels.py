"""Label each scraped line editorial or not by aligning it to the ground truth.

The rule (documented in bench/README.md, its noise measured by hand there):

1. Tokens are the page metric's ``\\w+`` runs, case kept, so the labels agree
   with what the metric rewards.
2. The page's tokens (all lines, in reading order) are aligned with the
   article body's tokens by :class:`difflib.SequenceMatcher` (no junk
   heuristic). The alignment is monotonic and uses each article token once,
   so a menu item "News" at the top of the page, or a standfirst that repeats
   a later paragraph, is not matched just because its words occur somewhere.
3. A token counts as matched only inside an aligned run of at least
   ``MIN_RUN`` tokens (runs may cross line boundaries, so a one-word heading
   between two matched paragraphs is matched; a stray "All" is not).
4. A line is editorial when at least ``MIN_SHARE`` of its tokens are matched.
   A line with no word characters (``|``, ``•``) is never editorial.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

from .metric import tokens

MIN_RUN = 4
MIN_SHARE = 0.5


class LineMatch(NamedTuple):
    """How one line matched the article: its label and its matched-token share."""

    editorial: bool
    share: float


def matched_mask(page_tokens: list[str], truth_tokens: list[str], min_run: int = MIN_RUN) -> list[bool]:
    """For each page token, whether it is aligned to the article in a long enough run.

    >>> matched_mask("x a b c d y".split(), "a b c d".split())
    [False, True, True, True, True, False]
    """
    mask = [False] * len(page_tokens)
    sm = SequenceMatcher(None, page_tokens, truth_tokens, autojunk=False)
    for block in sm.get_matching_blocks():
        if block.size >= min_run:
            mask[block.a : block.a + block.size] = [True] * block.size
    return mask


def label_lines(lines: list[str], truth: str) -> list[LineMatch]:
    """Label the lines of one page (reading order) against its true article body."""
    per_line = [tokens(line) for line in lines]
    mask = matched_mask([t for lt in per_line for t in lt], tokens(truth))
    out: list[LineMatch] = []
    pos = 0
    for lt in per_line:
        n = len(lt)
        share = sum(mask[pos : pos + n]) / n if n else 0.0
        out.append(LineMatch(n > 0 and share >= MIN_SHARE, share))
        pos += n
    return out
