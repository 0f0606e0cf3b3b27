"""atheris target: `parse_feed` on raw bytes, then every item scored.

    python fuzz/fuzz_feed.py CORPUS_DIR [libFuzzer options]

Any bytes (any encoding declared or not, DOCTYPEs and entities, truncated XML, attribute floods) must
either be refused with InputError (`invalid_feed`, `too_many_documents`) or give items in order whose
documents score with offsets inside the item's text; no exception of any other type.
"""

import sys

import atheris

with atheris.instrument_imports(include=["classifier", "feedparser"]):
    import feedparser  # noqa: F401 - classifier.feeds imports it only on first use, outside this block
    from classifier.feeds import item_error, item_line, parse_feed
    from classifier.model import default_model
    from classifier.scoring import InputError, result_line, score_documents
    from classifier.cli import serialise
    from invariants import check_line, check_score

MODEL = default_model()
MAX_ITEMS = 64


def test_one_input(data: bytes) -> None:
    try:
        feed = parse_feed(data, source="fuzz", max_items=MAX_ITEMS)
    except InputError as error:
        assert error.code in ("invalid_feed", "too_many_documents"), error.code
        return
    assert [item.position for item in feed.items] == list(range(1, len(feed.items) + 1))
    assert feed.error is None or feed.error.code == "malformed_feed"
    for item in feed.items:
        assert isinstance(item.id, str) and item.id
        assert item.url is None or item.url.lower().startswith(("http://", "https://"))
        assert item.title is None or isinstance(item.title, str)
    scorable = [item for item in feed.items if item_error(item) is None]
    for item, outcome in zip(scorable, score_documents(MODEL, [item.document for item in scorable])):
        assert not isinstance(outcome, InputError), outcome
        line = item_line(result_line(item.id, outcome, {"title": item.title, "url": item.url}), item)
        check_score(line, line["text"])
        check_line(serialise(line))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
