"""The streaming JSON Lines stage: one record out per record in, in order, memory flat.

Records are read and classified in batches (one batched model call per batch); with
``jobs > 1`` batches go to worker processes and come back in order. A malformed record (bad
JSON, missing or non-string field) is reported with its record number and, by the user's
choice, stops the stream (``fail``), is dropped (``skip``) or passes through unchanged
(``pass``, the default: a filter stage should not lose data it does not understand).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .classifier import Detector, RemovedLine, Verdict, build_result, site_revised
from .errors import InputError
from .sitememory import SiteMemory
from .text import split_lines, strip_ending
from .textio import BOM, json_line

ON_ERROR = ("fail", "skip", "pass")
DEFAULT_ON_ERROR = "pass"
BATCH_RECORDS = 256
REMOVED_KEY = "detector_removed"


@dataclass
class JsonlSummary:
    """Counts for the end-of-stream summary line."""

    records: int = 0
    cleaned: int = 0
    lines: int = 0
    lines_removed: int = 0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for stderr."""
        return (
            f"detector: {self.records:,} records, {self.lines_removed:,} of {self.lines:,} lines removed, "
            f"{self.errors:,} malformed"
        )


def get_field(record: Any, path: str) -> Any:
    """The value at a dotted path (``content.text``); KeyError if absent."""
    cur = record
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            raise KeyError(path)
        cur = cur[part]
    return cur


