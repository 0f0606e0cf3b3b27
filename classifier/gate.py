"""The evaluation gate: `python -m classifier.gate`, run by .ci/run after the tests.

It measures the committed model on what can be measured in well under a
minute and compares each figure with a floor (or a ceiling) pinned in
.ci/floors.json. A figure worse than its floor by more than the measure's
epsilon fails the gate. The epsilon is the noise of a retrain, not of the
measurement (the model and the data are fixed, so a figure is exactly
reproducible): it lets an unrelated change that retrains the model move a
figure by a hair without failing CI.

- Authored measures (held-out paragraphs, subtle sentences, composed held-out documents) need
  only the repository, so they always run.
- Public-corpus measures run when ../shared/datasets (or --datasets) holds
  the corpus; otherwise the gate says it skipped them.
- Each floor is pinned with the sha256 of the data it was measured on. When
  the data changes, the floor no longer applies and the gate fails until it
  is re-pinned with --update.
- `--update` pins the current figures: raising a floor is routine. A floor
  that would go down needs `--allow-lower "reason"`; the reason is kept in
  the floors file, and belongs in the commit message too.

Junk detection on the WCXB and ScrapingHub pages is not gated here: the
shipped junk model trains on those pages, so only the cross-validation of
`python -m classifier.evaluate` measures it honestly, and that takes longer
than a CI gate should.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import roc_auc_score

from .corpus import LABELS, SUBTLE_SENTENCES, TRAINING_DATA, load_corpus, load_subtle_sentences
from .model import LuridModel, load_model, sha256_file
from .train import composed_held_out_documents, corpus_digest, expected_calibration_error, junk_metrics

REPO = Path(__file__).resolve().parent.parent
DATASETS_DEFAULT = REPO.parent / "shared" / "datasets"
FLOORS_DEFAULT = REPO / ".ci" / "floors.json"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str  # "min": higher is better, the pin is a floor; "max": lower is better, a ceiling
    epsilon: float
    why: str


MEASURES = (
    Measure("authored.roc_auc", "min", 0.01, "ROC AUC, authored held-out paragraphs"),
    Measure("authored.ece", "max", 0.02, "expected calibration error, authored held-out paragraphs"),
    Measure("composed_junk.block_start_exact", "min", 0.02, "exact block start, composed held-out documents"),
    Measure("composed_junk.clean_documents_cut", "max", 0.01, "clean composed documents given a block"),
    Measure("composed_junk.documents_with_article_text_cut", "max", 0.01,
            "composed documents with article text cut"),
    Measure("subtle.roc_auc", "min", 0.01, "ROC AUC, authored subtle-slant sentences (never trained on)"),
    Measure("babe.roc_auc", "min", 0.01, "ROC AUC, BABE SG2 sentences (never trained on)"),
    Measure("ptc_loaded_language.roc_auc", "min", 0.01, "ROC AUC, PTC loaded_language sentences (never trained on)"),
)


def _roc_auc(model: LuridModel, texts: list[str], labels: list[int]) -> float:
    return round(float(roc_auc_score(labels, model.loaded.predict_proba(texts))), 4)


def measure_authored(model: LuridModel, root: Path = TRAINING_DATA) -> dict[str, dict]:
    """Figures that need only the repository; each with the digest of the data it came from."""
    corpus = load_corpus(root)
    pin = {"training_data": corpus_digest(corpus.files)}
    _, held = corpus.split(corpus.paragraphs)
    labels = [LABELS[r["label"]] for r in held]
    probabilities = model.loaded.predict_proba([r["text"] for r in held])
    ece, _ = expected_calibration_error(labels, probabilities)
    junk = junk_metrics(model.junk, composed_held_out_documents(corpus))
    figures = {
        "authored.roc_auc": round(float(roc_auc_score(labels, probabilities)), 4),
        "authored.ece": round(ece, 4),
        **{f"composed_junk.{key}": junk[key] for key in
           ("block_start_exact", "clean_documents_cut", "documents_with_article_text_cut")},
    }
    results = {name: {"value": value, "data": pin} for name, value in figures.items()}
    subtle = load_subtle_sentences(root)
    if subtle:
        results["subtle.roc_auc"] = {
            "value": _roc_auc(model, [r["text"] for r in subtle], [LABELS[r["label"]] for r in subtle]),
            "data": {SUBTLE_SENTENCES: sha256_file(Path(root) / SUBTLE_SENTENCES)}}
    return results


def measure_public(model: LuridModel, datasets: Path) -> dict[str, dict]:
    """Figures on the public corpora present; a missing one is reported as skipped."""
    from .evaluate import read_babe, read_ptc

    sources = {
        "babe.roc_auc": (read_babe, datasets / "babe", "final_labels_SG2.csv"),
        "ptc_loaded_language.roc_auc": (read_ptc, datasets / "ptc_sentences", "derived_sentence_labels.tsv"),
    }
    results = {}
    for name, (reader, folder, filename) in sources.items():
        path = folder / filename
        if not path.exists():
            results[name] = {"skipped": f"{path} not found"}
            continue
        texts, labels = reader(folder)
        results[name] = {"value": _roc_auc(model, texts, labels), "data": {filename: sha256_file(path)}}
    return results


def check(measured: dict[str, dict], floors: dict) -> list[tuple[str, str, str]]:
    """(measure, verdict, detail) for every measure; verdict is ok, FAILED or skipped.

    >>> floors = {"measures": {"authored.roc_auc": {"pin": 0.99, "data": {"d": "x"}}}}
    >>> check({"authored.roc_auc": {"value": 0.985, "data": {"d": "x"}}}, floors)[0][1]
    'ok'
    >>> check({"authored.roc_auc": {"value": 0.97, "data": {"d": "x"}}}, floors)[0][1]
    'FAILED'
    """
    rows = []
    pinned = floors.get("measures", {})
    for spec in MEASURES:
        result = measured.get(spec.name)
        if result is None:
            continue
        if "skipped" in result:
            rows.append((spec.name, "skipped", result["skipped"]))
            continue
        entry = pinned.get(spec.name)
        if entry is None:
            rows.append((spec.name, "FAILED", f"{result['value']}, but no pin: run with --update"))
            continue
        if entry.get("data") != result["data"]:
            rows.append((spec.name, "FAILED", "the data changed since the pin was set: re-pin with --update "
                                              "(and --allow-lower with a reason if a figure went down)"))
            continue
        value, pin = result["value"], entry["pin"]
        bound = pin - spec.epsilon if spec.kind == "min" else pin + spec.epsilon
        passed = value >= bound if spec.kind == "min" else value <= bound
        relation = "≥" if spec.kind == "min" else "≤"
        rows.append((spec.name, "ok" if passed else "FAILED",
                     f"{value} (pin {pin}, must be {relation} {round(bound, 4)})"))
    return rows


def updated_floors(measured: dict[str, dict], floors: dict, allow_lower: str | None, today: str) -> dict:
    """New pins from the measured figures; a pin that gets worse needs `allow_lower` (the reason).

    >>> old = {"measures": {"babe.roc_auc": {"pin": 0.75, "data": {"f": "1"}}}}
    >>> new = updated_floors({"babe.roc_auc": {"value": 0.76, "data": {"f": "1"}}}, old, None, "2026-11-25")
    >>> new["measures"]["babe.roc_auc"]["pin"]
    0.76
    >>> updated_floors({"babe.roc_auc": {"value": 0.74, "data": {"f": "1"}}}, old, None, "2026-11-25")
    Traceback (most recent call last):
    ...
    ValueError: babe.roc_auc would go from 0.75 to 0.74: pass --allow-lower "reason" to accept that
    """
    kinds = {spec.name: spec.kind for spec in MEASURES}
    pins = {name: dict(entry) for name, entry in floors.get("measures", {}).items()}
    lowered = list(floors.get("lowered", []))
    for name, result in measured.items():
        if "skipped" in result:
            continue
        old = pins.get(name, {}).get("pin")
        value = result["value"]
        worse = old is not None and (value < old if kinds[name] == "min" else value > old)
        if worse:
            if not allow_lower:
                raise ValueError(f"{name} would go from {old} to {value}: pass --allow-lower \"reason\" to accept that")
            lowered.append({"measure": name, "from": old, "to": value, "date": today, "reason": allow_lower})
        pins[name] = {"pin": value, "data": result["data"], "set": today}
    return {"measures": dict(sorted(pins.items())), "lowered": lowered}


def epsilon_table() -> list[str]:
    return [f"  {spec.name}: {'floor' if spec.kind == 'min' else 'ceiling'}, epsilon {spec.epsilon} ({spec.why})"
            for spec in MEASURES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.gate", description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS_DEFAULT, help="folder of public corpora")
    parser.add_argument("--floors", type=Path, default=FLOORS_DEFAULT, help="pinned floors (JSON)")
    parser.add_argument("--update", action="store_true", help="pin the measured figures")
    parser.add_argument("--allow-lower", metavar="REASON", help="with --update: accept worse pins, for this reason")
    args = parser.parse_args(argv)
    if args.allow_lower is not None and not args.update:
        parser.error("--allow-lower only makes sense with --update")
    if args.allow_lower is not None and not args.allow_lower.strip():
        parser.error("--allow-lower needs a reason")

    model = load_model()
    measured = measure_authored(model)
    if args.datasets.is_dir():
        measured |= measure_public(model, args.datasets)
    else:
        measured |= {name: {"skipped": f"{args.datasets} not found"}
                     for name in ("babe.roc_auc", "ptc_loaded_language.roc_auc")}
    floors = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.exists() else {}

    if args.update:
        try:
            new = updated_floors(measured, floors, args.allow_lower, datetime.date.today().isoformat())
        except ValueError as error:
            print(f"gate: {error}", file=sys.stderr)
            return EXIT_USAGE
        args.floors.parent.mkdir(parents=True, exist_ok=True)
        args.floors.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"gate: pinned {sum('skipped' not in r for r in measured.values())} figures in {args.floors}")
        return EXIT_OK

    rows = check(measured, floors)
    print(f"evaluation gate, model {model.version} (pins in {args.floors}):")
    for name, verdict, detail in rows:
        print(f"  {verdict:8s} {name}: {detail}")
    print("measures and their epsilons:", *epsilon_table(), sep="\n")
    failed = [name for name, verdict, _ in rows if verdict == "FAILED"]
    if failed:
        print(f"gate: FAILED on {', '.join(failed)}", file=sys.stderr)
        return EXIT_FAILED
    print("gate: passed" + (" (some measures skipped: their corpora are missing)"
                            if any(v == "skipped" for _, v, _ in rows) else ""))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
