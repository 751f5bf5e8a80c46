"""``python -m bench.adaptation``: does retraining on a few pages of one's own site pay?

The experiment of the retraining loop, on an invented site family the shipped model handles
badly (``training_data/adaptation/<site>/``, never part of the shipped model's data):

1. The shipped model's errors on the site's evaluation pages (all but the first ``--labelled``).
2. The loop a user runs: the first ``--labelled`` pages are pre-labelled by the shipped model
   (:func:`detector.prelabel`, doubtful lines marked ``?``) and corrected, here from the
   pages' true labels as the person would; we count the corrections and how many of them the
   ``?`` marks pointed at.
3. A model trained on the corrected pages on top of the default corpus
   (``--with-default-corpus``, the pages weighted ``--weight``), then its errors on the same
   evaluation pages, and the shipped hold-out's figures before and after.

Errors are lines whose fate is wrong (editorial removed or junk kept), at each model's own
default threshold and, to separate the ranking from the threshold, at the shipped one.
Writes ``bench/results/adaptation.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .data import REPO_DIR, RESULTS_DIR
from .owndata import HOLDOUT, holdout_by_language
from .report import machine
from .rows import progress

ADAPTATION = REPO_DIR / "training_data" / "adaptation"


def errors(det: Any, docs: list[Any]) -> dict[str, int]:
    """Editorial lines removed and junk lines kept on labelled documents."""
    lost = kept = ed = junk = 0
    for d, verdicts in zip(docs, det.classify_many([d.lines for d in docs])):
        for label, v in zip(d.labels, verdicts):
            if label == "editorial":
                ed += 1
                lost += not v.keep
            else:
                junk += 1
                kept += v.keep
    return {"editorial_lost": lost, "junk_kept": kept, "errors": lost + kept, "editorial": ed, "junk": junk}


def correct(det: Any, docs: list[Any], folder: Path, margin: float) -> dict[str, int]:
    """Pre-label ``docs``, write the files a person would open, correct them from the truth."""
    from detector import load_dataset, prelabel
    from detector.labelling import code_of

    corrections = flagged = marks = 0
    for i, d in enumerate(docs):
        out = prelabel(
            det, d.lines, margin=margin, meta={"genre": d.genre, "lang": d.lang, "site": d.meta.get("site", "")}
        )
        rows = out.text.splitlines()
        header = [r for r in rows if r.startswith("#")]
        body = [r for r in rows if not r.startswith("#")]
        fixed = []
        for row, truth in zip(body, d.labels):
            code, _, text = row.partition(" ")
            unsure = code.endswith("?")
            marks += unsure
            if code.rstrip("?") != code_of(truth):
                corrections += 1
                flagged += unsure
            fixed.append(f"{code_of(truth)} {text}")
        (folder / f"{i:02d}.txt").write_text("\n".join(header + fixed) + "\n", encoding="utf-8")
    back = load_dataset(folder)
    assert [x.lines for x in back] == [d.lines for d in docs], "pre-labelled files must load back byte for byte"
    return {"corrections": corrections, "marked_unsure": marks, "corrections_marked": flagged}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.adaptation", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--site", type=Path, default=None, help="site folder (default: the one under training_data/adaptation)"
    )
    ap.add_argument("--labelled", type=int, default=5, help="pages the user labels (default 5)")
    ap.add_argument("--weight", type=float, default=5.0, help="weight of the user's pages (default 5)")
    ap.add_argument("--margin", type=float, default=0.15, help="pre-label doubt margin (default 0.15)")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "adaptation.md")
    args = ap.parse_args(argv)

    from detector import Detector, load_dataset
    from detector.corpus import load_corpus
    from detector.training import train

    site = args.site or next(p for p in sorted(ADAPTATION.iterdir()) if p.is_dir())
    docs = load_dataset(site)
    mine, rest = docs[: args.labelled], docs[args.labelled :]
    shipped = Detector.default()
    before = errors(shipped, rest)
    progress(f"{site.name}: {len(docs)} pages; shipped model: {before['errors']} errors on {len(rest)} pages")
    with tempfile.TemporaryDirectory() as tmp:
        loop = correct(shipped, mine, Path(tmp), args.margin)
        corrected = load_dataset(tmp)
        t0 = time.perf_counter()
        retrained, report = train(
            corrected, base=load_corpus(), weight=args.weight, operating_points=shipped.metadata, quiet=True
        )
        train_s = time.perf_counter() - t0
    cv_t = float(retrained.metadata["cv_threshold"])
    after = errors(retrained, rest)
    after_at_cv = errors(retrained.configure(threshold=cv_t), rest)
    hold_before = holdout_by_language(shipped, HOLDOUT)
    hold_after = holdout_by_language(retrained, HOLDOUT)
    hold_after_cv = holdout_by_language(retrained.configure(threshold=cv_t), HOLDOUT)
    m = machine()
    md = [
        "# Retraining on five pages of one's own site",
        "",
        f"{m['date']} · {m['cpu']} · {m['cores']} cores · `python -m bench.adaptation` · site `{site.name}` "
        f"({len(docs)} invented pages, never in the shipped model's data) · load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        "",
        f"The loop: {len(mine)} pages pre-labelled by the shipped model ({loop['marked_unsure']} lines marked `?`), "
        f"{loop['corrections']} labels corrected, {loop['corrections_marked']} of them on `?` lines; "
        f"retrained with `--with-default-corpus --weight {args.weight:g}` in {train_s:.0f} s "
        f"(it keeps the shipped threshold {retrained.threshold:.3f}, chosen on real pages; its own cross-validated "
        f"threshold would be {cv_t:.3f}).",
        "",
        f"Errors on the other {len(rest)} pages ({before['editorial']} editorial and {before['junk']} junk lines):",
        "",
        "| model | threshold | editorial lines lost | junk lines kept | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, t, e in (
        ("shipped", shipped.threshold, before),
        ("retrained", retrained.threshold, after),
        ("retrained, its cross-validated threshold", cv_t, after_at_cv),
    ):
        md.append(f"| {name} | {t:.3f} | {e['editorial_lost']} | {e['junk_kept']} | {e['errors']} |")
    md += [
        "",
        "The shipped hold-out (`training_data/holdout`) per language, editorial recall / junk removed:",
        "",
        "| language | shipped | retrained | retrained, its cross-validated threshold |",
        "|---|---:|---:|---:|",
    ]
    for lang in hold_before:
        cells = [
            f"{h[lang]['editorial_recall']:.3f} / {h[lang]['junk_removed']:.3f}"
            for h in (hold_before, hold_after, hold_after_cv)
        ]
        md.append(f"| {lang} | " + " | ".join(cells) + " |")
    overall = [errors(d, load_dataset(HOLDOUT)) for d in (shipped, retrained, retrained.configure(threshold=cv_t))]
    cells = [f"{1 - o['editorial_lost'] / o['editorial']:.4f} / {1 - o['junk_kept'] / o['junk']:.4f}" for o in overall]
    md.append("| **all** | " + " | ".join(cells) + " |")
    md.append("")
    md.append(f"Cross-validated figures of the user's pages inside the retrain: {report.get('yours')}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