def set_field(record: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path that :func:`get_field` found."""
    parts = path.split(".")
    cur = record
    for part in parts[:-1]:
        cur = cur[part]
    cur[parts[-1]] = value


def parse_record(raw: str, field_path: str) -> tuple[Any, str | None, str | None]:
    """A record, the string at ``field_path`` and the problem (None when all is well). A
    byte-order mark before the record is skipped."""
    try:
        record = json.loads(raw[len(BOM) :] if raw.startswith(BOM) else raw)  # Windows tools write a BOM
    except json.JSONDecodeError as exc:
        return None, None, f"not valid JSON: {exc.msg} (column {exc.colno})"
    try:
        value = get_field(record, field_path)
    except KeyError:
        return record, None, f"no field {field_path!r}"
    if not isinstance(value, str):
        return record, None, f"field {field_path!r} is {type(value).__name__}, not a string"
    return record, value, None


Cleaned = tuple[str, int, list[tuple[int, str, str, float]]]
_worker_detector: Detector | None = None


def _clean_batch(
    det: Detector, texts: list[str | None], sites: list[str | None] | None = None, memory: SiteMemory | None = None
) -> list[Cleaned | None]:
    present = [k for k, t in enumerate(texts) if t is not None]
    results = iter(
        det.filter_documents(
            [texts[k] for k in present],  # type: ignore[misc]
            sites=None if sites is None else [sites[k] for k in present],
            memory=memory,
        )
    )
    out: list[Cleaned | None] = []
    for t in texts:
        if t is None:
            out.append(None)
        else:
            r = next(results)
            out.append((r.text, r.n_lines, [tuple(x) for x in r.removed]))  # type: ignore[misc]
    return out


def _verdicts_batch(det: Detector, texts: list[str | None]) -> list[list[Verdict] | None]:
    """The model's verdicts only: site memory, which must see records in order, runs in the parent."""
    present = [t for t in texts if t is not None]
    verdicts = iter(det.classify_many([[strip_ending(x) for x in split_lines(t)] for t in present]))
    return [None if t is None else next(verdicts) for t in texts]


def _finish_batch(
    texts: list[str | None],
    verdicts: list[list[Verdict] | None],
    sites: list[str | None],
    memory: SiteMemory,
    det: Detector,
) -> list[Cleaned | None]:
    out: list[Cleaned | None] = []
    for t, v, site in zip(texts, verdicts, sites):
        if t is None or v is None:
            out.append(None)
            continue
        r = build_result(split_lines(t), v if site is None else site_revised(v, site, memory, det))
        out.append((r.text, r.n_lines, [tuple(x) for x in r.removed]))  # type: ignore[misc]
    return out


def _worker_init(det: Detector) -> None:
    global _worker_detector
    _worker_detector = det
    # One process per core already: nested OpenMP threads would only oversubscribe the cores.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _worker_clean(texts: list[str | None]) -> list[Cleaned | None]:
    assert _worker_detector is not None
    return _clean_batch(_worker_detector, texts)


def _worker_verdicts(texts: list[str | None]) -> list[list[Verdict] | None]:
    assert _worker_detector is not None
    return _verdicts_batch(_worker_detector, texts)


def site_of(record: Any, site_field: str | None) -> str | None:
    """The record's URL or host at ``site_field`` (None when absent or not a string)."""
    if site_field is None or not isinstance(record, dict):
        return None
    try:
        value = get_field(record, site_field)
    except KeyError:
        return None
    return value if isinstance(value, str) and value.strip() else None


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def filter_jsonl(
    lines: Iterable[str],
    out: IO[str],
    detector: Detector,
    *,
    field_path: str = "text",
    annotate: bool = False,
    on_error: str = DEFAULT_ON_ERROR,
    jobs: int = 1,
    source: str = "<stdin>",
    report: Callable[[str], None] | None = None,
    batch_records: int = BATCH_RECORDS,
    site_field: str | None = None,
    memory: SiteMemory | None = None,
) -> JsonlSummary:
    """Clean ``field_path`` in every JSON record of ``lines`` and write one record per record.

    With ``memory`` and ``site_field`` (the field holding each record's URL or host), lines
    recurring on a host's earlier records are removed as chrome (:class:`SiteMemory`); records
    without the field are filtered by the model alone.
    """
    if on_error not in ON_ERROR:
        raise InputError(f"unknown --on-error {on_error!r}; choose one of {', '.join(ON_ERROR)}")
    summary = JsonlSummary()
    number = 0  # records are the non-blank lines, numbered from 1 in messages and in the summary

    def prepared() -> Iterator[tuple[list[tuple[int, str, Any, str | None]], list[str | None]]]:
        nonlocal number
        for batch in _batches(lines, batch_records):
            items = []
            for raw in batch:
                if raw.strip():
                    number += 1
                    record, _, problem = parse_record(raw, field_path)
                    if number == 1 and not isinstance(record, dict):
                        raise InputError(_not_jsonl(source, raw, problem))
                    items.append((number, raw, record, problem))
            yield items, [None if p else get_field(r, field_path) for _, _, r, p in items]

    def consume(items: list[tuple[int, str, Any, str | None]], cleaned: list[Cleaned | None]) -> None:
        for (num, raw, record, problem), result in zip(items, cleaned):
            summary.records += 1
            if problem is not None or result is None:
                summary.errors += 1
                message = f"{source}: record {num}: {problem}"
                if on_error == "fail":
                    raise InputError(message + " (use --on-error skip or pass to go on)")
                if report:
                    report(message + ("; skipped" if on_error == "skip" else "; passed through unchanged"))
                if on_error == "pass":
                    out.write(raw if raw.endswith("\n") else raw + "\n")
                continue
            text, n_lines, removed = result
            summary.cleaned += 1
            summary.lines += n_lines
            summary.lines_removed += len(removed)
            set_field(record, field_path, text)
            if annotate:
                record[REMOVED_KEY] = [RemovedLine(*r).to_record() for r in removed]
            out.write(json_line(record))

    use_memory = memory is not None and site_field is not None

    def sites_of(items: list[tuple[int, str, Any, str | None]]) -> list[str | None]:
        return [site_of(record, site_field) for _, _, record, _ in items]

    if jobs <= 1:
        for items, texts in prepared():
            consume(items, _clean_batch(detector, texts, sites_of(items) if use_memory else None, memory))
        return _checked(summary, source, field_path)
    import multiprocessing as mp

    # Workers get the detector once, at start; batches carry only text. With site memory the
    # workers return verdicts and the memory, which must see records in order, runs here.
    work = _worker_verdicts if use_memory else _worker_clean
    with mp.get_context("spawn").Pool(jobs, initializer=_worker_init, initargs=(detector,)) as pool:
        queue: list[tuple[list[tuple[int, str, Any, str | None]], list[str | None], Any]] = []

        def finish(items: list[tuple[int, str, Any, str | None]], texts: list[str | None], res: Any) -> None:
            got = res.get()
            if use_memory:
                assert memory is not None
                got = _finish_batch(texts, got, sites_of(items), memory, detector)
            consume(items, got)

        for items, texts in prepared():
            queue.append((items, texts, pool.apply_async(work, (texts,))))
            if len(queue) >= jobs * 2:
                finish(*queue.pop(0))
        for item in queue:
            finish(*item)
    return _checked(summary, source, field_path)


def _not_jsonl(source: str, raw: str, problem: str | None) -> str:
    shown = raw.strip()[:40]
    why = problem if problem and problem.startswith("not valid JSON") else "not a JSON object"
    return (
        f"{source}: record 1 is {why}; this is not JSON Lines (starts {shown!r}). "
        "Give one JSON object per line, or drop --jsonl for plain text"
    )


def _checked(summary: JsonlSummary, source: str, field_path: str) -> JsonlSummary:
    """A stream whose every record is malformed is not JSON Lines of this shape: say so."""
    if summary.records and summary.errors == summary.records:
        raise InputError(
            f"{source}: all {summary.records:,} records are malformed; is this JSON Lines, and is the text "
            f"under --field {field_path!r}?"
        )
    return summary
    return summary
