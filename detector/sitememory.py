"""Site memory: lines that recur on many pages of one host are that site's chrome.

A crawl visits many pages of each site, and a site's menus, footers, newsletter boxes and
"Most read" headings come back on every page, while its articles do not. :class:`SiteMemory`
keeps, per host, fingerprints of the lines of the host's recent pages and how many of those
pages held each one; a line the model kept is removed as chrome when it was seen on at least
``min_pages`` earlier pages of its host, and on at least ``min_share`` of them.

Editorial furniture recurs too (a recipe site's "Ingredients" heading, a review's "Verdict",
spec rows shared by many products, an article's own title listed in the site's sidebar), and it
sits in or next to the page's own text. So a recurring line is left alone when it lies within
``TEXT_MARGIN`` lines of the span of the page's own kept text (kept, non-recurring lines),
unless the model doubted it (its junk score within the doubt margin, in log-odds, below the
threshold: furniture scores far below it, a recurring newsletter box or affiliate line inside
the article close to it; each model records its own margin, ``doubt_margin=None`` takes it),
or it is a sentence the model had some doubt of (``SENTENCE_MIN_WORDS`` words or more, junk
score within ``SENTENCE_DOUBT_LOG_ODDS`` below the threshold: furniture is headings and labels,
while an affiliate tip or a payment notice repeated word for word is a box); menus, footers and
rails outside that span go. A short line directly above the page's own text that shares a word
with it is the page's heading and stays, doubted or not: the site's menu lists it on every page.
Nothing is removed on a host's first ``min_pages`` pages. On our invented multi-page sites
(``python -m bench.sites``) a looser guard removed more junk but lost up to 4 % of the editorial
lines, mostly such furniture.

Memory is bounded: at most ``max_hosts`` hosts (least recently seen go first) and at most
``max_lines`` fingerprints per host (the least seen go first), in numpy arrays of 14 bytes a
fingerprint. Counts decay by ``1 - 1/window`` per page, so "recent" means about the last
``window`` pages and a site that changes its menu forgets the old one. For a given input order
the result is deterministic, and :meth:`SiteMemory.save` / :meth:`SiteMemory.load` carry the
state across runs (a ``.npz`` file read without pickle, so loading it runs no code).

>>> memory = SiteMemory(min_pages=2)
>>> page = ["Home", "News", "Sport", "{} happened today, and people talked about it at length."]
>>> for story in ("A fire", "A flood", "A fair"):
...     _ = memory.observe("example.org", [line.format(story) for line in page])
>>> memory.recurring("example.org", ["Home", "News", "Sport", "Something else entirely."])
[True, True, True, False]
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .errors import InputError
from .features import TOPIC_MIN_CHARS
from .text import WORD

FORMAT = 1
DEFAULT_MAX_HOSTS = 10_000
DEFAULT_MAX_LINES = 1024
DEFAULT_WINDOW = 50
DEFAULT_MIN_PAGES = 3
DEFAULT_MIN_SHARE = 0.3
TEXT_MARGIN = 2  # recurring lines this close to the page's own kept text are furniture
# ...if they are headings or labels: a recurring line of this many words or more is a sentence,
# and a sentence that comes back word for word on many pages is a box (an affiliate tip, a
# payment notice, a newsletter blurb), not the page's own text.
SENTENCE_MIN_WORDS = 6
# ...if the model had some doubt of it (its junk score within this many log-odds below the
# threshold: 0.146 at 0.428); a sentence it reads as plainly editorial (a recipe step shared by
# many recipes, a description shared by a product's variants) stays.
SENTENCE_DOUBT_LOG_ODDS = 1.5
# ...unless the model was unsure of them: recurrence then counts as this much evidence of chrome
# (in log-odds of the score against the threshold). Each model records its own margin, chosen
# by `make model` on five of our multi-page sites (`python -m bench.sites --choose-margin`); this
# one serves models that record none.
DOUBT_LOG_ODDS = 0.1
MODELS_MARGIN = -1.0  # saved in place of a margin: "the model's own" (a real margin is never negative)
_EMPTY_U64 = np.zeros(0, dtype=np.uint64)


def fingerprint(line: str) -> int:
    """A stable 64-bit fingerprint of a line, blind to surrounding and repeated whitespace.

    Stable across processes and Python versions (unlike ``hash``), so saved memory stays valid.

    >>> fingerprint("  Home ") == fingerprint("Home"), fingerprint("Home") == fingerprint("home")
    (True, False)
    """
    key = " ".join(line.split()).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def doubtful(scores: Sequence[float], threshold: float, margin: float = DOUBT_LOG_ODDS) -> list[bool]:
    """Lines whose junk score is within ``margin`` log-odds below ``threshold`` (or above it).

    >>> doubtful([0.05, 0.36, 0.5], 0.45, margin=0.4)
    [False, True, True]
    """
    lo = 1e-9
    t = min(max(threshold, lo), 1.0 - lo)
    cut = 1.0 / (1.0 + math.exp(-(math.log(t / (1.0 - t)) - margin)))
    return [s >= cut for s in scores]


def _topic_words(line: str) -> set[str]:
    return {w for w in WORD.findall(line.lower()) if len(w) >= TOPIC_MIN_CHARS}


def _headings_of_own_text(lines: Sequence[str], own: np.ndarray) -> np.ndarray:
    """Short lines directly above the page's own text that share a word with it: its heading.

    A site lists its pages' titles in its menus and sidebars, so a page's own heading recurs on
    the host's other pages; the text below it names the same thing ("Error codes", then "Every
    exception carries a code ..."), which chrome above a page's text does not.
    """
    out = np.zeros(len(lines), dtype=bool)
    for i in np.flatnonzero(own[1:] & ~own[:-1]).tolist():
        if len(lines[i].split()) < SENTENCE_MIN_WORDS:  # a heading, not a box's sentence
            words = _topic_words(lines[i])
            out[i] = bool(words) and not words.isdisjoint(_topic_words(lines[i + 1]))
    return out


def _saved_margin(z: Any) -> float | None:
    """A saved memory's doubt margin; ``MODELS_MARGIN`` (or none saved) means the model's own."""
    if "doubt_margin" not in z or float(z["doubt_margin"][0]) < 0.0:
        return None
    return float(z["doubt_margin"][0])


def host_of(url_or_host: str) -> str:
    """The host a URL belongs to, lower-cased, without ``www.``; a bare host is returned as is.

    >>> host_of("https://WWW.Example.org/news/a?b=1"), host_of("example.org")
    ('example.org', 'example.org')
    """
    s = url_or_host.strip()
    host = urlsplit(s).hostname if "://" in s else s.split("/")[0].split(":")[0]
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass
class _Host:
    """One host's memory: sorted fingerprints with their decayed page counts and last page."""

    keys: np.ndarray = field(default_factory=lambda: _EMPTY_U64.copy())
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    last: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint16))
    pages: float = 0.0  # decayed number of pages seen
    seen: int = 0  # pages seen, not decayed

    def counts_of(self, keys: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0:
            return np.zeros(len(keys), dtype=np.float32)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.counts[at], 0.0).astype(np.float32)


