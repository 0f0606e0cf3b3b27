"""Highlights against the words BABE SG1's annotators marked as biased, word by word.

    python benchmarks/highlights.py [--datasets ../shared/datasets] [--out benchmarks/highlights.md]

For each labelled SG1 sentence, the words covered by the committed model's
highlights are compared with the sentence's `biased_words` (lower case, as
word types per sentence): micro precision, recall and F1 over all sentences;
also the share of non-biased sentences given any highlight, and highlights
per sentence. SG1 is development data (the highlight settings were chosen on
it, docs/experiments.md), so this is not an independent measure. Counts only;
no sentence text is written.
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from classifier.features import tokenize  # noqa: E402
from classifier.model import load_model  # noqa: E402

DATASETS = HERE.parent.parent / "shared" / "datasets"


def marked_words(text: str, spans) -> set[str]:
    """The words of `text` that lie inside one of the (start, end) spans, lower case."""
    return {t.text.lower() for t in tokenize(text)
            if t.is_word and any(start <= t.start and t.end <= end for start, end in spans)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=HERE / "highlights.md")
    args = parser.parse_args(argv)
    path = args.datasets / "babe" / "final_labels_SG1.csv"
    if not path.exists():
        print(f"BABE SG1 not found at {path}: nothing to measure", file=sys.stderr)
        return 1

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["label_bias"] in ("Biased", "Non-biased")]
    model = load_model()
    hits = predicted = gold_total = highlights = 0
    neutral = neutral_highlighted = 0
    for row in rows:
        gold = {word.lower() for word in ast.literal_eval(row["biased_words"] or "[]")}
        spans = [(h.start, h.end) for h in model.loaded.explain(row["text"])]
        found = marked_words(row["text"], spans)
        hits += len(found & gold)
        predicted += len(found)
        gold_total += len(gold)
        highlights += len(spans)
        if row["label_bias"] == "Non-biased":
            neutral += 1
            neutral_highlighted += bool(spans)
    precision, recall = hits / max(predicted, 1), hits / max(gold_total, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    lines = [
        "# Highlights against BABE SG1's marked words",
        "",
        f"Written by `python benchmarks/highlights.py`; model {model.version}; {len(rows):,} labelled SG1 "
        "sentences. Development data: the highlight settings were chosen on it.",
        "",
        "| precision | recall | F1 | non-biased sentences with a highlight | highlights per sentence |",
        "| --- | --- | --- | --- | --- |",
        f"| {precision:.3f} | {recall:.3f} | {f1:.3f} | {neutral_highlighted / max(neutral, 1):.1%} "
        f"| {highlights / len(rows):.2f} |",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
