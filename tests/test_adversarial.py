"""Bad input, on purpose: the "Reliability and security" invariants on adversarial text, HTML, feeds, JSONL and HTTP.

Property tests draw from the input classes of the issue (lone surrogates, NUL, bidi overrides,
zero-width characters, combining marks, emoji, mojibake and mojibake of mojibake, whitespace only, tag
soup, broken feeds, invalid UTF-8, deep and huge JSON); the big cases (1 MB without a newline, 10^5
elements, deep nesting, entity bombs) are single examples. The invariants: no exception but the
documented ones, offsets inside the text they point into and on non-blank text, one output line per
input line in order, every HTTP answer JSON. fuzz/ runs the same invariants under atheris.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import loaded
from classifier.cli import MAX_JSON_DEPTH, jsonl_records, score_batch, serialise
from classifier.feeds import MAX_NAMESPACES, parse_feed
from classifier.html import parse_html
from classifier.scoring import InputError, ScoringConfig, result_line, score_document
from classifier.text import split_text

ASCII_SPACE = " \t\r\n\x0b\x0c"
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])

# -- strategies -------------------------------------------------------------------------------------

ODD_PIECES = [
    "\ud800", "\udfff", "\udc80", "\x00", "\u202e", "\u202d", "\u202c", "\u2066", "\u2069", "\u200b", "\u200c",
    "\u200d", "\ufeff", "\u0301\u0301\u0301", "\u0489", "😱", "🔥", "👨\u200d👩\u200d👧", "🇬🇧", "\ufe0f",
    "🏽",
    "\u00a0", "\u2028", "\u2029", "\x85", "\r\n", "\r", "\n", "\n\n", "\x0b", "\x0c", "\t", " ", "!!!", '"', "“",
    "…", "Ã", "Ã\x85", "â€", "\ufffd", "SHOCKING", "terrifying", "fiasco", "News", "End of content", "word",
    "The council met on Tuesday.",
]


def mojibake(text: str) -> str:
    """UTF-8 read as windows-1252, as a misconfigured scraper does."""
    return text.encode("utf-8", "surrogatepass").decode("windows-1252", "replace")


adversarial_text = st.one_of(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300),
    st.lists(st.sampled_from(ODD_PIECES) | st.text(max_size=8), max_size=60).map("".join),
    st.lists(st.sampled_from(ODD_PIECES), max_size=40).map(" ".join).map(mojibake),
    st.lists(st.sampled_from(ODD_PIECES), max_size=40).map(" ".join).map(mojibake).map(mojibake),
    st.sampled_from(["", " ", "\n\n\n", " \t\r\n\x0b\x0c\u00a0\u2028" * 20, "😱🔥" * 50, "\u200b" * 100]),
)
TAGS = ["<p>", "</p>", "<div class='footer related'>", "</div>", "<b>", "</i>", "<li>", "<ul>", "<br>", "<a href=x>",
        "</a>", "<script>", "</script>", "<style>", "<!--", "-->", "<?xml version='1.0' encoding='latin-1'?>",
        "<p hidden>", "<span style='display:none'>", "<h2>", "<table><td>", "&amp;", "&#xD800;", "&nbsp;", "&bogus;",
        "<", ">", "<svg>", "<template>", "<!DOCTYPE html>", "</body>", "<html>"]
tag_soup = st.lists(st.sampled_from(TAGS) | st.sampled_from(ODD_PIECES) | st.text(max_size=10),
                    max_size=60).map("".join)


# -- invariants ---------------------------------------------------------------------------------------

def check_score(score: dict, text: str) -> None:
    """A result's offsets lie inside `text`, in order, on non-blank pieces of it; scores are probabilities."""
    assert 0.0 <= score["sensationalism"] <= 1.0
    previous_end = 0
    for index, paragraph in enumerate(score["paragraphs"]):
        start, end = paragraph["start"], paragraph["end"]
        assert paragraph["index"] == index
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece.strip(ASCII_SPACE) == piece
        for highlight in paragraph["highlights"]:
            assert start <= highlight["start"] < highlight["end"] <= end
            assert text[highlight["start"]:highlight["end"]].strip()
            assert math.isfinite(highlight["weight"])
        previous_end = end
    block = score["junk_block"]
    if block is not None:
        assert block["start"] == score["paragraphs"][block["first_paragraph"]]["start"]
        assert block["end"] == len(text)


