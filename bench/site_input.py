"""``python -m bench.site_input``: site recurrence as a model input, against site memory's rule.

Issue 13 asks for both ways of using "this line recurs on the host's pages": as an input the
model is trained on, or as a rule on top of the model's score (what ships: :class:`SiteMemory`).
This trains the first on multi-page sites simulated from ``training_data/docs`` and measures
both on the invented multi-page sites (never trained on). It takes about 3 minutes.

* **Simulated sites.** Each training site's first page gives a header (the lines before its
  first editorial line) and a footer (after its last); ``--pages`` pages are that header, the
  body of another site's page in the same language (first to last editorial line, in-article
  junk included) and that footer, read in order through a :class:`SiteMemory`. Their pages
  after the third are added to the training pages.
* **The input.** Two columns join the numeric features of every line: the share of the host's
  recent pages that held it (:meth:`SiteMemory.shares`) and "the memory knows this host"; 0
  and 0 on ordinary pages. Stage 1 and stage 2 read them; the lexical view does not.
* **Threshold.** Chosen like the shipped one: editorial character recall >= 0.96 on the
  even-numbered ScrapingHub pages (memory columns 0, as a page without a site gets).

Writes ``bench/results/site-input.md``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .data import REPO_DIR, RESULTS_DIR, data_available, data_dir, missing_message
from .report import machine
from .sites import crawl_order

DOCS = REPO_DIR / "training_data" / "docs"
BANK = REPO_DIR / "training_data" / "linebank"
SITE_SETS = (REPO_DIR / "training_data" / "sites", REPO_DIR / "training_data" / "adaptation")
WARM = 3  # pages a host needs before its memory says anything (SiteMemory's min_pages)


def _span(labels: Sequence[str]) -> tuple[int, int]:
    """First and one-past-last editorial line."""
    ed = [i for i, x in enumerate(labels) if x == "editorial"]
    return ed[0], ed[-1] + 1


def memory_columns(memory: Any, host: str, lines: Sequence[str]) -> np.ndarray:
    """The two input columns of a page, read before the page is remembered."""
    shares = memory.shares(host, lines)
    warm = float(memory.pages_seen(host) >= WARM)
    return np.column_stack([shares, np.full(len(lines), warm)])


def simulated_sites(docs: Sequence[Any], pages: int, seed: int = 0) -> tuple[list[Any], list[np.ndarray]]:
    """Warm pages of simulated multi-page sites and their memory columns (see the docstring)."""
    from dataclasses import replace

    from detector import SiteMemory

    rng = random.Random(seed)
    by_site: dict[str, list[Any]] = defaultdict(list)
    by_lang: dict[str, list[Any]] = defaultdict(list)
    for d in docs:
        by_site[d.meta.get("site") or str(d.source)].append(d)
        by_lang[d.meta.get("lang", "")].append(d)
    out, cols = [], []
    for site, ds in by_site.items():
        template = ds[0]
        a, b = _span(template.labels)
        pool = [x for x in by_lang[template.meta.get("lang", "")] if (x.meta.get("site") or str(x.source)) != site]
        memory = SiteMemory(min_pages=WARM)
        for j, body in enumerate(rng.sample(pool, min(pages, len(pool)))):
            c, e = _span(body.labels)
            lines = template.lines[:a] + body.lines[c:e] + template.lines[b:]
            labels = template.labels[:a] + body.labels[c:e] + template.labels[b:]
            page_cols = memory_columns(memory, site, lines)
            memory.observe(site, lines)
            if j >= WARM:
                out.append(replace(template, lines=lines, labels=labels, source=f"{template.source}#sim{j}"))
                cols.append(page_cols)
    return out, cols


class InputVariant:
    """A LineModel trained with the two memory columns, and its threshold."""

    def __init__(self, pages: int) -> None:
        from detector import load_dataset
        from detector.dataset import dataset_labels
        from detector.model import FeatureBatch, LineModel, featurize
        from detector.training import _groups, short_views

        docs = [d for d in load_dataset(DOCS) if "editorial" in d.labels]
        bank = load_dataset(BANK)
        sim, sim_cols = simulated_sites(docs, pages)
        self.simulated = len(sim)
        everything = [*docs, *short_views(docs), *sim]
        labels = dataset_labels([*docs, *bank])
        lookup = {c: i for i, c in enumerate(labels)}
        y = np.asarray([lookup[x] for d in everything for x in d.labels], dtype=np.int64)
        plain = sum(len(d.lines) for d in everything[: len(everything) - len(sim)])
        F = featurize([d.lines for d in everything])
        extra = np.vstack([np.zeros((plain, 2)), *sim_cols])
        bank_lines = [line for d in bank for line in d.lines]
        fb = featurize([[line] for line in bank_lines])
        start = time.perf_counter()
        self.model = LineModel().fit_features(
            FeatureBatch(F.tokens, np.hstack([F.numeric, extra]), F.doc_ids, F.offsets),
            y,
            labels,
            _groups(everything),  # a simulated page shares its template's site (and fold)
            FeatureBatch(fb.tokens, np.hstack([fb.numeric, np.zeros((len(bank_lines), 2))]), fb.doc_ids, fb.offsets),
            np.asarray([lookup[x] for d in bank for x in d.labels], dtype=np.int64),
        )
        self.fit_seconds = time.perf_counter() - start
        self.threshold = 0.5

    def junk_scores(self, pages: Sequence[Sequence[str]], cols: Sequence[np.ndarray]) -> np.ndarray:
        from detector.model import FeatureBatch, featurize

        F = featurize(pages)
        Fx = FeatureBatch(F.tokens, np.hstack([F.numeric, np.vstack(cols)]), F.doc_ids, F.offsets)
        return 1.0 - self.model.predict_features(Fx)["editorial"]


def calibrate(variant: InputVariant) -> dict[str, Any]:
    """The variant's threshold on the even ScrapingHub pages, and its figures on all and odd pages."""
    from .calibrate import char_threshold, figures
    from .data import load_pages
    from .labels import label_lines
    from .scrape import scrape_pages

    d = data_dir()
    pages = load_pages(d, None)
    by = scrape_pages(pages, d)
    lines = [by[p.id] for p in pages]
    truths = [p.truth for p in pages]
    labels = [[m.editorial for m in label_lines(ls, t)] for ls, t in zip(lines, truths)]
    flat = variant.junk_scores(lines, [np.zeros((len(x), 2)) for x in lines])
    scores = [s.tolist() for s in np.split(flat, np.cumsum([len(x) for x in lines])[:-1])]
    t = char_threshold(lines[0::2], labels[0::2], scores[0::2], 0.96)
    variant.threshold = t
    return {
        "all": figures(lines, labels, scores, truths, t),
        "odd": figures(lines[1::2], labels[1::2], scores[1::2], truths[1::2], t),
    }