class SiteMemory:
    """Bounded per-host memory of line fingerprints (see the module docstring).

    Hosts are keys taken as given; :meth:`detector.Detector.classify` passes ``host_of(site)``.
    """

    def __init__(
        self,
        *,
        max_hosts: int = DEFAULT_MAX_HOSTS,
        max_lines: int = DEFAULT_MAX_LINES,
        window: int = DEFAULT_WINDOW,
        min_pages: int = DEFAULT_MIN_PAGES,
        min_share: float = DEFAULT_MIN_SHARE,
        doubt_margin: float | None = None,
    ) -> None:
        if max_hosts < 1 or max_lines < 1 or window < 1 or min_pages < 1:
            raise ValueError("max_hosts, max_lines, window and min_pages must be at least 1")
        if not 0.0 < min_share <= 1.0:
            raise ValueError(f"min_share must be in (0, 1], got {min_share}")
        if doubt_margin is not None and not doubt_margin >= 0.0:
            raise ValueError(f"doubt_margin must be at least 0, got {doubt_margin}")
        self.max_hosts, self.max_lines, self.window = max_hosts, max_lines, window
        self.min_pages, self.min_share = min_pages, min_share
        # log-odds below the threshold that count as doubt; 0: none; None: the model's own margin
        self.doubt_margin = doubt_margin
        self._decay = 1.0 - 1.0 / window
        self._hosts: OrderedDict[str, _Host] = OrderedDict()
        self._lock = threading.Lock()  # one page at a time: pipelines may share a memory across threads

    def __len__(self) -> int:
        return len(self._hosts)

    @property
    def nbytes(self) -> int:
        """Bytes held in fingerprint arrays (the Python objects around them add ~1 kB a host)."""
        return sum(h.keys.nbytes + h.counts.nbytes + h.last.nbytes for h in self._hosts.values())

    def _keys(self, lines: Sequence[str]) -> np.ndarray:
        return np.fromiter((fingerprint(x) for x in lines), dtype=np.uint64, count=len(lines))

    def recurring(self, host: str, lines: Sequence[str]) -> list[bool]:
        """Which lines the host's earlier pages make chrome by count alone (no guard applied)."""
        return self._recurring(self._hosts.get(host), self._keys(lines)).tolist()

    def pages_seen(self, host: str) -> int:
        """How many pages of ``host`` the memory has seen (0 for a host it does not hold)."""
        h = self._hosts.get(host)
        return 0 if h is None else h.seen

    def shares(self, host: str, lines: Sequence[str]) -> np.ndarray:
        """Share of the host's recent (decayed) pages that held each line, between 0 and 1;
        all 0 until the host has ``min_pages`` pages. Reads the memory without changing it."""
        h = self._hosts.get(host)
        if h is None or h.seen < self.min_pages:
            return np.zeros(len(lines))
        return np.minimum(h.counts_of(self._keys(lines)) / max(h.pages, 1.0), 1.0).astype(np.float64)

    def _recurring(self, h: _Host | None, keys: np.ndarray) -> np.ndarray:
        if h is None or h.seen < self.min_pages:
            return np.zeros(len(keys), dtype=bool)
        c = h.counts_of(keys)
        # Seen on min_pages of the latest pages gives min_pages decayed by at most min_pages steps.
        return (c >= self.min_pages * self._decay**self.min_pages) & (c >= self.min_share * h.pages)

    def chrome(
        self,
        host: str,
        lines: Sequence[str],
        kept: Sequence[bool],
        doubted: Sequence[bool] | None = None,
        sentence_doubted: Sequence[bool] | None = None,
    ) -> list[bool]:
        """Which of the ``kept`` lines to remove as the host's chrome, then remember the page.

        ``lines`` are one page's non-blank lines in order and ``kept`` the model's verdicts.
        ``doubted`` marks kept lines the model was unsure of (:func:`doubtful`): recurring, they
        go even inside the guard around the page's own text, as do recurring sentences
        (``SENTENCE_MIN_WORDS``) among ``sentence_doubted`` (all of them if it is not given).
        """
        keys = self._keys(lines)
        with self._lock:
            h = self._host(host)
            rec = self._recurring(h, keys)
            self._remember(h, keys)
        keep = np.asarray(kept, dtype=bool)
        out = rec & keep if len(lines) else rec
        own = np.flatnonzero(keep & ~rec)
        if out.any() and len(own):
            guard = slice(max(int(own[0]) - TEXT_MARGIN, 0), int(own[-1]) + TEXT_MARGIN + 1)
            sentence = np.fromiter((len(line.split()) >= SENTENCE_MIN_WORDS for line in lines[guard]), bool)
            if sentence_doubted is not None:
                sentence &= np.asarray(sentence_doubted, dtype=bool)[guard]
            if doubted is not None:
                sentence |= np.asarray(doubted, dtype=bool)[guard]
            out[guard] &= sentence
            out &= ~_headings_of_own_text(lines, keep & ~rec)
        return out.tolist()

    def observe(self, host: str, lines: Sequence[str]) -> None:
        """Remember a page without judging it (to warm the memory up)."""
        keys = self._keys(lines)
        with self._lock:
            self._remember(self._host(host), keys)

    def _host(self, name: str) -> _Host:
        h = self._hosts.get(name)
        if h is None:
            h = self._hosts[name] = _Host()
            if len(self._hosts) > self.max_hosts:
                self._hosts.popitem(last=False)
        else:
            self._hosts.move_to_end(name)
        return h

    def _remember(self, h: _Host, keys: np.ndarray) -> None:
        page = np.unique(keys)
        h.counts *= self._decay
        h.pages = h.pages * self._decay + 1.0
        h.seen += 1
        stamp = min(h.seen, np.iinfo(np.uint16).max)
        merged = np.union1d(h.keys, page)
        counts = h.counts_of(merged)
        old_last = np.zeros(len(merged), dtype=np.uint16)
        if len(h.keys):
            at = np.searchsorted(merged, h.keys)
            old_last[at] = h.last
        new = np.isin(merged, page, assume_unique=True)
        counts[new] += 1.0
        old_last[new] = stamp
        if len(merged) > self.max_lines:
            # Keep the most seen; among equals, the most recently seen (lexsort: last key first).
            order = np.lexsort((-old_last.astype(np.int64), -counts))[: self.max_lines]
            order.sort()
            merged, counts, old_last = merged[order], counts[order], old_last[order]
        h.keys, h.counts, h.last = merged, counts, old_last

    # -- persistence ----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the memory to a ``.npz`` file (no pickle: loading it runs no code)."""
        hosts = list(self._hosts.items())
        sizes = np.array([len(h.keys) for _, h in hosts], dtype=np.int64)
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as f:  # a file object: numpy would add ".npz" to a bare name
            self._write(f, hosts, sizes)
        os.replace(tmp, target)  # atomic: an interrupted save leaves the old memory intact

    def _write(self, f: Any, hosts: list[tuple[str, _Host]], sizes: np.ndarray) -> None:
        np.savez_compressed(
            f,
            format=np.array([FORMAT]),
            settings=np.array([self.max_hosts, self.max_lines, self.window, self.min_pages], dtype=np.int64),
            min_share=np.array([self.min_share]),
            doubt_margin=np.array([MODELS_MARGIN if self.doubt_margin is None else self.doubt_margin]),
            names=np.array([n for n, _ in hosts], dtype=np.str_),
            sizes=sizes,
            pages=np.array([h.pages for _, h in hosts]),
            seen=np.array([h.seen for _, h in hosts], dtype=np.int64),
            keys=np.concatenate([h.keys for _, h in hosts]) if hosts else _EMPTY_U64,
            counts=np.concatenate([h.counts for _, h in hosts]) if hosts else np.zeros(0, np.float32),
            last=np.concatenate([h.last for _, h in hosts]) if hosts else np.zeros(0, np.uint16),
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SiteMemory:
        """Read a memory written by :meth:`save`, with the settings it was saved with."""
        try:
            with np.load(Path(path), allow_pickle=False) as z:
                if int(z["format"][0]) != FORMAT:
                    raise InputError(f"{path}: site memory format {int(z['format'][0])}, this version reads {FORMAT}")
                max_hosts, max_lines, window, min_pages = (int(x) for x in z["settings"])
                memory = cls(
                    max_hosts=max_hosts,
                    max_lines=max_lines,
                    window=window,
                    min_pages=min_pages,
                    min_share=float(z["min_share"][0]),
                    doubt_margin=_saved_margin(z),
                )
                at = 0
                for name, size, pages, seen in zip(z["names"].tolist(), z["sizes"], z["pages"], z["seen"]):
                    end = at + int(size)
                    memory._hosts[name] = _Host(
                        z["keys"][at:end].copy(),
                        z["counts"][at:end].copy(),
                        z["last"][at:end].copy(),
                        float(pages),
                        int(seen),
                    )
                    at = end
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{path}: not a site memory file ({exc})") from exc
        return memory
