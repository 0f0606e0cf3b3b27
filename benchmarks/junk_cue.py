"""The junk model's finished-line cue, as shipped and as changed, over several draws.

    python benchmarks/junk_cue.py --out FILE [--versions before after] [--offsets 1200 1300]
                                  [--splits parts styles] [--datasets ../shared/datasets]

One cue of the junk model says whether a line ends as a finished sentence (junk.finished_line). As
shipped ("before"), any trailing quote mark or ")" counts as a stop, so teaser headlines such as
"Headline (Site)" or "Doctors stunned by ‘miracle’" look finished, and other scripts' stops (。, ।) do
not count. The versions (`--versions`; session 24 ran all four):

- "before": the shipped cue;
- "after": a stop (other scripts' too) perhaps inside closing quotes or brackets; a bracketed aside ends a
  finished line only when it is the whole line or follows a stop ("(Reporting by ...)", "... road. (Photo
  by ...)");
- "quotes": only the closing quotes need their stop inside; ")" counts as shipped; other scripts' stops
  count;
- "quotes-text": "quotes" for plain-text lines only; HTML blocks keep the shipped cue.

One retrain cannot tell a change of one or two development documents from the noise of a retrain, so the
shipped recipe is fitted once per version on the same fit side of junk_dev's splits and the same
composition draws (junk_candidates.py's protocol). Every cue of a fit, for its training rows and for the
development documents alike, is computed with its own version (the script swaps junk.finished_line, or
junk.own_cues for a text-only version, and restores them after each fit).

The development data are those of junk_candidates.py, and benchmarks/unlabelled_dev (exact, late,
early, missed). Nothing here touches the held-out splits or the fresh sets. Counts only; no page text.
A fit takes about eight minutes on one core: run the two splits as two processes with OMP_NUM_THREADS=1,
each with its own --out; benchmarks/junk_cue.md is session 24's output files put together by hand.
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
from junk_candidates import development_cases, labels_dev_outcomes, measure, table_head  # noqa: E402
from junk_dev import DATASETS, development_documents, fit_split, set_up, split_parts, stderr_log  # noqa: E402

from classifier import junk as junk_module  # noqa: E402
from classifier.junk import _ELLIPSIS  # noqa: E402
from classifier.text import OTHER_FULL_STOPS  # noqa: E402

UNLABELLED_DEV = HERE / "unlabelled_dev"
SHIPPED = junk_module.finished_line  # "before"
_OTHER_STOPS = tuple("！？؟" + OTHER_FULL_STOPS)
_STOPS = (*".!?:;", *_OTHER_STOPS)
_CLOSERS = "\"”'’)]*_」』）】»"
_QUOTES = "\"”'’»」』"


def finished_after(line: str) -> bool:
    """Session 24's change: a stop (other scripts' too), perhaps inside closing quotes or brackets, not an
    ellipsis; a line ending in a bracketed aside is finished when the aside is the whole line or follows a
    stop ("Headline (Site)" and "Doctors stunned by ‘miracle’" are not finished; "(Reporting by ...)" is)."""
    inner = line.rstrip(_CLOSERS)
    if inner.endswith(_ELLIPSIS):
        return False
    if inner.endswith(_STOPS):
        return True
    if line.endswith((")", "）")):
        opening = max(line.rfind("("), line.rfind("（"))
        before = line[:opening].rstrip()
        return opening >= 0 and (not before or before.endswith(_STOPS))
    return False


def finished_quotes(line: str) -> bool:
    """A narrower change: only closing quotes need their stop inside ("Doctors stunned by ‘miracle’" is not
    finished); a trailing ")" counts as before; other scripts' stops count; an ellipsis never does.
    (Session 24 first ran a version that took "..." and ".." endings for finished: its rows were dropped.)"""
    if line.rstrip(_QUOTES) != line:
        return finished_after(line)
    return SHIPPED(line) or line.endswith(_OTHER_STOPS)


VERSIONS = {"before": SHIPPED, "after": finished_after, "quotes": finished_quotes,
            "quotes-text": finished_quotes}
# Versions that change the cue of plain-text lines only (HTML blocks keep the shipped cue).
TEXT_ONLY = {"quotes-text"}
SHIPPED_OWN_CUES = junk_module.own_cues
_FINISHED_CUE = 2  # index of the finished-line cue in junk.own_cues


def text_only_cues(version):
    """junk.own_cues with `version` of the finished-line cue for plain-text lines only."""
    def own_cues(paragraph, lexicon):
        cues = SHIPPED_OWN_CUES(paragraph, lexicon)
        if not paragraph.tag:
            cues[_FINISHED_CUE] = float(version(paragraph.text.rstrip()))
        return cues
    return own_cues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offsets", type=int, nargs="+", default=[1200, 1300],
                        help="draws: JUNK_DRAW_SEEDS moved by each offset")
    parser.add_argument("--splits", nargs="+", choices=("parts", "styles"), default=["parts", "styles"])
    parser.add_argument("--versions", nargs="+", choices=tuple(VERSIONS), default=["before", "after"],
                        help="versions of the cue to fit (default: before after)")
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, required=True, help="where to write the table (markdown)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    log = stderr_log()
    found = set_up(args.datasets, "junk_cue")
    if found is None:
        return 1
    corpus, lexicon, train_pages, eval_pages = found
    cases, endings_cases, labels2_cases = development_cases()
    unlabelled = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(UNLABELLED_DEV.glob("*/*.json"))]
    head = table_head(len(endings_cases), len(labels2_cases))
    head[0] = head[0].replace("| fit |", "| cue |") + f" unlabelled_dev ({len(unlabelled)}) exact / late / early / missed |"
    head[1] += " --- |"
    lines = ["# The junk model's finished-line cue, by version", "",
             f"Made by `python benchmarks/junk_cue.py` (protocol in its docstring). labels_dev: {len(cases)} "
             f"documents; WCXB half A: {len(eval_pages)} pages.", "", *head]
    for offset in args.offsets:
        for split in args.splits:
            _, dev_parts = split_parts(corpus, split)
            parsed, labels = development_documents(dev_parts)
            dev_documents = [(d, y) for d, y in zip(parsed, labels) if d.source != "html"]
            for name in args.versions:
                if name in TEXT_ONLY:
                    junk_module.own_cues = text_only_cues(VERSIONS[name])
                else:
                    junk_module.finished_line = VERSIONS[name]
                try:
                    junk, _ = fit_split(split, corpus, lexicon, train_pages, offset)
                    figures = measure(junk, dev_documents, eval_pages, cases, endings_cases, labels2_cases)
                    unl = labels_dev_outcomes(junk, unlabelled)
                finally:
                    junk_module.finished_line, junk_module.own_cues = SHIPPED, SHIPPED_OWN_CUES
                lines.append(f"| +{offset} | {split} | {name} | {figures} "
                             f"{unl['exact']} / {unl['late']} / {unl['early']} / {unl['missed']} |")
                log(lines[-1])
    lines += ["", f"Written in {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
