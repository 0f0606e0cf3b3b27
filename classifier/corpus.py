"""Read the authored corpus in training_data/ and split it reproducibly.

The split is by `group` (one event told several ways), hashed, so the
held-out part never shares an event with the training part, and adding
records never moves old ones between parts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

TRAINING_DATA = Path(__file__).resolve().parent.parent / "training_data"
# Share of groups held out for evaluation and calibration checks.
HELD_OUT_PERCENT = 15
LABELS = {"neutral": 0, "loaded": 1}


def is_held_out(key: str, percent: int = HELD_OUT_PERCENT) -> bool:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100 < percent


def read_jsonl(path: Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: {error}") from None
    return records


@dataclass(frozen=True)
class Corpus:
    paragraphs: list[dict]
    junk_blocks: list[dict]
    endings: list[dict]
    headings: list[dict]
    lexicon_path: Path
    files: list[Path]

    def split(self, records: list[dict], key: str = "group") -> tuple[list[dict], list[dict]]:
        train = [r for r in records if not is_held_out(r.get(key) or r["id"])]
        held = [r for r in records if is_held_out(r.get(key) or r["id"])]
        return train, held


def load_corpus(root: str | Path = TRAINING_DATA) -> Corpus:
    root = Path(root)
    paragraph_files = sorted((root / "paragraphs").glob("*.jsonl"))
    if not paragraph_files:
        raise FileNotFoundError(f"no paragraph files in {root / 'paragraphs'}")
    paragraphs = [r for path in paragraph_files for r in read_jsonl(path)]
    for record in paragraphs:
        if record.get("label") not in LABELS or not isinstance(record.get("text"), str):
            raise ValueError(f"record {record.get('id')!r}: needs a text and a label in {sorted(LABELS)}")
    others = [root / name for name in ("junk_blocks.jsonl", "endings.jsonl", "headings.jsonl")]
    return Corpus(
        paragraphs=paragraphs,
        junk_blocks=read_jsonl(others[0]),
        endings=read_jsonl(others[1]),
        headings=read_jsonl(others[2]),
        lexicon_path=root / "lexicon.tsv",
        files=paragraph_files + others + [root / "lexicon.tsv"],
    )


def heading_records(corpus: Corpus) -> tuple[list[dict], list[dict]]:
    """The authored section headings as neutral paragraph-model rows, split by id like the other records.

    They were written for the junk composer; as rows they teach the paragraph model that a short heading
    holding a word of the lexicon ("Winners and Losers", "What You Need to Know") can be plain.
    """
    rows = [{"id": h["id"], "group": h["id"], "topic": "heading", "register": "heading", "label": "neutral",
             "kind": "heading", "text": h["text"]} for h in corpus.headings]
    return corpus.split(rows)


SUBTLE_SENTENCES = "subtle_sentences.jsonl"


def load_subtle_sentences(root: str | Path = TRAINING_DATA) -> list[dict]:
    """The authored subtle-slant sentences: an evaluation set, never trained on (see the data card)."""
    path = Path(root) / SUBTLE_SENTENCES
    return read_jsonl(path) if path.exists() else []


# Sentences shorter than this many words say too little to be labelled alone.
SENTENCE_MIN_WORDS = 5
# A sentence of a loaded paragraph counts as loaded only with an unquoted
# lexicon term at least this strong; the others are left out, unlabelled.
SENTENCE_MIN_WEIGHT = 0.5


def sentence_splitter(records: list[dict]):
    """A Punkt sentence splitter trained on the corpus itself (nltk data is never downloaded)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer("\n\n".join(r["text"] for r in records))


def sentence_records(records: list[dict], lexicon, splitter=None) -> list[dict]:
    """Sentence-level rows drawn from multi-sentence paragraphs.

    Much of what lurid scores is one sentence long (one-paragraph-per-line
    scrapes, headlines, captions), while the corpus is written in paragraphs.
    Every sentence of a neutral paragraph is neutral. A sentence of a loaded
    paragraph is loaded when it carries an unquoted lexicon term of weight
    SENTENCE_MIN_WEIGHT or more; the rest of a loaded paragraph may be plain
    fact, so those sentences are left out. Rows keep their paragraph's group
    and topic, so grouped folds and the held-out split stay intact.
    """
    from .features import quoted_ranges

    splitter = splitter or sentence_splitter(records)
    rows = []
    for record in records:
        sentences = splitter.tokenize(record["text"])
        if len(sentences) < 2:
            continue
        for number, sentence in enumerate(sentences):
            if len(sentence.split()) < SENTENCE_MIN_WORDS:
                continue
            if record["label"] == "loaded":
                quoted = quoted_ranges(sentence)
                if not any(weight >= SENTENCE_MIN_WEIGHT and not any(q0 < start and end <= q1 for q0, q1 in quoted)
                           for start, end, weight, _ in lexicon.find(sentence)):
                    continue
            rows.append({**record, "id": f"{record['id']}#s{number}", "text": sentence, "kind": "sentence"})
    return rows
