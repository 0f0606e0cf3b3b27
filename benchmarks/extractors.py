"""trafilatura and jusText against lurid's junk-block removal, on the same article pages, in one run.

    python benchmarks/extractors.py [--datasets PATH] [--out benchmarks/extractors.md] [--limit N]

Pages are WCXB dev (article pages) and ScrapingHub, read from
../shared/datasets at run time the way lurid's loader reads them
(`classifier.pages`: each corpus's reader gives the raw HTML and the gold
article body, `make_page` parses the HTML and matches each block against the
gold body). Nothing from the corpora is written out: the report holds
aggregate figures only.

Each system turns a page's HTML into text:

- trafilatura: `extract(html, include_comments=False, include_tables=True)`;
- jusText: the paragraphs of `justext(html, English stoplist)` that are not boilerplate;
- lurid HTML mode: `clean_text` of the page scored as HTML (the extracted
  block text, minus the detected junk block);
- lurid text mode: the page's blocks joined by newlines, scored as plain text,
  `clean_text`;
- whole page text: lurid's HTML parse with nothing removed (the ceiling for
  lurid, whose job is only to drop an appended block).

lurid runs twice: with the shipped junk model, which was trained on these very
pages (so its figures are optimistic), and with a junk model fitted here on
the composed authored documents only, which never saw a page.

Measures, on lower-cased word tokens (runs of letters and digits), each word
weighted by its length in characters, so shares are shares of characters
without whitespace and punctuation:

- article kept: multiset recall of the gold body's words in the output, per
  page, averaged over pages; a page counts as cut when less than 95% is kept;
- trailing removed: the words of the blocks after the page's last article
  block (`Page.last_article`) are located in the output by aligning the
  page's word sequence with the output's (difflib, no autojunk); the share of
  their characters the output does not contain, pooled over pages and also
  averaged per page;
- leading removed: the same for the blocks before the first article block.

Time per page is wall time of one call per page, one core: for lurid it is
the whole `score_documents` call (parsing, paragraph scoring, junk
detection), without highlights. Figures are printed and written as markdown;
nothing here is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import platform
import re
import sys
import time
from collections import Counter
from importlib.metadata import version
from itertools import islice
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import justext  # noqa: E402
import trafilatura  # noqa: E402

from classifier.corpus import load_corpus  # noqa: E402
from classifier.html import parse_html  # noqa: E402
from classifier.junk import JunkModel  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.pages import READERS, make_page  # noqa: E402
from classifier.scoring import ScoringConfig, score_documents  # noqa: E402
from classifier.train import composed_junk_sets  # noqa: E402

DATASETS_DEFAULT = HERE.parent.parent / "shared" / "datasets"
CORPUS_NAMES = {"wcxb_dev": "WCXB dev (article pages)", "scrapinghub": "ScrapingHub"}
# A page's article text counts as cut when the output keeps less than this share of it.
KEPT_FLOOR = 0.95
# Pages held at once: enough that lurid's caches turn over between systems (see run_corpus).
CHUNK_PAGES = 100
LEADING, ARTICLE, TRAILING = "leading", "article", "trailing"
_WORD = re.compile(r"\w+")
_STOPLIST = justext.get_stoplist("English")
_CLEAN = ScoringConfig(clean=True, highlights=False)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def chars(tokens) -> int:
    return sum(len(w) for w in tokens)


def page_words(page) -> tuple[list[str], list[str]]:
    """The page's words in order, and for each the region of its block."""
    document = page.document
    tokens, regions = [], []
    for i, paragraph in enumerate(document.paragraphs):
        region = LEADING if i < page.first_article else TRAILING if i > page.last_article else ARTICLE
        found = words(document.text[paragraph.start:paragraph.end])
        tokens += found
        regions += [region] * len(found)
    return tokens, regions


def aligned(tokens: list[str], output: list[str]) -> list[bool]:
    """For each page word, whether the alignment puts it in the output."""
    kept = [False] * len(tokens)
    for block in difflib.SequenceMatcher(None, tokens, output, autojunk=False).get_matching_blocks():
        kept[block.a:block.a + block.size] = [True] * block.size
    return kept


def article_kept(gold: Counter, output: Counter) -> float:
    return chars((gold & output).elements()) / max(chars(gold.elements()), 1)


def removed_chars(tokens, regions, kept, region: str) -> tuple[int, int]:
    """(characters of the region, characters of it not in the output)."""
    inside = [(w, k) for w, r, k in zip(tokens, regions, kept) if r == region]
    return chars(w for w, _ in inside), chars(w for w, k in inside if not k)


