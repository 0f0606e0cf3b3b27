"""Compose whole documents from authored parts, to train and test the junk model.

An article is a run of authored paragraphs of one topic, sometimes with
section headings between them and a clean ending after them; a junk block
is appended to some. Each document is laid out as a reader might receive it:
one paragraph per line, blank-line separated, hard-wrapped, or HTML; and some
are passed through mojibake the way scrapers do it. The labels are known by
construction: every paragraph that starts at or after the block is junk.
"""

from __future__ import annotations

import html as html_escape
import random
import textwrap
from dataclasses import dataclass

LAYOUTS = (("lines", 0.35), ("blank", 0.3), ("wrapped", 0.15), ("html", 0.2))
# Page furniture for HTML footers: generic words, no site's actual text.
FOOTER_LINKS = ("About us", "Contact", "Privacy Policy", "Terms of Use", "Advertise", "Careers",
                "Cookie settings", "Sitemap", "Help", "Accessibility", "Newsletters", "Corrections policy")
# Share of the HTML documents composed as fragments (no page around the article, the block as plain
# paragraphs): a main-text extractor keeps all of such a fragment, block included, so the junk model must
# not read "kept" as "article" (session 7: a feed item's block went unfound until these were added).
FRAGMENT_SHARE = 0.25
CONTAINER_CLASSES = ("related", "recommended", "more-stories", "trending", "promo-box", "widget", "", "", "")


@dataclass(frozen=True)
class ComposedDocument:
    content: str
    is_html: bool
    block_start: int | None  # offset in the text (for HTML: in the extracted text) or None
    block_first_line: str | None  # the first line of the block (or footer), to find it in HTML


def junk_labels(document: ComposedDocument, parsed) -> list[int]:
    """0/1 per paragraph of the parsed document: 1 from the block's first paragraph on."""
    start = document.block_start
    if document.is_html and document.block_first_line is not None:
        wanted = " ".join(document.block_first_line.split())
        matches = [p.start for p in parsed.paragraphs if parsed.text[p.start:p.end] == wanted]
        start = matches[-1] if matches else None
    if start is None:
        return [0] * len(parsed.paragraphs)
    return [int(p.start >= start) for p in parsed.paragraphs]


def mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252, as careless scrapers do ("⚡" -> "âš¡")."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _pick_layout(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for layout, weight in LAYOUTS:
        total += weight
        if roll < total:
            return layout
    return LAYOUTS[-1][0]


def _article(rng, by_topic, headings):
    topic = rng.choice(sorted(by_topic))
    pool = by_topic[topic]
    count = min(rng.choice((1, 2, 3, 4, 5, 6, 8, 10)), len(pool))
    body = [r["text"] for r in rng.sample(pool, count)]
    if headings and count >= 3 and rng.random() < 0.45:
        for _ in range(rng.randint(1, 2)):
            body.insert(rng.randint(1, len(body) - 1), rng.choice(headings)["text"])
    return body


def _render_text(layout, rng, article, block, trailing_blanks):
    width = rng.randint(60, 80)
    pieces = []
    for paragraph in article:
        if layout == "wrapped" and len(paragraph) > width:
            pieces.append("\n".join(textwrap.wrap(paragraph, width)))
        else:
            pieces.append(paragraph)
    joiner = "\n" if layout == "lines" or (layout == "wrapped" and rng.random() < 0.3) else "\n\n"
    text = joiner.join(pieces)
    block_start = None
    if block:
        text += joiner
        block_start = len(text)
        block_joiner = "\n" if rng.random() < 0.8 else "\n\n"
        text += block_joiner.join(line for line in block if line.strip())
        text += "\n" * trailing_blanks
    return text, block_start


def _render_fragment(rng, article, block):
    """An HTML fragment, as in a feed item or pasted markup: the block is plain paragraphs after the article."""
    esc = html_escape.escape
    parts = [f"<h2>{esc(p)}</h2>" if len(p) < 60 and not p.endswith((".", "!", "?")) else f"<p>{esc(p)}</p>"
             for p in article]
    lines = [line for line in block if line.strip()] if block else []
    for line in lines:
        linked = not line.endswith(("…", "...")) and rng.random() < 0.3
        parts.append(f"<p><a href='/story/{rng.randint(1, 99999)}'>{esc(line)}</a></p>" if linked
                     else f"<p>{esc(line)}</p>")
    return "".join(parts), lines[0] if lines else None


