"""The error hierarchy: the library raises these, the CLI turns them into one line on stderr."""

from __future__ import annotations


class DetectorError(Exception):
    """Base class of every error detector raises on purpose."""


class DataError(DetectorError):
    """Training or evaluation data is malformed; ``problems`` lists every ``file:line: what``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = self.problems[0] if self.problems else "malformed data"
        more = len(self.problems) - 1
        super().__init__(head if more <= 0 else f"{head} (and {more} more problem{'s' if more > 1 else ''})")


class ModelError(DetectorError):
    """A model file is missing, unreadable, foreign or was made by an incompatible version."""


class InputError(DetectorError):
    """Text or records given to a filter cannot be read (names the source and where)."""


class MissingExtraError(DetectorError, ImportError):
    """An optional integration's dependency is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install the extra from the detector checkout with: "
            f"pip install '.[{extra}]' (or 'detector[{extra}]' where detector is installed from an index)"
        )