def measure(page, gold: Counter, output: str) -> dict:
    tokens, regions = page_words(page)
    out = words(output)
    kept = aligned(tokens, out)
    trailing, trailing_removed = removed_chars(tokens, regions, kept, TRAILING)
    leading, leading_removed = removed_chars(tokens, regions, kept, LEADING)
    return {"kept": article_kept(gold, Counter(out)), "empty": not out, "trailing": trailing,
            "trailing_removed": trailing_removed, "leading": leading, "leading_removed": leading_removed}


def trafilatura_text(html: str, page) -> str:
    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def justext_text(html: str, page) -> str:
    return "\n".join(p.text for p in justext.justext(html, _STOPLIST) if not p.is_boilerplate)


def block_text(page) -> str:
    """The page's blocks as plain text, one a line: what text mode is given."""
    document = page.document
    return "\n".join(document.text[p.start:p.end] for p in document.paragraphs)


def lurid_html(model):
    def run(html: str, page) -> str:
        return score_documents(model, [{"html": html}], _CLEAN)[0].clean_text

    return run


def lurid_text(model):
    def run(html: str, page) -> str:
        return score_documents(model, [{"text": block_text(page)}], _CLEAN)[0].clean_text

    return run


def whole_page(html: str, page) -> str:
    return parse_html(html).text


def composed_only_junk(shipped):
    """A junk model fitted like the shipped one, on the composed authored documents only."""
    draws, _ = composed_junk_sets(load_corpus())
    junk = shipped.junk
    return JunkModel(lexicon=junk.lexicon, max_iter=junk.max_iter, margin=junk.margin,
                     html_bias=junk.html_bias).fit_draws(draws)


def systems(shipped, fair) -> list[tuple[str, str, object]]:
    """(name, which junk model, function of (html, page) to output text)."""
    optimistic, unseen = "shipped: trained on these pages (optimistic)", "composed only: never saw these pages"
    return [
        ("whole page text (lurid parse, nothing removed)", "", whole_page),
        ("trafilatura", "", trafilatura_text),
        ("jusText", "", justext_text),
        ("lurid HTML mode", unseen, lurid_html(fair)),
        ("lurid text mode", unseen, lurid_text(fair)),
        ("lurid HTML mode", optimistic, lurid_html(shipped)),
        ("lurid text mode", optimistic, lurid_text(shipped)),
    ]


def corpus_pages(datasets: Path, name: str, limit: int | None):
    """(page, html, gold) as lurid's loader finds them, at most `limit` of them."""
    count = 0
    for key, markup, gold in READERS[name](datasets / name):
        if limit is not None and count >= limit:
            return
        page = make_page(key, markup, gold)
        if page:
            count += 1
            yield page, markup, gold


