from classifier.html import parse_html

PAGE = """<html><head><title>T</title><style>p {color: red}</style><script>alert(1)</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>A headline</h1><p>First <b>bold</b> paragraph with <a href="/x">a link</a>.</p>
<div style="display: none">hidden text</div><p hidden>also hidden</p>
<p>Second paragraph.<br>Same block.</p></article>
<div class="related-posts"><h3>Related</h3><ul><li><a href="/1">One story</a></li></ul></div>
</body></html>"""


def test_blocks_become_paragraphs_and_scripts_styles_hidden_are_dropped():
    doc = parse_html(PAGE)
    texts = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert "A headline" in texts
    assert "First bold paragraph with a link." in texts
    assert not any("alert" in t or "color" in t or "hidden" in t for t in texts)
    assert doc.source == "html"


def test_ruby_readings_are_dropped():
    """<rt> readings (and <rp> fallback brackets) are shown above the base text, not in it: they ran into
    the extracted text ("市議会しぎかい", session 23 probe)."""
    doc = parse_html("<p><ruby>市議会<rp>(</rp><rt>しぎかい</rt><rp>)</rp></ruby>は可決した。</p>")
    assert doc.text == "市議会は可決した。"


def test_offsets_refer_to_the_extracted_text():
    doc = parse_html(PAGE)
    for paragraph in doc.paragraphs:
        assert doc.text[paragraph.start:paragraph.end] == paragraph.text


def test_link_density_and_context():
    doc = parse_html(PAGE)
    by_text = {doc.text[p.start:p.end]: p for p in doc.paragraphs}
    assert by_text["One story"].link_density == 1.0
    assert 0 < by_text["First bold paragraph with a link."].link_density < 0.5
    assert by_text["A headline"].link_density == 0.0
    assert by_text["A headline"].tag == "h1"
    assert "related" in by_text["Related"].context


def test_empty_and_broken_markup():
    assert parse_html("").paragraphs == ()
    doc = parse_html("<div><p>unclosed <b>tags<p>next")
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["unclosed tags", "next"]


def test_text_after_comments_xml_declarations_and_deep_nesting_is_kept():
    assert parse_html("<p>Police said<!-- ad --> the suspect fled.</p>").text == "Police said the suspect fled."
    assert parse_html('<?xml version="1.0" encoding="utf-8"?><p>Hello there</p>').text == "Hello there"
    assert parse_html("<div>" * 300 + "deep text").text == "deep text"


def test_format_characters_in_html_blocks():
    from classifier.html import parse_html

    document = parse_html("<p>Council slams shame&shy;less plan</p><p>&#8203;</p><div>\u200e</div><p>Calm.</p>")
    assert [p.text for p in document.paragraphs] == ["Council slams shameless plan", "Calm."]
