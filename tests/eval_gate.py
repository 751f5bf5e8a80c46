"""The quality gate: the shipped model's figures on our held-out pages and on the in-article
promotion set must not fall below the floors pinned in ``quality_floors.json`` together with
the data's SHA-256.

    python -m tests.eval_gate                 # print the figures and check them
    python -m tests.eval_gate --update        # raise the floors to today's figures (minus a margin)
    python -m tests.eval_gate --update --allow-lower   # lowering a floor must be asked for
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from detector import Detector, load_dataset
from detector.dataset import dataset_sha256
from detector.evaluation import evaluate_detector

HERE = Path(__file__).parent
FLOORS = HERE / "quality_floors.json"
HOLDOUT = HERE.parent / "training_data" / "holdout"
PROMO_DEV = HERE.parent / "training_data" / "promo-dev"
GATED = ("editorial_recall", "editorial_char_recall", "editorial_precision", "editorial_f1", "junk_removal")
PROMO_GATED = ("promo_dev_promotional_removed", "promo_dev_editorial_kept")
TITLES_GATED = "title_recall"  # page titles (first editorial lines) kept, hold-out and promo-dev together
MARGIN = 0.005  # room for numeric noise between machines, not for regressions


def measure() -> tuple[str, dict[str, float]]:
    """The data's hash and the default model's gated figures: the hold-out pages overall,
    promotional lines removed / editorial lines kept on the in-article promotion set, and the
    page titles kept on both sets."""
    det = Detector.default()
    docs = load_dataset(HOLDOUT)
    overall = evaluate_detector(det, docs, quiet=True)["overall"]
    figures = {k: round(overall[k], 4) for k in GATED}
    promo = load_dataset(PROMO_DEV)
    report = evaluate_detector(det, promo, quiet=True)
    truth = [x for d in promo for x in d.labels]
    predicted = [v.keep for vs in det.classify_many([d.lines for d in promo]) for v in vs]
    n_promo = sum(x == "promotional" for x in truth)
    removed = sum(x == "promotional" and not k for x, k in zip(truth, predicted))
    figures["promo_dev_promotional_removed"] = round(removed / n_promo, 4)
    figures["promo_dev_editorial_kept"] = round(report["overall"]["editorial_recall"], 4)
    parts = (overall, report["overall"])
    figures[TITLES_GATED] = round(sum(p["titles_kept"] for p in parts) / sum(p["titled_documents"] for p in parts), 4)
    return dataset_sha256([*docs, *promo]), figures


def check(pinned: dict, sha: str, figures: dict[str, float]) -> list[str]:
    """Every way the figures fail the pinned floors (empty: the gate passes)."""
    if pinned["holdout_sha256"] != sha:
        return [
            "the hold-out or promo-dev data changed since the floors were pinned; "
            "re-pin with `python -m tests.eval_gate --update`"
        ]
    return [f"{k} {figures[k]:.4f} < floor {floor:.4f}" for k, floor in pinned["floors"].items() if figures[k] < floor]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="pin today's figures (minus a margin) as floors")
    parser.add_argument("--allow-lower", action="store_true", help="with --update: allow a floor to go down")
    args = parser.parse_args()
    sha, figures = measure()
    print(json.dumps({"holdout_sha256": sha, "figures": figures}, indent=2))
    pinned = json.loads(FLOORS.read_text()) if FLOORS.exists() else {"holdout_sha256": sha, "floors": {}}
    # The hash covers the hold-out and the promo-dev pages together.
    if args.update:
        new = {k: round(max(v - MARGIN, 0.0), 4) for k, v in figures.items()}
        lower = [k for k, v in new.items() if pinned["holdout_sha256"] == sha and v < pinned["floors"].get(k, 0.0)]
        if lower and not args.allow_lower:
            print(
                f"refusing to lower {', '.join(lower)}; pass --allow-lower and say why in the commit", file=sys.stderr
            )
            return 1
        FLOORS.write_text(json.dumps({"holdout_sha256": sha, "floors": new}, indent=2) + "\n")
        print(f"pinned {FLOORS}")
        return 0
    problems = check(pinned, sha, figures)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
