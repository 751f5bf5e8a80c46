"""Write results.json and results.md from one run's results (no benchmark text)."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PUBLISHED_KEEP_ALL = {"f1": 0.665, "precision": 0.499, "recall": 0.994}
PACKAGES = ("scikit-learn", "numpy", "html-text", "justext", "trafilatura", "matplotlib", "detector")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or platform's guess)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """Date, CPU, cores, Python and package versions of this run."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _f(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _pm(row: dict[str, Any], key: str) -> str:
    ci = row.get("page_ci")
    val = _f(row["page"][key])
    return f"{val} ± {ci[key]:.3f}" if ci else val


def _rate(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.3g}×"


def _load_note(m: dict[str, Any]) -> str:
    """The machine's 1-minute load average at the start and end of the run, for judging timings."""
    la = m.get("loadavg_1m")
    if not la:
        return ""
    return (
        f"1-minute load average {la[0]:.2f} at the start and {la[1]:.2f} at the end of the run on "
        f"{m['cores']} cores: other processes share the machine when it is well above 0."
    )


def _best_on_curve(res: dict[str, Any]) -> str:
    """One sentence: the sweep's best page F1 and its threshold (hindsight, not a tuned setting)."""
    curve = res.get("pr_curve")
    if not curve:
        return "- No threshold sweep in this run."
    best = max(curve, key=lambda c: c["page_f1"])
    return (
        f"- Threshold sweep (`pr-curve.png`): the best page F1 is {best['page_f1']:.3f} at threshold "
        f"{best['threshold']:.3g} (precision {best['page_precision']:.3f}, recall {best['page_recall']:.3f}; "
        f"editorial line recall {best['line_recall']:.3f}), chosen in hindsight on this test set."
    )


