"""Speed and cost: warm timings in-process, model load and peak memory in fresh processes.

The probes run as ``python -m bench.speed load`` and
``python -m bench.speed memory LINES.json`` in a new interpreter, so the
model is loaded cold (no in-process cache) and ``ru_maxrss`` is that of a
process that did only this work. Linux carries a parent's peak RSS into a
child it forks (through fork and exec), so the benchmark process, already
large, starts each probe through a small ``relay`` interpreter whose own
child then reports a clean ``ru_maxrss``; ``VmHWM`` from ``/proc`` is
recorded beside it as a cross-check.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .backend import Backend
from .data import REPO_DIR

T = TypeVar("T")
REPEATS = 3
PROBE_RUNS = 3


class Timing(NamedTuple):
    """Best wall-clock and best CPU time (this process, all threads) over the repeats, in seconds."""

    wall: float
    cpu: float


def best_of(fn: Callable[[], T], repeats: int = REPEATS) -> tuple[Timing, T]:
    """Run ``fn`` ``repeats`` times; return the fastest wall and CPU times and the last result.

    CPU time is reported beside wall time because the machine may be shared: other processes
    slow the wall clock much more than this process's own CPU time.
    """
    wall = cpu = float("inf")
    result: Any = None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return Timing(wall, cpu), result


def _maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _probe(args: list[str], backend: Backend) -> dict[str, float]:
    """Run one probe in a fresh interpreter and parse its JSON line."""
    env = dict(os.environ, **backend.env())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_DIR), env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-m", "bench.speed", "relay", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def load_time(backend: Backend, runs: int = PROBE_RUNS) -> dict[str, float]:
    """Import and ``Detector.default()`` times over fresh processes (median and min)."""
    probes = [_probe(["load"], backend) for _ in range(runs)]
    return {
        "import_s_median": statistics.median(p["import_s"] for p in probes),
        "load_s_median": statistics.median(p["load_s"] for p in probes),
        "load_s_min": min(p["load_s"] for p in probes),
        "runs": runs,
    }


def peak_memory(backend: Backend, lines_file: Path) -> dict[str, float]:
    """Peak RSS of a fresh process that loads the model and classifies all pages."""
    return _probe(["memory", str(lines_file)], backend)


def _run_load_probe() -> dict[str, float]:
    """In a fresh process: time the import and the default model's load."""
    from .backend import choose

    backend = choose()
    t0 = time.perf_counter()
    if backend.kind == "real":
        import detector

        clear = getattr(detector.Detector.default, "cache_clear", None)
        if clear is not None:
            clear()
    t1 = time.perf_counter()
    backend.load()
    t2 = time.perf_counter()
    return {"import_s": t1 - t0, "load_s": t2 - t1}


def _vm_hwm_mb() -> float | None:
    """Peak RSS of this process's address space from /proc (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _run_memory_probe(lines_file: Path) -> dict[str, float]:
    """In a fresh process: load the lines, then the model, classify every page one call at a
    time, then all pages in one batched call (peaks recorded after each)."""
    from .backend import choose

    docs: list[list[str]] = list(json.loads(lines_file.read_text(encoding="utf-8")).values())
    before = _maxrss_mb()
    backend = choose()
    det = backend.load()
    after_load = _maxrss_mb()
    for d in docs:  # as pipelines call it: one page at a time
        det.classify(d)
    per_page = _maxrss_mb()
    det.classify_many(docs)  # then every page in one batched call
    return {
        "pages": len(docs),
        "lines": sum(len(d) for d in docs),
        "rss_mb_data_only": before,
        "rss_mb_after_load": after_load,
        "rss_mb_peak_per_page": per_page,
        "rss_mb_peak": _maxrss_mb(),
        "vm_hwm_mb": _vm_hwm_mb() or 0.0,
        "pandas_imported": "pandas" in sys.modules,
    }


def main(argv: list[str] | None = None) -> int:
    """Probe entry point: ``load`` or ``memory LINES.json``; prints one JSON line."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["relay"]:
        # a small process starts the real probe, so the probe's maxrss is its own
        out = subprocess.run(
            [sys.executable, "-m", "bench.speed", *args[1:]], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip().splitlines()[-1])
    elif args[:1] == ["load"]:
        print(json.dumps(_run_load_probe()))
    elif args[:1] == ["memory"] and len(args) == 2:
        print(json.dumps(_run_memory_probe(Path(args[1]))))
    else:
        print("usage: python -m bench.speed [relay] load | memory LINES.json", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())


def time_filter_cli(*args: str) -> float:
    """Wall seconds of one ``detector filter ARGS -q`` run in a fresh process, output discarded."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run([sys.executable, "-m", "detector", "filter", *args, "-q"], stdout=sink, check=True, cwd=REPO_DIR)
    return time.perf_counter() - start
