"""Measure the label noise of the matching rule by hand-checking a sample.

``python -m bench.noise show`` prints a fixed-seed random sample of lines with
the rule's label and the article context, for a person to judge.
Their verdicts live in ``bench/label_audit.tsv`` (page id, line index, the
person's label, a short reason; no benchmark text), and
``python -m bench.noise score`` compares them with the rule's current labels.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from .data import BENCH_DIR, data_available, data_dir, load_pages, missing_message
from .labels import LineMatch, label_lines
from .metric import shingles, tokens
from .scrape import scrape_pages

AUDIT_FILE = BENCH_DIR / "label_audit.tsv"
SAMPLE_SIZE = 200
BOUNDARY_SIZE = 60
SAMPLE_SEED = 7


def sample_keys(lines: dict[str, list[str]], k: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[tuple[str, int]]:
    """A uniform random sample of (page id, line index) over all lines."""
    keys = [(pid, i) for pid in sorted(lines) for i in range(len(lines[pid]))]
    return sorted(random.Random(seed).sample(keys, k))


def boundary_keys(
    labels: dict[str, list[LineMatch]], k: int = BOUNDARY_SIZE, seed: int = SAMPLE_SEED
) -> list[tuple[str, int]]:
    """A random sample of the hard lines: those whose label differs from a neighbour's."""
    keys = []
    for pid in sorted(labels):
        lab = [m.editorial for m in labels[pid]]
        for i, e in enumerate(lab):
            if (i > 0 and lab[i - 1] != e) or (i + 1 < len(lab) and lab[i + 1] != e):
                keys.append((pid, i))
    return sorted(random.Random(seed).sample(keys, min(k, len(keys))))


def _context(truth: str, line: str, width: int = 12) -> str:
    """Where the line's first tokens occur in the article, with some words around."""
    art, lt = tokens(truth), tokens(line)
    n = min(len(lt), 4)
    if n == 0:
        return "(no tokens)"
    hits = [i for i in range(len(art) - n + 1) if art[i : i + n] == lt[:n]]
    if not hits:
        return "(first tokens not in article)"
    i = hits[0]
    return f"{len(hits)} hit(s); " + " ".join(art[max(0, i - width) : i + n + width])


def _anywhere(truth: str, line: str) -> float:
    """Share of the line's shingles found anywhere in the article, order ignored."""
    grams, art = shingles(line), shingles(truth)
    return sum(g in art for g in grams) / len(grams) if grams else 0.0


def show(out: Path | None, boundary: bool) -> None:
    """Print the sample with labels and context (to a file outside the repo if given)."""
    d = data_dir()
    pages = {p.id: p for p in load_pages(d)}
    lines = scrape_pages(list(pages.values()), d)
    labels = {pid: label_lines(lines[pid], pages[pid].truth) for pid in lines}
    chunks = []
    keys = boundary_keys(labels) if boundary else sample_keys(lines)
    for n, (pid, i) in enumerate(keys):
        ls, lab = lines[pid], labels[pid][i]
        around = [
            f"      {j - i:+d} {'E' if labels[pid][j].editorial else '-'} {ls[j][:110]}"
            for j in range(max(0, i - 2), min(len(ls), i + 3))
            if j != i
        ]
        chunks.append(
            f"#{n} {pid[:12]} line {i}/{len(ls)} rule={'E' if lab.editorial else '-'} "
            f"share={lab.share:.2f} anywhere={_anywhere(pages[pid].truth, ls[i]):.2f}\n  >> {ls[i][:300]}\n"
            + "\n".join(around)
            + f"\n  article: {_context(pages[pid].truth, ls[i])[:300]}\n"
        )
    text = "\n".join(chunks)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        print(text)


def score() -> dict[str, dict[str, int]]:
    """Compare the hand labels in the audit file with the rule; print and return counts."""
    d = data_dir()
    pages = {p.id: p for p in load_pages(d)}
    with AUDIT_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    need = sorted({r["page_id"] for r in rows})
    lines = scrape_pages([pages[pid] for pid in need], d)
    labels = {pid: label_lines(lines[pid], pages[pid].truth) for pid in need}
    res: dict[str, dict[str, int]] = {}
    for r in rows:
        c = res.setdefault(
            r["sample"], {"n": 0, "disagree": 0, "rule_E_hand_not": 0, "hand_E_rule_not": 0, "hand_E": 0}
        )
        rule = labels[r["page_id"]][int(r["line_index"])].editorial
        hand = r["hand_label"] == "E"
        c["n"] += 1
        c["hand_E"] += hand
        c["disagree"] += rule != hand
        c["rule_E_hand_not"] += rule and not hand
        c["hand_E_rule_not"] += hand and not rule
    for name, c in res.items():
        print(
            f"{name}: {c['disagree']}/{c['n']} lines labelled wrongly "
            f"({100 * c['disagree'] / c['n']:.1f} %; rule E but not: {c['rule_E_hand_not']}, "
            f"editorial but rule not: {c['hand_E_rule_not']}; editorial by hand: {c['hand_E']})"
        )
    return res


def main(argv: list[str] | None = None) -> int:
    """CLI: ``show [--out FILE]`` or ``score``."""
    ap = argparse.ArgumentParser(prog="python -m bench.noise", description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["show", "score"])
    ap.add_argument("--out", type=Path, help="write the sample here instead of stdout")
    ap.add_argument("--boundary", action="store_true", help="sample lines at label boundaries")
    args = ap.parse_args(argv)
    if not data_available(data_dir()):
        print(missing_message(data_dir()), file=sys.stderr)
        return 0
    if args.action == "show":
        show(args.out, args.boundary)
    else:
        score()
    return 0


if __name__ == "__main__":
    sys.exit(main())
