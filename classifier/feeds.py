"""RSS and Atom feeds to documents: one per item, ready for `score_documents`.

    parse_feed(data, encoding=None, source=None, max_items=None) -> Feed

Parsing is feedparser's, which reads RSS 0.9x/1.0/2.0 and Atom, and recovers
what it can of a feed that is not well-formed. Feeds come from anywhere, so
three hardenings come first:

- the bytes go to feedparser as a stream, never as a string: feedparser
  takes a string for a URL or a file name and would fetch or open it;
- the feed is decoded to UTF-8 first (whatever its declared encoding: UTF-7,
  UTF-32 and EBCDIC hide `<!ENTITY` from a byte search), then checked with
  defusedxml before any other parser sees it: a feed that declares entities
  is refused, so no entity-expansion bomb reaches feedparser;
- the same pass refuses elements with very many attributes and feeds with
  very many namespace prefixes (feedparser's strict parser takes quadratic
  time over both) and counts items, so an oversized feed is refused before
  the expensive parse.

An item's text is its content, else its summary, else its title. HTML
content (feedparser has already dropped its scripts) goes through the HTML
mode, so the result's `text` is the extracted text; content without a single
tag is read as plain text (entities decoded), since RSS labels every
description HTML. An item's id is its guid, else its link, else its position.
"""

from __future__ import annotations

import html
import html.entities
import io
import re
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ErrorString

import defusedxml
import defusedxml.ElementTree
import lxml.etree
import lxml.html

from .charsets import xml_codec
from .scoring import InputError

