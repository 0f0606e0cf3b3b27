"""The research model: the paragraph model trained with BABE and PTC added.

    python -m classifier.research [--datasets PATH] [--out docs/research.md]

BABE (AGPL-3.0) and PTC (research use) may not train a model that lurid
ships, so the research model is never the default: `python -m
classifier.train --profile research` writes it to its own path, which git
ignores, with "research" and the licence restriction in its manifest. It
exists to measure how far in-domain data takes the same features.

Evaluating it on a corpus it trains on uses cross-validation grouped by
article (BABE: the news link; PTC: the article id), never a score on rows it
saw: in each fold, the model trains on the authored rows, the other corpus
whole, and the other folds of this one, then scores the held-out fold.
Weighted F1 is at the logistic regression's own boundary (decision 0, with
balanced class weights), since calibration would need yet another split.
The vocabulary's topic-spread filter is off: BABE and PTC rows carry no
topics of ours.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold

from .corpus import LABELS, TRAINING_DATA, load_corpus, sentence_records
from .features import Lexicon
from .loaded import LoadedModel

REPO = Path(__file__).resolve().parent.parent
DATASETS_DEFAULT = REPO.parent / "shared" / "datasets"
FOLDS = 5
LICENCE_NOTE = ("trained on BABE (AGPL-3.0) and PTC (research use only): for research, never to be shipped "
                "or served as lurid's default model")


def babe_rows(folder: Path) -> list[dict]:
    with open(folder / "final_labels_SG2.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["label_bias"] in ("Biased", "Non-biased")]
    return [{"text": r["text"], "label": int(r["label_bias"] == "Biased"), "group": f"babe:{r['news_link']}"}
            for r in rows]


def ptc_rows(folder: Path) -> list[dict]:
    with open(folder / "derived_sentence_labels.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{"text": r["text"], "label": int(r["loaded_language"]), "group": f"ptc:{r['article_id']}"}
            for r in rows]


def authored_rows(root: Path = TRAINING_DATA) -> tuple[list[dict], Lexicon]:
    """The default model's training rows (training split and its sentence rows), labels as 0/1."""
    corpus = load_corpus(root)
    lexicon = Lexicon.from_tsv(corpus.lexicon_path)
    train, _ = corpus.split(corpus.paragraphs)
    rows = train + sentence_records(train, lexicon)
    return [{"text": r["text"], "label": LABELS[r["label"]], "group": r["group"]} for r in rows], lexicon


def fit(rows: list[dict], lexicon: Lexicon):
    """One research fit: (vectorizer, dense cues, classifier) of the paragraph model's recipe."""
    model = LoadedModel(lexicon=lexicon, min_topics=1)
    parts = model._fit_once([r["text"] for r in rows], np.array([r["label"] for r in rows]))
    return model, parts


def decision(model: LoadedModel, parts, texts: list[str]) -> np.ndarray:
    vectorizer, style, classifier = parts
    return classifier.decision_function(model._stack(vectorizer, style, texts))


def grouped_cv(target: list[dict], others: list[dict], lexicon: Lexicon, log=print) -> dict:
    """Out-of-fold decisions on `target`, training each fold on `others` plus the other folds."""
    labels = np.array([r["label"] for r in target])
    out_of_fold = np.zeros(len(target))
    for fold, (train, test) in enumerate(GroupKFold(n_splits=FOLDS).split(target, labels,
                                                                           [r["group"] for r in target])):
        start = time.perf_counter()
        model, parts = fit(others + [target[i] for i in train], lexicon)
        out_of_fold[test] = decision(model, parts, [target[i]["text"] for i in test])
        log(f"  fold {fold + 1}/{FOLDS}: {time.perf_counter() - start:.0f} s")
    predicted = (out_of_fold >= 0).astype(int)
    return {
        "n": len(target), "positives": int(labels.sum()),
        "roc_auc": round(float(roc_auc_score(labels, out_of_fold)), 4),
        "f1": round(float(f1_score(labels, predicted)), 4),
        "weighted_f1": round(float(f1_score(labels, predicted, average="weighted")), 4),
        "accuracy": round(float((predicted == labels).mean()), 4),
    }


def render(results: dict, seconds: float) -> str:
    lines = [
        "# The research model, cross-validated",
        "",
        "Written by `python -m classifier.research`. The research model is the paragraph model's recipe "
        "(TF-IDF over stemmed word 1-2 grams plus the dense lexicon and style cues, logistic regression) "
        "trained on the authored rows plus BABE and PTC. It is never shipped: " + LICENCE_NOTE + ".",
        "",
        f"Figures are {FOLDS}-fold cross-validation grouped by article (BABE: news link; PTC: article id): "
        "each fold trains on the authored rows, all of the other corpus and the other folds of this one. "
        "F1 is at the classifier's own boundary. For comparison, the default model (never trained on either) "
        "is in [evaluation.md](evaluation.md); what other mixes of training rows do is in "
        "[experiments.md](experiments.md).",
        "",
        "| corpus | n | positives | ROC AUC | F1 | weighted F1 | accuracy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, result in results.items():
        if "missing" in result:
            lines.append(f"| {name} | missing: skipped | | | | | |")
        else:
            lines.append(f"| {name} | {result['n']} | {result['positives']} | {result['roc_auc']} | "
                         f"{result['f1']} | {result['weighted_f1']} | {result['accuracy']} |")
    lines += ["", f"Run time: {seconds / 60:.1f} minutes on this machine.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.research", description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT, help="folder of public corpora")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "research.md", help="markdown report")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    authored, lexicon = authored_rows()
    corpora = {"babe": (babe_rows, args.datasets / "babe"),
               "ptc_loaded_language": (ptc_rows, args.datasets / "ptc_sentences")}
    loaded = {name: reader(folder) for name, (reader, folder) in corpora.items() if folder.is_dir()}
    results = {}
    for name in corpora:
        if name not in loaded:
            results[name] = {"missing": str(corpora[name][1])}
            print(f"{name}: missing, skipped", file=sys.stderr)
            continue
        print(f"{name}: {FOLDS}-fold grouped cross-validation", file=sys.stderr)
        others = authored + [row for other, rows in loaded.items() if other != name for row in rows]
        results[name] = grouped_cv(loaded[name], others, lexicon,
                                   log=lambda message: print(message, file=sys.stderr))
        print(f"{name}: {results[name]}", file=sys.stderr)
    report = render(results, time.perf_counter() - start)
    args.out.write_text(report, encoding="utf-8")
    # the figures beside the report, for the evaluation report's targets table
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
