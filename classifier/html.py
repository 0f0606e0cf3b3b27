"""Extract blocks of text from HTML with lxml.

Block elements become paragraphs; scripts, styles and hidden elements are
dropped; each block records its tag, how much of its text is link text, and
a few cues from the class and id names of its ancestors (footer, related...).
The extracted text is the blocks joined by blank lines; offsets refer to it.
"""

from __future__ import annotations

import dataclasses
import re
import threading

import lxml.etree
import lxml.html

from .maintext import MAX_ELEMENTS, extract_main_text, kept_shares
from .text import Document, make_paragraph, visible_length

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul br".split()
)
DROPPED_TAGS = frozenset(
    "script style noscript template iframe svg canvas head title select option button "
    "input textarea object embed map audio video rt rp".split()  # rt, rp: ruby readings, shown above the text
)
# Words in class/id names of ancestors that mark page furniture around an article.
CONTEXT_CUES = (
    "footer", "related", "recommend", "promo", "sponsor", "share", "social", "comment",
    "sidebar", "nav", "menu", "newsletter", "subscribe", "trending", "popular", "ad",
    "teaser", "more", "widget", "taboola", "outbrain", "byline", "author", "article",
    "content", "body", "story", "post",
)
_CUE_PATTERN = re.compile(r"[a-z]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# huge_tree: deep nesting (past 256 levels) is parsed, not silently cut short; libxml2 still stops at 2,048
# levels, and drops what follows (docs/fuzzing.md): `strict` parsing says so. One parser per thread, so that
# its error log is this parse's own.
_PARSERS = threading.local()
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Elements are inspected for context cues only this deep, to keep bombs cheap.
MAX_CONTEXT_DEPTH = 64


def _is_hidden(element) -> bool:
    attrib = element.attrib
    return (
        "hidden" in attrib
        or attrib.get("aria-hidden", "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(attrib.get("style", "")))
    )


def _cues(element) -> frozenset[str]:
    names = " ".join((element.get("class") or "", element.get("id") or "", element.get("role") or "")).lower()
    if not names.strip():
        return frozenset()
    words = set(_CUE_PATTERN.findall(names))
    found = {cue for cue in CONTEXT_CUES if cue in words or (len(cue) > 3 and cue in names)}
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("footer", "nav", "aside", "header", "article", "main"):
        found.add(tag)
    return frozenset(found)


class HtmlTooDeep(ValueError):
    """The markup nests deeper than libxml2 parses (2,048 levels): what follows would be lost."""


def _parser() -> lxml.html.HTMLParser:
    if not hasattr(_PARSERS, "parser"):
        _PARSERS.parser = lxml.html.HTMLParser(huge_tree=True)
    return _PARSERS.parser


def parse_html(markup: str, strict: bool = False, main_text: bool = True) -> Document:
    """Parse HTML into a Document whose `text` is the extracted block text.

    With `strict`, markup nested too deep for the parser raises HtmlTooDeep
    instead of losing the text past that depth without a word (a page could
    hide its text that way). With `main_text`, each block also records the
    share of it that trafilatura keeps as the page's main text (a junk cue),
    on pages of at most maintext.MAX_ELEMENTS elements.
    """
    if not isinstance(markup, str):
        raise TypeError(f"html must be str, not {type(markup).__name__}")
    if not markup.strip():
        return Document(text="", paragraphs=(), source="html")
    # lxml refuses str input that declares an encoding, and lone surrogates
    markup = _XML_DECLARATION.sub("", markup, count=1)
    markup = markup.encode("utf-8", "replace").decode("utf-8") if not markup.isascii() else markup
    try:
        parser = _parser()
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return Document(text="", paragraphs=(), source="html")
    if strict and any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise HtmlTooDeep("the HTML nests elements more than 2,048 deep, and the text past that depth cannot "
                          "be read; flatten the markup or send its text")

    blocks: list[tuple[str, float, str, frozenset[str], tuple[int, ...]]] = []
    pieces: list[str] = []
    link_chars = 0
    stack: list[tuple[str, frozenset[str], bool, int]] = []  # (tag, cues, in_link, serial)
    skip_depth = 0
    serial = 0

    def current_tag() -> str:
        for tag, _, _, _ in reversed(stack):
            if tag in BLOCK_TAGS:
                return tag
        return ""

    def add(text: str | None):
        nonlocal link_chars
        if text and not skip_depth:
            pieces.append(text)
            if stack and stack[-1][2]:
                link_chars += len(text.strip())

    def flush():
        nonlocal link_chars
        joined = " ".join("".join(pieces).split())
        if joined and visible_length(joined):  # a block of only zero-width or format characters shows nothing
            density = min(link_chars / max(len(joined), 1), 1.0)
            context = frozenset().union(*(cues for _, cues, _, _ in stack)) if stack else frozenset()
            blocks.append((joined, density, current_tag(), context, tuple(entry[3] for entry in stack)))
        pieces.clear()
        link_chars = 0

    for event, element in lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event in ("comment", "pi"):
            add(element.tail)  # the comment itself is not text; what follows it is
            continue
        if event == "start":
            if skip_depth or tag in DROPPED_TAGS or not tag or _is_hidden(element):
                skip_depth += 1
                continue
            if tag in BLOCK_TAGS:
                flush()
            in_link = tag == "a" or bool(stack and stack[-1][2])
            cues = _cues(element) if len(stack) < MAX_CONTEXT_DEPTH else frozenset()
            serial += 1
            stack.append((tag, cues, in_link, serial))
            add(element.text)
        else:
            if skip_depth:
                skip_depth -= 1
                if not skip_depth:
                    add(element.tail)
                continue
            if tag in BLOCK_TAGS:
                flush()
            stack.pop()
            add(element.tail)
    flush()

    text = "\n\n".join(block[0] for block in blocks)
    paragraphs = []
    position = 0
    for index, (block_text, density, tag, context, path) in enumerate(blocks):
        span = (position, position + len(block_text))
        paragraphs.append(make_paragraph(text, [span], index, tag=tag,
                                         link_density=round(density, 4), context=context, path=path))
        position = span[1] + 2
    shares = None
    if main_text and paragraphs and sum(1 for _ in root.iter()) <= MAX_ELEMENTS:
        # the blocks as extracted, not as repaired: the extractor's output is not repaired either
        shares = kept_shares(extract_main_text(markup), [text[p.start:p.end] for p in paragraphs])
    if shares is not None:
        paragraphs = [dataclasses.replace(p, main_text=share) for p, share in zip(paragraphs, shares)]
    return Document(text=text, paragraphs=tuple(paragraphs), source="html")
