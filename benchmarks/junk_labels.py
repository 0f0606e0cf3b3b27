"""The text decision rules' label test, shipped against session 25's candidate, on paired fits of the junk model.

    python benchmarks/junk_labels.py --out benchmarks/junk_labels.md [--splits parts styles]
                                     [--offsets 1600 1700] [--datasets ../shared/datasets]

The decision rules take a block from a known label line (junk.is_label) and let a block with a label in it
pass the unmarked-block rule and keep a line from counting as a finished sentence (junk.is_marked);
junk.label_line says what a label is. The model does not use it, so one fit scores both versions on the
same probabilities:

- "shipped": junk.label_line as it is (the model's label cues, LABELS and LABEL_PREFIXES, where a prefix
  need not end a word and the line may be a sentence, and OTHER_LANGUAGE_LABELS);
- "candidate": session 25's second version, defined here: also MORE_LABELS, MORE_LABEL_PREFIXES and topic
  labels; a label opening must end a word and the line must not be written as a sentence (no comma, no full
  stop at the end); openings of up to LABEL_MAX_WORDS words are markers at any length; "related reading"
  and "related links" head a writer's own list (OWN_LIST_LABELS). Not kept (docs/experiments.md, session 25).

Each fit is junk_dev.py's (fit_split: its split of the authored parts, the shipped recipe with the draws
moved by the offset, and the ScrapingHub and WCXB half B pages). Each version is judged on the composed
development documents of the split (plain text), on WCXB half A scored as plain text (HTML decisions use no
label test, so the HTML column is one figure per fit), and on the plain-text documents of the four
development sets (labels_dev, labels_dev2, endings_dev, unlabelled_dev). To run the splits at once, give
each process its own --out. Counts only; no page text.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from fresh import outcome  # noqa: E402
from junk_dev import (DATASETS, SHIPPED_RULE, development_documents, fit_split, html_page_results,  # noqa: E402
                      page_result, pages_line, set_up, stderr_log, text_result)

from classifier import junk  # noqa: E402
from classifier.text import split_text  # noqa: E402

DEV_SETS = ("labels_dev", "labels_dev2", "endings_dev", "unlabelled_dev")
VERSIONS = ("shipped", "candidate")
MORE_LABELS = frozenset(
    " ".join(phrase.split()) for phrase in
    """popular right now|popular today|popular this week|most popular today|most read today|most read this week
    |most commented|most emailed|trending right now|trending this week|what's trending|hot stories
    |top picks for you|picked for you|picks for you|handpicked for you|just for you|stories for you
    |more stories for you|you might be interested in|you may be interested in|you might also be interested in
    |you may also be interested in|you might also enjoy|you may also enjoy|you might have missed
    |you may have missed|stories you may have missed|stories you might have missed|icymi|readers also read
    |readers also viewed|readers also liked|readers also clicked|people also read|people also viewed
    |others also read|what others are reading|what people are reading|what readers are reading
    |more to discover|discover more|explore more|keep exploring|more on this story|more on this topic
    |related videos|more videos|watch more|latest videos|trending videos|latest headlines|top headlines
    |more top stories|more from our network|from our network|around the network|across the network
    |elsewhere on the web|more great stories|more great reads|sponsored headlines|paid partner content
    |partner stories|up next for you|elsewhere in the news|also in the news|recent posts|recent articles
    |recent stories|latest posts|latest articles|popular articles|similar stories|similar articles
    |similar posts|more like these|more articles|more reads|top reads|today's top stories|today's picks"""
    .split("|")
)
MORE_LABEL_PREFIXES = ("elsewhere on", "elsewhere at", "popular on", "most read on", "most read in", "most popular on",
                       "most popular in", "top stories from", "top stories in", "latest news from", "more news from",
                       "readers also", "more articles from", "more by", "more videos from")
_ALL_PREFIXES = junk.LABEL_PREFIXES + MORE_LABEL_PREFIXES
_TOPIC_LABEL = re.compile(r"(?:latest|top)(?: [\w'&-]+){1,3} (?:news|stories|coverage|headlines|articles|videos)")
CANDIDATE_OWN_LIST_LABELS = junk.OWN_LIST_LABELS | {"related reading", "related links"}
CANDIDATE_MARKER_CUES = tuple(i for i in junk.MARKER_CUES if i != junk.LABEL_PREFIX_CUE)


def candidate_label_line(text: str) -> bool:
    label = junk.bare(text)
    if label in junk.LABELS or label in MORE_LABELS or label in junk.OTHER_LANGUAGE_LABELS:
        return True
    if len(text.split()) > junk.LABEL_MAX_WORDS or "," in text or junk._FULL_STOP.search(text.rstrip()):
        return False
    return (any(label.startswith(prefix) and not label[len(prefix):len(prefix) + 1].isalnum()
                for prefix in _ALL_PREFIXES if label[:1] == prefix[0])
            or _TOPIC_LABEL.fullmatch(label) is not None)


def candidate_marker(text: str) -> bool:
    if len(text) > 60 and (len(text) > 200 or len(text.split()) > junk.LABEL_MAX_WORDS):
        return False
    return candidate_label_line(text) or junk.bare(text) in junk.OTHER_LANGUAGE_TRAILERS


@contextmanager
def label_version(version: str):
    """junk's label test (and what is_label, is_marked use with it) set to `version` for the block."""
    names = ("label_line", "MARKER_CUES", "OWN_LIST_LABELS", "_other_language_marker")
    saved = [getattr(junk, name) for name in names]
    if version == "candidate":
        for name, value in zip(names, (candidate_label_line, CANDIDATE_MARKER_CUES, CANDIDATE_OWN_LIST_LABELS,
                                       candidate_marker)):
            setattr(junk, name, value)
    try:
        yield
    finally:
        for name, value in zip(names, saved):
            setattr(junk, name, value)


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
    html = pages_line(html_page_results(model, eval_pages))  # the HTML decision uses no label test
    rows = []
    for version in VERSIONS:
        with label_version(version):
            results = [text_result(p, d.paragraphs, y, SHIPPED_RULE) for p, (d, y) in zip(probabilities, documents)]
            with_block = [r for r in results if not r["clean"]]
            clean = [r for r in results if r["clean"]]
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
    parser.add_argument("--offsets", nargs="+", type=int, default=[1600, 1700],
                        help="move the draws' seeds by each of these (one fit per split and offset)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    log = stderr_log()
    found = set_up(args.datasets, "junk_labels")
    if found is None:
        return 1
    corpus, lexicon, train_pages, eval_pages = found
    cases = development_cases()
    lines = ["# The text decision rules' label test: shipped against session 25's candidate", "",
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
