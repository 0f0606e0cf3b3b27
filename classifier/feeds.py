"""RSS and Atom feeds to documents: one per item, ready for `score_documents`.

    parse_feed(data, encoding=None) -> Feed

Parsing is feedparser's, which reads RSS 0.9x/1.0/2.0 and Atom, and recovers
the items before the point where a malformed feed breaks. Two hardenings come
first, because feeds come from anywhere:

- the bytes go to feedparser as a stream, never as a string: feedparser
  takes a string for a URL or a file name and would fetch or open it;
- a feed that declares XML entities is refused before parsing (defusedxml),
  so that no entity-expansion bomb reaches any parser.

An item's text is its content, else its summary, else its title. HTML
content (feedparser has already dropped its scripts) goes through the HTML
mode, so the result's `text` is the extracted text; content without a single
tag is read as plain text, since RSS labels every description HTML. An item's id is its guid,
else its link, else its position (`item-3`).
"""

from __future__ import annotations

import io
import re
import xml.sax
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree
import feedparser

from .scoring import InputError

# Content types feedparser reports for markup; anything else is plain text.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Cheap refusal before any parsing: no entity declaration is ever needed in a feed.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_MARKUP = re.compile(r"<[a-zA-Z!/]")
_WEB_LINK = re.compile(r"https?://[^\s]+\Z", re.IGNORECASE)


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
    # Set when the feed is malformed but some items parsed: they are all in `items`.
    error: InputError | None = None


def parse_feed(data: bytes, encoding: str | None = None) -> Feed:
    """Parse an RSS or Atom feed; `encoding` overrides the feed's own declaration.

    Give `encoding` when the bytes were re-encoded from already decoded text
    (a JSON string, say): the XML declaration then no longer tells the truth.
    Raises InputError ("invalid_feed") when the bytes are not a feed at all or
    declare entities; a feed broken part-way comes back with the items before
    the break and `error` set.

    >>> feed = parse_feed(b'<rss version="2.0"><channel><title>Wire</title>'
    ...                   b'<item><guid>a1</guid><title>Budget passed</title>'
    ...                   b'<description>The council approved it.</description></item></channel></rss>')
    >>> feed.format, feed.items[0].id, feed.items[0].document
    ('rss20', 'a1', {'text': 'The council approved it.'})
    """
    if not isinstance(data, bytes):
        raise TypeError(f"parse_feed takes bytes, not {type(data).__name__}")
    _refuse_entities(data)
    headers = {"content-type": f"application/xml; charset={encoding}"} if encoding else None
    # a stream, never bytes or str: feedparser would try those as a URL or a file name first
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False,
                              sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.get("version") and not parsed.entries:
        reason = f" ({_describe(problem)})" if problem is not None else ""
        raise InputError("invalid_feed", f"this is not an RSS or Atom feed{reason}: send the feed's XML")
    items = tuple(_item(entry, position) for position, entry in enumerate(parsed.entries, 1))
    error = None
    if isinstance(problem, xml.sax.SAXException):
        scored = "the items before it are scored" if items else "no item could be read"
        error = InputError("malformed_feed", f"the feed is malformed ({_describe(problem)}); {scored}")
    return Feed(title=parsed.feed.get("title"), format=parsed.get("version") or "unknown", items=items,
                error=error)


def _item(entry, position: int) -> FeedItem:
    link = entry.get("link") or None
    identifier = entry.get("id") or link or f"item-{position}"
    # only web links are passed on as `url` (feedparser also fills `link` from a guid, and a
    # `javascript:` link must never reach a page that renders it)
    url = link if link and _WEB_LINK.match(link) else None
    return FeedItem(id=identifier, title=entry.get("title"), url=url, document=_document(entry),
                    position=position)


def _document(entry) -> dict:
    """Content, else summary, else title, as {"html"} or {"text"}; {} when the item has none."""
    for detail in [*entry.get("content", ()), entry.get("summary_detail"), entry.get("title_detail")]:
        if detail and (detail.get("value") or "").strip():
            value = detail["value"]
            # RSS calls every description HTML; one without a single tag is plain text, blank lines and all
            kind = "html" if detail.get("type") in HTML_TYPES and _MARKUP.search(value) else "text"
            return {kind: value}
    return {}


def item_error(item: FeedItem) -> InputError | None:
    """Why an item cannot be scored, or None."""
    if not item.document:
        return InputError("empty_item", f"feed item {item.position} has no content, summary or title to score")
    return None


def _refuse_entities(data: bytes) -> None:
    """Refuse entity declarations; a syntax error is left to feedparser's recovery.

    defusedxml sees declarations in any encoding, but stops at the first
    syntax error: a malformed feed is also searched for the declaration itself.
    """
    if _ENTITY_DECLARATION.search(data):
        raise _entities_refused()
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise _entities_refused() from None
    except (defusedxml.DefusedXmlException, SyntaxError, ValueError, LookupError):
        pass  # not well-formed (ParseError is a SyntaxError) or an unknown encoding: feedparser decides


def _entities_refused() -> InputError:
    return InputError("invalid_feed", "the feed declares XML entities, which lurid refuses (they are how "
                      "entity-expansion bombs work): remove the DOCTYPE and its <!ENTITY> declarations")


def _describe(problem) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        return f"{problem.getMessage()} at line {problem.getLineNumber()}, column {problem.getColumnNumber()}"
    return str(problem) or type(problem).__name__
