"""The README's example output is real output: its figures are those of the committed model."""

import json
from pathlib import Path

from classifier.scoring import result_line, score_document

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_example_shows_what_score_prints(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = (ROOT / "docs" / "example.txt").read_text(encoding="utf-8")
    result = result_line("docs/example.txt", score_document(model, text=text))
    quoted = [f'"sensationalism": {result["sensationalism"]}, "flagged": {json.dumps(result["flagged"])}',
              json.dumps(result["junk_block"])]
    for paragraph in result["paragraphs"][:4]:  # the ones the README shows
        quoted.append(", ".join(f"{json.dumps(key)}: {json.dumps(paragraph[key])}"
                                for key in ("index", "start", "end", "kind", "sensationalism")))
        quoted.append(json.dumps(paragraph["highlights"][:2]).rstrip("]"))  # the README cuts after two
    missing = [fragment for fragment in quoted if fragment not in readme]
    assert not missing, f"README.md no longer shows what `score docs/example.txt` prints: {missing}"
