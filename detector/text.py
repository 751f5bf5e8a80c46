"""Splitting text into lines and joining the kept ones again, byte for byte.

Only ``\\r\\n``, ``\\r`` and ``\\n`` end a line: Unicode separators such as U+2028 stay inside
the line, so the text a user keeps is never re-wrapped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_ENDING = re.compile(r"(?:\r\n|\r|\n)$")


def _word_pattern() -> re.Pattern[str]:
    """Letters and digits with the combining marks between them (``re``'s ``\\w`` leaves marks
    out, which cut Hindi, Thai, Bengali or Tamil words into fragments at every vowel sign).

    >>> [len(WORD.findall(s)) for s in ("नगर निगम ने पानी", "สวนบนระเบียงคอนโด ครบหนึ่งปี", "Café au lait")]
    [4, 2, 3]
    """
    marks = [c for c in range(0x10000) if unicodedata.category(chr(c)).startswith("M")]
    spans: list[list[int]] = []
    for c in marks:
        if spans and c == spans[-1][1] + 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return re.compile("\\w[\\w" + "".join(f"{chr(a)}-{chr(b)}" for a, b in spans) + "]*")


# A word, as the features, cues, title echo and site memory count them.
WORD = _word_pattern()


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines that keep their own line endings.

    >>> split_lines("a\\r\\nb\\rc\\n\\nd")
    ['a\\r\\n', 'b\\r', 'c\\n', '\\n', 'd']
    """
    return _LINE.findall(text)


def strip_ending(line: str) -> str:
    """Return ``line`` without its trailing line ending (only one is removed)."""
    return _ENDING.sub("", line, count=1)


def is_blank(line: str) -> bool:
    """True for lines that hold nothing but white space; they are structure, not content."""
    return not line or line.isspace()


def select_with_blanks(lines: Sequence[str], keep: Sequence[bool]) -> list[int]:
    """Indices of the lines to output: the kept content lines and sensible blank lines.

    Blank lines are never classified. Between two kept lines we keep the run of blank lines
    that directly precedes the second one (or, failing that, the run after the first), so
    paragraphs stay apart but removed junk leaves no holes. Leading and trailing blank runs
    survive only where nothing was removed next to them. When nothing is removed, every index
    is returned, so unfiltered text comes out identical.

    >>> select_with_blanks(["a", "", "junk", "", "b"], [True, True, False, True, True])
    [0, 3, 4]
    """
    n = len(lines)
    blank = [is_blank(line) for line in lines]
    content = [i for i in range(n) if not blank[i]]
    kept = [i for i in content if keep[i]]
    if not kept:
        return [i for i in range(n) if blank[i]] if not content else []
    out: list[int] = []

    def run_before(i: int) -> list[int]:
        j = i
        while j > 0 and blank[j - 1]:
            j -= 1
        return list(range(j, i))

    def run_after(i: int) -> list[int]:
        j = i + 1
        while j < n and blank[j]:
            j += 1
        return list(range(i + 1, j))

    first = kept[0]
    before = run_before(first)
    if not before or before[0] == 0:
        out.extend(before)
    for prev, cur in zip(kept, kept[1:] + [None]):
        if cur is None:
            out.append(prev)
            after = run_after(prev)
            if not after or after[-1] == n - 1:
                out.extend(after)
            break
        out.append(prev)
        gap = run_before(cur)
        if not gap:
            gap = run_after(prev) if run_after(prev) and run_after(prev)[-1] < cur else []
        out.extend(gap)
    return out
