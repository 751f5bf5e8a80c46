"""Progress on stderr with rich: shown only on a terminal and never with ``quiet``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[float], None]


def wanted(quiet: bool) -> bool:
    """True when progress should be drawn: stderr is a terminal and the user did not ask for quiet."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress(description: str, total: float | None, *, quiet: bool = False) -> Iterator[Advance]:
    """Yield ``advance(n)``; draws a rich bar on stderr only when :func:`wanted`."""
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