def markdown(res: dict[str, Any]) -> str:
    """The human-readable results page."""
    m, d, det = res["machine"], res["data"], res["detector"]
    out = [
        "# Benchmark results",
        "",
        (
            f"{m['date']} · {m['cpu']} · {m['cores']} cores · Python {m['python']} · "
            f"scikit-learn {m['versions'].get('scikit-learn')} · html-text {m['versions'].get('html-text')} · "
            f"justext {m['versions'].get('justext')} · trafilatura {m['versions'].get('trafilatura')}"
        ),
        "",
        f"Data: ScrapingHub article-extraction benchmark, {d['pages']} pages, {d['lines']:,} non-blank "
        f"html-text lines, {d['editorial_lines']:,} of them editorial by the matching rule "
        f"(fingerprint `{d['fingerprint']}`). Detector: **{det['name']}** "
        f"(default threshold {det['threshold']:.3f})."
        + (" **Quick run** (first pages only, no bootstrap)." if res["quick"] else ""),
        "",
        "## Quality",
        "",
        "Page metric = the benchmark's 4-token shingle metric (mean precision, mean recall, F1 of the "
        "means); "
        + (
            f"± = 1.96 × bootstrap standard deviation over {res['bootstrap']['resamples']} page resamples "
            f"(seed {res['bootstrap']['seed']}), as in the published table. "
            if res["bootstrap"]
            else ""
        )
        + "Line columns pool all lines; 'kept = editorial' is the positive class.",
        "",
        (
            "| row | page F1 | page precision | page recall | editorial recall (lines) | editorial recall "
            "(chars) | non-editorial removed (lines) | line precision | line F1 |"
        ),
        "|---|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in res["rows"]:
        ln = r.get("lines") or {}
        out.append(
            f"| {r['name']} | {_pm(r, 'f1')} | {_pm(r, 'precision')} | {_pm(r, 'recall')} | "
            f"{_f(ln.get('editorial_recall_lines'))} | {_f(ln.get('editorial_recall_chars'))} | "
            f"{_f(ln.get('removal_rate_lines'))} | {_f(ln.get('precision_lines'))} | {_f(ln.get('f1_lines'))} |"
        )
    out += [
        "",
        "### The odd-numbered pages alone",
        "",
        "The default threshold and the presets were chosen on the even-numbered pages (`python -m bench.calibrate`); "
        "the odd-numbered ones were never used to choose anything.",
        "",
        "| row | page F1 | page precision | page recall | editorial recall (chars) | non-editorial removed (lines) |",
        "|---|---|---|---|---:|---:|",
    ]
    for r in res["rows"]:
        po, lo = r.get("page_odd"), r.get("lines_odd") or {}
        if po:
            out.append(
                f"| {r['name']} | {_f(po['f1'])} | {_f(po['precision'])} | {_f(po['recall'])} | "
                f"{_f(lo.get('editorial_recall_chars'))} | {_f(lo.get('removal_rate_lines'))} |"
            )
    out += _own_data(res)
    ka = res.get("reproduction")
    if ka:
        out += [
            "",
            (
                f"Reproduction check: keep-all gives F1 {ka['f1']:.3f}, precision {ka['precision']:.3f}, "
                f"recall {ka['recall']:.3f}; published html-text row: F1 0.665, precision 0.499, recall 0.994."
            ),
        ]
    out += [
        "",
        "## Speed (warm, one process, model already loaded)",
        "",
        (
            "Filter time covers only the row's own step over all pages, best of 3 (wall clock; CPU s is this "
            "process's CPU time over all its threads, best of 3). End-to-end adds the "
            f"html-text extraction ({_f(res['html_text_seconds'], 2)} s for all pages, best of 3) for line rows, "
            "and trafilatura's own time for the post-filter row. ×C4 compares filter speed with the C4 "
            "rules, ×trafilatura compares end-to-end speed with trafilatura (above 1 = faster). " + _load_note(m)
        ),
        "",
        "| row | filter s | filter CPU s | lines/s | pages/s | end-to-end pages/s | ×C4 (filter) | ×trafilatura (end-to-end) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["rows"]:
        s = r.get("speed")
        if not s:
            continue
        out.append(
            f"| {r['name']} | {_f(s['seconds'], 3)} | {_f(s.get('cpu_seconds'), 3)} | {_rate(s['lines_per_s'])} | {_rate(s['pages_per_s'])} | "
            f"{_rate(s['e2e_pages_per_s'])} | {_ratio(s.get('x_c4'))} | {_ratio(s.get('x_trafilatura'))} |"
        )
    out += _per_document(res)
    load, mem = det.get("load") or {}, det.get("memory") or {}
    out += [
        "",
        "## Detector cost",
        "",
        (
            f"- Model load (`{det.get('loader', 'Detector.default()')}`, fresh process, median of {load.get('runs', '—')}): "
            f"{_f(load.get('load_s_median'), 3)} s (min {_f(load.get('load_s_min'), 3)} s); "
            f"`import detector`: {_f(load.get('import_s_median'), 3)} s."
        ),
        (
            f"- Peak RSS of a fresh process that loads the model and classifies all {mem.get('pages', '—')} pages: "
            f"{_f(mem.get('rss_mb_peak_per_page'), 1)} MB calling `classify` once per page, "
            f"{_f(mem.get('rss_mb_peak'), 1)} MB after one `classify_many` over all of them "
            f"(after loading the lines only: {_f(mem.get('rss_mb_data_only'), 1)} MB; "
            f"after loading the model: {_f(mem.get('rss_mb_after_load'), 1)} MB, of which importing scikit-learn "
            + ("with pandas and pyarrow installed, which it then imports, " if mem.get("pandas_imported") else "")
            + f"is most; VmHWM {_f(mem.get('vm_hwm_mb'), 1)} MB)."
        ),
        f"- Model file `{det.get('model_label', 'detector/models/default.joblib')}`: "
        + (
            f"{det['model_bytes'] / 1e6:.2f} MB, sha256 `{(det.get('model_sha256') or '?')[:16]}…`."
            if det.get("model_bytes")
            else "not present (stand-in)."
        ),
        "",
        _best_on_curve(res),
        "",
        "## Where the default detector row goes wrong",
        "",
        "Lines by length and by position relative to the first/last editorial line of the page.",
        "",
        res.get("failure_table", "—"),
        "",
        (
            "Precision–recall curve: `pr-curve.png`. Worst pages with their wrong lines: `worst-pages.md` "
            "(local only, git-ignored: it quotes benchmark text)."
        ),
    ]
    return "\n".join(out) + "\n"


def _per_document(res: dict[str, Any]) -> list[str]:
    """The per-document speed section (one call per page, quiet and busy)."""
    pd = res.get("per_document")
    if not pd:
        return []
    rows = [("C4 line rules, quiet", pd["c4_quiet"]), ("detector, quiet", pd["quiet"])]
    rows.append((f"detector beside {pd['busy_processes']} busy processes", pd["busy"]))
    if pd.get("busy_threads_2"):
        rows.append((f"detector with threads=2, beside {pd['busy_processes']} busy processes", pd["busy_threads_2"]))
    out = [
        "",
        "## Per-document speed (one call per page, as pipelines call it)",
        "",
        f"`classify(lines)` once per page over all {pd['pages']} pages ({pd['lines']:,} non-blank lines), model "
        f"loaded, feature cache emptied before each of {pd['repeats']} repeats (best kept); the C4 rules timed "
        "the same way. Busy: that many processes spin on the cores during the timing.",
        "",
        "| setting | lines/s | lines per CPU-second | p50 ms/page | p99 ms/page |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, f in rows:
        out.append(
            f"| {name} | {_rate(f['lines_per_s'])} | {_rate(f['lines_per_cpu_s'])} | {_f(f['p50_ms'], 2)} | {_f(f['p99_ms'], 2)} |"
        )
    out += [
        "",
        f"Detector / C4 speed (quiet): {pd['x_c4']:.3g}×. Busy / quiet: {pd['busy_over_quiet']:.2f}.",
    ]
    parts = pd.get("breakdown_ms")
    if parts:
        total = 1e3 * pd["lines"] / pd["quiet"]["lines_per_s"]
        shown = ", ".join(f"{name.replace('_', ' ')} {ms:,.0f} ms ({ms / total:.0%})" for name, ms in parts.items())
        rest = total - sum(parts.values())
        rest_text = (
            f"verdicts, decisions and the rest {rest:,.0f} ms ({rest / total:.0%})"
            if rest >= 0
            else "the parts add up to more than the quiet run, so a timing was disturbed: run it again"
        )
        out += [
            "",
            f"Where the quiet run's {total:,.0f} ms go (each part timed alone over all pages, one call per page, "
            f"best of {pd.get('breakdown_repeats', pd['repeats'])}): {shown}; {rest_text}. "
            "The line features alone cap one core at "
            f"{pd['lines'] / parts['line_features'] * 1e3:,.0f} lines/s.",
        ]
    return out


def _language_table(title: str, by_language: dict[str, dict[str, Any]]) -> list[str]:
    """One row per language: pages, editorial lines kept and junk lines removed."""
    out = [
        "",
        title,
        "",
        "| language | pages | editorial lines kept | non-editorial lines removed |",
        "|---|---:|---:|---:|",
    ]
    return out + [
        f"| {k} | {v['pages']} | {_f(v['editorial_recall'])} | {_f(v['junk_removed'])} |"
        for k, v in by_language.items()
    ]


def _own_data(res: dict[str, Any]) -> list[str]:
    """Hold-out per language, languages we do not train on and the in-article promotion set, at
    the default threshold."""
    out: list[str] = []
    if res.get("holdout_by_language"):
        out += _language_table(
            "## Our own hold-out, per language (`training_data/holdout`, sites never trained on)",
            res["holdout_by_language"],
        )
    if res.get("scripts_dev_by_language"):
        out += _language_table(
            "## Languages our training pages do not have (`training_data/scripts-dev`, never trained on)",
            res["scripts_dev_by_language"],
        )
    pd = res.get("promo_dev")
    if pd:
        out += [
            "",
            "## In-article promotion (`training_data/promo-dev`, never trained on)",
            "",
            "| language | pages | promotional lines | promotional removed | editorial kept |",
            "|---|---:|---:|---:|---:|",
        ]
        out += [
            f"| {k} | {v['pages']} | {v['promotional_lines']} | {_f(v['promotional_removed'])} | {_f(v['editorial_kept'])} |"
            for k, v in pd.items()
        ]
    ft = res.get("forum_threads")
    if ft:
        sh = ft.get("scrapinghub_read_as_threads", [])
        out += [
            "",
            "## Forum threads (the forum pages of `holdout`, `promo-dev` and `sites`, never trained on)",
            "",
            f"The detector reads {ft['read_as_threads']} of these {ft['pages']} pages as forum threads and judges them "
            f"at the `safe` preset (`detector.forums`). Of the ScrapingHub pages it reads {len(sh)} as "
            + ("a thread" if len(sh) == 1 else "threads")
            + (f" (position{'s' if len(sh) > 1 else ''} {', '.join(map(str, sh))})." if sh else "."),
            "",
            "| | editorial lines kept | non-editorial lines removed |",
            "|---|---:|---:|",
            f"| forum rule on (the default) | {_f(ft['forum_rule']['editorial_kept'])} | {_f(ft['forum_rule']['junk_removed'])} |",
            f"| forum rule off (`--no-forums`) | {_f(ft['no_forum_rule']['editorial_kept'])} | "
            f"{_f(ft['no_forum_rule']['junk_removed'])} |",
        ]
    tk = res.get("titles_kept")
    hk = res.get("headlines_kept")
    if hk and hk["found"]:
        out += [
            "",
            "## Real pages' headlines kept (ScrapingHub, not in its ground truth)",
            "",
            f"The page's first `<h1>` was found as one of its html-text lines on {hk['found']} of {hk['pages']} pages; "
            f"the default threshold keeps it on {hk['kept']} ({hk['kept'] / hk['found']:.3f}). "
            "The ground truth leaves headlines out, so the page F1 above counts a kept headline against the detector"
            + (
                f"; with each found headline counted as part of its article, the default's page F1 is "
                f"{hk['page_f1_with_headline']:.4f}."
                if "page_f1_with_headline" in hk
                else "."
            ),
        ]
    if tk:
        out += [
            "",
            "## Page titles kept (first editorial line of each page, sets never trained on)",
            "",
            "The ScrapingHub ground truth leaves headlines out, so the ScrapingHub figures cannot see a lost title.",
            "",
            "| set | pages | titles kept | share |",
            "|---|---:|---:|---:|",
        ]
        out += [f"| {k} | {v['pages']} | {v['kept']} | {_f(v['kept'] / max(v['pages'], 1))} |" for k, v in tk.items()]
    return out


def write(res: dict[str, Any], out_dir: Path) -> None:
    """Write results.json and results.md into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    (out_dir / "results.md").write_text(markdown(res), encoding="utf-8")
