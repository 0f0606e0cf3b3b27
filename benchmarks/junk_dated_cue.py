"""The junk model with and without the dated-entry cue, on development data, over several draws.

    python benchmarks/junk_dated_cue.py [--offsets 2000 2100 2200] [--splits parts styles] [--candidate]
                                        [--datasets ../shared/datasets] [--out benchmarks/junk_dated_cue.md]

How the dated-entry cue (`junk.dated_entry`: a line led by a date or a year, then a colon or a dash, as
in a timeline or a "Key dates" box) was judged before it joined the shipped model (session 20,
docs/experiments.md). For each draw (the shipped JUNK_DRAW_SEEDS moved by an offset) and each of
junk_dev's splits, the shipped recipe is fitted twice on the same composed documents and pages: with
the cue's columns (its own and its four neighbours') and without them. Development documents are the
same for both fits, so the figures differ only by the cue. The figures are those of
benchmarks/junk_candidates.py (its docstring says what each measures): junk_dev's development documents
as plain text, WCXB half A as HTML, labels_dev and endings_dev.

With --candidate, the two fits are the shipped cue and CANDIDATE (below), a revision of its pattern
written after session 20's review: years limited to 1500-2099, the entry must start with a letter or a
quotation mark and not with "By", "Updated" or the like (a teaser's stamp and byline), and ISO dates,
decades, seasons, "early/mid/late" years, a leading bullet and unspaced dashes are taken.

Nothing here touches the held-out splits or the fresh sets. Counts only; no page text is written. Run
one process per split with OMP_NUM_THREADS=1 to use two cores; a split takes about 45 minutes for
three draws.
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from junk_candidates import development_cases, measure, table_head  # noqa: E402
from junk_dev import DATASETS, development_documents, development_pages, split_parts  # noqa: E402

from classifier import junk as junk_module  # noqa: E402
from classifier.corpus import TRAINING_DATA, load_corpus  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.junk import _DAY, _DIGIT, _MONTH, _NEIGHBOUR_CUES, DATED_ENTRY_CUE, JunkModel, cue_matrix  # noqa: E402
from classifier.train import JUNK_DRAW_SEEDS, composed_draw, page_training_set, with_pages  # noqa: E402


def dated_columns(own_width: int) -> list[int]:
    """The cue matrix's columns that come from the dated-entry cue: its own and its four neighbours'."""
    width = len(_NEIGHBOUR_CUES)
    k = _NEIGHBOUR_CUES.index(DATED_ENTRY_CUE)
    return [DATED_ENTRY_CUE] + [own_width + j * width + k for j in range(4)]


OWN_WIDTH = DATED_ENTRY_CUE + 1  # the dated-entry cue is the last of own_cues (tests/test_junk.py checks)
DROPPED = dated_columns(OWN_WIDTH)


def without_cue(rows: list[np.ndarray]) -> list[np.ndarray]:
    return [np.delete(r, DROPPED, axis=1) if len(r) else r for r in rows]


class WithoutDatedCue(JunkModel):
    """The shipped junk model with the dated-entry cue's columns left out of every cue matrix.

    Fit it with precomputed rows passed through `without_cue`: `fit` without rows would build full ones.
    """

    def many_probabilities(self, documents):
        def reduced(paragraphs, lexicon, is_html):
            return without_cue([cue_matrix(paragraphs, lexicon, is_html)])[0]

        junk_module.cue_matrix = reduced
        try:
            return super().many_probabilities(documents)
        finally:
            junk_module.cue_matrix = cue_matrix


_YEAR = r"(?:1[5-9]|20)\d\d"
CANDIDATE = re.compile(
    r"\s*(?:[-•*·▪►]\s+)?(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]{0,6}\.?,?\s+)?"
    rf"(?:{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?|{_MONTH}\s+{_YEAR}|{_YEAR}-\d\d-\d\d"
    rf"|(?:(?:early|mid|late|spring|summer|autumn|fall|winter)[\s-]+)?{_YEAR}s?(?:\s*[-–/]\s*\d{{2,4}})?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"\s*(?::|[-–—]{1,2})\s*(?!(?:by|updated|posted|published|read more)\b)[\"“'(]?[^\W\d_]", re.I)


def candidate_entry(text: str) -> bool:
    """junk.dated_entry with the CANDIDATE pattern."""
    return bool(_DIGIT.search(text[:40]) and CANDIDATE.match(text))


@contextmanager
def dated_cue(function):
    """Every cue matrix built inside computes the dated-entry cue with `function`."""
    shipped = junk_module.dated_entry
    junk_module.dated_entry = function
    try:
        yield
    finally:
        junk_module.dated_entry = shipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offsets", type=int, nargs="+", default=[2000, 2100, 2200],
                        help="draws: JUNK_DRAW_SEEDS moved by each offset")
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--candidate", action="store_true",
                        help="compare the shipped cue with the CANDIDATE pattern, not with no cue")
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=HERE / "junk_dated_cue.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    corpus = load_corpus(TRAINING_DATA)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    try:
        train_pages, eval_pages = development_pages(args.datasets)
    except FileNotFoundError as error:
        print(f"junk_dated_cue: {error}", file=sys.stderr)
        return 1
    page_set = page_training_set(train_pages, lexicon)
    cases, endings_cases = development_cases()

    title = ("# The junk model with the shipped dated-entry cue and with the candidate pattern" if args.candidate
             else "# The junk model with and without the dated-entry cue")
    lines = [title, "",
             f"Made by `python benchmarks/junk_dated_cue.py --offsets {' '.join(map(str, args.offsets))}"
             f"{' --candidate' if args.candidate else ''}` "
             f"(protocol in its docstring). labels_dev: {len(cases)} documents; WCXB half A: {len(eval_pages)} "
             "pages.", "", *table_head(len(endings_cases))]
    for offset in args.offsets:
        seeds = [seed + offset for seed in JUNK_DRAW_SEEDS]
        for split in args.splits:
            fit_parts, dev_parts = split_parts(corpus, split)
            parsed, labels = development_documents(dev_parts)
            dev_documents = [(d, y) for d, y in zip(parsed, labels) if d.source != "html"]
            if args.candidate:
                for name, function in (("shipped", junk_module.dated_entry), ("candidate", candidate_entry)):
                    with dated_cue(function):
                        draws = with_pages([composed_draw(fit_parts, lexicon, seed) for seed in seeds],
                                           *page_training_set(train_pages, lexicon))
                        junk = JunkModel(lexicon=lexicon).fit_draws(draws)
                        lines.append(f"| +{offset} | {split} | {name} | "
                                     f"{measure(junk, dev_documents, eval_pages, cases, endings_cases)}")
                    log(lines[-1])
                continue
            draws = with_pages([composed_draw(fit_parts, lexicon, seed) for seed in seeds], *page_set)
            for name in ("without", "with"):
                if name == "without":
                    junk = WithoutDatedCue(lexicon=lexicon).fit_draws([(d, y, without_cue(r)) for d, y, r in draws])
                else:
                    junk = JunkModel(lexicon=lexicon).fit_draws(draws)
                lines.append(f"| +{offset} | {split} | {name} | "
                             f"{measure(junk, dev_documents, eval_pages, cases, endings_cases)}")
                log(lines[-1])
    lines += ["", f"Written in {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
