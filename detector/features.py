"""Features of a line and of its place in the document.

Three families, all cheap to compute and none growing with the page's length (absolute
positions and page lengths extrapolate badly from training pages to real ones):

* words: lower-cased word unigrams and bigrams plus first/last-word markers, hashed later;
* shape: length, casing, digits, punctuation, terminal punctuation, URLs, e-mails, phones,
  prices, percentages, times, years, separators and stopword density (the ``stop-words``
  package's maintained lists, and a modern Greek list of our own);
* context: the same shape of the neighbours, window averages, how much prose lies before and
  after the line, runs of short lines (menus), distance to the nearest prose line, repeats, and
  how many of the line's content words the page's prose uses too (its own title and headings
  share the body's topic; a teaser for another story or an ad does not).

Context is computed for a whole batch of documents at once with numpy; ``doc`` ids keep
neighbours from leaking across documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .cues import CUE_NAMES, cues
from .text import WORD

# Only so much of a pathological line is read for words and shape; its length is still exact.
MAX_CHARS_READ = 3000
MAX_TOKENS = 80
MAX_BIGRAM_TOKENS = 40
AFFIX_MIN_WORD = 6  # shorter words are their own affixes
TOPIC_LEAD_REACH = 8  # a title sits this close above its text (bylines, dates, share buttons between)
TOPIC_MIN_CHARS = 4  # shorter words (and stopwords, and numbers) say little of a page's topic
# Chrome lines (menus, footers, buttons) repeat across pages: their features are cached.
CACHE_LINES_SHORTER_THAN = 200
CACHE_SIZE = 1 << 13  # a site's chrome fits; 64k entries of token lists cost ~150 MB
# The stop-words package's lists we read. Korean to Hebrew are scripts none of our training pages
# use, so their lists change no training line's features; without them prose in those scripts
# had no stopwords at all and read as junk (training_data/scripts-dev). Japanese and Chinese
# words run together without spaces, so their lists only match words standing alone. The
# package's "greek" list is Ancient Greek, so modern Greek has a list of our own
# (data/stopwords-el.txt); its Hindi list cost editorial lines on those pages (kept 0.89 ->
# 0.74), so it is left out.
STOPWORD_LANGUAGES = (
    "english", "german", "french", "spanish", "italian", "portuguese", "dutch", "swedish",
    "danish", "norwegian", "finnish", "polish", "czech", "romanian", "hungarian", "turkish",
    "russian", "catalan", "indonesian", "korean", "japanese", "chinese", "arabic", "persian", "hebrew",
)  # fmt: skip
OWN_STOPWORD_FILES = ("stopwords-el.txt",)  # in detector/data, '#' lines are comments

_DIGIT = re.compile(r"\d")
_DIGITS = str.maketrans("0123456789", "0000000000")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr|es|io)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"(?:\+|\(\d)?\d[\d ().-]{6,}\d")
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|\$|£|EUR|USD|GBP|eur|dollars?|euros?)\b")
_PERCENT = re.compile(r"\d\s?%")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_SEPARATORS = re.compile(r"\s[|»›>/•·–-]\s|\s?[|»›•]\s?")
_SEPARATOR_CHARS = frozenset("|»›>/•·–-")  # a line without any has no separator (nine lines in ten)
_BULLET = re.compile(r"^(?:[-•*·▪►✓✔–]|\d{1,3}[.)]\s|[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)]?\s+\S")
_TERMINAL = frozenset(".!?…。！？;")
_CLOSERS = frozenset("\"'”’»)]")

SHAPE_NAMES = (
    "log_chars", "log_words", "mean_word_len", "stopword_ratio", "title_ratio", "all_caps",
    "first_upper", "first_lower", "digit_frac", "alpha_frac", "punct_frac", "ends_terminal",
    "ends_colon", "ends_digit", "starts_bullet", "url", "email", "phone", "price", "percent",
    "time", "year", "log_separators", "copyright", "log_sentences", "handle_or_tag",
    "ellipsis", "ends_arrow", "pipe", "parenthesis", "quote", *CUE_NAMES,
)  # fmt: skip
N_SHAPE = len(SHAPE_NAMES)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The union of the ``stop-words`` package's lists for the languages we read, and ours."""
    from importlib import resources

    from stop_words import get_stop_words

    words: set[str] = set()
    for lang in STOPWORD_LANGUAGES:
        # The Hebrew list comes with its JSON quotes and commas ('"אבל",'): strip those.
        words.update((w.strip('",') if w.startswith('"') else w).lower() for w in get_stop_words(lang))
    for name in OWN_STOPWORD_FILES:
        text = (resources.files("detector") / "data" / name).read_text(encoding="utf-8")
        words.update(w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(words)


def affix_tokens(words: Sequence[str]) -> list[str]:
    """Word prefixes and suffixes: cheap morphology for the lexical view.

    Inflected verbs ("bestellen", "bestellt") and compounds ("Gutscheincode",
    "Rabattaktion") share their stems and endings where whole words do not.

    >>> affix_tokens(["gutscheincode", "am"])
    ['<gut', '<guts', 'ode>', 'code>']
    """
    out: list[str] = []
    for w in words[:MAX_BIGRAM_TOKENS]:
        if len(w) >= AFFIX_MIN_WORD:
            out += ["<" + w[:3], "<" + w[:4], w[-3:] + ">", w[-4:] + ">"]
    return out


LineFeatures = tuple[list[str], list[str], list[float], frozenset[str]]


def line_features(line: str, stop: frozenset[str]) -> LineFeatures:
    """The hashed-word tokens, the affix tokens, the shape vector and the content words of one
    line (lower-cased words of ``TOPIC_MIN_CHARS`` letters or more that are not stopwords)."""
    s = line.strip()
    n = len(s)
    if n == 0:
        return [], [], [0.0] * N_SHAPE, frozenset()
    r = s if n <= MAX_CHARS_READ else s[:MAX_CHARS_READ]
    nr = len(r)
    words = WORD.findall(r)
    nw = len(words)
    head = words[:MAX_TOKENS]
    lower = [w.lower() for w in head]
    n_stop = sum(map(stop.__contains__, lower))
    n_title = sum(w[0].isupper() for w in head)
    n_alnum = sum(map(len, words))
    n_digit = len(_DIGIT.findall(r))
    n_space = r.count(" ")
    last = s[-1]
    if last in _CLOSERS and n > 1:
        last = s[-2]
    first = s[0]
    nt = max(len(lower), 1)
    shape = [
        math.log1p(n),
        math.log1p(nw),
        min(n_alnum / max(nw, 1), 20.0) / 10.0,
        n_stop / nt,
        n_title / nt,
        float(r.isupper()),
        float(first.isupper()),
        float(first.islower()),
        n_digit / nr,
        (n_alnum - n_digit) / nr,
        max(nr - n_alnum - n_space, 0) / nr,
        float(last in _TERMINAL),
        float(last == ":"),
        float(last.isdigit()),
        float(_BULLET.match(r) is not None),
        # Cheap character tests first: most chrome lines have no digit, dot or @ to look at.
        float(("." in r or ":" in r) and _URL.search(r) is not None),
        float("@" in r and _EMAIL.search(r) is not None),
        float(n_digit > 6 and _PHONE.search(r) is not None),
        float(n_digit > 0 and _PRICE.search(r) is not None),
        float(n_digit > 0 and "%" in r and _PERCENT.search(r) is not None),
        float(n_digit > 2 and _TIME.search(r) is not None),
        float(n_digit > 3 and _YEAR.search(r) is not None),
        0.0 if _SEPARATOR_CHARS.isdisjoint(r) else math.log1p(len(_SEPARATORS.findall(r))),
        float("©" in r or "copyright" in r.lower()),
        math.log1p(len(_SENTENCE_END.findall(r))),
        float("@" in r or "#" in r),
        float("..." in r or "…" in r),
        float(last in "›»>→" or s.endswith("»")),
        float("|" in r),
        float("(" in r),
        float('"' in r or "“" in r or "«" in r),
    ]
    toks = [w.translate(_DIGITS) if not w.isalpha() else w for w in lower] if n_digit else lower
    head_toks = toks[:MAX_BIGRAM_TOKENS]
    tokens = toks + [a + " " + b for a, b in zip(head_toks, head_toks[1:])]
    shape += cues(r, lower, tokens, n_digit > 0)
    if toks:
        tokens.append("^" + toks[0])
        tokens.append(toks[-1] + "$")
        if len(toks) > 1:
            tokens.append("^" + toks[0] + " " + toks[1])
    else:
        tokens.append("<nowords>")
    content = frozenset(
        w for w in lower if len(w) >= TOPIC_MIN_CHARS and w not in stop and (not n_digit or w.isalpha())
    )
    return tokens, affix_tokens(toks), shape, content


@lru_cache(maxsize=CACHE_SIZE)
def _cached_line_features(line: str) -> LineFeatures:
    return line_features(line, stopwords())


class LineBatch(NamedTuple):
    """Per-line features of a batch of documents, before any context is added."""

    words: list[list[str]]
    affixes: list[list[str]]
    shape: np.ndarray
    doc_ids: np.ndarray
    content: list[frozenset[str]]


def batch_line_features(docs: Sequence[Sequence[str]]) -> LineBatch:
    """Word tokens, affix tokens, shape matrix and document ids for every line of every document."""
    stop = stopwords()
    words: list[list[str]] = []
    affixes: list[list[str]] = []
    cached = _cached_line_features
    shapes: list[list[float]] = []
    content: list[frozenset[str]] = []
    doc_ids: list[int] = []
    for d, lines in enumerate(docs):
        for line in lines:
            w, a, s, c = cached(line) if len(line) < CACHE_LINES_SHORTER_THAN else line_features(line, stop)
            words.append(w)
            affixes.append(a)
            shapes.append(s)
            content.append(c)
        doc_ids.extend([d] * len(lines))
    shape = np.asarray(shapes, dtype=np.float64).reshape(len(shapes), N_SHAPE)
    return LineBatch(words, affixes, shape, np.asarray(doc_ids, dtype=np.int64), content)


class DocIndex:
    """Document boundaries of a batch of lines, for neighbour and window arithmetic."""

    def __init__(self, doc_ids: np.ndarray) -> None:
        n = len(doc_ids)
        self.n = n
        self.idx = np.arange(n)
        # Which lines have a neighbour k places away, and where it is, per k (and each window's
        # ends, per radius): every column shifted by k shares them, some 60 shifts a call.
        self._neighbours: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._windows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        if n == 0:
            self.start = self.end = self.idx
            return
        change = np.flatnonzero(np.diff(doc_ids)) + 1
        starts = np.concatenate(([0], change))
        ends = np.concatenate((change, [n]))
        lengths = ends - starts
        self._starts, self._lengths = starts, lengths
        self.start = np.repeat(starts, lengths)
        self.end = np.repeat(ends, lengths)  # exclusive

    def doc_max(self, x: np.ndarray) -> np.ndarray:
        """The maximum of ``x`` over each line's document."""
        if self.n == 0:
            return x.astype(np.float64)
        return np.repeat(np.maximum.reduceat(x, self._starts), self._lengths)

    def _neighbour(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        hit = self._neighbours.get(k)
        if hit is None:
            j = self.idx + k
            ok = (j >= self.start) & (j < self.end)
            hit = self._neighbours[k] = (ok, j[ok])
        return hit

    def shift(self, x: np.ndarray, k: int, fill: float = 0.0) -> np.ndarray:
        """``x`` of the line ``k`` places away in the same document, else ``fill``."""
        ok, source = self._neighbour(k)
        out = np.full(x.shape, fill, dtype=np.float64)
        out[ok] = x[source]
        return out

    def _prefix(self, x: np.ndarray) -> np.ndarray:
        """Cumulative sums restarted at every document, so that a document's figures never
        depend on the other documents of its batch (no cancellation against their sums)."""
        cs = np.empty(self.n, dtype=np.float64)
        for s, n in zip(self._starts.tolist(), self._lengths.tolist()):
            np.cumsum(x[s : s + n], dtype=np.float64, out=cs[s : s + n])
        return cs

    def _sum_before(self, cs: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Sum of the document's values at positions start..j-1 (``j`` between start and end)."""
        return np.where(j > self.start, cs[np.maximum(j - 1, 0)], 0.0)

    def window_mean(self, x: np.ndarray, radius: int) -> np.ndarray:
        """Mean of ``x`` over the lines at most ``radius`` away, within the document."""
        return self.window_means(x, (radius,))[0]

    def window_means(self, x: np.ndarray, radii: Sequence[int]) -> list[np.ndarray]:
        """:meth:`window_mean` for several radii, summing ``x`` once."""
        if self.n == 0:
            return [np.zeros(0) for _ in radii]
        cs = self._prefix(x)
        out = []
        for r in radii:
            hi_ok, hi_at, lo_ok, lo_at, size = self._window(r)
            out.append((np.where(hi_ok, cs[hi_at], 0.0) - np.where(lo_ok, cs[lo_at], 0.0)) / size)
        return out

    def _window(self, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where each line's window of ``radius`` ends and starts in the prefix sums, and its size."""
        hit = self._windows.get(radius)
        if hit is None:
            lo = np.maximum(self.idx - radius, self.start)
            hi = np.minimum(self.idx + radius + 1, self.end)
            hit = self._windows[radius] = (
                hi > self.start, np.maximum(hi - 1, 0), lo > self.start, np.maximum(lo - 1, 0), np.maximum(hi - lo, 1)
            )  # fmt: skip
        return hit

    def window_max(self, x: np.ndarray, radius: int) -> np.ndarray:
        """Maximum of ``x`` over the lines at most ``radius`` away, within the document."""
        out = x.astype(np.float64).copy()
        for k in range(1, radius + 1):
            out = np.maximum(out, self.shift(x, k, -np.inf))
            out = np.maximum(out, self.shift(x, -k, -np.inf))
        return out

    def mass_before_after(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Share of the document's total weight ``w`` strictly before and strictly after each line."""
        if self.n == 0:
            return np.zeros(0), np.zeros(0)
        cs = self._prefix(w)
        total = self._sum_before(cs, self.end)
        before_sum = self._sum_before(cs, self.idx)
        after_sum = total - self._sum_before(cs, self.idx + 1)
        ok = total > 1e-9 * np.maximum(np.abs(w).max(), 1.0)
        safe = np.where(ok, total, 1.0)
        before = np.where(ok, before_sum / safe, 0.5)
        after = np.where(ok, np.maximum(after_sum, 0.0) / safe, 0.5)
        return before, after

    def relative_position(self) -> np.ndarray:
        """0 for a document's first line, 1 for its last."""
        return (self.idx - self.start) / np.maximum(self.end - self.start - 1, 1)

    def distance_to(self, flag: np.ndarray, cap: int = 64) -> tuple[np.ndarray, np.ndarray]:
        """log1p of the distance to the nearest flagged line before and after (capped)."""
        last = np.maximum.accumulate(np.where(flag, self.idx, -1)) if self.n else self.idx
        before = np.where(last >= self.start, self.idx - last, cap)
        rev = flag[::-1]
        ridx = self.idx[::-1]
        nxt = np.minimum.accumulate(np.where(rev, ridx, self.n))[::-1] if self.n else self.idx
        after = np.where(nxt < self.end, nxt - self.idx, cap)
        return np.log1p(np.minimum(before, cap)), np.log1p(np.minimum(after, cap))

    def run_length(self, flag: np.ndarray, cap: int | None = None) -> np.ndarray:
        """log1p of the length of the run of equal ``flag`` values holding each line (capped)."""
        if self.n == 0:
            return np.zeros(0)
        brk = np.ones(self.n, dtype=bool)
        brk[1:] = (flag[1:] != flag[:-1]) | (self.start[1:] != self.start[:-1])
        run_id = np.cumsum(brk) - 1
        runs = np.bincount(run_id)[run_id]
        return np.log1p(runs if cap is None else np.minimum(runs, cap))


SHORT_DOC_CAP = 30
BLOCK_GAP = 3  # this many consecutive non-text lines end a block of text
BLOCK_DISTANCE_CAP = 6


def block_features(text: np.ndarray, weight: np.ndarray, index: DocIndex) -> list[np.ndarray]:
    """Where a line sits relative to the page's main block of text.

    Text lines (``text`` true) separated by fewer than ``BLOCK_GAP`` other lines form a block;
    the block with the most ``weight`` (characters of text) is the main one, as in boilerpipe's
    and jusText's "largest block" reasoning. Comments and teasers form small blocks after it,
    menus sit before it. Returns: the block's share of the page's weight, before-main,
    after-main, in-main, log1p of the distance in blocks to the main block, and in-a-gap.
    """
    n = index.n
    if n == 0:
        return [np.zeros(0)] * 6
    text = text.astype(bool)
    other = ~text
    # length of the run of non-text lines holding each line (0 for text lines)
    run = np.where(other, np.expm1(index.run_length(other)).round().astype(np.int64), 0)
    in_gap = other & (run >= BLOCK_GAP)
    # a new block starts at a text line preceded by a big gap, or at a document start
    prev_gap = index.shift(in_gap.astype(np.float64), -1, 1.0) > 0
    starts_block = (text & prev_gap) | (index.idx == index.start)
    block = np.cumsum(starts_block) - 1  # global block ids; gaps take the id of the block before
    w = np.where(text, weight, 0.0)
    nb = int(block.max()) + 1
    block_w = np.bincount(block, weights=w, minlength=nb)
    doc_total = np.bincount(index.start, weights=w, minlength=n)[index.start]
    share = np.where((doc_total > 0) & ~in_gap, block_w[block] / np.where(doc_total > 0, doc_total, 1.0), 0.0)
    # the main block of each document: the block with the largest weight among its lines
    order = np.lexsort((-block_w[block], index.start))
    main_of_doc = np.zeros(n, dtype=np.int64)
    first_in_doc = np.r_[True, index.start[order][1:] != index.start[order][:-1]]
    main_of_doc[index.start[order][first_in_doc]] = block[order][first_in_doc]
    main = main_of_doc[index.start]
    before = block < main
    after = (block > main) | ((block == main) & in_gap)
    in_main = (block == main) & ~in_gap
    dist = np.log1p(np.minimum(np.abs(block - main), BLOCK_DISTANCE_CAP))
    return [share, before.astype(float), after.astype(float), in_main.astype(float), dist, in_gap.astype(float)]


def repeat_counts(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """log1p of how many other lines of the same document have the same text (menus, 'Reply')."""
    out: list[int] = []
    for lines in docs:
        keys = [line.strip() for line in lines]
        counts: dict[str, int] = {}
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        out.extend([counts[k] - 1 for k in keys])
    return np.log1p(np.asarray(out, dtype=np.float64))


def topic_overlap(
    content: Sequence[frozenset[str]], index: DocIndex, prose: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Share of each line's content words that another prose line of its document uses too,
    log1p of how many they are, a flag for lines without content words (their share is 0), and
    a flag for the line with the most such words in its run of non-prose lines (the title among
    the breadcrumbs, bylines and share buttons above an article; the heading between paragraphs).

    A page's title and headings name what its paragraphs are about; a teaser for another
    story, an ad or a menu item mostly does not, however much it reads like a headline.
    """
    n = index.n
    lead = np.zeros(n)
    if n == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0), lead
    is_prose = np.asarray(prose, dtype=bool).tolist()
    found = [0] * n
    for start, length in zip(index._starts.tolist(), index._lengths.tolist()):
        end = start + length
        counts: Counter[str] = Counter()
        for i in range(start, end):
            if is_prose[i]:
                counts.update(content[i])
        if counts:
            seen = counts.keys()
            twice = {w for w, k in counts.items() if k > 1}  # a prose line finds its words elsewhere
            for i in range(start, end):
                c = content[i]
                if c:
                    found[i] = len(c & twice) if is_prose[i] else len(seen & c)
        run_start = start
        for i in range(start, end + 1):
            if i == end or is_prose[i]:  # a run of non-prose lines ends: its lines nearest the text
                lo = max(run_start, i - TOPIC_LEAD_REACH)
                if i > lo:
                    window = found[lo:i]
                    most = max(window)
                    if most > 0:
                        lead[lo + window.index(most)] = 1.0
                run_start = i + 1
    hits = np.asarray(found, dtype=np.float64)
    words = np.fromiter(map(len, content), dtype=np.float64, count=n)
    share = np.where(words > 0, hits / np.maximum(words, 1.0), 0.0)
    return share, np.log1p(hits), (words == 0).astype(np.float64), lead


_COL = {name: i for i, name in enumerate(SHAPE_NAMES)}

# What "prose" and "short" mean for the context columns, and how far context reaches.
PROSE_MIN_WORDS = 8
PROSE_MIN_STOPWORD_RATIO = 0.1
SHORT_LINE_MAX_WORDS = 4
# Counts are capped where training pages stop and real pages go on: a mega menu of 140 short
# lines must look like one of 20, not like something never seen (trees extrapolate the last bin).
RUN_CAP = 16
DISTANCE_CAP = 16
REPEAT_CAP = 8
NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
WINDOW_RADII = (2, 5, 15)
NEIGHBOUR_SHAPE = ("exists", "log_chars", "ends_terminal", "stopword_ratio", "prose")
# Shape columns of the nearest neighbours, read as they are: a comment's header ("jo says:",
# "November 19, 2019 at 6:34 am") sits just above its text, which reads like the article's prose.
NEIGHBOUR_RAW = ("time", "year", "ends_colon")
NEIGHBOUR_RAW_OFFSETS = (-2, -1, 1)
BLOCK_NAMES = ("block_share", "before_main", "after_main", "in_main", "log_blocks_to_main", "in_gap")


def context_feature_names(blocks: bool = True) -> list[str]:
    """The names of :func:`context_features`' columns, in order."""
    names = [f"{f}@{k:+d}" for k in NEIGHBOUR_OFFSETS for f in NEIGHBOUR_SHAPE]
    names += [f"{f}@{k:+d}" for k in NEIGHBOUR_RAW_OFFSETS for f in NEIGHBOUR_RAW]
    names += [f"{f}_mean_r{r}" for r in WINDOW_RADII for f in ("prose", "log_chars", "short")]
    names += ["prose_mass_before", "prose_mass_after", "prose_mass_min", "relative_position", "log_doc_lines_capped"]
    names += ["short_run", "prose_run", "log_dist_prose_before", "log_dist_prose_after", "log_dist_prose"]
    names += ["log_chars_vs_longest", "repeats", "topic_overlap", "log_topic_hits", "no_topic_words", "topic_lead"]
    if blocks:
        names += list(BLOCK_NAMES)
    return names


def context_features(
    shape: np.ndarray,
    index: DocIndex,
    repeats: np.ndarray,
    content: Sequence[frozenset[str]],
    blocks: bool = True,
) -> np.ndarray:
    """Context columns for every line (named by :func:`context_feature_names`); ``content`` holds
    each line's content words (:func:`line_features`)."""
    loglen = shape[:, _COL["log_chars"]]
    logw = shape[:, _COL["log_words"]]
    term = shape[:, _COL["ends_terminal"]]
    stop = shape[:, _COL["stopword_ratio"]]
    nwords = np.expm1(logw)
    prose = ((nwords >= PROSE_MIN_WORDS) & (term > 0) & (stop > PROSE_MIN_STOPWORD_RATIO)).astype(np.float64)
    short = (nwords <= SHORT_LINE_MAX_WORDS).astype(np.float64)
    cols: list[np.ndarray] = []
    # One shift of all the columns a neighbour offers (NEIGHBOUR_SHAPE, then NEIGHBOUR_RAW), per offset.
    near = np.column_stack([np.ones(index.n), loglen, term, stop, prose])
    for k in NEIGHBOUR_OFFSETS:
        cols += list(index.shift(near, k).T)
    raw = shape[:, [_COL[f] for f in NEIGHBOUR_RAW]]
    for k in NEIGHBOUR_RAW_OFFSETS:
        cols += list(index.shift(raw, k).T)
    means = [index.window_means(x, WINDOW_RADII) for x in (prose, loglen, short)]
    for i in range(len(WINDOW_RADII)):
        cols += [m[i] for m in means]
    chars = np.expm1(loglen)
    before, after = index.mass_before_after(prose * chars)
    cols += [before, after, np.minimum(before, after)]
    cols.append(index.relative_position())
    # How many lines the document has, capped: short texts (a record, a snippet) behave unlike
    # pages, while every page longer than the cap looks the same (no extrapolation with length).
    cols.append(np.log1p(np.minimum(index.end - index.start, SHORT_DOC_CAP)))
    cols.append(index.run_length(short, RUN_CAP) * short)
    cols.append(index.run_length(prose, RUN_CAP) * prose)
    db, da = index.distance_to(prose > 0, DISTANCE_CAP)
    cols += [db, da, np.minimum(db, da)]
    cols.append(loglen - index.doc_max(loglen))  # against the document's longest line
    cols.append(np.minimum(repeats, np.log1p(REPEAT_CAP)))
    cols += topic_overlap(content, index, prose > 0)
    if blocks:
        cols += block_features(prose > 0, chars, index)
    if not cols or index.n == 0:
        return np.zeros((index.n, len(context_feature_names(blocks))))
    return np.column_stack(cols)
