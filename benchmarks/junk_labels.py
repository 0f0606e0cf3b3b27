"""The text decision rules' label test, shipped against session 25's, on paired fits of the junk model.

    python benchmarks/junk_labels.py --out benchmarks/junk_labels.md [--splits parts styles]
                                     [--offsets 1400 1500] [--datasets ../shared/datasets]

The decision rules take a block from a known label line (junk.is_label) and let a block with a label in it
pass the unmarked-block rule (junk.is_marked); junk.label_line says what a label is. The model does not use
it, so one fit scores both versions on the same probabilities:

- "shipped": LABELS, LABEL_PREFIXES (matched even where the prefix does not end a word) and
  OTHER_LANGUAGE_LABELS, as before session 25;
- "session 25": junk.label_line as it is now.

Each fit is junk_dev.py's (fit_split: its split of the authored parts, the shipped recipe with the draws
moved by the offset, and the ScrapingHub and WCXB half B pages). Each version is judged on the composed
development documents of the split (plain text), on WCXB half A scored as plain text and as HTML, and on
the plain-text documents of the four development sets (labels_dev, labels_dev2, endings_dev,
unlabelled_dev). To run the splits at once, give each process its own --out. Counts only; no page text.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from fresh import outcome  # noqa: E402
from junk_dev import (DATASETS, SHIPPED_RULE, development_documents, development_pages, fit_split,  # noqa: E402
                      html_page_results, page_result, pages_line, text_result)

from classifier import junk  # noqa: E402
from classifier.corpus import TRAINING_DATA, load_corpus  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.text import split_text  # noqa: E402

DEV_SETS = ("labels_dev", "labels_dev2", "endings_dev", "unlabelled_dev")
SHIPPED_MARKER_CUES = (3, 6, 8, 9, 10, 12)  # with the model's own label-prefix cue
VERSIONS = ("shipped", "session 25")


def shipped_label_line(label: str, n_words: int) -> bool:
    """junk.label_line as shipped before session 25."""
    return any(junk._label_kinds(label, n_words)) or label in junk.OTHER_LANGUAGE_LABELS


@contextmanager
def label_version(version: str):
    """junk's label test (and is_marked's cues) set to `version` for the block."""
    saved = junk.label_line, junk.MARKER_CUES
    if version == "shipped":
        junk.label_line, junk.MARKER_CUES = shipped_label_line, SHIPPED_MARKER_CUES
    try:
        yield
    finally:
        junk.label_line, junk.MARKER_CUES = saved


def development_cases() -> list[tuple[dict, tuple]]:
    """(case, its paragraphs) for every plain-text document of the development sets."""
    cases = [json.loads(path.read_text(encoding="utf-8"))
             for name in DEV_SETS for path in sorted((HERE / name).glob("*/*.json"))]
    return [(case, split_text(case["input"]).paragraphs) for case in cases if case["format"] == "text"]


def dev_sets_line(probabilities, cases) -> str:
    counts = dict.fromkeys(("exact", "late", "early", "missed", "clean cut", "clean kept"), 0)
    for p, (case, paragraphs) in zip(probabilities, cases):
        block = junk.decide(p, paragraphs, False)
        truth = case["input"].rindex(case["block_starts_at"]) if case["block_starts_at"] else None
        counts[outcome(paragraphs[block.first_paragraph].start if block else None, truth)] += 1
    return " / ".join(str(counts[k]) for k in ("exact", "late", "early", "missed", "clean cut"))


def text_pages(probabilities, views, eval_pages) -> str:
    results = []
    for p, view, page in zip(probabilities, views, eval_pages):
        block = junk.decide(p, view.paragraphs, False)
        starts = [q.start for q in page.document.paragraphs]
        start = (max(0, bisect.bisect_right(starts, view.paragraphs[block.first_paragraph].start) - 1)
                 if block else len(starts))
        results.append(page_result(start, page))
    return pages_line(results)


def run_fit(split: str, offset: int, corpus, lexicon, train_pages, eval_pages, cases, log) -> list[str]:
    model, dev_parts = fit_split(split, corpus, lexicon, train_pages, offset)
    log(f"{split} +{offset}: fitted")
    parsed, labels = development_documents(dev_parts)
    documents = [(d, y) for d, y in zip(parsed, labels) if d.source != "html"]
    probabilities = model.many_probabilities([(d.paragraphs, False) for d, _ in documents])
    views = [split_text(page.document.text) for page in eval_pages]
    view_probabilities = model.many_probabilities([(view.paragraphs, False) for view in views])
    case_probabilities = model.many_probabilities([(paragraphs, False) for _, paragraphs in cases])
    rows = []
    for version in VERSIONS:
        with label_version(version):
            results = [text_result(p, d.paragraphs, y, SHIPPED_RULE) for p, (d, y) in zip(probabilities, documents)]
            with_block = [r for r in results if not r["clean"]]
            clean = [r for r in results if r["clean"]]
            html = pages_line(html_page_results(model, eval_pages))
            rows.append(f"| {split} | +{offset} | {version} "
                        f"| {sum(r['exact'] for r in with_block)} of {len(with_block)} "
                        f"| {sum(r['found'] for r in clean)} of {len(clean)} "
                        f"| {sum(r['article_cut'] for r in results)} of {len(results)} "
                        f"| {text_pages(view_probabilities, views, eval_pages)} | {html} "
                        f"| {dev_sets_line(case_probabilities, cases)} |")
    log(f"{split} +{offset}: judged")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--offsets", nargs="+", type=int, default=[1400, 1500],
                        help="move the draws' seeds by each of these (one fit per split and offset)")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    corpus = load_corpus(TRAINING_DATA)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    try:
        train_pages, eval_pages = development_pages(args.datasets)
    except FileNotFoundError as error:
        print(f"junk_labels: {error}", file=sys.stderr)
        return 1
    cases = development_cases()
    lines = ["# The text decision rules' label test: shipped against session 25's", "",
             f"Made by `python benchmarks/junk_labels.py --splits {' '.join(args.splits)} --offsets "
             f"{' '.join(map(str, args.offsets))}` (protocol in its docstring). Composed documents: plain-text "
             f"development documents of the split. Development sets: the {len(cases)} plain-text documents of "
             f"{', '.join(DEV_SETS)}.", "",
             "| split | draws | labels | composed: exact start | composed: clean cut | composed: article text cut "
             "| WCXB-A as text: pages cut / trailing recall | WCXB-A as HTML: pages cut / trailing recall "
             "| development sets: exact / late / early / missed / clean cut |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for split in args.splits:
        for offset in args.offsets:
            lines += run_fit(split, offset, corpus, lexicon, train_pages, eval_pages, cases, log)
    lines += ["", f"Written in {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
