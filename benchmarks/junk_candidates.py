"""The junk model with and without the candidate training records, on development data, over several draws.

    python benchmarks/junk_candidates.py --blocks BLOCKS.jsonl --endings ENDINGS.jsonl [--block-styles STYLE ...]
                                         [--offsets 300 400 500] [--splits parts styles]
                                         [--datasets ../shared/datasets] [--out benchmarks/junk_candidates.md]

How new junk blocks and clean endings are judged before they join the training files (sessions 16 and
17, docs/experiments.md), as a script that can be run again. BLOCKS and ENDINGS are JSONL files in the
formats of training_data/junk_blocks.jsonl and endings.jsonl, with ids not already in them (either may
be an empty file). The candidates judged in session 17 were then moved into the training files; to
rerun that judgement, check out commit adba828 and run its version of this script without arguments
(it read training_data/candidates/ itself).

For each draw (the shipped JUNK_DRAW_SEEDS moved by an offset) and each of junk_dev's splits, the
shipped recipe is fitted twice on the same fit side: as it is, and with the candidate junk blocks and
endings that the corpus split puts on the training side added to it. The
development documents are the same for both fits, so the figures differ only by the candidates:

- junk_dev's development documents (plain text): exact block start, clean documents cut, documents
  with article text cut;
- WCXB half A as HTML: pages whose article text was cut;
- benchmarks/labels_dev (development data: blocks under labels worded as the model has not seen):
  exact, late, early and missed block starts, clean documents cut;
- benchmarks/endings_dev (development data, since session 18: HTML pages ending in newsletter boxes,
  comment sections and one-story boxes, clean pages with list-like endings, a few text articles):
  the same, and documents with article text cut;
- benchmarks/labels_dev2 (development data, since session 23: blocks under stock labels with unusually
  shaped items, and clean endings that open like a label): the same as endings_dev.

Nothing here touches the held-out splits or the fresh sets. Counts only; no page text is written.
A draw of one split takes about six minutes on one core; set OMP_NUM_THREADS=1 when running several
at once (OpenMP threads of parallel fits otherwise fight over the cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from fresh import outcome, truth_of  # noqa: E402
from junk_dev import (DATASETS, SHIPPED_RULE, development_documents, development_pages, html_page_results,  # noqa: E402
                      pages_line, split_parts, text_result)

from classifier.corpus import TRAINING_DATA, load_corpus, read_jsonl  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.junk import JunkModel  # noqa: E402
from classifier.scoring import parse_document  # noqa: E402
from classifier.text import split_text  # noqa: E402
from classifier.train import JUNK_DRAW_SEEDS, _composed_parts, composed_draw, page_training_set, with_pages  # noqa: E402

LABELS_DEV = HERE / "labels_dev"
ENDINGS_DEV = HERE / "endings_dev"
LABELS_DEV2 = HERE / "labels_dev2"


def training_side_candidates(corpus, files: dict[str, Path], styles: dict[str, set] | None = None
                             ) -> dict[str, list[dict]]:
    """The candidate records the corpus split would train on (the rest would be held out), by part; only
    those of the given styles, for a part named in `styles`."""
    extra = {}
    for part, path in files.items():
        records = read_jsonl(path)
        if styles and part in styles:
            records = [r for r in records if isinstance(r, dict) and r.get("style") in styles[part]]
        ids = [r.get("id") if isinstance(r, dict) else None for r in records]
        if None in ids:
            raise ValueError(f"{path}: record {ids.index(None) + 1} has no id")
        if len(set(ids)) < len(ids):
            raise ValueError(f"{path}: ids repeat: {', '.join(sorted({i for i in ids if ids.count(i) > 1})[:5])}")
        taken = {r["id"] for r in getattr(corpus, part)} & set(ids)
        if taken:
            raise ValueError(f"{path}: ids already in training_data/{part}.jsonl: {', '.join(sorted(taken)[:5])}")
        with_them = _composed_parts(type(corpus)(**{**vars(corpus), part: getattr(corpus, part) + records}))
        known = {r["id"] for r in getattr(corpus, part)}
        extra[part] = [r for r in with_them[part][0] if r["id"] not in known]
    return extra


def labels_dev_outcomes(junk: JunkModel, cases: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(("exact", "late", "early", "missed", "clean cut", "clean kept"), 0)
    for case in cases:
        text = case["input"]
        paragraphs = split_text(text).paragraphs
        _, block = junk.find(paragraphs, False)
        truth = text.rindex(case["block_starts_at"]) if case["block_starts_at"] else None
        counts[outcome(paragraphs[block.first_paragraph].start if block else None, truth)] += 1
    return counts


def endings_dev_outcomes(junk: JunkModel, cases: list[dict]) -> str:
    """benchmarks/endings_dev or labels_dev2 (development data, text and HTML) as fresh.py judges it: exact /
    late / early / missed, clean cut, and documents with article text cut."""
    counts = dict.fromkeys(("exact", "late", "early", "missed", "clean cut", "clean kept", "article cut"), 0)
    for case in cases:
        document = parse_document(**{case["format"]: case["input"]})
        _, block = junk.find(document.paragraphs, case["format"] == "html")
        truth, article_end = truth_of(case, document.text)
        got = document.paragraphs[block.first_paragraph].start if block else None
        counts[outcome(got, truth)] += 1
        counts["article cut"] += got is not None and got < article_end
    return " / ".join(str(counts[k]) for k in ("exact", "late", "early", "missed", "clean cut", "article cut"))


def development_cases() -> tuple[list[dict], list[dict], list[dict]]:
    """The labels_dev, endings_dev and labels_dev2 documents."""
    return tuple([json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/*.json"))]
                 for folder in (LABELS_DEV, ENDINGS_DEV, LABELS_DEV2))


def table_head(endings_count: int, labels2_count: int) -> list[str]:
    """The header of the table of `measure` rows."""
    return ["| draw | split | fit | labels_dev exact / late / early / missed / clean cut | junk_dev exact start "
            "| clean documents cut | documents with article text cut | WCXB-A HTML pages cut "
            f"| endings_dev ({endings_count}) exact / late / early / missed / clean cut / article cut "
            f"| labels_dev2 ({labels2_count}) exact / late / early / missed / clean cut / article cut |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]


def measure(junk: JunkModel, dev_documents, eval_pages, cases, endings_cases=(), labels2_cases=()) -> str:
    """One table row's figures for a fitted junk model (text documents under the shipped text rule)."""
    probabilities = junk.many_probabilities([(d.paragraphs, False) for d, _ in dev_documents])
    results = [text_result(p, d.paragraphs, y, SHIPPED_RULE) for p, (d, y) in zip(probabilities, dev_documents)]
    with_block = [r for r in results if not r["clean"]]
    clean = [r for r in results if r["clean"]]
    lab = labels_dev_outcomes(junk, cases)
    return (f"{lab['exact']} / {lab['late']} / {lab['early']} / {lab['missed']} / {lab['clean cut']} "
            f"| {sum(r['exact'] for r in with_block) / max(len(with_block), 1):.4f} "
            f"| {sum(r['found'] for r in clean)} of {len(clean)} | {sum(r['article_cut'] for r in results)} of "
            f"{len(results)} | {pages_line(html_page_results(junk, eval_pages)).split(' / ')[0]} "
            f"| {endings_dev_outcomes(junk, endings_cases) if endings_cases else '-'} "
            f"| {endings_dev_outcomes(junk, labels2_cases) if labels2_cases else '-'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=Path, required=True, help="candidate junk blocks (JSONL)")
    parser.add_argument("--endings", type=Path, required=True, help="candidate clean endings (JSONL)")
    parser.add_argument("--block-styles", nargs="+", metavar="STYLE",
                        help="only the candidate blocks of these styles (default: all)")
    parser.add_argument("--offsets", type=int, nargs="+", default=[300, 400, 500],
                        help="draws: JUNK_DRAW_SEEDS moved by each offset (session 16 used 0, 100, 200)")
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=HERE / "junk_candidates.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    corpus = load_corpus(TRAINING_DATA)
    try:
        extra = training_side_candidates(corpus, {"junk_blocks": args.blocks, "endings": args.endings},
                                         {"junk_blocks": set(args.block_styles)} if args.block_styles else None)
    except (OSError, ValueError) as error:
        print(f"junk_candidates: {error}", file=sys.stderr)
        return 1
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    try:
        train_pages, eval_pages = development_pages(args.datasets)
    except FileNotFoundError as error:
        print(f"junk_candidates: {error}", file=sys.stderr)
        return 1
    page_set = page_training_set(train_pages, lexicon)
    cases, endings_cases, labels2_cases = development_cases()
    log(f"candidates on the training side: {', '.join(f'{len(v)} {k}' for k, v in extra.items())}")

    lines = ["# The junk model with and without the candidate records", "",
             f"Made by `python benchmarks/junk_candidates.py --blocks {args.blocks} --endings {args.endings}"
             f"{' --block-styles ' + ' '.join(args.block_styles) if args.block_styles else ''}` "
             "(protocol in its docstring). Candidates on the "
             f"training side: {', '.join(f'{len(v)} {k}' for k, v in extra.items())}. labels_dev: "
             f"{len(cases)} documents; WCXB half A: {len(eval_pages)} pages.", "",
             *table_head(len(endings_cases), len(labels2_cases))]
    for offset in args.offsets:
        seeds = [seed + offset for seed in JUNK_DRAW_SEEDS]
        for split in args.splits:
            fit_parts, dev_parts = split_parts(corpus, split)
            parsed, labels = development_documents(dev_parts)
            dev_documents = [(d, y) for d, y in zip(parsed, labels) if d.source != "html"]
            for name, parts in (("without", fit_parts),
                                ("with", {**fit_parts, **{k: fit_parts[k] + v for k, v in extra.items()}})):
                draws = [composed_draw(parts, lexicon, seed) for seed in seeds]
                junk = JunkModel(lexicon=lexicon).fit_draws(with_pages(draws, *page_set))
                lines.append(f"| +{offset} | {split} | {name} | {measure(junk, dev_documents, eval_pages, cases, endings_cases, labels2_cases)}")
                log(lines[-1])
    lines += ["", f"Written in {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
