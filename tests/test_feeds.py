"""RSS and Atom feeds: items to documents, hardening, malformed feeds; and the same through the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.feeds import item_error, parse_feed
from classifier.scoring import InputError, score_documents

FEEDS = Path(__file__).parent / "feeds"
WIRE = (FEEDS / "wire.rss").read_bytes()
ATOM = (FEEDS / "harbour.atom").read_bytes()
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>bomb</title><item><title>&d;</title></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>"""
# Cut off inside the third item: the first two parse.
TRUNCATED = WIRE[:WIRE.index(b"<title>Rainfall")]


def test_rss_items_become_documents_in_feed_order():
    feed = parse_feed(WIRE)
    assert feed.title == "Lurid test wire" and feed.format == "rss20" and feed.error is None
    assert [item.id for item in feed.items] == ["wire-0001", "https://news.example.org/tax-grab",
                                                "https://news.example.org/rainfall", "javascript:alert(1)"]
    sober, loaded, rainfall, title_only = feed.items
    assert sober.url == "https://news.example.org/library-budget"
    assert "seven votes to four" in sober.document["text"]
    # content:encoded wins over the description, and feedparser has dropped the script
    assert "terrifying" in loaded.document["html"] and "alert" not in loaded.document["html"]
    # a description without a tag is plain text, so its blank lines still separate paragraphs
    assert rainfall.document["text"].endswith("No more pages to load")
    assert title_only.document == {"text": "An item with only a title"}
    assert title_only.url is None  # a javascript: link is never passed on


def test_atom_entries_content_then_summary():
    feed = parse_feed(ATOM)
    assert feed.format == "atom10"
    first, second = feed.items
    assert first.id == "urn:example:harbour:1" and first.url == "https://harbour.example.org/ferry"
    assert "winter ferry timetable" in first.document["html"]
    assert second.document == {"text": "Work on the north quay will close the footpath for two weeks."}


def test_feed_items_score_in_the_expected_order(model):
    items = parse_feed(WIRE).items
    sober, loaded = score_documents(model, [items[0].document, items[1].document])
    assert loaded.sensationalism > 0.5 > sober.sensationalism


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.decode().encode("utf-16")])
def test_entity_declarations_are_refused_before_parsing(bomb):
    with pytest.raises(InputError) as refused:
        parse_feed(bomb)
    assert refused.value.code == "invalid_feed" and "entities" in refused.value.message


def test_a_feed_broken_part_way_keeps_the_items_before_the_break():
    feed = parse_feed(TRUNCATED)
    assert [item.id for item in feed.items][:2] == ["wire-0001", "https://news.example.org/tax-grab"]
    assert feed.error is not None and feed.error.code == "malformed_feed"
    assert "line" in feed.error.message


@pytest.mark.parametrize("data", [b"", b"just some words", b"<html><body><p>A page</p></body></html>",
                                  b"{\"id\": 1}", b"\xff\xfe\x00garbage"])
def test_what_is_not_a_feed_is_refused_with_a_message(data):
    with pytest.raises(InputError) as refused:
        parse_feed(data)
    assert refused.value.code == "invalid_feed" and "RSS or Atom" in refused.value.message


def test_a_path_or_url_is_data_never_opened_or_fetched():
    # feedparser would open a str or bytes naming a file: parse_feed only ever hands it a stream
    for data in (str(FEEDS / "wire.rss").encode(), b"https://news.example.org/feed.xml"):
        with pytest.raises(InputError):
            parse_feed(data)
    with pytest.raises(TypeError):
        parse_feed(str(FEEDS / "wire.rss"))


def test_encoding_override_for_text_that_was_already_decoded():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Café</title>' \
            '<item><title>Déjà vu</title><description>Naïve résumé</description></item></channel></rss>'
    feed = parse_feed(latin.encode("utf-8"), encoding="utf-8")
    assert feed.title == "Café" and feed.items[0].document == {"text": "Naïve résumé"}


