"""Print the data card of training_data/ as Markdown: counts per label, genre and language,
the unique-line ratio and the SHA-256 that trained models record.

    python training_data/datacard.py training_data/docs training_data/holdout
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from detector import load_dataset
from detector.dataset import dataset_sha256


def card(path: Path) -> str:
    docs = load_dataset(path)
    labels = Counter(x for d in docs for x in d.labels)
    lines = [x.strip() for d in docs for x in d.lines]
    non_ed = sum(v for k, v in labels.items() if k != "editorial")
    ed_lines = [x.strip() for d in docs for x, lab in zip(d.lines, d.labels) if lab == "editorial"]
    out = [
        f"### `{path}`",
        "",
        f"- documents: {len(docs):,}; labelled lines: {len(lines):,}; non-editorial: {non_ed / len(lines):.1%}",
        f"- unique-line ratio (distinct line texts / lines): {len(set(lines)) / len(lines):.3f}; "
        f"editorial lines only: {len(set(ed_lines)) / max(len(ed_lines), 1):.3f}",
        f"- sites: {len({d.meta.get('site', d.source) for d in docs}):,}",
        f"- SHA-256 (`detector.dataset.dataset_sha256`): `{dataset_sha256(docs)}`",
        "",
        "| label | lines |",
        "|---|---:|",
        *[f"| {k} | {v:,} |" for k, v in labels.most_common()],
        "",
        "| genre | documents | lines |",
        "|---|---:|---:|",
    ]
    genres = Counter(d.genre for d in docs)
    glines = Counter()
    for d in docs:
        glines[d.genre] += len(d.lines)
    out += [f"| {g} | {n:,} | {glines[g]:,} |" for g, n in sorted(genres.items())]
    out += ["", "| language | documents | lines |", "|---|---:|---:|"]
    langs = Counter(d.lang for d in docs)
    llines = Counter()
    for d in docs:
        llines[d.lang] += len(d.lines)
    out += [f"| {g} | {n:,} ({n / len(docs):.0%}) | {llines[g]:,} |" for g, n in sorted(langs.items())]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["training_data/docs"]:
        print(card(Path(arg)))
