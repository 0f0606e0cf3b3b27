"""atheris target: `score_document` on plain text.

    python fuzz/fuzz_text.py CORPUS_DIR [libFuzzer options, e.g. -max_total_time=120]

Any Unicode (lone surrogates, NUL, bidi, zero-width, combining marks, mojibake of mojibake, long lines;
see invariants.decode_fuzzed) must score without an exception, with every offset inside the text and
every paragraph slicing a non-blank piece of it.
"""

import sys

import atheris

with atheris.instrument_imports(include=["classifier", "ftfy"]):
    from classifier.model import default_model
    from classifier.scoring import ScoringConfig, result_line, score_document
    from classifier.cli import serialise
    from invariants import check_document_score, check_line, decode_fuzzed

MODEL = default_model()
CONFIG = ScoringConfig(clean=True)


def test_one_input(data: bytes) -> None:
    text = decode_fuzzed(data)
    result = score_document(MODEL, text=text, config=CONFIG)
    check_document_score(result, text)
    assert text.startswith(result.clean_text)
    check_line(serialise(result_line("fuzz", result)))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