def test_a_feed_in_a_legacy_charset_is_read_as_browsers_read_it():
    """An RSS file declared Shift_JIS with ① in it was an invalid_feed (Python's strict shift_jis)."""
    feed = ('<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>衝撃</title>'
            '<item><title>衝撃①</title><description>㈱ news</description></item></channel></rss>')
    parsed = parse_feed(feed.encode("cp932"))
    assert parsed.title == "衝撃" and parsed.items[0].document == {"text": "㈱ news"}


def test_an_empty_item_is_an_item_error():
    feed = parse_feed(b'<rss version="2.0"><channel><item><guid>x</guid></item></channel></rss>')
    (item,) = feed.items
    assert item_error(item).code == "empty_item"


def run_score(*args):
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", *args], capture_output=True, timeout=300)
    return completed.returncode, [json.loads(line) for line in completed.stdout.decode().splitlines()]


def test_cli_scores_each_item_with_title_url_and_text(tmp_path):
    code, lines = run_score("--input-format", "feed", str(FEEDS / "wire.rss"))
    assert code == 0
    assert [line["id"] for line in lines] == [item.id for item in parse_feed(WIRE).items]
    assert [line["title"] for line in lines][0] == "Council approves library budget"
    for line in lines:
        # every line carries the text its offsets point into
        for paragraph in line["paragraphs"]:
            assert 0 <= paragraph["start"] < paragraph["end"] <= len(line["text"])
    assert lines[1]["sensationalism"] > lines[0]["sensationalism"]
    rainfall = lines[2]
    assert rainfall["junk_block"] is not None
    assert rainfall["text"][rainfall["junk_block"]["start"]:].startswith("Related")


def test_cli_sniffs_feeds_and_reports_a_broken_one_after_its_items(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(TRUNCATED)
    code, lines = run_score(str(broken), str(FEEDS / "harbour.atom"))
    assert code == 1
    # the item cut open at the break has nothing to score: an error line of its own, then the feed's
    # an item with neither guid nor link is named by its feed and position
    assert [line["id"] for line in lines] == ["wire-0001", "https://news.example.org/tax-grab", f"{broken}#item-3",
                                              str(broken), "urn:example:harbour:1", "urn:example:harbour:2"]
    assert [line.get("error", {}).get("code") for line in lines] == [None, None, "empty_item", "malformed_feed",
                                                                    None, None]
    assert list(lines[2]) == ["id", "title", "url", "error"]  # which item it was, beside its error
    assert list(lines[3]) == ["id", "error"]  # the feed's own error


def test_cli_not_a_feed_is_one_error_line():
    code, lines = run_score("--input-format", "feed", "-")
    assert code == 1 and lines == [{"id": "-", "error": {"code": "invalid_feed", "message": lines[0]["error"]["message"]}}]


def bomb_in(encoding: str, declared: str | None = None) -> bytes:
    declaration = f'<?xml version="1.0" encoding="{declared or encoding}"?>\n'
    body = BILLION_LAUGHS.decode().split("\n", 1)[1]
    return (declaration + body).encode(encoding)


@pytest.mark.parametrize("data", [bomb_in("utf-7"), bomb_in("utf-32"), bomb_in("cp037", "IBM037"),
                                  bomb_in("utf-16-le", "utf-16"), bomb_in("latin-1")])
def test_entity_declarations_are_refused_whatever_the_encoding(data):
    # a byte search for "<!ENTITY" misses these; the feed is decoded before it is checked
    with pytest.raises(InputError) as refused:
        parse_feed(data)
    assert refused.value.code == "invalid_feed" and "entities" in refused.value.message


def test_an_attribute_flood_is_refused_before_the_quadratic_parser_sees_it():
    attributes = " ".join(f'a{i}="1"' for i in range(2000))
    flood = f'<rss version="2.0"><channel><item><guid>n</guid><x {attributes}/></item></channel></rss>'
    with pytest.raises(InputError) as refused:
        parse_feed(flood.encode())
    assert refused.value.code == "invalid_feed" and "attributes" in refused.value.message


def test_too_many_items_are_refused_before_the_full_parse():
    items = "<item><title>a</title></item>" * 50
    with pytest.raises(InputError) as refused:
        parse_feed(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), max_items=10)
    assert refused.value.code == "too_many_documents"
    assert len(parse_feed(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), max_items=50).items) == 50