def check_document(result, sent: str) -> None:
    check_score(result.to_dict(), sent if result.text is None else result.text)
    line = serialise(result_line("x", result))
    assert line.splitlines() == [line]
    assert json.loads(line)["paragraphs"] == json.loads(json.dumps(result.to_dict()))["paragraphs"]


# -- score_document and parse_html ------------------------------------------------------------------------

@PROPERTY
@given(adversarial_text)
def test_text_mode_keeps_offsets_on_the_sent_text(model, text):
    check_document(score_document(model, text=text, config=ScoringConfig(clean=True)), text)


@PROPERTY
@given(tag_soup)
def test_html_mode_keeps_offsets_on_the_extracted_text(model, markup):
    document = parse_html(markup)
    for paragraph in document.paragraphs:
        assert document.text[paragraph.start:paragraph.end].strip(ASCII_SPACE)
    result = score_document(model, html=markup)
    assert result.text == document.text
    check_document(result, markup)


def test_one_megabyte_without_a_newline(model):
    text = "x" * 999_980 + " Shocking é😱 \ud800!"  # worst cases at 100,000 characters: fuzz/worst_case.py
    result = score_document(model, text=text)
    assert len(result.paragraphs) == 1 and result.paragraphs[0].end <= len(text)
    check_document(result, text)


@pytest.mark.parametrize("text", ["\n" * 1000, " \t\r\n\x0b\x0c" * 500, "\u200b" * 1000, "😱" * 5000])
def test_whitespace_only_and_emoji_only(model, text):
    check_document(score_document(model, text=text), text)


def test_a_paragraph_of_emoji_costs_one_emoji_count_however_many_emoji(model, monkeypatch):
    """Regression: explain() counted the paragraph's emoji once per emoji (O(n^2): 12 s at 100,000 characters).

    Linearity checked by counting, not timing: the number of full-text emoji counts per paragraph must
    not grow with the number of emoji.
    """
    calls = []
    counter = loaded.count_emoji
    monkeypatch.setattr(loaded, "count_emoji", lambda text: calls.append(len(text)) or counter(text))
    per_size = {}
    for n in (10, 40):
        calls.clear()
        text = "Shocking news for everyone here today " + "😱 " * n
        model.loaded.explain(text)
        per_size[n] = len(calls)
    assert per_size[10] == per_size[40] == 1


def test_ten_to_the_five_elements(model):
    markup = "<p>" + "<span>w</span> " * 100_000 + "</p><ul>" + "<li>x" * 2000
    result = score_document(model, html=markup)
    assert len(result.paragraphs) == 2001
    check_document(result, markup)


def test_deep_nesting_and_unclosed_tags(model):
    refused = 0
    for markup in ("<div>" * 100_000 + "x", "<p><b><i>x" * 10_000, "<a>" * 50_000, "<table>" * 20_000 + "<td>x"):
        try:
            result = score_document(model, html=markup)
        except InputError as error:  # past 2,048 levels the parser would drop text: refused, not cut
            assert error.code == "html_too_deep"
            refused += 1
            continue
        check_document(result, markup)
    assert refused >= 1  # the 100,000-deep <div>s at least


def test_html_nested_too_deep_to_read_is_refused_not_silently_cut(model):
    # libxml2 stops at 2,048 levels even with huge_tree and drops what follows: a page could hide its text
    markup = "<div>" * 3000 + "</div>" * 3000 + "<p>The article itself.</p>"
    assert "The article itself." not in parse_html(markup).text  # what the parser does (lenient mode)
    with pytest.raises(InputError) as refused:
        score_document(model, html=markup)
    assert refused.value.code == "html_too_deep"
    shallower = "<div>" * 2000 + "</div>" * 2000 + "<p>The article itself.</p>"
    assert "The article itself." in score_document(model, html=shallower, config=ScoringConfig(clean=True)).text


# -- feeds --------------------------------------------------------------------------------------------------