ROWS = (
    "shipped model",
    "shipped model + site memory (the rule)",
    "input variant, memory off",
    "input variant, memory on",
)


def measure_sites(folder: Path, variant: InputVariant) -> dict[str, int]:
    """Junk kept and editorial lost on one set of multi-page sites, for the four ways."""
    from detector import Detector, SiteMemory, load_dataset

    det = Detector.default()
    rule_memory, input_memory = SiteMemory(), SiteMemory()
    c: dict[str, int] = defaultdict(int)
    for doc in crawl_order(load_dataset(folder)):
        site = doc.meta.get("site") or str(doc.source)
        cols = memory_columns(input_memory, site, doc.lines)
        input_memory.observe(site, doc.lines)
        on = variant.junk_scores([doc.lines], [cols]) < variant.threshold
        off = variant.junk_scores([doc.lines], [np.zeros_like(cols)]) < variant.threshold
        shipped = [v.keep for v in det.classify(doc.lines)]
        rule = [v.keep for v in det.classify(doc.lines, site=site, memory=rule_memory)]
        for label, *keeps in zip(doc.labels, shipped, rule, off, on):
            editorial = label == "editorial"
            c["editorial" if editorial else "junk"] += 1
            for row, keep in zip(ROWS, keeps):
                c[f"{row}|{'lost' if editorial else 'kept'}"] += int(editorial != bool(keep))
    return dict(c)


def report(variant: InputVariant, sh: dict[str, Any], sites: dict[str, dict[str, int]], pages: int) -> list[str]:
    m = machine()
    out = [
        "# Site recurrence: a model input, or a rule on top of the score",
        "",
        f"{m['date']} · {m['cpu']} · {m['cores']} cores · `python -m bench.site_input --pages {pages}`",
        "",
        f"Input variant: trained on `training_data/docs` (+ line bank) and {variant.simulated:,} warm pages of "
        f"simulated sites ({pages} pages a site); fit in {variant.fit_seconds:.0f} s; threshold "
        f"{variant.threshold:.3f} (editorial char recall >= 0.96 on the even ScrapingHub pages).",
        "",
        f"ScrapingHub, memory columns 0: all pages page F1 {sh['all']['page_f1']:.3f}, junk removed "
        f"{sh['all']['junk_lines_removed']:.3f}; odd half page F1 {sh['odd']['page_f1']:.3f}.",
        "",
        "'Junk lines kept' and 'editorial lines lost' count every line of the sites' pages, read in crawl order; "
        "the rule is `SiteMemory` with its defaults on top of the shipped model.",
        "",
    ]
    for folder, c in sites.items():
        out += [
            f"## `{folder}`: {c['junk']:,} junk lines, {c['editorial']:,} editorial lines",
            "",
            "| way | junk lines kept | editorial lines lost |",
            "|---|---:|---:|",
        ]
        for row in ROWS:
            lost = c.get(f"{row}|lost", 0)
            out.append(f"| {row} | {c.get(f'{row}|kept', 0):,} | {lost:,} ({lost / max(c['editorial'], 1):.2%}) |")
        out.append("")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.site_input", description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=8, help="simulated pages a site (the first 3 only warm the memory)")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "site-input.md")
    args = ap.parse_args(argv)
    if not data_available(data_dir()):
        print(missing_message(data_dir()), file=sys.stderr)
        return 1
    variant = InputVariant(args.pages)
    sh = calibrate(variant)
    sites = {str(f.relative_to(REPO_DIR)): measure_sites(f, variant) for f in SITE_SETS}
    text = "\n".join(report(variant, sh, sites, args.pages)) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
