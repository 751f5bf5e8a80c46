"""One benchmark run: every requested row, scored, timed and reported."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import backend as backend_mod
from . import c4, headlines, metric, owndata, perdoc, plot, report, rows, speed, worst
from .data import RESULTS_DIR, data_available, data_dir, fingerprint, load_pages, missing_message
from .labels import label_lines
from .linemetrics import line_scores
from .rows import Row, progress
from .scrape import CACHE_DIR, extract_text, scrape_pages

QUICK_PAGES = 30
ALL_ROWS = ("oracle", *rows.ROW_KEYS)


@dataclass(frozen=True)
class Options:
    """What to run: quick mode, which rows, which detector, where to write."""

    quick: bool = False
    rows: tuple[str, ...] = ALL_ROWS
    detector: str | None = None
    model: str | None = None
    out_dir: Path = RESULTS_DIR


def _speed(row: Row, n_pages: int, n_lines: int) -> dict[str, Any] | None:
    """Throughput figures of one row (ratios are filled in later)."""
    if row.key == "oracle":
        return None
    secs, e2e = row.seconds, row.end_to_end_seconds
    lines = row.extra.get("lines", n_lines) if row.key != "trafilatura" else None
    return {
        "seconds": secs,
        "end_to_end_seconds": e2e,
        "lines_per_s": (lines / secs) if lines and secs > 0 else None,
        "pages_per_s": n_pages / secs if secs > 0 else None,
        "e2e_pages_per_s": n_pages / e2e if e2e > 0 else None,
        "cpu_seconds": row.extra.get("cpu_seconds"),
        "timing": row.timing,
    }


def _add_ratios(results: list[dict[str, Any]]) -> None:
    """Speed ratios to the C4 rules (filter) and to trafilatura (end-to-end)."""
    by_key = {r["key"]: r.get("speed") for r in results}
    c4, traf = by_key.get("c4"), by_key.get("trafilatura")
    for r in results:
        s = r.get("speed")
        if not s:
            continue
        if (
            c4
            and c4["pages_per_s"]
            and s["pages_per_s"]
            and r["key"] not in ("trafilatura", "trafilatura+detector", "detector-html")
        ):
            s["x_c4"] = s["pages_per_s"] / c4["pages_per_s"]
        if traf and traf["e2e_pages_per_s"] and s["e2e_pages_per_s"]:
            s["x_trafilatura"] = s["e2e_pages_per_s"] / traf["e2e_pages_per_s"]


def run(opts: Options) -> int:
    """Run the benchmark; return the process exit code."""
    d = data_dir()
    if not data_available(d):
        print(missing_message(d))
        return 0
    load_start = os.getloadavg()[0]
    pages = load_pages(d, QUICK_PAGES if opts.quick else None)
    truths = [p.truth for p in pages]
    progress(f"{len(pages)} pages from {d}")
    by_id = scrape_pages(pages, d)
    lines = [by_id[p.id] for p in pages]
    htmls = [p.read_html(d) for p in pages]
    n_lines = sum(len(ls) for ls in lines)
    progress("timing html-text extraction")
    html_timing, _ = speed.best_of(lambda: [extract_text(h) for h in htmls])
    html_text_s = html_timing.wall
    labels = [[m.editorial for m in label_lines(ls, t)] for ls, t in zip(lines, truths, strict=True)]
    inp = rows.Inputs(lines, htmls, html_text_s)

    want = set(opts.rows)
    needs_det = bool(want & {"detector", "detector-html", "trafilatura+detector"})
    chosen = backend_mod.choose(opts.detector, opts.model)
    det = chosen.load() if needs_det else None
    out_rows: list[Row] = []
    det_scores: list[list[float]] | None = None
    if "oracle" in want:
        out_rows.append(
            Row(
                "oracle",
                "oracle (keep lines labelled editorial)",
                [rows.joined(ls, m) for ls, m in zip(lines, labels, strict=True)],
                labels,
                0.0,
                0.0,
                "not timed",
            )
        )
    for key, fn in (("keep-all", rows.keep_all), ("c4", rows.c4_rules), ("justext", rows.justext_lines)):
        if key in want:
            progress(f"row {key}")
            out_rows.append(fn(inp))
    if "detector" in want and det is not None:
        progress(f"row {chosen.name}")
        det_rows, det_scores = rows.detector_rows(inp, det, chosen.name)
        out_rows += det_rows
    if "detector-html" in want and det is not None and hasattr(det, "filter_html"):
        progress(f"row {chosen.name} --html")
        out_rows.append(rows.detector_html_row(inp, det, chosen.name))
    if want & {"trafilatura", "trafilatura+detector"}:
        progress("row trafilatura")
        traf_t, texts = rows.trafilatura_texts(inp)
        if "trafilatura" in want:
            out_rows.append(rows.trafilatura_row(traf_t, texts))
        if "trafilatura+detector" in want and det is not None:
            progress("row trafilatura + detector")
            out_rows.append(rows.trafilatura_detector_row(traf_t, texts, det, chosen.name))

    results: list[dict[str, Any]] = []
    counts_by_key: dict[str, list[metric.Counts]] = {}
    for row in out_rows:
        progress(f"scoring {row.key}" + ("" if opts.quick else " (with bootstrap)"))
        counts = metric.evaluate(truths, row.preds)
        counts_by_key[row.key] = counts
        entry: dict[str, Any] = {
            "key": row.key,
            "name": row.name,
            "page": metric.aggregate(counts)._asdict(),
            "page_ci": None if opts.quick else metric.bootstrap(counts)._asdict(),
        }
        # The odd-numbered pages (0-based positions in id order) are never used to choose a
        # threshold (bench.calibrate uses the even ones): their figures are reported apart.
        odd = slice(1, None, 2)
        entry["page_odd"] = metric.aggregate(counts[odd])._asdict()
        if row.masks is not None:
            entry["lines"] = line_scores(lines, labels, row.masks)._asdict()
            entry["lines_odd"] = line_scores(lines[odd], labels[odd], row.masks[odd])._asdict()
        entry["speed"] = _speed(row, len(pages), n_lines)
        entry.update({k: v for k, v in row.extra.items() if k == "threshold"})
        results.append(entry)
    _add_ratios(results)

    threshold = float(det.threshold) if det is not None else 0.5
    det_info: dict[str, Any] = {"kind": chosen.kind, "name": chosen.name, "threshold": threshold}
    res: dict[str, Any] = {
        "machine": {**report.machine(), "loadavg_1m": [load_start, os.getloadavg()[0]]},
        "quick": opts.quick,
        "html_text_seconds": html_text_s,
        "data": {
            "dir": str(d),
            "fingerprint": fingerprint(d),
            "pages": len(pages),
            "lines": n_lines,
            "editorial_lines": sum(sum(x) for x in labels),
        },
        "bootstrap": None
        if opts.quick
        else {"resamples": metric.BOOTSTRAP_RESAMPLES, "seed": metric.BOOTSTRAP_SEED, "z": metric.CI_Z},
        "detector": det_info,
        "rows": results,
    }
    if "keep-all" in counts_by_key:
        res["reproduction"] = metric.aggregate(counts_by_key["keep-all"])._asdict()
        res["reproduction"]["published"] = report.PUBLISHED_KEEP_ALL
    default_row = next((r for r in out_rows if r.key.startswith("detector@") and "(default)" in r.name), None)
    if default_row is not None and default_row.masks is not None:
        res["headlines_kept"] = headlines.headlines_kept(htmls, lines, default_row.masks, truths)
    if det is not None and not opts.quick:
        progress("per-document speed, quiet and beside busy processes")
        res["per_document"] = perdoc.measure(det, lines, c4.filter_page)
    if det is not None:
        progress("own hold-out per language, the in-article promotion set, other scripts and page titles")
        res["holdout_by_language"] = owndata.holdout_by_language(det)
        res["scripts_dev_by_language"] = owndata.holdout_by_language(det, owndata.SCRIPTS_DEV)
        res["promo_dev"] = owndata.promo_dev(det)
        res["titles_kept"] = owndata.titles_kept(det)
        res["forum_threads"] = owndata.forum_threads(det)
        if res["forum_threads"]:
            read = [t != det.threshold for t in det.page_thresholds(lines)]
            res["forum_threads"]["scrapinghub_read_as_threads"] = [i for i, r in enumerate(read) if r]
    if det is not None and det_scores is not None:
        _detector_extras(res, det_info, chosen, pages, lines, labels, truths, det_scores, out_rows, counts_by_key, opts)
    report.write(res, opts.out_dir)
    progress(f"wrote {opts.out_dir / 'results.md'} and results.json")
    return 0


def _detector_extras(
    res: dict[str, Any],
    det_info: dict[str, Any],
    chosen: backend_mod.Backend,
    pages: list[Any],
    lines: list[list[str]],
    labels: list[list[bool]],
    truths: list[str],
    scores: list[list[float]],
    out_rows: list[Row],
    counts_by_key: dict[str, list[metric.Counts]],
    opts: Options,
) -> None:
    """Cost probes, the PR curve, worst pages and failure categories of the detector."""
    progress("detector cost: load time and peak memory in fresh processes")
    det_info["load"] = speed.load_time(chosen)
    run_lines = CACHE_DIR / "run-lines.json"
    run_lines.parent.mkdir(parents=True, exist_ok=True)
    run_lines.write_text(
        json.dumps({p.id: ls for p, ls in zip(pages, lines, strict=True)}, ensure_ascii=False), encoding="utf-8"
    )
    det_info["memory"] = speed.peak_memory(chosen, run_lines)
    model = backend_mod.model_file(chosen)
    det_info["model_file"] = model
    det_info["model_bytes"] = os.path.getsize(model) if model else None
    det_info["model_sha256"] = hashlib.sha256(Path(model).read_bytes()).hexdigest() if model else None
    det_info["model_label"] = chosen.model_path or "detector/models/default.joblib"
    det_info["loader"] = "Detector.load(path)" if chosen.model_path else "Detector.default()"

    progress("precision-recall curve")
    curve = plot.pr_curve(lines, scores, labels, truths)
    res["pr_curve"] = [c._asdict() for c in curve]
    page_pts = {r["name"]: (r["page"]["recall"], r["page"]["precision"]) for r in res["rows"]}
    line_pts = {
        r["name"]: (r["lines"]["editorial_recall_lines"], r["lines"]["precision_lines"])
        for r in res["rows"]
        if r.get("lines")
    }
    plot.draw(curve, page_pts, line_pts, chosen.name, opts.out_dir / "pr-curve.png")

    default = next(r for r in out_rows if r.key.startswith("detector@") and "(default)" in r.name)
    assert default.masks is not None
    cats = worst.categories(lines, labels, default.masks)
    res["failure_categories"] = {k: dict(v) for k, v in cats.items()}
    res["failure_table"] = worst.category_table(cats)
    print(f"\nFailure categories of {default.name}:\n{res['failure_table']}\n")
    res["worst_pages"] = worst.write_worst(
        opts.out_dir / "worst-pages.md",
        default.name,
        pages,
        lines,
        labels,
        default.masks,
        scores,
        counts_by_key[default.key],
    )
