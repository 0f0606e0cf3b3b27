"""The junk model's text decision on development documents: the text rules of sessions 7-18 side by side.

    python benchmarks/junk_dev.py [--splits parts styles] [--offset 0] [--datasets ../shared/datasets]
                                  [--out benchmarks/junk_dev.md]

How session 8 chose the plain-text decision, and session 18 judged extending
a found block back over fairly sure lines (docs/experiments.md), as a script
that can be run again. The training parts of the authored corpus (paragraph
groups, junk blocks, endings) are split twice, and each split trains the
shipped recipe (three composition draws, averaged) on one side and scores
1,000 documents composed from the other, and benchmarks/labels_dev:

- "parts": a quarter of the parts by sha256("dev:" + key), every style on
  both sides (what the model has seen, in new wording);
- "styles": the endings of seven list-like styles only on the development
  side (endings of shapes the model never saw), blocks and paragraph groups
  as in "parts".

To run the two splits at once, give each process its own --out (`--splits
parts --out a.md`, `--splits styles --out b.md`); session 18's junk_dev.md
is two such files put together by hand.

Both fits also train on the ScrapingHub pages and WCXB half B
(sha256("half:" + key) % 2 == 1), so WCXB half A is unseen: it is scored as
HTML and as plain text (its extracted text through split_text). Nothing here
touches the composed or authored held-out splits or the fresh sets. Counts
only; no page text is written.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from fresh import outcome  # noqa: E402

from classifier.compose import compose_documents  # noqa: E402
from classifier.corpus import TRAINING_DATA, load_corpus  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.junk import (HTML_BIAS_DEFAULT, JUNK_MARGIN_DEFAULT, TEXT_BIAS_DEFAULT,  # noqa: E402
                             TEXT_EXTEND_LINES, TEXT_EXTEND_MIN, UNMARKED_MIN_LOG_ODDS, JunkModel, decide)
from classifier.pages import load_pages  # noqa: E402
from classifier.text import split_text  # noqa: E402
from classifier.train import (JUNK_DRAW_SEEDS, JUNK_TRAIN_DOCUMENTS, _composed_parts,  # noqa: E402
                              composed_draw, page_training_set, parse_composed, with_pages)

DATASETS = HERE.parent.parent / "shared" / "datasets"
LABELS_DEV = HERE / "labels_dev"
DEV_DOCUMENTS = 1000
DEV_SEED = 3
HELD_APART_STYLES = frozenset({"timeline", "key_facts", "event_listing", "recipe_or_spec", "hashtags_signoff",
                               "contact", "photo_credit"})
# (name, text bias, log-odds an unmarked block needs, extend_back's minimum and most lines)
_SESSION_8 = f"bias {TEXT_BIAS_DEFAULT}, unmarked block needs {UNMARKED_MIN_LOG_ODDS:g}"
RULES = (("bias 0, no marker rule (session 7)", 0.0, float("-inf"), None, None),
         ("bias 1.5, no marker rule", TEXT_BIAS_DEFAULT, float("-inf"), None, None),
         (f"{_SESSION_8} (shipped since session 8)", TEXT_BIAS_DEFAULT, UNMARKED_MIN_LOG_ODDS, None, None),
         *((f"{_SESSION_8}, extended back over {'one line' if lines == 1 else 'lines'} at p >= {minimum}",
            TEXT_BIAS_DEFAULT, UNMARKED_MIN_LOG_ODDS, minimum, lines)
           for lines in (None, 1) for minimum in (0.5, 0.6, 0.7, 0.8)))
_SHIPPED = (TEXT_BIAS_DEFAULT, UNMARKED_MIN_LOG_ODDS, TEXT_EXTEND_MIN, TEXT_EXTEND_LINES)
SHIPPED_RULE = next((rule for rule in RULES if rule[1:] == _SHIPPED), (f"shipped: {_SHIPPED}", *_SHIPPED))


def hashed(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def key_of(name: str, record: dict) -> str:
    return (record.get("group") if name == "paragraphs" else None) or record["id"]


def split_parts(corpus, split: str) -> tuple[dict, dict]:
    fit, dev = {}, {}
    for name, (train, _) in _composed_parts(corpus).items():
        def on_dev(record):
            if split == "styles" and name == "endings":
                return record["style"] in HELD_APART_STYLES
            return hashed("dev:" + key_of(name, record)) % 4 == 0
        fit[name] = [r for r in train if not on_dev(r)]
        dev[name] = [r for r in train if on_dev(r)]
    return fit, dev


def text_result(probabilities, paragraphs, labels, rule) -> dict:
    block = decide(probabilities, paragraphs, False, JUNK_MARGIN_DEFAULT, HTML_BIAS_DEFAULT, *rule[1:])
    got = block.first_paragraph if block else None
    truth = labels.index(1) if 1 in labels else None
    return {"clean": truth is None, "exact": got == truth, "found": got is not None,
            "article_cut": got is not None and (truth is None or got < truth)}


def page_result(start: int, page) -> tuple[bool, int, int]:
    last = page.last_article
    lengths = [p.end - p.start for p in page.document.paragraphs]
    return start <= last, sum(lengths[last + 1:]), sum(lengths[max(start, last + 1):])


def pages_line(results) -> str:
    cut = sum(r[0] for r in results)
    trailing, taken = sum(r[1] for r in results), sum(r[2] for r in results)
    return f"{cut} of {len(results)} / {taken / max(trailing, 1):.4f}"


def development_pages(datasets: Path) -> tuple[list, list]:
    """(pages to train on: ScrapingHub and WCXB half B, WCXB half A to score), read from `datasets`.

    FileNotFoundError when WCXB dev is not there.
    """
    pages = load_pages(datasets)
    if not pages.get("wcxb_dev"):
        raise FileNotFoundError(f"WCXB dev pages not found under {datasets}")
    on_a = [hashed("half:" + page.key) % 2 == 0 for page in pages["wcxb_dev"]]
    eval_pages = [page for page, a in zip(pages["wcxb_dev"], on_a) if a]
    return pages.get("scrapinghub", []) + [page for page, a in zip(pages["wcxb_dev"], on_a) if not a], eval_pages


def development_documents(dev_parts: dict):
    """(parsed documents, junk labels) composed from the development side of a split."""
    return parse_composed(compose_documents(dev_parts["paragraphs"], dev_parts["junk_blocks"], dev_parts["endings"],
                                            dev_parts["headings"], DEV_DOCUMENTS, seed=DEV_SEED))


def html_page_results(junk: JunkModel, eval_pages) -> list[tuple[bool, int, int]]:
    """`page_result` of every page scored as HTML under the shipped HTML rule."""
    results = []
    for p, page in zip(junk.many_probabilities([(page.document.paragraphs, True) for page in eval_pages]), eval_pages):
        block = decide(p, page.document.paragraphs, True)
        results.append(page_result(block.first_paragraph if block else len(p), page))
    return results


def labels_dev_line(probabilities, cases, rule) -> str:
    """labels_dev (plain-text development documents) under a text rule: exact / late / early / missed, clean cut."""
    counts = dict.fromkeys(("exact", "late", "early", "missed", "clean cut", "clean kept"), 0)
    for p, (case, paragraphs) in zip(probabilities, cases):
        block = decide(p, paragraphs, False, JUNK_MARGIN_DEFAULT, HTML_BIAS_DEFAULT, *rule[1:])
        truth = case["input"].rindex(case["block_starts_at"]) if case["block_starts_at"] else None
        counts[outcome(paragraphs[block.first_paragraph].start if block else None, truth)] += 1
    return " / ".join(str(counts[k]) for k in ("exact", "late", "early", "missed", "clean cut"))


def fit_split(split: str, corpus, lexicon, train_pages, offset: int = 0) -> tuple[JunkModel, dict]:
    """The shipped recipe fitted on the fitting side of `split` (draws moved by `offset`) and the ScrapingHub
    and WCXB half B pages; and the development side's parts."""
    fit_parts, dev_parts = split_parts(corpus, split)
    page_set = page_training_set(train_pages, lexicon)
    draws = [composed_draw(fit_parts, lexicon, seed + offset) for seed in JUNK_DRAW_SEEDS]
    return JunkModel(lexicon=lexicon).fit_draws(with_pages(draws, *page_set)), dev_parts