def _render_html(rng, article, ending_count, block, footer):
    esc = html_escape.escape
    if rng.random() < FRAGMENT_SHARE:
        return _render_fragment(rng, article, block)
    parts = ["<html><head><title>Story</title><script>var x = 1;</script></head><body>"]
    if rng.random() < 0.6:
        parts.append("<nav><ul>" + "".join(f"<li><a href='/s{i}'>{esc(w)}</a></li>"
                                          for i, w in enumerate(("Home", "World", "Politics", "Sport")))
                     + "</ul></nav>")
    parts.append("<article>")
    body_end = len(article) - ending_count
    for i, paragraph in enumerate(article):
        if len(paragraph) < 60 and not paragraph.endswith((".", "!", "?")):
            parts.append(f"<h2>{esc(paragraph)}</h2>")
        elif i >= body_end and rng.random() < 0.5:
            parts.append(f"<div class='author-note'><p>{esc(paragraph)}</p></div>")
        else:
            parts.append(f"<p>{esc(paragraph)}</p>")
    parts.append("</article>")
    if block:
        lines = [line for line in block if line.strip()]
        css = rng.choice(CONTAINER_CLASSES)
        parts.append(f"<div class='{css}'><h3>{esc(lines[0])}</h3><ul>")
        for line in lines[1:]:
            if line.endswith(("…", "...")) or rng.random() < 0.3:
                parts.append(f"<li><p>{esc(line)}</p></li>")
            else:
                parts.append(f"<li><a href='/story/{rng.randint(1, 99999)}'>{esc(line)}</a></li>")
        parts.append("</ul></div>")
    first_junk = [line for line in block if line.strip()][0] if block else None
    if footer:
        links = rng.sample(FOOTER_LINKS, 5)
        parts.append("<footer><p>" + " ".join(f"<a href='/{i}'>{esc(link)}</a>" for i, link in enumerate(links))
                     + "</p>" f"<p>© {rng.randint(2015, 2026)} "
                     f"{esc(rng.choice(('The Courier', 'Daily Post', 'Metro Times')))}</p></footer>")
        first_junk = first_junk or " ".join(links)
    parts.append("</body></html>")
    return "".join(parts), first_junk


def compose_documents(paragraphs: list[dict], blocks: list[dict], endings: list[dict],
                      headings: list[dict], count: int, seed: int,
                      block_share: float = 0.6) -> list[ComposedDocument]:
    """`count` documents, reproducibly from `seed`."""
    rng = random.Random(seed)
    by_topic: dict[str, list[dict]] = {}
    for record in paragraphs:
        by_topic.setdefault(record["topic"], []).append(record)
    documents = []
    for _ in range(count):
        article = _article(rng, by_topic, headings)
        ending_lines = []
        if endings and rng.random() < 0.5:
            ending_lines = [line for line in rng.choice(endings)["lines"] if line.strip()]
        block = list(rng.choice(blocks)["lines"]) if blocks and rng.random() < block_share else None
        if block is not None and not [line for line in block if line.strip()]:
            block = None
        if rng.random() < 0.12:
            article = [mojibake(p) for p in article]
            ending_lines = [mojibake(p) for p in ending_lines]
        if block and rng.random() < 0.2:
            block = [mojibake(line) for line in block]
        layout = _pick_layout(rng)
        full_article = article + ending_lines
        if layout == "html":
            footer = rng.random() < 0.4
            content, first = _render_html(rng, full_article, len(ending_lines), block, footer)
            documents.append(ComposedDocument(content, True, None, first))
        else:
            text, block_start = _render_text(layout, rng, full_article, block, rng.choice((0, 0, 1, 2)))
            first = text[block_start:].split("\n", 1)[0] if block_start is not None else None
            documents.append(ComposedDocument(text, False, block_start, first))
    return documents
