"""The default training corpus, shipped inside the package so that a user can retrain on top
of it (``detector train my_pages/ --with-default-corpus``).

It holds exactly what the shipped model was trained on: the pages of ``training_data/docs``
and the stand-alone lines of ``training_data/linebank``, as one xz-compressed JSONL file (a
record per document; ``"kind"`` says page or bank). ``make model`` rebuilds it with
``python -m detector.corpus``.
"""

from __future__ import annotations

import json
import lzma
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from .dataset import Document, load_dataset, parse_jsonl
from .errors import DataError

CORPUS_FILE = "default-corpus.jsonl.xz"
PAGE, BANK = "page", "bank"


class Corpus(NamedTuple):
    """Labelled pages and stand-alone labelled lines (the line bank)."""

    pages: list[Document]
    bank: list[Document]


def corpus_path() -> Path:
    """Where the packaged corpus lives."""
    return Path(str(resources.files("detector") / "data" / CORPUS_FILE))


def _record(doc: Document, kind: str, root: Path) -> dict[str, object]:
    try:
        source = str(Path(doc.source).relative_to(root))
    except ValueError:
        source = doc.source
    rec: dict[str, object] = {"kind": kind, "source": source, "lines": doc.lines, "labels": doc.labels}
    rec.update({k: v for k, v in doc.meta.items() if k in ("genre", "lang", "site")})
    return rec


def write_corpus(pages: Sequence[Document], bank: Sequence[Document], path: Path, root: Path = Path(".")) -> None:
    """Write pages and line bank as one xz-compressed JSONL file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wt", encoding="utf-8", preset=9) as f:
        for kind, docs in ((PAGE, pages), (BANK, bank)):
            for d in docs:
                f.write(json.dumps(_record(d, kind, root), ensure_ascii=False) + "\n")


def load_corpus(path: Path | None = None) -> Corpus:
    """The packaged default corpus (or the one at ``path``)."""
    path = corpus_path() if path is None else path
    if not path.is_file():
        raise DataError([f"{path}: the default training corpus is missing from this installation"])
    data = lzma.decompress(path.read_bytes())
    docs, problems = parse_jsonl(path, data)
    if problems:
        raise DataError(problems)
    kinds = [json.loads(line).get("kind", PAGE) for line in data.decode("utf-8").splitlines() if line.strip()]
    return Corpus([d for d, k in zip(docs, kinds) if k == PAGE], [d for d, k in zip(docs, kinds) if k == BANK])


def main(argv: Sequence[str]) -> int:
    """``python -m detector.corpus [PAGES [BANK]]``: rebuild the packaged corpus."""
    pages_dir = Path(argv[0]) if argv else Path("training_data/docs")
    bank_dir = Path(argv[1]) if len(argv) > 1 else Path("training_data/linebank")
    pages, bank = load_dataset(pages_dir), load_dataset(bank_dir)
    write_corpus(pages, bank, corpus_path(), pages_dir.parent)
    print(f"{corpus_path()}: {len(pages)} pages, {sum(len(d.lines) for d in bank)} bank lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