def chunks(items, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_corpus(pages, runners) -> list[dict]:
    """Per system, the measures of every page and the seconds each took.

    Systems take turns over a chunk of pages, not over one page, so that a
    page's paragraphs have left lurid's text caches (a few thousand entries)
    before the next lurid system sees them: each lurid run is timed cold.
    """
    results = [[] for _ in runners]
    for chunk in chunks(pages, CHUNK_PAGES):
        golds = [Counter(words(gold)) for _, _, gold in chunk]
        for found, (_, _, run) in zip(results, runners):
            for (page, markup, _), gold_words in zip(chunk, golds):
                start = time.perf_counter()
                output = run(markup, page)
                seconds = time.perf_counter() - start
                found.append(measure(page, gold_words, output) | {"seconds": seconds})
    return results


def summarise(found: list[dict]) -> dict:
    with_trailing = [p for p in found if p["trailing"]]
    return {
        "pages": len(found),
        "kept": float(np.mean([p["kept"] for p in found])),
        "cut": float(np.mean([p["kept"] < KEPT_FLOOR for p in found])),
        "trailing_pages": len(with_trailing),
        "trailing": sum(p["trailing_removed"] for p in found) / max(sum(p["trailing"] for p in found), 1),
        "trailing_per_page": float(np.mean([p["trailing_removed"] / p["trailing"] for p in with_trailing]))
        if with_trailing else float("nan"),
        "leading": sum(p["leading_removed"] for p in found) / max(sum(p["leading"] for p in found), 1),
        "empty": sum(p["empty"] for p in found),
        "ms": 1000 * float(np.mean([p["seconds"] for p in found])),
    }


def table(rows: list[tuple[str, str, dict]]) -> list[str]:
    lines = ["| system | lurid junk model | article kept (mean per page) | pages with article cut >5% "
             "| trailing removed (chars) | trailing removed (mean per page) | leading removed (chars) "
             "| empty outputs | ms/page |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, junk, s in rows:
        lines.append(f"| {name} | {junk} | {s['kept']:.3f} | {s['cut']:.3f} | {s['trailing']:.3f} | "
                     f"{s['trailing_per_page']:.3f} | {s['leading']:.3f} | {s['empty']} | {s['ms']:.0f} |")
    return lines


def report(tables: dict, missing: list[str], limit: int | None, fit_seconds: float, total_seconds: float,
           model_version: str) -> str:
    lines = [
        "# trafilatura and jusText against lurid's junk-block removal",
        "",
        f"trafilatura {version('trafilatura')}, jusText {version('justext')}, lurid model {model_version}, "
        f"Python {platform.python_version()}, one page per call on one core. Written by "
        f"`python benchmarks/extractors.py`{f' --limit {limit}' if limit else ''} in {total_seconds / 60:.1f} "
        f"minutes (of which {fit_seconds:.0f} s fitting the composed-only junk model).",
        "",
        "lurid's job is only to remove an *appended* block (related links, teasers, footers) after the "
        "article, not the page header and navigation before it; \"article kept\" and \"trailing removed\" are "
        "the fair measures for it. trafilatura and jusText are full extractors: they also remove what comes "
        "before the article, shown as \"leading removed\". The shipped lurid junk model was trained on these "
        "very pages, so its rows are optimistic; the rows marked \"never saw these pages\" use a junk model "
        "fitted, the same way, on the composed authored documents only, and are the fair comparison. Between "
        "the two, docs/evaluation.md gives the shipped recipe cross-validated over pages (trained on the "
        "composed documents and the other folds' pages).",
        "",
        "\"Trailing\" here is all page text after the article (related links, comments, newsletter boxes, "
        "site footer and navigation), wider than the appended link blocks of lurid's composed training "
        "documents.",
    ]
    for name, rows in tables.items():
        s = rows[0][2]
        lines += ["", f"## {CORPUS_NAMES[name]}: {s['pages']} pages, {s['trailing_pages']} with text after the "
                  "article", "", *table(rows)]
    for name in missing:
        lines += ["", f"## {CORPUS_NAMES[name]}: missing, skipped"]
    lines += [
        "",
        "## Measures",
        "",
        "Text is compared as lower-cased word tokens (runs of letters and digits), each weighted by its length "
        "in characters: shares are of characters, not counting whitespace and punctuation.",
        "",
        "- **article kept**: multiset recall of the gold article body's words in the system's output, per page, "
        "averaged over pages. It is below 1 even with nothing removed (first row) where the gold body holds "
        "text the page's markup does not (or lurid's parser drops, such as image captions in attributes).",
        f"- **pages with article cut >5%**: share of pages whose article kept is below {KEPT_FLOOR}. Read it "
        "against the first row, which counts the pages where the gold body cannot be fully found in the page "
        "text at all.",
        "- **trailing removed**: the page text after the article is the text of lurid's blocks after the last "
        "block that matches the gold body (`Page.last_article`, as in the evaluation report). The page's "
        "word sequence is aligned with the output's (difflib matching blocks, no autojunk); trailing words "
        "the alignment does not place in the output count as removed. Pooled over pages (chars), and averaged "
        "over the pages that have trailing text (mean per page). For lurid, whose output is a verbatim prefix "
        "of the page text, the alignment is exact.",
        "- **leading removed**: the same for the blocks before the first article block.",
        "- **empty outputs**: pages for which the system returned no text at all.",
        "- **ms/page**: mean wall time of one call per page. For lurid it is the whole `score_documents` call "
        "with `clean=True` and no highlights, so it includes parsing and scoring every paragraph for "
        "sensationalism, which the extractors do not do; the first row is lurid's HTML parse alone.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT, help="folder of public corpora")
    parser.add_argument("--out", type=Path, default=HERE / "extractors.md")
    parser.add_argument("--limit", type=int, default=None, help="at most this many pages per corpus")
    args = parser.parse_args(argv)

    present = [name for name in READERS if (args.datasets / name).is_dir()]
    missing = [name for name in READERS if name not in present]
    if not present:
        print(f"no page corpora ({', '.join(READERS)}) under {args.datasets}: nothing to compare, "
              "nothing written", file=sys.stderr)
        return 0
    started = time.perf_counter()
    shipped = load_model()
    fair = dataclasses.replace(shipped, junk=composed_only_junk(shipped))
    fit_seconds = time.perf_counter() - started
    print(f"composed-only junk model fitted in {fit_seconds:.0f} s", file=sys.stderr)
    runners = systems(shipped, fair)
    tables = {}
    for name in present:
        found = run_corpus(corpus_pages(args.datasets, name, args.limit), runners)
        tables[name] = [(system, junk, summarise(f)) for (system, junk, _), f in zip(runners, found)]
        print(f"{name}: {len(found[0])} pages", file=sys.stderr)
    text = report(tables, missing, args.limit, fit_seconds, time.perf_counter() - started, shipped.version)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