def run_split(split: str, corpus, lexicon, train_pages, eval_pages, log, offset: int = 0) -> list[str]:
    junk, dev_parts = fit_split(split, corpus, lexicon, train_pages, offset)
    log(f"{split}: fitted")
    dev_parsed, dev_labels = development_documents(dev_parts)
    dev_probabilities = junk.many_probabilities([(d.paragraphs, d.source == "html") for d in dev_parsed])
    text_views = [split_text(page.document.text) for page in eval_pages]
    text_probabilities = junk.many_probabilities([(view.paragraphs, False) for view in text_views])
    html_pages = html_page_results(junk, eval_pages)
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(LABELS_DEV.glob("*/*.json"))]
    cases = [(case, split_text(case["input"]).paragraphs) for case in cases]
    case_probabilities = junk.many_probabilities([(paragraphs, False) for _, paragraphs in cases])
    counts = {name: len(records) for name, records in dev_parts.items()}
    lines = [f"## Split \"{split}\"", "",
             f"Development side: {counts['paragraphs']} paragraphs, {counts['junk_blocks']} junk blocks, "
             f"{counts['endings']} endings; {DEV_DOCUMENTS} documents (seed {DEV_SEED}). WCXB half A as HTML "
             f"(shipped HTML rule): pages cut / trailing recall (chars) {pages_line(html_pages)}.", "",
             "| text rule | exact start | block found | clean documents cut | documents with article text cut "
             f"| WCXB-A as text: pages cut / trailing recall | labels_dev ({len(cases)}): exact / late / early / missed "
             "/ clean cut |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    text_documents = [(p, d, y) for p, d, y in zip(dev_probabilities, dev_parsed, dev_labels) if d.source != "html"]
    for rule in RULES:
        results = [text_result(p, d.paragraphs, y, rule) for p, d, y in text_documents]
        with_block = [r for r in results if not r["clean"]]
        clean = [r for r in results if r["clean"]]
        page_results = []
        for p, view, page in zip(text_probabilities, text_views, eval_pages):
            result = decide(p, view.paragraphs, False, JUNK_MARGIN_DEFAULT, HTML_BIAS_DEFAULT, *rule[1:])
            starts = [q.start for q in page.document.paragraphs]
            start = (max(0, bisect.bisect_right(starts, view.paragraphs[result.first_paragraph].start) - 1)
                     if result else len(starts))
            page_results.append(page_result(start, page))
        lines.append(f"| {rule[0]} | {sum(r['exact'] for r in with_block) / len(with_block):.4f} "
                     f"| {sum(r['found'] for r in with_block) / len(with_block):.4f} "
                     f"| {sum(r['found'] for r in clean)} of {len(clean)} "
                     f"| {sum(r['article_cut'] for r in results)} of {len(results)} | {pages_line(page_results)} "
                     f"| {labels_dev_line(case_probabilities, cases, rule)} |")
    return lines + [""]


def stderr_log():
    """A function that prints a message to stderr with the seconds since it was made."""
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)
    return log