# Content types feedparser reports for markup; anything else is plain text.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Far more attributes than any feed element has; feedparser's strict parser is quadratic in them
# (20,000 on one element take about 23 s), so an element with more is refused.
MAX_ATTRIBUTES = 256
# Far more namespace prefixes than any feed declares (content, dc, media, atom...: a handful). feedparser looks
# each element's namespace up in the prefixes declared so far, so its time is quadratic in them: 10,000
# declarations took 3 s, 36,000 (1.15 MB, about the service's body limit) 54 s of CPU.
MAX_NAMESPACES = 256
ITEM_ELEMENTS = frozenset({"item", "entry"})
_MARKUP = re.compile(r"<[a-zA-Z!/]")
_WEB_LINK = re.compile(r"https?://\S+\Z", re.IGNORECASE)
_ADDRESS = re.compile(rb"\s*(?:(?:https?|feed|file|ftp)://|/)\S*\s*\Z", re.IGNORECASE)
_UTF8_HEADERS = {"content-type": "application/xml; charset=utf-8"}
UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_HTML_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_TEXT_DECLARATION = re.compile(r"(\s*)<\?xml\s[^>]*\?>")
_DECLARED_ENCODING = re.compile(r"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]{0,39})["']""")
_BOMS = (("utf-8", b"\xef\xbb\xbf"), ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
         ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"))
_BOMS_BY_NAME = dict(_BOMS)
_BOMS = tuple((bom, name) for name, bom in _BOMS)
# The first bytes of "<?" in encodings without a BOM (XML 1.0, appendix F).
_SIGNATURES = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<\x00?", "utf-16-be"),
               (b"<\x00?\x00", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "cp037"))


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str | None
    url: str | None
    document: dict  # {"text": ...} or {"html": ...}, as score_documents takes it, or {} when the item is empty
    position: int  # 1-based, in feed order

    @property
    def fields(self) -> dict:
        """The item as an input record: id, title, url, and its text or html."""
        return {"id": self.id, "title": self.title, "url": self.url, **self.document}


@dataclass(frozen=True)
class Feed:
    title: str | None
    format: str  # feedparser's name for it: "rss20", "atom10", ...
    items: tuple[FeedItem, ...]
    # Set when the feed is not well-formed: `items` is what feedparser recovered, which may miss some.
    error: InputError | None = None


def parse_feed(data: bytes, encoding: str | None = None, source: str | None = None,
               max_items: int | None = None) -> Feed:
    """Parse an RSS or Atom feed.

    `encoding` overrides the feed's own declaration: give it when the bytes
    were re-encoded from already decoded text (a JSON string, say), since the
    XML declaration then no longer tells the truth. `source` names the feed in
    the ids of items that have neither guid nor link (`source#item-3`).
    Raises InputError: "invalid_feed" when the bytes are not a feed, declare
    entities or have an element with too many attributes; "too_many_documents"
    past `max_items`. A feed that is not well-formed comes back with what
    could be recovered and `error` set.

    >>> feed = parse_feed(b'<rss version="2.0"><channel><title>Wire</title>'
    ...                   b'<item><guid>a1</guid><title>Budget passed</title>'
    ...                   b'<description>The council approved it.</description></item></channel></rss>')
    >>> feed.format, feed.items[0].id, feed.items[0].document
    ('rss20', 'a1', {'text': 'The council approved it.'})
    """
    if not isinstance(data, bytes):
        raise TypeError(f"parse_feed takes bytes, not {type(data).__name__}")
    utf8 = _to_utf8(data, encoding)
    break_at = _check_markup(utf8, max_items)
    import feedparser  # here, not at the top: only feeds need it, and every `score` start would pay for it

    # a stream, never bytes or str: feedparser would try those as a URL or a file name first
    parsed = feedparser.parse(io.BytesIO(utf8), response_headers=_UTF8_HEADERS, resolve_relative_uris=False,
                              sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        raise InputError("invalid_feed", _not_a_feed(data, break_at))
    items = tuple(_item(entry, position, source) for position, entry in enumerate(parsed.entries, 1))
    if max_items is not None and len(items) > max_items:
        raise _too_many(len(items), max_items)
    error = None
    if break_at is not None:
        error = InputError("malformed_feed", f"the feed is not well-formed XML ({_where(break_at)});"
                           f" {len(items)} items were recovered (each is scored), but items near that point "
                           "may be missing or incomplete")
    return Feed(title=_plain(parsed.feed.get("title_detail")), format=parsed.get("version") or "unknown",
                items=items, error=error)


def item_error(item: FeedItem, max_chars: int | None = None) -> InputError | None:
    """Why an item cannot be scored, or None."""
    if not item.document:
        return InputError("empty_item", f"feed item {item.position} has no content, summary or title to score")
    (value,) = item.document.values()
    if max_chars is not None and len(value) > max_chars:
        return InputError("document_too_large", f"feed item {item.position} has {len(value)} characters; "
                          f"the limit is {max_chars}")
    return None


def item_line(line: dict, item: FeedItem) -> dict:
    """A feed item's result line. Scored, it gains `text`, the text its offsets point into, right after
    `model` (as for HTML input). Not scored, it keeps its `title` and `url` beside its error: its id (a
    guid, or `item-3`) rarely tells a reader which item it was.
    """
    if "error" in line:
        return {"id": line["id"], "title": item.title, "url": item.url, "error": line["error"]}
    if "text" in line:
        return line
    out = {}
    for key, value in line.items():
        out[key] = value
        if key == "model":
            out["text"] = item.document["text"]
    return out


def _to_utf8(data: bytes, encoding: str | None) -> bytes:
    """The feed decoded (given encoding, else BOM, else byte signature and declaration, else UTF-8, else
    windows-1252) and re-encoded as UTF-8, its declaration replaced on the same line."""
    text = _HTML_ENTITY.sub(_numeric_reference, _decode(data, encoding))
    declaration = _TEXT_DECLARATION.match(text)
    if declaration:
        text = declaration.group(1) + UTF8_DECLARATION + text[declaration.end():]
    return text.encode("utf-8", "replace")


def _numeric_reference(match: re.Match) -> str:
    """`&nbsp;` -> `&#160;`: HTML's named entities are undefined in XML, and feeds are full of them.

    Without this, one `&nbsp;` makes the whole feed not well-formed: feedparser falls back to its loose
    parser and the feed is reported as malformed although nothing is wrong with it for a reader. The
    five entities XML defines are left alone. (In a CDATA section the reference stays literal text, and
    the HTML mode or the entity decoding of tagless text reads it as the same character.)
    """
    name = match.group(1)
    code_points = None if name in _XML_ENTITIES else html.entities.html5.get(name + ";")
    if code_points is None:
        return match.group(0)
    return "".join(f"&#{ord(c)};" for c in code_points)


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding is None:
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
        if encoding is not None:
            data = data[len(_BOMS_BY_NAME[encoding]):]
    if encoding is None:
        family = next((name for signature, name in _SIGNATURES if data.startswith(signature)), None)
        head = data[:512].decode(family or "latin-1", "replace")
        declared = _DECLARED_ENCODING.match(head)
        encoding = family
        if declared and (family is None or family == "cp037"):
            name = declared.group(1).lower()
            # a declaration of UTF-16 or UTF-32 on bytes read as ASCII is wrong: the bytes say otherwise
            if not (family is None and name.startswith(("utf-16", "utf-32", "ucs"))):
                encoding = _as_browsers_read(name)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError("invalid_feed", f"the feed's encoding {encoding[:40]!r} is unknown: send UTF-8") from None
        except UnicodeDecodeError as error:
            raise InputError("invalid_feed", f"the feed is not valid {encoding[:40]} ({error.reason} at byte "
                             f"{error.start}): fix its encoding declaration, or send UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("windows-1252", "replace")  # as feedparser falls back


def _as_browsers_read(name: str) -> str:
    """A declared encoding as feed readers decode it (charsets.xml_codec: Shift_JIS as cp932, IBM850 as
    declared); a name that is no character encoding (unicode_escape, idna) is refused."""
    try:
        return xml_codec(name)
    except LookupError:
        raise InputError("invalid_feed", f"the feed's encoding {name[:40]!r} is unknown: send UTF-8") from None


class _Census:
    """An ElementTree parser target that counts items and refuses attribute and namespace floods."""

    def __init__(self, max_items: int | None):
        self.items = 0
        self.max_items = max_items
        self.prefixes: set[str] = set()

    def start_ns(self, prefix: str, uri: str) -> None:
        self.prefixes.add(prefix)
        if len(self.prefixes) > MAX_NAMESPACES:
            raise InputError("invalid_feed", f"the feed declares more than {MAX_NAMESPACES} namespace prefixes; "
                             "lurid refuses more (feedparser's time grows with the square of their number)")

    def start(self, tag: str, attrib: dict) -> None:
        if len(attrib) > MAX_ATTRIBUTES:
            raise InputError("invalid_feed", f"an element <{tag.rpartition('}')[2][:40]}> has {len(attrib)} "
                             f"attributes; lurid refuses more than {MAX_ATTRIBUTES} on one element")
        if tag.rpartition("}")[2] in ITEM_ELEMENTS:
            self.items += 1
            if self.max_items is not None and self.items > self.max_items:
                raise _too_many(f"more than {self.max_items}", self.max_items)

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def _check_markup(utf8: bytes, max_items: int | None) -> tuple[str, int, int] | None:
    """Refuse entities, attribute floods and too many items; return where the XML breaks, if it does."""
    parser = defusedxml.ElementTree.DefusedXMLParser(target=_Census(max_items), forbid_dtd=False,
                                                     forbid_entities=True, forbid_external=True)
    try:
        parser.feed(utf8)
        parser.close()
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise InputError("invalid_feed", "the feed declares XML entities, which lurid refuses (they are how "
                         "entity-expansion bombs work): remove the DOCTYPE and its <!ENTITY> declarations") from None
    except ParseError as error:
        line, column = error.position
        return ErrorString(error.code), line, column
    return None


def _item(entry, position: int, source: str | None) -> FeedItem:
    link = entry.get("link") or None
    fallback = f"{source}#item-{position}" if source else f"item-{position}"
    # only web links are passed on as `url` (feedparser also fills `link` from a guid, and a
    # `javascript:` link must never reach a page that renders it)
    url = link if link and _WEB_LINK.match(link) else None
    return FeedItem(id=entry.get("id") or link or fallback, title=_plain(entry.get("title_detail")), url=url,
                    document=_document(entry), position=position)


def _document(entry) -> dict:
    """Content, else summary, else title, as {"html"} or {"text"}; {} when the item has none."""
    for detail in [*entry.get("content", ()), entry.get("summary_detail"), entry.get("title_detail")]:
        if detail and (detail.get("value") or "").strip():
            value = detail["value"]
            if detail.get("type") not in HTML_TYPES:
                return {"text": value}
            if _MARKUP.search(value):
                return {"html": value}
            # RSS calls every description HTML; one without a tag is text, blank lines and all
            return {"text": html.unescape(value)}
    return {}


def _plain(detail) -> str | None:
    """A title as plain text: feedparser keeps the markup of HTML titles."""
    if not detail or detail.get("value") is None:
        return None
    value = detail["value"]
    if detail.get("type") not in HTML_TYPES:
        return value
    if not _MARKUP.search(value):
        return html.unescape(value)
    try:
        return lxml.html.fragment_fromstring(value, create_parent="div").text_content()
    except (ValueError, lxml.etree.ParserError):
        return html.unescape(value)


def _where(break_at: tuple[str, int, int]) -> str:
    message, line, column = break_at
    return f"{message} at line {line}, column {column + 1}"


def _not_a_feed(data: bytes, break_at) -> str:
    if _ADDRESS.match(data[:2048]):
        return "this looks like an address, not a feed: give the feed's XML itself (lurid fetches nothing)"
    reason = f" ({_where(break_at)})" if break_at is not None else ""
    return f"this is not an RSS or Atom feed{reason}: give the feed's XML"


def _too_many(count, limit: int) -> InputError:
    return InputError("too_many_documents", f"the feed has {count} items; the limit is {limit}: send it in parts")
