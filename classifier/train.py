"""Build the model artifact: `python -m classifier.train`.

Deterministic: the split is hashed, the composed documents are seeded, and
the solvers are deterministic, so the same corpus and libraries give the same
model. The default profile trains only on the authored corpus (and, when
asked, on licence-clean public corpora read from ../shared at train time).
The manifest records every corpus file with its sha256 and licence, and the
metrics measured on the held-out split, which the model never saw.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from . import __version__
from .compose import compose_documents, junk_labels
from .corpus import LABELS, TRAINING_DATA, heading_records, load_corpus, sentence_records
from .features import Lexicon
from .html import parse_html
from .junk import JunkModel, cue_matrix
from .loaded import LoadedModel
from .model import DEFAULT_ARTIFACT, LuridModel, save_model, sha256_file
from .pages import LICENCES, Page, corpus_files, load_pages
from .text import split_text

DATASETS_DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
# The research model's own path (git ignores it): it may never replace the default artifact.
RESEARCH_ARTIFACT = DEFAULT_ARTIFACT.with_name("research.joblib")


def research_licence_note() -> str:
    from .research import LICENCE_NOTE

    return LICENCE_NOTE

# Operating points picked on out-of-fold predictions of the training split.
EXTENSION_PRECISION = 0.97  # the extension highlights only what it is sure of
TRIAGE_RECALL = 0.97  # moderators would rather see too much than miss items
DEFAULT_THRESHOLD = 0.5
JUNK_TRAIN_DOCUMENTS = 4000
# One junk-model member per composition draw, each of JUNK_TRAIN_DOCUMENTS documents (JunkModel.fit_draws).
JUNK_DRAW_SEEDS = (1, 4, 5)
JUNK_HELD_OUT_DOCUMENTS = 800
AUTHORED_LICENCE = "Apache-2.0 (authored by the lurid team)"


def expected_calibration_error(labels, probabilities, bins: int = 10) -> tuple[float, list[dict]]:
    """ECE over equal-width bins, and the reliability table behind it."""
    labels = np.asarray(labels)
    probabilities = np.asarray(probabilities)
    edges = np.linspace(0, 1, bins + 1)
    table, error = [], 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (probabilities >= low) & ((probabilities < high) | (high == 1.0))
        if inside.any():
            mean_p, observed = float(probabilities[inside].mean()), float(labels[inside].mean())
            error += inside.mean() * abs(mean_p - observed)
            table.append({"bin": f"{low:.1f}-{high:.1f}", "n": int(inside.sum()),
                          "mean_predicted": round(mean_p, 3), "observed": round(observed, 3)})
    return float(error), table


def operating_points(labels, probabilities) -> dict[str, float]:
    """Thresholds for high precision (extension) and high recall (triage)."""
    labels = np.asarray(labels)
    order = np.argsort(-probabilities)
    sorted_p, sorted_y = probabilities[order], labels[order]
    true_positives = np.cumsum(sorted_y)
    precision = true_positives / np.arange(1, len(sorted_y) + 1)
    recall = true_positives / max(sorted_y.sum(), 1)
    extension = next((sorted_p[i] for i in range(len(sorted_p) - 1, -1, -1)
                      if precision[i] >= EXTENSION_PRECISION), sorted_p[0])
    triage = next((sorted_p[i] for i in range(len(sorted_p)) if recall[i] >= TRIAGE_RECALL), sorted_p[-1])
    # in-domain predictions are well separated; never let "high precision" sit
    # below the default, nor "high recall" above it
    return {"extension": round(max(float(extension), DEFAULT_THRESHOLD), 3),
            "triage": round(min(float(triage), DEFAULT_THRESHOLD), 3),
            "default": DEFAULT_THRESHOLD}


def parse_composed(documents):
    parsed = [parse_html(d.content) if d.is_html else split_text(d.content) for d in documents]
    labels = [junk_labels(d, p) for d, p in zip(documents, parsed)]
    return parsed, labels


def junk_metrics(model: JunkModel, documents) -> dict:
    """Exact block starts and cuts on composed held-out documents."""
    parsed, labels = parse_composed(documents)
    exact = with_block = clean = clean_cut = found = article_cut = 0
    for doc, y in zip(parsed, labels):
        _, block = model.find(doc.paragraphs, doc.source == "html")
        truth = y.index(1) if 1 in y else None
        predicted = block.first_paragraph if block else None
        if truth is None:
            clean += 1
            clean_cut += predicted is not None
        else:
            with_block += 1
            exact += predicted == truth
            found += predicted is not None
        if predicted is not None and (truth is None or predicted < truth):
            article_cut += 1
    return {
        "documents": len(parsed),
        "block_start_exact": round(exact / max(with_block, 1), 4),
        "block_found": round(found / max(with_block, 1), 4),
        "clean_documents_cut": round(clean_cut / max(clean, 1), 4),
        "documents_with_article_text_cut": round(article_cut / max(len(parsed), 1), 4),
    }


def corpus_digest(files: list[Path]) -> str:
    """One sha256 for a corpus of many files."""
    import hashlib

    lines = sorted(f"{path.parent.name}/{path.name} {sha256_file(path)}\n" for path in files)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _composed_parts(corpus) -> dict:
    """(train, held out) of each part composed documents are made of. The headings are split as the
    paragraph model splits them (`heading_records`), so a held-out heading is in no training document."""
    return {name: corpus.split(records, key="group" if name == "paragraphs" else "id")
            for name, records in (("paragraphs", corpus.paragraphs), ("junk_blocks", corpus.junk_blocks),
                                  ("endings", corpus.endings), ("headings", corpus.headings))}


def composed_held_out_documents(corpus, parts: dict | None = None):
    """Documents composed only from held-out paragraphs, blocks, endings and headings (seeded: always the same)."""
    parts = parts or _composed_parts(corpus)
    return compose_documents(parts["paragraphs"][1], parts["junk_blocks"][1], parts["endings"][1],
                             parts["headings"][1], JUNK_HELD_OUT_DOCUMENTS, seed=2)


def composed_junk_sets(corpus):
    """Composed documents for the junk model: one (docs, labels, rows) to train on per draw
    (JUNK_DRAW_SEEDS), and the held-out documents."""
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    parts = _composed_parts(corpus)
    training_parts = {name: split[0] for name, split in parts.items()}
    draws = [composed_draw(training_parts, lexicon, seed) for seed in JUNK_DRAW_SEEDS]
    return draws, composed_held_out_documents(corpus, parts)


def composed_draw(parts: dict, lexicon: Lexicon, seed: int, count: int = JUNK_TRAIN_DOCUMENTS):
    """One draw of composed training documents from `parts` (paragraphs, junk_blocks, endings, headings):
    (docs, labels, rows)."""
    parsed, labels = parse_composed(compose_documents(parts["paragraphs"], parts["junk_blocks"], parts["endings"],
                                                      parts["headings"], count, seed=seed))
    documents = [(d.paragraphs, d.source == "html") for d in parsed]
    return documents, labels, [cue_matrix(paragraphs, lexicon, is_html) for paragraphs, is_html in documents]


def with_pages(draws, documents, labels, rows):
    """Each composed draw with the same real pages added."""
    return [(d + documents, l + labels, r + rows) for d, l, r in draws]


def page_training_set(pages: list[Page], lexicon: Lexicon):
    documents = [(page.document.paragraphs, True) for page in pages]
    labels = [page.junk_labels() for page in pages]
    rows = [cue_matrix(paragraphs, lexicon, True) for paragraphs, _ in documents]
    return documents, labels, rows


def research_paragraph_model(root: Path, datasets: Path, log=print) -> tuple[LoadedModel, list[dict], np.ndarray]:
    """The research profile's paragraph model: the authored rows plus BABE and PTC (see research.py).

    Returns the fitted model, the manifest entries of the two corpora, and the labels of its rows.
    """
    from .research import authored_rows, babe_rows, ptc_rows

    folders = {"babe": datasets / "babe", "ptc_sentences": datasets / "ptc_sentences"}
    missing = [str(folder) for folder in folders.values() if not folder.is_dir()]
    if missing:
        raise SystemExit(f"the research profile needs BABE and PTC; not found: {', '.join(missing)}")
    authored, lexicon = authored_rows(root)
    rows = authored + babe_rows(folders["babe"]) + ptc_rows(folders["ptc_sentences"])
    log(f"research paragraph model: {len(authored)} authored rows + {len(rows) - len(authored)} BABE and PTC rows")
    labels = np.array([r["label"] for r in rows])
    model = LoadedModel(lexicon=lexicon, min_topics=1).fit(
        [r["text"] for r in rows], labels, groups=[r["group"] for r in rows])
    corpora = [{"path": f"../shared/datasets/{name}", "sha256": corpus_digest(sorted(
                    p for p in folder.iterdir() if p.is_file())),
                "licence": "AGPL-3.0" if name == "babe" else "research use only",
                "used_for": "research paragraph model"} for name, folder in folders.items()]
    return model, corpora, labels


def train(root: Path = TRAINING_DATA, datasets: Path | None = DATASETS_DEFAULT,
          log=print, profile: str = "default") -> tuple[LuridModel, dict]:
    corpus = load_corpus(root)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    train_records, held_records = corpus.split(corpus.paragraphs)
    sentences = sentence_records(train_records, lexicon)
    headings, held_headings = heading_records(corpus)
    log(f"paragraph model: {len(train_records)} train paragraphs + {len(sentences)} of their sentences "
        f"+ {len(headings)} headings, {len(held_records)} paragraphs and {len(held_headings)} headings held out")
    train_records = train_records + sentences + headings
    texts = [r["text"] for r in train_records]
    labels = np.array([LABELS[r["label"]] for r in train_records])
    research_corpora = []
    if profile == "research":
        loaded, research_corpora, labels = research_paragraph_model(root, datasets or DATASETS_DEFAULT, log)
    else:
        loaded = LoadedModel(lexicon=lexicon).fit(texts, labels, groups=[r["group"] for r in train_records],
                                                  topics=[r["topic"] for r in train_records])

    paragraph_rows = len(labels)
    held_texts = [r["text"] for r in held_records]
    held_labels = np.array([LABELS[r["label"]] for r in held_records])
    held_p = loaded.predict_proba(held_texts)
    ece, reliability = expected_calibration_error(held_labels, held_p)
    thresholds = operating_points(labels, loaded.calibrate(loaded.out_of_fold_))
    paragraph_metrics = {
        "paragraphs": len(held_records),
        "roc_auc": round(float(roc_auc_score(held_labels, held_p)), 4),
        "f1": round(float(f1_score(held_labels, held_p >= DEFAULT_THRESHOLD)), 4),
        "accuracy": round(float(((held_p >= DEFAULT_THRESHOLD) == held_labels).mean()), 4),
        "ece": round(ece, 4),
        "reliability": reliability,
    }
    hard = [i for i, r in enumerate(held_records) if r.get("kind") in ("hard_negative", "hard_positive")]
    if hard:
        paragraph_metrics["hard_case_accuracy"] = round(
            float(((held_p[hard] >= DEFAULT_THRESHOLD) == held_labels[hard]).mean()), 4)
    log(f"paragraph model held-out: {paragraph_metrics['roc_auc']} ROC AUC, ECE {paragraph_metrics['ece']}")

    draws, held_docs = composed_junk_sets(corpus)
    pages = load_pages(datasets) if datasets else {}
    all_pages = [page for corpus_pages in pages.values() for page in corpus_pages]
    log(f"junk model: {len(draws)} draws of {len(draws[0][0])} composed documents, {len(all_pages)} real pages "
        f"({', '.join(pages) or 'no public corpora found'})")
    junk = JunkModel(lexicon=lexicon).fit_draws(with_pages(draws, *page_training_set(all_pages, lexicon)))
    junk_held = junk_metrics(junk, held_docs)
    log(f"junk model held-out: {junk_held}")

    model = LuridModel(loaded=loaded, junk=junk, version=__version__, default_threshold=DEFAULT_THRESHOLD,
                       thresholds=thresholds)
    manifest = {
        "profile": profile,
        **({"licence_note": research_licence_note()} if profile == "research" else {}),
        "default_threshold": DEFAULT_THRESHOLD,
        "thresholds": thresholds,
        "paragraph_training_rows": {"paragraphs": len(texts) - len(sentences) - len(headings),
                                    "sentences": len(sentences), "headings": len(headings),
                                    **({"babe_and_ptc": paragraph_rows - len(texts)} if profile == "research" else {})},
        "training_corpora": [
            {"path": str(path.relative_to(root.parent)), "sha256": sha256_file(path), "licence": AUTHORED_LICENCE,
             "used_for": "paragraph model" if "paragraphs" in path.parts or path.name == "lexicon.tsv"
             else "paragraph model (train split) and junk model (composed documents)" if path.name == "headings.jsonl"
             else "junk model (composed documents)"}
            for path in corpus.files
        ] + [
            {"path": f"../shared/datasets/{name}", "sha256": corpus_digest(corpus_files(datasets, name)),
             "sha256_of": "sorted (relative path, file sha256) lines of every page and ground-truth file",
             "licence": LICENCES[name], "used_for": f"junk model ({len(pages[name])} article pages)"}
            for name in pages
        ] + research_corpora,
        "held_out_metrics": {"paragraph": paragraph_metrics, "junk_block": junk_held},
    }
    return model, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.train", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=TRAINING_DATA, help="authored corpus folder")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where to write the artifact (default: {DEFAULT_ARTIFACT.name}, or "
                             f"{RESEARCH_ARTIFACT.name} for the research profile)")
    parser.add_argument("--profile", choices=("default", "research"), default="default",
                        help="research adds BABE and PTC to the paragraph model: never to be shipped")
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT,
                        help="public corpora (licence-clean ones train the junk model); missing ones are skipped")
    args = parser.parse_args(argv)
    out = args.out or (RESEARCH_ARTIFACT if args.profile == "research" else DEFAULT_ARTIFACT)
    model, manifest = train(args.data, args.datasets, log=lambda message: print(message, file=sys.stderr),
                            profile=args.profile)
    written = save_model(model, out, manifest)
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.1f} MB, sha256 {written['sha256'][:12]}…)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