def set_up(datasets: Path, script: str):
    """(authored corpus, its lexicon, pages to train on, WCXB half A), or None, said on stderr, when WCXB dev
    is not under `datasets`."""
    corpus = load_corpus(TRAINING_DATA)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    try:
        train_pages, eval_pages = development_pages(datasets)
    except FileNotFoundError as error:
        print(f"{script}: {error}", file=sys.stderr)
        return None
    return corpus, lexicon, train_pages, eval_pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=HERE / "junk_dev.md")
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--offset", type=int, default=0,
                        help="move the draws' seeds (JUNK_DRAW_SEEDS) by this much; 0 fits the shipped draws")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    log = stderr_log()
    found = set_up(args.datasets, "junk_dev")
    if found is None:
        return 1
    corpus, lexicon, train_pages, eval_pages = found
    log(f"pages: {len(train_pages)} to train, {len(eval_pages)} WCXB half A to score")
    lines = ["# The junk model's plain-text decision on development documents", "",
             f"Made by `python benchmarks/junk_dev.py --splits {' '.join(args.splits)} --offset {args.offset}` "
             "(protocol in its docstring). Each split trains the shipped "
             f"recipe ({len(JUNK_DRAW_SEEDS)} draws of {JUNK_TRAIN_DOCUMENTS} composed documents, averaged, plus "
             "the ScrapingHub pages and WCXB half B) and scores documents composed from parts it never saw. "
             "Block-level figures are over the plain-text development documents.", ""]
    for split in args.splits:
        lines += run_split(split, corpus, lexicon, train_pages, eval_pages, log, args.offset)
    lines.append(f"Written in {(time.perf_counter() - started) / 60:.1f} minutes.")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
