"""Per-document speed: one call per page, as pipelines call it, quiet and beside busy neighbours.

A pipeline hands the filter one page at a time (a Scrapy item, a datatrove document, a Spark
row) and never has the machine to itself. This measures ``Detector.classify`` once per page
over the html-text lines of every benchmark page, model loaded, feature cache emptied before
each repeat, next to the C4 rules timed the same way: first on a quiet machine, then with
``BUSY_PROCESSES`` processes spinning on the cores.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

REPEATS = 3
BREAKDOWN_REPEATS = 5  # the parts are short: more tries to find each one's undisturbed time
BUSY_PROCESSES = 2


def per_doc(
    fn: Callable[[list[str]], Any], docs: Sequence[list[str]], before: Callable[[], None] | None = None
) -> dict[str, float]:
    """Best-of-``REPEATS`` lines/s of ``fn`` called once per document, and that run's latencies."""
    n = sum(len(d) for d in docs)
    best: dict[str, float] = {}
    for _ in range(REPEATS):
        if before is not None:
            before()
        lat = np.empty(len(docs))
        c0, t0 = time.process_time(), time.perf_counter()
        for i, d in enumerate(docs):
            a = time.perf_counter()
            fn(d)
            lat[i] = time.perf_counter() - a
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if not best or n / wall > best["lines_per_s"]:
            best = {
                "lines_per_s": n / wall,
                "lines_per_cpu_s": n / cpu if cpu > 0 else float("nan"),
                "p50_ms": float(np.percentile(lat, 50) * 1e3),
                "p99_ms": float(np.percentile(lat, 99) * 1e3),
            }
    return best


@contextmanager
def busy(n: int = BUSY_PROCESSES) -> Iterator[None]:
    """``n`` processes that keep a core each busy for the duration of the block."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(0.5)
        yield
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def measure(det: Any, docs: Sequence[list[str]], c4_filter: Callable[[list[str]], Any]) -> dict[str, Any]:
    """Quiet and busy per-document figures of the detector, and the C4 rules' for the ratio."""
    try:
        from detector.features import _cached_line_features

        clear: Callable[[], None] | None = _cached_line_features.cache_clear
    except ImportError:  # the stand-in
        clear = None
    det.classify(docs[0])  # the model is loaded and warm, as in a running pipeline
    out: dict[str, Any] = {"pages": len(docs), "lines": sum(len(d) for d in docs), "repeats": REPEATS}
    out["c4_quiet"] = per_doc(c4_filter, docs)
    out["quiet"] = per_doc(det.classify, docs, clear)
    with busy():
        out["busy"] = per_doc(det.classify, docs, clear)
        configure = getattr(det, "configure", None)
        if configure is not None:
            out["busy_threads_2"] = per_doc(configure(threads=2).classify, docs, clear)
    out["busy_processes"] = BUSY_PROCESSES
    out["x_c4"] = out["quiet"]["lines_per_s"] / out["c4_quiet"]["lines_per_s"]
    out["busy_over_quiet"] = out["busy"]["lines_per_s"] / out["quiet"]["lines_per_s"]
    model = getattr(getattr(det, "_loaded", None), "model", None)
    if clear is not None and model is not None:
        out["breakdown_ms"] = breakdown(model, docs, clear)
        out["breakdown_repeats"] = BREAKDOWN_REPEATS
    return out


def breakdown(model: Any, docs: Sequence[list[str]], clear: Callable[[], None]) -> dict[str, float]:
    """Where one call per page spends its time, quiet, in ms over all pages (best of
    ``BREAKDOWN_REPEATS`` each): the line features alone, then all features, then the model's parts on them."""
    from detector.features import batch_line_features
    from detector.model import featurize

    def best(*fns: Callable[[], Any], before: Callable[[], None] | None = None) -> list[float]:
        """Best of BREAKDOWN_REPEATS for each of ``fns``, timed in turn so that a passing
        disturbance slows all of them alike rather than one."""
        times: list[list[float]] = [[] for _ in fns]
        for _ in range(BREAKDOWN_REPEATS):
            for fn, ts in zip(fns, times):
                if before is not None:
                    before()
                t = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t)
        return [min(ts) * 1e3 for ts in times]

    line, every = best(
        lambda: [batch_line_features([d]) for d in docs],
        lambda: [featurize([d], model.blocks, model.affixes) for d in docs],
        before=clear,
    )
    feats = [featurize([d], model.blocks, model.affixes) for d in docs]
    stage2 = [model.stage2_inputs(F)[2] for F in feats]
    linear, trees = best(
        lambda: [model.stage2_inputs(F) for F in feats],
        lambda: [model._editorial_probability(X, 1) for X in stage2],
    )
    return {
        "line_features": line,
        "context_and_hashing": max(every - line, 0.0),
        "linear_views_and_stage2_columns": linear,
        "trees": trees,
    }
