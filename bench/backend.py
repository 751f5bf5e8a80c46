"""Which detector the benchmark measures: the real package or a stand-in.

``BENCH_DETECTOR`` (or ``python -m bench --detector``) picks ``real``,
``standin`` or ``auto`` (the default: the real package when
``detector.Detector.default()`` works, else the stand-in with a warning).
The stand-in only lets the benchmark run before the package exists; its rows
are labelled "stand-in" and say nothing about the model. ``BENCH_MODEL`` (or
``--model PATH``) measures a model file through ``Detector.load(path)``
instead of the embedded default.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

ENV_VAR = "BENCH_DETECTOR"
MODEL_ENV_VAR = "BENCH_MODEL"
CHOICES = ("auto", "real", "standin")
STANDIN_MIN_CHARS = 30


class VerdictLike(Protocol):
    """What the benchmark reads from a verdict."""

    @property
    def score(self) -> float: ...

    @property
    def keep(self) -> bool: ...


class DetectorLike(Protocol):
    """The part of the ``detector.Detector`` contract the benchmark uses."""

    @property
    def threshold(self) -> float: ...

    def classify(self, lines: list[str]) -> Sequence[VerdictLike]: ...

    def classify_many(self, docs: list[list[str]]) -> Sequence[Sequence[VerdictLike]]: ...


class StandInVerdict(NamedTuple):
    """A verdict of the stand-in: score 1.0 for short lines, else 0.0."""

    score: float
    keep: bool


@dataclass(frozen=True)
class StandInDetector:
    """A trivial stand-in: lines shorter than 30 characters are 'not editorial'."""

    threshold: float = 0.5

    def classify(self, lines: list[str]) -> list[StandInVerdict]:
        """Score each line of one document."""
        out = []
        for line in lines:
            score = 1.0 if len(line.strip()) < STANDIN_MIN_CHARS else 0.0
            out.append(StandInVerdict(score, score < self.threshold))
        return out

    def classify_many(self, docs: list[list[str]]) -> list[list[StandInVerdict]]:
        """Score many documents."""
        return [self.classify(d) for d in docs]


@dataclass(frozen=True)
class Backend:
    """The chosen detector: a loader, whether it is real, and a display name."""

    kind: str
    name: str
    model_path: str | None = None

    def load(self) -> DetectorLike:
        """Load the detector (the real one's model, or the stand-in)."""
        if self.kind == "real":
            from detector import Detector

            det: Any = Detector.load(self.model_path) if self.model_path else Detector.default()
            return det
        return StandInDetector()

    def env(self) -> dict[str, str]:
        """Environment variables that make a child process choose the same detector."""
        return {ENV_VAR: self.kind, MODEL_ENV_VAR: self.model_path or ""}


def real_available(model_path: str | None = None) -> bool:
    """True when the real package imports and its model loads."""
    try:
        from detector import Detector

        det = Detector.load(model_path) if model_path else Detector.default()
        det.classify(["A short probe line.", "Home"])  # a model out of step with the code fails here
    except Exception:  # noqa: BLE001 - any failure means "not ready yet" for the benchmark
        return False
    return True


def choose(requested: str | None = None, model_path: str | None = None) -> Backend:
    """Resolve ``auto``/``real``/``standin`` (arguments, else ``$BENCH_DETECTOR``, ``$BENCH_MODEL``)."""
    want = (requested or os.environ.get(ENV_VAR) or "auto").lower()
    path = model_path or os.environ.get(MODEL_ENV_VAR) or None
    if want not in CHOICES:
        raise SystemExit(f"bench: {ENV_VAR} must be one of {', '.join(CHOICES)}, not {want!r}")
    if want == "standin":
        return Backend("standin", "detector (stand-in)")
    if want == "real" or real_available(path):
        name = f"detector ({Path(path).name})" if path else "detector"
        return Backend("real", name, str(Path(path).resolve()) if path else None)
    print(
        "bench: warning: the detector package or its model failed to load or classify; "
        "measuring the stand-in (short lines dropped) instead. Rows are labelled 'stand-in'.",
        file=sys.stderr,
    )
    return Backend("standin", "detector (stand-in)")


def model_file(backend: Backend) -> str | None:
    """Path of the measured model file: ``--model``'s, else the package's default."""
    if backend.kind != "real":
        return None
    if backend.model_path:
        return backend.model_path
    try:
        import detector
    except ImportError:
        return None
    path = Path(detector.__file__).resolve().parent / "models" / "default.joblib"
    return str(path) if path.is_file() else None
