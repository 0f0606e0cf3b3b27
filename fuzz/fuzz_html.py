"""atheris target: `score_document` on HTML (and `parse_html` under it).

    python fuzz/fuzz_html.py CORPUS_DIR [libFuzzer options]

Markup of any kind (unclosed and misnested tags, deep nesting, comments, entities, encodings declared
and not, lone surrogates) must score without an exception, with offsets into the extracted `text`.
"""

import sys

import atheris

with atheris.instrument_imports(include=["classifier"]):
    from classifier.html import parse_html
    from classifier.model import default_model
    from classifier.scoring import result_line, score_document
    from classifier.cli import serialise
    from invariants import ASCII_SPACE, check_document_score, check_line, decode_fuzzed

MODEL = default_model()


def test_one_input(data: bytes) -> None:
    markup = decode_fuzzed(data)
    document = parse_html(markup)
    for paragraph in document.paragraphs:
        piece = document.text[paragraph.start:paragraph.end]
        assert piece and piece.strip(ASCII_SPACE) == piece
    result = score_document(MODEL, html=markup)
    assert result.text == document.text
    check_document_score(result, markup)
    check_line(serialise(result_line("fuzz", result)))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
