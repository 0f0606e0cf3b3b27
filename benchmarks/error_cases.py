"""The most confident errors of the paragraph model, per corpus, for the error analysis.

    python benchmarks/error_cases.py [--datasets ../shared/datasets] [--count 10]
                                     [--corpus NAME ...] [--no-text] [--explain]

For each corpus it prints the `count` most confident false positives (the
highest-scored rows labelled negative that score at or above the threshold)
and false negatives (the lowest-scored rows labelled positive that score
below it), with score, row number and text, so that docs/error_analysis.md
can be redone for a new model. `--explain` adds the spans that pushed the
score up (the model's highlights) and the lexicon terms found, marked when
they sit inside quotation marks.

Row numbers are positions in the list the evaluation scores
(classifier/evaluate.py), 0-based: for BABE the rows of final_labels_SG2.csv
with a Biased/Non-biased label, in file order; for PTC the rows of
derived_sentence_labels.tsv; for Stop Clickbait clickbait_data then
non_clickbait_data, blank lines dropped (the file and its line are printed
too); for the authored sets the record id is printed beside the position.

Corpus text is only ever printed to the terminal. This script writes no
file; the public corpora's licences forbid copying their text into the
repository, so never redirect its output into it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from classifier.corpus import LABELS, load_corpus, load_subtle_sentences  # noqa: E402
from classifier.evaluate import DATASETS_DEFAULT, read_babe, read_ptc, read_stop_clickbait  # noqa: E402
from classifier.features import quoted_ranges  # noqa: E402
from classifier.model import load_model  # noqa: E402

CORPORA = ("babe", "ptc_loaded_language", "stop_clickbait", "authored_held_out", "authored_subtle")
FOLDERS = {"babe": ("babe", read_babe), "ptc_loaded_language": ("ptc_sentences", read_ptc),
           "stop_clickbait": ("stop_clickbait", read_stop_clickbait)}


def stop_clickbait_origin(folder: Path, row: int) -> str:
    """Which file and line (1-based) a Stop Clickbait row comes from."""
    for name in ("clickbait_data", "non_clickbait_data"):
        with open(folder / name, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    if row == 0:
                        return f"{name}:{number}"
                    row -= 1
    return "?"


def load(name: str, datasets: Path) -> tuple[list[str], list[int], list[str]] | None:
    """Texts, labels and a label for each row (its id or origin), or None when the corpus is missing."""
    if name == "authored_held_out":
        corpus = load_corpus()
        held = corpus.split(corpus.paragraphs)[1]
        return ([r["text"] for r in held], [LABELS[r["label"]] for r in held],
                [f"{r['id']} {r.get('register')}/{r.get('kind')}" for r in held])
    if name == "authored_subtle":
        records = load_subtle_sentences()
        return ([r["text"] for r in records], [LABELS[r["label"]] for r in records],
                [f"{r['id']} {r.get('register')}/{r.get('kind')}" for r in records])
    folder_name, reader = FOLDERS[name]
    folder = datasets / folder_name
    if not folder.is_dir():
        return None
    texts, labels = reader(folder)
    return texts, labels, [""] * len(texts)


def most_confident_errors(scores: np.ndarray, labels: np.ndarray, threshold: float,
                          count: int) -> tuple[list[int], list[int]]:
    """Rows of the `count` most confident false positives and false negatives; ties by row number.

    >>> most_confident_errors(np.array([0.9, 0.6, 0.1, 0.4, 0.2]), np.array([0, 0, 1, 1, 0]), 0.5, 10)
    ([0, 1], [2, 3])
    """
    rows = np.arange(len(scores))
    positives = (scores >= threshold) & (labels == 0)
    negatives = (scores < threshold) & (labels == 1)
    false_positives = sorted(rows[positives], key=lambda i: (-scores[i], i))[:count]
    false_negatives = sorted(rows[negatives], key=lambda i: (scores[i], i))[:count]
    return [int(i) for i in false_positives], [int(i) for i in false_negatives]


def explanation(model, text: str) -> str:
    loaded = model.loaded
    spans = [f"{text[h.start:h.end]!r} {h.weight:+.2f}" for h in loaded.explain(text)]
    terms = []
    if loaded.lexicon:
        quoted = quoted_ranges(text)
        for start, end, weight, category in loaded.lexicon.find(text):
            inside = any(q0 < start and end <= q1 for q0, q1 in quoted)
            terms.append(f"{text[start:end]!r} {category} {weight:.2f}{' (quoted)' if inside else ''}")
    return (f"      highlights: {'; '.join(spans) or '-'}\n"
            f"      lexicon: {'; '.join(terms) or '-'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT, help="folder of public corpora")
    parser.add_argument("--count", type=int, default=10, help="cases of each kind per corpus")
    parser.add_argument("--corpus", choices=CORPORA, nargs="*", help="only these corpora (default: all)")
    parser.add_argument("--no-text", action="store_true", help="print scores and rows only")
    parser.add_argument("--explain", action="store_true", help="print highlights and lexicon terms")
    args = parser.parse_args(argv)

    model = load_model()
    threshold = model.default_threshold
    print(f"model {model.version}, threshold {threshold}")
    for name in args.corpus or CORPORA:
        loaded = load(name, args.datasets)
        if loaded is None:
            print(f"\n== {name}: missing under {args.datasets}, skipped")
            continue
        texts, labels, origins = loaded
        scores = model.loaded.predict_proba(texts)
        labels_array = np.asarray(labels)
        false_positives, false_negatives = most_confident_errors(scores, labels_array, threshold, args.count)
        flagged = scores >= threshold
        print(f"\n== {name}: {len(texts)} rows, {int(labels_array.sum())} positive; "
              f"{int((flagged & (labels_array == 0)).sum())} false positives, "
              f"{int((~flagged & (labels_array == 1)).sum())} false negatives at {threshold}")
        for title, rows in (("false positives (highest scores, labelled negative)", false_positives),
                            ("false negatives (lowest scores, labelled positive)", false_negatives)):
            print(f"-- {title}")
            for rank, row in enumerate(rows, 1):
                origin = origins[row]
                if name == "stop_clickbait":
                    origin = stop_clickbait_origin(args.datasets / FOLDERS[name][0], row)
                print(f"{rank:2d}. score {scores[row]:.3f}  row {row}" + (f"  [{origin}]" if origin else ""))
                if not args.no_text:
                    print(f"      {texts[row]}")
                if args.explain:
                    print(explanation(model, texts[row]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
