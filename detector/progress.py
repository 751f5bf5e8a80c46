"""Progress on stderr with rich: shown only on a terminal and never with ``quiet``.

Training is the exception: it runs for minutes, often with stderr sent to a log file, CI or a
notebook, so there it writes plain lines (``… 2 of 6, elapsed 31 s``) when stderr is not a
terminal. ``quiet`` keeps everything silent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[float], None]


def wanted(quiet: bool) -> bool:
    """True when progress should be drawn: stderr is a terminal and the user did not ask for quiet."""
    return not quiet and sys.stderr.isatty()


def note(message: str, *, quiet: bool = False, plain: bool = True) -> None:
    """One line of progress on stderr (a stage starting), unless quiet."""
    if not quiet and (plain or sys.stderr.isatty()):
        print(f"detector: {message}", file=sys.stderr, flush=True)


@contextmanager
def progress(description: str, total: float | None, *, quiet: bool = False, plain: bool = False) -> Iterator[Advance]:
    """Yield ``advance(n)``; draws a rich bar on stderr only when :func:`wanted`. With
    ``plain``, writes one line per step instead when stderr is not a terminal."""
    if plain and not quiet and not sys.stderr.isatty():
        start = time.monotonic()
        done = 0.0

        def line(n: float = 1) -> None:
            nonlocal done
            done += n
            of = f" of {total:,.0f}" if total is not None else ""
            note(f"{description}: {done:,.0f}{of} done, elapsed {time.monotonic() - start:,.0f} s")

        yield line
        return
    if not wanted(quiet):

        def nothing(n: float = 1) -> None:
            return None

        yield nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1) -> None:
            bar.advance(task, n)

        yield advance
