"""Write the fuzz targets' seed corpora, generated on the fly (nothing here is committed as data).

    python fuzz/seeds.py DIR      -> DIR/text, DIR/html, DIR/feed, DIR/jsonl, DIR/service

Seeds come from the authored corpus in training_data/ (ours), the authored feeds in tests/feeds, and
hand-written adversarial cases: lone surrogates, NUL, bidi overrides, zero-width characters, combining
marks, mojibake of mojibake, deep nesting, unclosed tags, entity declarations, invalid UTF-8, NaN...
Each seed is in its target's input format (see each harness: a leading selector byte, then the data).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS_PER_TOPIC = 3


def authored() -> tuple[list[str], list[list[str]]]:
    """A few authored paragraphs per topic, and the authored junk blocks (lists of lines)."""
    paragraphs = []
    for path in sorted((ROOT / "training_data" / "paragraphs").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        paragraphs += [row["text"] for row in rows[:PARAGRAPHS_PER_TOPIC]]
    blocks_path = ROOT / "training_data" / "junk_blocks.jsonl"
    blocks = [json.loads(line)["lines"] for line in blocks_path.read_text(encoding="utf-8").splitlines()[:8]]
    return paragraphs, blocks


ODD_TEXTS = [
    "", " ", "\n\n\n", " \t\r\n\x0b\x0c\u00a0\u2028\u2029\x85" * 50,
    "Shocking \ud800 news\udfff!\n\nA lone \udc80 surrogate.",
    "NUL\x00inside\x00words\n\x00\n", "\u202eevil override\u202c and \u2066isolate\u2069 text",
    "zero\u200bwidth\u200cjoin\u200d\ufeffmarks", "e" + "\u0301" * 300 + " combining storm",
    "😱🔥👨‍👩‍👧🇬🇧" * 40, "âš¡ Headline that shocks\nðŸ˜± Another teaserâ€¦",
    "Ã¢Å¡Â¡ mojibake of mojibake Ã°Å¸ËœÂ±", "word " * 3000, "x" * 20000, "w\n" * 2000,
    "\r\n".join(["Line one of a Windows file.", "Line two.", "", "News", "End of content"]),
    "A\u2028B\u2029C\x85D\x0bE\x0cF", "Ã\x85 is mojibake for Å", "\ufffd\ufffd replaced \ufffd",
]
ODD_HTML = [
    "<div>" * 300 + "deep" + "</div>" * 300, "<p>" * 500 + "unclosed", "<p><b><i>misnested</p></b></i>",
    "<ul>" + "<li><a href=#>link</a></li>" * 400 + "</ul>", "<?xml version='1.0' encoding='latin-1'?><p>x</p>",
    "<!-- comment --><p>a<!-- c -->b</p><script>alert(1)</script><style>p{}</style>",
    "<p style='display: none'>hidden</p><p hidden>also</p><p aria-hidden=true>too</p><p>shown</p>",
    "<p>&nbsp;&amp;&lt;&#0;&#xD800;&#x110000;&bogus;</p>", "<table><tr><td>cell<td>cell</table>",
    "<br>" * 200, "<p>a</p>" * 1000, "<html><head><title>t</title></head><body></body></html>",
    "<svg><p>inside svg</p></svg><p>after</p>", "<p>\ud800 surrogate in markup</p>", "<", "</p>", "<!DOCTYPE html>",
    "<div class='footer related share'><p>Related</p><p>⚡ Teaser…</p></div>",
]
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                  '<rss version="2.0"><channel><item><title>&c;</title></item></channel></rss>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<rss version="2.0"><channel><item><description>&x;</description></item></channel></rss>')


def rss(items: list[str], blocks: list[list[str]]) -> str:
    body = "".join(f"<item><guid>g{i}</guid><title>Item {i} &amp; more</title><link>https://example.org/{i}</link>"
                   f"<description><![CDATA[<p>{text}</p><ul>{''.join(f'<li>{line}</li>' for line in block)}</ul>]]>"
                   f"</description></item>" for i, (text, block) in enumerate(zip(items, blocks)))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>{body}'
            "</channel></rss>")


def atom(items: list[str]) -> str:
    body = "".join(f'<entry><id>urn:e{i}</id><title type="html">&lt;b&gt;E{i}&lt;/b&gt;</title>'
                   f'<link href="javascript:alert({i})"/><summary>{text}</summary></entry>'
                   for i, text in enumerate(items))
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour</title>{body}</feed>'


def text_seeds(paragraphs, blocks) -> list[bytes]:
    documents = ["\n\n".join(paragraphs[i:i + 3]) + "\n" + "\n".join(blocks[i % len(blocks)])
                 for i in range(0, len(paragraphs), 3)]
    seeds = [b"\x00" + d.encode("utf-8", "surrogateescape") for d in documents]
    seeds += [b"\x00" + t.encode("utf-8", "surrogatepass") for t in ODD_TEXTS]
    seeds += [b"\x01" + t.encode("utf-16-le", "surrogatepass") for t in ODD_TEXTS[4:10]]
    seeds += [b"\x03" + documents[0].encode(), b"\x04" + documents[1].encode(), b"\x05" + paragraphs[0].encode()]
    seeds += [b"\x00" + b"invalid \xff\xfe utf-8 \xc3( bytes\n\xed\xa0\x80 encoded surrogate"]
    return seeds


def html_seeds(paragraphs, blocks) -> list[bytes]:
    pages = [f"<html><body><article><h1>Headline</h1>{''.join(f'<p>{p}</p>' for p in paragraphs[i:i + 3])}"
             f"</article><aside class='related'><ul>{''.join(f'<li><a href=x>{line}</a></li>' for line in block)}"
             f"</ul></aside><footer>© 2026</footer></body></html>" for i, block in zip(range(0, 30, 3), blocks)]
    return [b"\x00" + page.encode("utf-8", "surrogatepass") for page in [*pages, *ODD_HTML]] + \
        [b"\x03" + pages[0].encode(), b"\x01" + pages[1].encode("utf-16-le")]


def feed_seeds(paragraphs, blocks) -> list[bytes]:
    feeds = [rss(paragraphs[:4], blocks[:4]), atom(paragraphs[4:8])]
    seeds = [f.encode() for f in feeds] + [path.read_bytes() for path in sorted((ROOT / "tests" / "feeds").iterdir())]
    seeds += [BILLION_LAUGHS.encode(), EXTERNAL.encode(), feeds[0][: len(feeds[0]) // 2].encode(),
              feeds[0].replace("Item 1", "Item&nbsp;1&mdash;&bogus;").encode(),
              feeds[1].encode("utf-16"), feeds[1].encode("utf-32"),
              feeds[0].replace('encoding="utf-8"', 'encoding="iso-8859-1"').encode("latin-1", "replace"),
              feeds[0].replace('encoding="utf-8"', 'encoding="utf-7"').encode(),
              b'<rss version="2.0"><channel><item ' + b" ".join(b"a%d='1'" % i for i in range(300))
              + b"/></channel></rss>",
              b'<rss version="2.0"><channel>' + b"<item><title>t</title></item>" * 80 + b"</channel></rss>",
              b"https://example.org/feed.xml", b"<html><body><p>not a feed</p></body></html>", b"\xff\xfe\x00"]
    return seeds


def jsonl_seeds(paragraphs, blocks) -> list[bytes]:
    good = [json.dumps({"id": f"r{i}", "text": p, "source": "seed"}) for i, p in enumerate(paragraphs[:6])]
    good += [json.dumps({"id": "h", "html": "<p>" + "</p><p>".join(blocks[0]) + "</p>"}, ensure_ascii=False)]
    odd = ["", "   ", "not json", "[1, 2]", '"string"', '{"id": "x"}', '{"text": 5}', '{"text": "a", "html": "b"}',
           '{"id": "n", "text": NaN}', '{"id": 1e999, "text": "big"}', '{"id": "s", "text": "lone \\ud800 surrogate"}',
           '{"id": "d", "text": "x", "deep": ' + "[" * 200 + "]" * 200 + "}", "[" * 3000 + "]" * 3000,
           '{"id": {"nested": [1, {"a": null}]}, "text": "id is an object"}', '{"text": "\\u2028 and \\u0085 in text"}',
           '\ufeff{"id": "bom", "text": "byte order mark"}', '{"id": "t", "text": "' + "x" * 5000 + '"}']
    lines = [line.encode("utf-8", "surrogatepass") for line in good + odd]
    lines += [b"\xff\xfe invalid", b"{\"text\": \"\xc3(\"}"]
    stream = b"\n".join(lines) + b"\n"
    return [bytes([size]) + stream for size in (0, 7, 63, 255)] + [b"\x10" + b"\r\n".join(lines),
                                                                      b"\x00" + b"\n" * 20, b"\xff" + good[0].encode()]


def service_seeds(paragraphs, blocks) -> list[bytes]:
    score, feed, text_plain, get = b"\x00", b"\x03", b"\x18", b"\x80"
    bodies = [
        score + json.dumps({"id": "a", "text": paragraphs[0]}).encode(),
        score + json.dumps({"html": f"<p>{paragraphs[1]}</p>",
                            "options": {"offsets": "utf16", "clean": True}}).encode(),
        score + json.dumps({"documents": [{"id": i, "text": p} for i, p in enumerate(paragraphs[:4])],
                            "options": {"threshold": 0.3, "highlights": True}}).encode(),
        score + json.dumps({"text": "😱 Shocking plan! \ud800", "options": {"offsets": "utf16"}},
                           ensure_ascii=False).encode("utf-8", "surrogatepass"),
        score + b'{"text": "lone \\ud800 escape", "options": {"offsets": "utf16"}}',
        score + b'{"text": NaN}', score + b"[" * 5000 + b"]" * 5000, score + b'{"text": "x", "extra": 1}',
        score + b'{"documents": ' + json.dumps([{"text": "x"}] * 9).encode() + b"}",
        score + json.dumps({"text": "x" * 20001}).encode(), score + b"\xff\xfe{}", score + b"",
        feed + json.dumps({"feed": rss(paragraphs[:2], blocks[:2]), "options": {"offsets": "utf16"}}).encode(),
        feed + json.dumps({"feed": BILLION_LAUGHS}).encode(), feed + json.dumps({"feed": "not a feed"}).encode(),
        text_plain + b'{"text": "wrong content type"}', get + b"", b"\x06" + b'{"text": "merged slashes"}',
    ]
    return bodies


def main(directory: str) -> None:
    paragraphs, blocks = authored()
    for target, build in (("text", text_seeds), ("html", html_seeds), ("feed", feed_seeds), ("jsonl", jsonl_seeds),
                          ("service", service_seeds)):
        folder = Path(directory) / target
        folder.mkdir(parents=True, exist_ok=True)
        seeds = build(paragraphs, blocks)
        for seed in seeds:
            (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        print(f"{target}: {len(seeds)} seeds in {folder}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/fuzz/seeds")