def test_tagless_html_descriptions_have_their_entities_decoded():
    feed = parse_feed(b'<rss version="2.0"><channel><item><guid>w</guid><title>It&amp;#8217;s &lt;b&gt;here&lt;/b&gt;'
                      b'</title><description><![CDATA[It&#8217;s Tom &amp; Jerry [&#8230;]]]></description>'
                      b'</item></channel></rss>')
    (item,) = feed.items
    assert item.document == {"text": "It\u2019s Tom & Jerry [\u2026]"}
    assert "<b>" not in item.title


def test_the_break_is_located_in_the_feed_as_sent():
    one_line = WIRE.replace(b"\n", b" ")
    feed = parse_feed(one_line[:one_line.index(b"<title>Rainfall")])
    assert "at line 1," in feed.error.message
    assert "recovered" in feed.error.message


def test_an_address_sent_as_a_feed_gets_a_hint():
    with pytest.raises(InputError) as refused:
        parse_feed(b"https://news.example.org/feed.xml")
    assert "fetches nothing" in refused.value.message


@pytest.mark.parametrize("name, head, kind", [
    ("x.xml", b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">', "feed"),
    ("x.xml", b'<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><!--' + b"c" * 900 + b'--><rss>', "feed"),
    ("x.xml", '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"), "feed"),
    ("-", b"<!-- see <feed> -->\n<html><body><p>A page</p></body></html>", "html"),
    ("-", b'<?xml version="1.0"?><feedback><p>x</p></feedback>', "html"),
    ("-", b"<b>Bold</b> text mentioning <rss feeds>", "text"),
])
def test_feeds_are_sniffed_by_their_root_element(name, head, kind):
    from classifier.cli import sniff_format

    assert sniff_format(name, head) == kind


def test_html_named_entities_do_not_make_a_feed_malformed():
    feed = parse_feed(b'<rss version="2.0"><channel><title>A&nbsp;wire</title><item><guid>e</guid>'
                      b'<title>Vote &mdash; result</title><description>The vote passed&nbsp;7&ndash;2 &amp; '
                      b'ended &hellip;</description></item></channel></rss>')
    assert feed.error is None and feed.title == "A\u00a0wire"
    (item,) = feed.items
    assert item.title == "Vote \u2014 result"
    assert item.document == {"text": "The vote passed\u00a07\u20132 & ended \u2026"}
    # an unknown name is still an error, as it is in XML
    assert parse_feed(b'<rss version="2.0"><channel><item><title>a &bogus; b</title></item></channel>'
                      b'</rss>').error.code == "malformed_feed"


@pytest.mark.parametrize("declared", ["unicode_escape", "raw_unicode_escape", "idna", "no-such-charset"])
def test_a_python_codec_is_no_feed_encoding(declared):
    # a feed declaring unicode_escape would have its backslashes read as escapes: refused, not decoded
    feed = f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><item><title>a\\u0041</title>' \
           '</item></channel></rss>'
    with pytest.raises(InputError) as refused:
        parse_feed(feed.encode("ascii"))
    assert refused.value.code == "invalid_feed" and "unknown" in refused.value.message


@pytest.mark.parametrize("declared, codec", [("IBM850", "cp850"), ("IBM437", "cp437"), ("utf-8-sig", "utf-8")])
def test_real_charsets_outside_the_web_list_are_still_read(declared, codec):
    feed = f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><item><guid>a</guid>' \
           '<title>Café</title><description>The council met.</description></item></channel></rss>'
    (item,) = parse_feed(feed.encode(codec)).items
    assert item.title == "Café"
