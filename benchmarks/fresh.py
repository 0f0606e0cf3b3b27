"""Junk blocks on authored documents written for this check and never trained on.

    python benchmarks/fresh.py [--folder benchmarks/fresh] [--out benchmarks/fresh.md]
    python benchmarks/fresh.py --folder benchmarks/fresh2 --out benchmarks/fresh2.md
    python benchmarks/fresh.py --folder benchmarks/fresh3 --out benchmarks/fresh3.md
    python benchmarks/fresh.py --folder benchmarks/fresh4 --out benchmarks/fresh4.md
    python benchmarks/fresh.py --folder benchmarks/fresh6 --out benchmarks/fresh6.md
    python benchmarks/fresh.py --folder benchmarks/endings_dev --out benchmarks/endings_dev.md
    python benchmarks/fresh.py --folder benchmarks/labels_dev2 --out benchmarks/labels_dev2.md
    python benchmarks/fresh.py --folder benchmarks/unlabelled_dev --out benchmarks/unlabelled_dev.md
    python benchmarks/fresh.py --folder benchmarks/markdown_dev --out benchmarks/markdown_dev.md

Six evaluation sets, each written for this check and never trained on or tuned against
(their README.md says how they were written and what has seen them since), and five
development sets, benchmarks/labels_dev/ (40 plain-text articles whose blocks open with
unusually worded labels; used to choose rules and training data), benchmarks/labels_dev2/
(session 22: 30 plain-text articles whose blocks open with stock labels over items of unusual
shapes, and 30 clean ones whose own closing section opens with a line worded as a stock label)
benchmarks/endings_dev/
(session 18: 22 HTML pages ending in newsletter boxes, comment sections or one-story "Up next"
boxes, or clean with FAQ, sources, bio, fact-box and key-dates endings, and 8 plain-text
articles with one-story blocks or short closing lines), benchmarks/unlabelled_dev/ (session
23: 13 plain-text articles ending in a short one-sentence paragraph, then an unlabelled block) and
benchmarks/markdown_dev/ (session 25: 30 Markdown articles, 18 ending in blocks of link lines, 12
clean, most of those ending in the writer's own link lists):

- benchmarks/fresh/ (session 6): 40 plain-text articles (22 with an appended
  block in styles and labels the training corpus did not have, 18 clean ones
  whose endings look like junk: emoji checklists, timelines, credits, bios)
  and 30 HTML pages with in-article tables, lists, captions and bios,
  followed by share rows, related links, comments and footers (25) or by
  nothing (5);
- benchmarks/fresh2/ (session 7): 40 plain-text articles (24 with a block,
  16 clean) and 20 HTML pages (15 with a block, 5 clean);
- benchmarks/fresh3/ (session 8): 44 plain-text articles (24 with a block,
  20 clean, 16 of them ending in short-line lists) and 16 HTML pages (11
  with a block, 5 clean);
- benchmarks/fresh4/ (session 23): 40 plain-text articles (24 with a block,
  16 clean) and 20 HTML pages (14 with a block, 6 clean, most followed by a
  site footer: a block found in the footer counts as a clean cut here, but
  not as article text cut);
- benchmarks/fresh5/ (session 24): 40 plain-text articles (24 with a block,
  16 clean), written while a junk cue change was judged (its README says
  which shapes its brief named);
- benchmarks/fresh6/ (session 25): 40 plain-text articles (24 with a block,
  16 clean) and 20 HTML pages (14 with a block, 6 clean, all followed by a
  site footer, counted as in fresh4).

Each document names the first line (text) or first extracted block (HTML)
of the block, and for HTML the last piece of article text.

A block counts as exact when it starts within 2 characters of the named
start; article text is cut when it starts before the end of the article.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from classifier.model import load_model  # noqa: E402
from classifier.scoring import ScoringConfig, score_document  # noqa: E402

FOLDER = Path(__file__).resolve().parent / "fresh"


def truth_of(case: dict, text: str) -> tuple[int | None, int]:
    """(where the block starts or None, where the article text ends) in the scored text."""
    marker = case["block_starts_at"]
    if case["format"] == "text":
        start = text.rindex(marker) if marker else None
        return start, start if start is not None else len(text.rstrip())
    start = text.find(marker) if marker else None
    if start == -1:
        raise ValueError(f"{case['label']}: block_starts_at is not in the extracted text")
    last = text.find(case["last_article_text"])
    if last == -1:
        raise ValueError(f"{case['label']}: last_article_text is not in the extracted text")
    return start, last + len(case["last_article_text"])


def judge(case: dict, model) -> dict:
    result = score_document(model, **{case["format"]: case["input"]}, config=ScoringConfig())
    text = result.text if case["format"] == "html" else case["input"]
    truth, article_end = truth_of(case, text)
    got = result.junk_block.start if result.junk_block else None
    return {"label": case["label"], "format": case["format"], "outcome": outcome(got, truth),
            "article_cut": got is not None and got < article_end}


def outcome(got: int | None, truth: int | None) -> str:
    """How a found block start (or None) compares with the true one (or None: a clean document)."""
    if truth is None:
        return "clean kept" if got is None else "clean cut"
    if got is None:
        return "missed"
    return "exact" if abs(got - truth) <= 2 else ("early" if got < truth else "late")


def load_cases(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/*.json"))]


# Sets written as development data (their README says so): used to choose rules and training data, so
# their figures are not blind.
DEVELOPMENT_SETS = {"labels_dev", "labels_dev2", "endings_dev", "unlabelled_dev", "markdown_dev"}


def render(results: list[dict], folder: str = "benchmarks/fresh") -> str:
    if Path(folder).name in DEVELOPMENT_SETS:
        about = (f"The {len(results)} documents in {folder}/ were written for this check and were never trained on "
                 f"({folder}/README.md says how they were written). They are development data: docs/experiments.md "
                 "may use them to choose rules and training data, so these figures are not a blind measure. "
                 "benchmarks/fresh2 is one; fresh and fresh3 are, except for the shapes their READMEs name.")
    else:
        about = (f"The {len(results)} documents in {folder}/ were written for this check and were never trained on "
                 f"or used to choose anything ({folder}/README.md says how they were written); they measure how "
                 "the junk detector carries over to styles it has not seen.")
    lines = ["# Junk blocks on fresh authored documents", "",
             f"Made by `python benchmarks/fresh.py --folder {folder}` (protocol in its docstring). {about}", "",
             "| format | documents | with a block | exact start | late | early | missed | clean | clean cut "
             "| article text cut |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for fmt in ("text", "html"):
        rows = [r for r in results if r["format"] == fmt]
        count = {o: sum(r["outcome"] == o for r in rows)
                 for o in ("exact", "late", "early", "missed", "clean kept", "clean cut")}
        with_block = count["exact"] + count["late"] + count["early"] + count["missed"]
        lines.append(f"| {fmt} | {len(rows)} | {with_block} | {count['exact']} | {count['late']} | "
                     f"{count['early']} | {count['missed']} | {count['clean kept'] + count['clean cut']} | "
                     f"{count['clean cut']} | {sum(r['article_cut'] for r in rows)} |")
    lines += ["", "Documents not exact or not kept clean:", ""]
    lines += [f"- {r['format']}: {r['label']}: {r['outcome']}" + (", article text cut" if r["article_cut"] else "")
              for r in results if r["outcome"] not in ("exact", "clean kept")]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER, help="a set of documents (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "fresh.md")
    args = parser.parse_args(argv)
    cases = load_cases(args.folder)
    if not cases:
        parser.error(f"no documents (*/*.json) under {args.folder}")
    model = load_model()
    repo = Path(__file__).resolve().parent.parent
    folder = args.folder.resolve()
    shown = folder.relative_to(repo).as_posix() if folder.is_relative_to(repo) else str(args.folder)
    report = render([judge(case, model) for case in cases], shown)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