FEED_PIECES = ["<item>", "</item>", "<title>", "</title>", "<description>", "</description>", "<![CDATA[<p>x</p>]]>",
               "<guid>g</guid>", "<link>javascript:alert(1)</link>", "<link>https://example.org/a</link>", "&amp;",
               "&nbsp;", "&bogus;", "&#0;", "<entry>", "<content type='html'>&lt;p&gt;y&lt;/p&gt;</content>",
               "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "\x00", "\ud800", "😱", "<p>", "</channel>"]


def rss_of(texts: list[str]) -> str:
    """A well-formed RSS feed whose items carry `texts` (escaped; control characters make it malformed)."""
    items = "".join(f"<item><title>{escape(text[:20])}</title><description>{escape(text)}</description></item>"
                    for text in texts)
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


feed_text = st.one_of(
    st.tuples(st.sampled_from(['<rss version="2.0"><channel>', '<feed xmlns="http://www.w3.org/2005/Atom">',
                               '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">', "<rdf:RDF>", ""]),
              st.lists(st.sampled_from(FEED_PIECES) | st.text(max_size=10), max_size=40).map("".join)).map("".join),
    # well-formed, or cut anywhere in its second half
    st.tuples(st.lists(adversarial_text | tag_soup, min_size=1, max_size=4).map(rss_of), st.integers(0, 50))
    .map(lambda feed_cut: feed_cut[0][:len(feed_cut[0]) * (100 - feed_cut[1]) // 100]),
)


@PROPERTY
@given(feed_text, st.sampled_from(["utf-8", "utf-16", "latin-1", "windows-1252"]))
def test_any_feed_is_parsed_or_refused(model, text, encoding):
    data = text.encode(encoding, "replace" if encoding != "utf-8" else "surrogatepass")
    try:
        feed = parse_feed(data, source="f", max_items=50)
    except InputError as error:
        assert error.code in ("invalid_feed", "too_many_documents")
        return
    for item in feed.items:
        assert item.url is None or item.url.startswith(("http://", "https://"))
        if item.document:
            (kind, value), = item.document.items()
            result = score_document(model, **{kind: value})
            check_document(result, value)


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',  # billion laughs
    '<!DOCTYPE rss [<!ENTITY big "' + "x" * 100_000 + '">]>',  # quadratic blow-up
    '<!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',  # external entity
])
def test_entity_expansion_is_refused(declaration):
    feed = (f'<?xml version="1.0"?>{declaration}<rss version="2.0"><channel><item><title>&big;&d;</title>'
            "</item></channel></rss>")
    for encoding in ("utf-8", "utf-16"):
        with pytest.raises(InputError) as refused:
            parse_feed(feed.replace('version="1.0"', f'version="1.0" encoding="{encoding}"').encode(encoding))
        assert refused.value.code == "invalid_feed"


def test_a_namespace_flood_is_refused_before_feedparser():
    """Regression: feedparser's strict parser scans the prefixes declared so far for every element, so its time
    is quadratic in them (10,000 declarations: 3 s; 36,000, about 1 MiB: see docs/fuzzing.md). The check
    pass refuses more than MAX_NAMESPACES prefixes before feedparser runs."""
    def feed(count: int) -> bytes:
        declarations = b"".join(b'<n%d:x xmlns:n%d="urn:%d"/>' % (i, i, i) for i in range(count))
        return b'<rss version="2.0"><channel><item><title>t</title></item>' + declarations + b"</channel></rss>"

    assert len(parse_feed(feed(MAX_NAMESPACES)).items) == 1
    with pytest.raises(InputError) as refused:
        parse_feed(feed(MAX_NAMESPACES + 1))
    assert refused.value.code == "invalid_feed" and "namespace" in refused.value.message


# -- the JSONL reader, in process ---------------------------------------------------------------------------

jsonl_line = st.one_of(
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from([b"", b"   ", b"\r", b"\xff\xfe", b"\xed\xa0\x80", b"NaN", b"[1]", b'"s"', b"{}", b'{"text": NaN}',
                     b'{"text": 1e999}', b'{"text": "a", "html": "b"}', b'{"text": "\\ud800 lone"}',
                     b"[" * 5000 + b"]" * 5000, b'{"text": "x", "n": ' + b"[" * 990 + b"]" * 990 + b"}",
                     b'{"id": "u", "text": "a\\u2028b\\u0085c"}', b'{"html": "<p>' + b"<b>" * 300 + b'x</p>"}']),
    st.dictionaries(st.sampled_from(["id", "text", "html", "x"]),
                    st.one_of(adversarial_text, st.integers(), st.none(), st.floats(allow_nan=False),
                              st.recursive(st.none(), lambda inner: st.lists(inner, max_size=2), max_leaves=4)),
                    ).map(lambda d: json.dumps(d).encode()),
)


@PROPERTY
@given(st.lists(jsonl_line, max_size=12))
def test_jsonl_gives_one_output_per_line_in_order(model, lines):
    records = list(jsonl_records(iter(line + b"\n" for line in lines), "-"))
    assert len(records) == len(lines)
    outputs = score_batch(records, ScoringConfig())
    assert len(outputs) == len(lines)
    for line, output in zip(lines, outputs):
        serialised = serialise(output)
        assert serialised.splitlines() == [serialised]
        if "error" in output:
            continue
        sent = json.loads(line)
        assert output["id"] == sent.get("id")
        check_score(output, output["text"] if sent.get("text") is None else sent["text"])


def test_records_nested_past_the_limit_are_refused_not_crashed():
    deep = b'{"id": "d", "text": "x", "extra": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}\n"
    ok = b'{"id": "o", "text": "x", "extra": ' + b"[" * (MAX_JSON_DEPTH - 2) + b"]" * (MAX_JSON_DEPTH - 2) + b"}\n"
    refused, kept = jsonl_records(iter([deep, ok]), "-")
    assert refused["error"]["code"] == "invalid_record" and "_input" in kept


# -- the score command, as a subprocess --------------------------------------------------------------------

def run_score(*args, stdin: bytes = b"", jobs: int = 2):
    env = {**os.environ, "LURID_JOBS": str(jobs)}
    done = subprocess.run([sys.executable, "-m", "classifier.cli", *args], input=stdin, capture_output=True,
                          timeout=300, env=env)
    return done.returncode, done.stdout.decode("utf-8").splitlines(), done.stderr.decode("utf-8", "replace")


def test_cli_one_line_per_input_line_whatever_the_input():
    """Invalid UTF-8, blank lines, 1 MB on one line, nesting past the JSON decoder's depth and just under it,
    line separators inside strings; 140 lines, so batches go to worker processes (which pickle records:
    a record nested 980 deep crashed the whole run there)."""
    odd = [b"\xff\xfe\xfd", b"", b"   ", b'{"id": "big", "text": "' + b"a" * 1_000_000 + b'"}',
           b"[" * 100_000 + b"]" * 100_000, b'{"id": "deep", "text": "x", "n": ' + b"[" * 980 + b"]" * 980 + b"}",
           b'{"id": "sep", "text": "one\\u2028two", "note": "copied\\u2028to\\u0085the\\u2029output"}',
           b'{"id": "nul", "text": "\\u0000\\ud800"}',
           b"{not json", b'{"id": "h", "html": "<p>' + b"<div>" * 5000 + b'x"}']
    lines = [json.dumps({"id": f"r{i}", "text": f"Record {i} of the run."}).encode() if i % 14 else odd[i // 14]
             for i in range(140)]
    code, out, stderr = run_score("--input-format", "jsonl", stdin=b"\n".join(lines) + b"\n")
    assert code == 1, stderr
    assert len(out) == len(lines), stderr[-2000:]
    outputs = [json.loads(line) for line in out]
    for i, output in enumerate(outputs):
        if i % 14:
            assert output["id"] == f"r{i}" and "sensationalism" in output
    codes = [outputs[i]["error"]["code"] if "error" in outputs[i] else None for i in range(0, 140, 14)]
    assert codes == ["invalid_encoding", "empty_line", "empty_line", None, "invalid_json", "invalid_record", None,
                     None, "invalid_json", "html_too_deep"]


def test_cli_invalid_utf8_in_files_and_on_stdin(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Fine words, then \xc3\x28 broken ones\n")
    good = tmp_path / "good.txt"
    good.write_text("A plain sentence.\n", encoding="utf-8")
    code, out, _ = run_score(str(bad), str(good), "-", stdin=b"\xed\xa0\x80 an encoded surrogate", jobs=1)
    assert code == 1 and len(out) == 3
    first, second, third = map(json.loads, out)
    assert first["error"]["code"] == "invalid_encoding" and "sensationalism" in second
    assert third["error"]["code"] == "invalid_encoding"


# -- the HTTP API -----------------------------------------------------------------------------------------

bodies = st.one_of(
    st.binary(max_size=200),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | adversarial_text,
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                     st.sampled_from(["text", "html", "id", "documents", "options", "feed", "threshold", "offsets"]),
                     inner, max_size=3), max_leaves=8).map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass")),
    st.lists(adversarial_text | tag_soup, min_size=1, max_size=3).map(lambda texts: json.dumps(
        {"feed": rss_of(texts), "options": {"offsets": "utf16"}}).encode("utf-8", "surrogatepass")),
    st.fixed_dictionaries({"text": adversarial_text}, optional={
        "id": st.text(max_size=5), "options": st.fixed_dictionaries({}, optional={
            "offsets": st.sampled_from(["utf16", "codepoint", "bytes"]), "clean": st.booleans(),
            "threshold": st.floats(-1, 2)})}).map(lambda v: json.dumps(v).encode()),
)


@PROPERTY
@given(st.sampled_from(["/v1/score", "/v1/feed"]), bodies,
       st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-16"]))
def test_every_answer_is_json(make_app, route, body, content_type):
    client = make_app(max_body_bytes=4096, max_document_chars=500, max_documents=4).test_client()
    response = client.post(route, data=body, content_type=content_type)
    assert response.is_json and response.status_code != 500
    answer = response.get_json()
    if response.status_code == 200:
        assert set(answer) >= {"model", "results"}
        for result in answer["results"] if route == "/v1/feed" else ():
            assert set(result) == {"id", "title", "url", "error"} or \
                {"title", "url", "text", "paragraphs"} <= set(result)
        sent = json.loads(body)
        if route == "/v1/score" and "text" in sent and sent.get("options", {}).get("offsets") != "utf16":
            (result,) = answer["results"]
            check_score(result, sent["text"])
    else:
        assert set(answer) == {"error"} and set(answer["error"]) == {"code", "message"}


@pytest.mark.parametrize("body, status", [
    (b"[" * 100_000 + b"]" * 100_000, 400),
    (b'{"documents": [' + b",".join([b'{"text": "x"}'] * 100_000) + b"]}", 413),
    (b'{"text": "' + b"a" * 100_000 + b'"}', 200),
    (b'{"text": "' + b"a" * 100_001 + b'"}', 413),
    (b'{"text": "x", "options": {"threshold": ' + b"[" * 900 + b"]" * 900 + b"}}", 400),
    (b'{"text": "\\ud800\\udfff\\ud83d \\u0000", "options": {"offsets": "utf16"}}', 200),
    (b'{"feed": "<!DOCTYPE rss [<!ENTITY a \\"b\\">]><rss version=\\"2.0\\"><channel></channel></rss>"}', 400),
])
def test_big_and_deep_bodies_get_json_answers(client, body, status):
    route = "/v1/feed" if body.startswith(b'{"feed"') else "/v1/score"
    response = client.post(route, data=body, content_type="application/json")
    assert response.status_code == status and response.is_json, response.get_data()[:200]


def test_split_text_handles_every_line_break_and_offsets_match():
    text = "a\r\nb\rc\u2028d\u2029e\x0bf\x0cg\x85h\nÃ\x85i"
    paragraphs = split_text(text).paragraphs
    assert [text[p.start:p.end] for p in paragraphs] == ["a", "b", "c", "d", "e", "f", "g", "h", "Ã\x85i"]


def test_zero_width_characters_and_soft_hyphens_do_not_hide_loaded_words(model):
    """Evasion by invisible characters: "Sho\\u200dcking" scored 0.01 where "Shocking" scores 1.0."""
    plain = "Shocking outrage as council slams shameless, catastrophic plan!"
    hidden = ("Sho\u200dcking out\u200brage as council sla\u2060ms shame\u00adless, cata\u00adstrophic plan!")
    expected = score_document(model, text=plain).paragraphs[0].sensationalism
    result = score_document(model, text=hidden)
    assert expected > 0.9 and result.paragraphs[0].sensationalism == expected
    marked = {hidden[h.start:h.end].strip(",!") for h in result.paragraphs[0].highlights}
    assert "shame\u00adless" in marked and "Sho\u200dcking" in marked
