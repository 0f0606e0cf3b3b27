"""Where the junk block cuts article text on real pages, by kind, with no page text.

    python benchmarks/junk_cuts.py [--datasets ../shared/datasets] [--out benchmarks/junk_cuts.md]
                                   [--cache /tmp/junk_cv.json]

Runs the same 5-fold cross-validation over pages as `python -m classifier.evaluate`
(the shipped junk model trains on these pages, so only out-of-fold
probabilities are honest), keeps every page's out-of-fold paragraph
probabilities in a cache (so decision rules can be tried without refitting),
and describes each page whose article text was cut: how many gold article
blocks and what share of the article's characters went, the tag, link
density and container of the block where the cut starts, and how sure the
model was there. Nothing of the pages' text is written: WCXB and ScrapingHub
are read from ../shared at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from classifier.evaluate import junk_cross_validation  # noqa: E402
from classifier.junk import best_suffix, main_container  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.pages import load_pages  # noqa: E402

FOLDS = 5


def out_of_fold(datasets: Path) -> list[dict]:
    """Per page: corpus, gold article flags, paragraphs' cues and out-of-fold probabilities."""
    pages = load_pages(datasets)
    found = [None] * sum(len(corpus_pages) for corpus_pages in pages.values())
    for junk, i, name, page in junk_cross_validation(load_model(), pages, FOLDS):
        paragraphs = page.document.paragraphs
        found[i] = {
            "corpus": name, "article": list(page.article),
            "probabilities": junk.paragraph_probabilities(paragraphs, True).tolist(),
            "tags": [p.tag for p in paragraphs], "links": [p.link_density for p in paragraphs],
            "context": [sorted(p.context) for p in paragraphs],
            "lengths": [p.end - p.start for p in paragraphs],
            "words": [len(p.text.split()) for p in paragraphs],
            "in_main": main_container(paragraphs, np.array(
                [len(p.text.split()) >= 25 and p.link_density < 0.3 for p in paragraphs], float))[0].tolist(),
        }
    return found


def describe_cut(page: dict, margin: float, bias: float) -> dict | None:
    block = best_suffix(page["probabilities"], margin, bias)
    if block is None:
        return None
    start = block.first_paragraph
    article = list(page["article"])
    last = len(article) - 1 - article[::-1].index(True)
    if start > last:
        return None
    lengths = page["lengths"]
    article_chars = sum(n for n, a in zip(lengths, article) if a)
    cut_chars = sum(n for n, a in zip(lengths[start:], article[start:]) if a)
    return {
        "corpus": page["corpus"],
        "gold_blocks_cut": sum(article[start:]),
        "share_cut": cut_chars / max(article_chars, 1),
        "start_tag": page["tags"][start] or "text",
        "start_links": page["links"][start],
        "start_words": page["words"][start],
        "start_in_main": bool(page["in_main"][start]),
        "start_is_article": article[start],
        "start_probability": float(page["probabilities"][start]),
        "blocks_after_last_article": len(article) - 1 - last,
        # how junk-like the model found the article blocks it cut: high means the paragraph model is
        # wrong about them; low means a few very sure blocks outweighed them in the suffix sum
        "cut_article_probability": float(np.median([q for q, a in zip(page["probabilities"][start:],
                                                                       article[start:]) if a])),
    }


def bucket(value: float, edges: tuple, labels: tuple) -> str:
    for edge, label in zip(edges, labels):
        if value <= edge:
            return label
    return labels[-1]


def report(pages: list[dict], margin: float, bias: float) -> str:
    lines = ["# Where the junk block cuts article text (5-fold CV over pages)", "",
             "Made by `python benchmarks/junk_cuts.py`. No page text: counts only. "
             f"Decision margin {margin}, HTML bias {bias} (the shipped settings).", ""]
    for corpus in sorted({p["corpus"] for p in pages}):
        mine = [p for p in pages if p["corpus"] == corpus]
        cuts = [c for c in (describe_cut(p, margin, bias) for p in mine) if c is not None]
        lines += [f"## {corpus}: {len(cuts)} of {len(mine)} pages cut ({len(cuts) / len(mine):.1%})", ""]
        if not cuts:
            continue
        tables = {
            "gold article blocks cut": Counter(bucket(c["gold_blocks_cut"], (1, 2, 5), ("1", "2", "3-5", "6+"))
                                               for c in cuts),
            "share of the article's characters cut": Counter(
                bucket(c["share_cut"], (0.02, 0.1, 0.3), ("≤ 2%", "2-10%", "10-30%", "> 30%")) for c in cuts),
            "tag of the first block cut": Counter(c["start_tag"] for c in cuts),
            "that block is gold article text": Counter("yes" if c["start_is_article"] else "no" for c in cuts),
            "that block is in the main prose container": Counter("yes" if c["start_in_main"] else "no"
                                                                 for c in cuts),
            "its link density": Counter(bucket(c["start_links"], (0.0, 0.5, 0.99), ("0", "≤ 0.5", "0.5-0.99", "1"))
                                        for c in cuts),
            "its length in words": Counter(bucket(c["start_words"], (3, 10, 25), ("1-3", "4-10", "11-25", "> 25"))
                                           for c in cuts),
            "its junk probability": Counter(bucket(c["start_probability"], (0.5, 0.9, 0.99),
                                                   ("≤ 0.5", "0.5-0.9", "0.9-0.99", "> 0.99")) for c in cuts),
            "median junk probability of the article blocks cut": Counter(
                bucket(c["cut_article_probability"], (0.1, 0.5, 0.9), ("≤ 0.1", "0.1-0.5", "0.5-0.9", "> 0.9"))
                for c in cuts),
        }
        for title, counts in tables.items():
            lines.append(f"- {title}: " + ", ".join(f"{key} {n}" for key, n in counts.most_common()))
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/junk_cuts.md"))
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the out-of-fold probabilities here as JSON (reused when present)")
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.is_file():
        pages = json.loads(args.cache.read_text(encoding="utf-8"))
    else:
        pages = out_of_fold(args.datasets)
        if args.cache is not None:
            args.cache.write_text(json.dumps(pages), encoding="utf-8")
    model = load_model()
    args.out.write_text(report(pages, model.junk.margin, model.junk.html_bias), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
