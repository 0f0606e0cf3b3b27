"""The junk model trained with and without changed blocks (compose.augment_block), on development data.

    python benchmarks/junk_augment.py [--share 0.3] [--offsets 600 700 800] [--splits parts styles]
                                      [--datasets ../shared/datasets] [--out benchmarks/junk_augment.md]

How session 18 judged block augmentation (docs/experiments.md). For each draw (the shipped
JUNK_DRAW_SEEDS moved by an offset) and each of junk_dev's splits, the shipped recipe is fitted twice on
the same fit side: with the composed training blocks as written, and with a share of them passed through
`augment_block` (teasers dropped, a label taken from another block, or the block cut short). The
development documents are the same for both fits and are never augmented; the figures are those of
benchmarks/junk_candidates.py (labels_dev, junk_dev's development documents, WCXB half A).

Nothing here touches the held-out splits or the fresh sets. Counts only; no page text is written.
A draw of one split takes about six minutes on one core; set OMP_NUM_THREADS=1 when running several
at once.
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
from junk_candidates import LABELS_DEV, measure  # noqa: E402
from junk_dev import DATASETS, development_documents, development_pages, split_parts  # noqa: E402

from classifier.corpus import TRAINING_DATA, load_corpus  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.junk import JunkModel  # noqa: E402
from classifier.train import JUNK_DRAW_SEEDS, composed_draw, page_training_set, with_pages  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.3, help="share of training blocks changed (default 0.3)")
    parser.add_argument("--offsets", type=int, nargs="+", default=[600, 700, 800],
                        help="draws: JUNK_DRAW_SEEDS moved by each offset (sessions 16-17 used 0-500)")
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=HERE / "junk_augment.md")
    args = parser.parse_args(argv)
    if not 0 < args.share <= 1:
        parser.error("--share must be above 0 and at most 1")
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    corpus = load_corpus(TRAINING_DATA)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    try:
        train_pages, eval_pages = development_pages(args.datasets)
    except FileNotFoundError as error:
        print(f"junk_augment: {error}", file=sys.stderr)
        return 1
    page_set = page_training_set(train_pages, lexicon)
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LABELS_DEV.glob("*/*.json"))]

    lines = ["# The junk model with and without changed training blocks", "",
             f"Made by `python benchmarks/junk_augment.py --share {args.share}` (protocol in its docstring). "
             f"labels_dev: {len(cases)} documents; WCXB half A: {len(eval_pages)} pages.", "",
             "| draw | split | fit | labels_dev exact / late / early / missed / clean cut | junk_dev exact start "
             "| clean documents cut | documents with article text cut | WCXB-A HTML pages cut |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for offset in args.offsets:
        seeds = [seed + offset for seed in JUNK_DRAW_SEEDS]
        for split in args.splits:
            fit_parts, dev_parts = split_parts(corpus, split)
            parsed, labels = development_documents(dev_parts)
            dev_documents = [(d, y) for d, y in zip(parsed, labels) if d.source != "html"]
            for name, share in (("as written", 0.0), (f"{args.share:g} changed", args.share)):
                draws = [composed_draw(fit_parts, lexicon, seed, augment=share) for seed in seeds]
                junk = JunkModel(lexicon=lexicon).fit_draws(with_pages(draws, *page_set))
                lines.append(f"| +{offset} | {split} | {name} | {measure(junk, dev_documents, eval_pages, cases)}")
                log(lines[-1])
    lines += ["", f"Written in {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
