"""Turn a document as sent into paragraphs with offsets into that exact text.

Offsets are code points, end exclusive, and always point into the text the
caller sent (for HTML: into the text extracted from it, which the result
carries). Scoring works on a normalised copy of each paragraph: lines of a
hard-wrapped paragraph joined by one space, and mojibake repaired with ftfy.
A small segment map carries positions in the normalised copy back to the
sent text, so highlights land on the sent text too.

>>> doc = split_text("Héllo there.\\n\\nSecond one âš¡")
>>> [(p.start, p.end, p.text) for p in doc.paragraphs]
[(0, 12, 'Héllo there.'), (14, 28, 'Second one ⚡')]
"""

from __future__ import annotations

import bisect
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252"

# A run of lines counts as hard-wrapped when its long lines cluster below this
# width: plain-text mail and Usenet-style wrapping is 60-80 columns.
WRAP_MAX_WIDTH_DEFAULT = 100
# A line this close to the wrap width is "full", so the paragraph goes on.
WRAP_SLACK_DEFAULT = 18
# At least this share of a document's lines must be full for it to be wrapped.
WRAP_MIN_FULL_SHARE_DEFAULT = 0.35

# In a wrapped text, at most this share of lines runs far past the width
# (a long URL, say); one-paragraph-per-line text has many such lines.
MAX_OVERLONG_SHARE_DEFAULT = 0.1
# A wrapped text's fit_width is measured only from at least this many lines that run on mid-sentence.
FIT_MIN_LINES = 3
# A line longer than every line that runs on mid-sentence, and than the wrap width, by more than this was not
# wrapped: it stands alone.
OVERLONG_SLACK = 5
# In a wrapped text, at most this share of full lines ends a sentence.
MAX_TERMINAL_SHARE_DEFAULT = 0.5

# Sentence ends of other scripts: the Devanagari danda and double danda, the ideographic, full-width and
# half-width full stops, full-width "!" and "?", the Arabic question mark and Urdu full stop, the Ethiopic,
# Myanmar, Khmer, Tibetan and Armenian full stops; and the CJK closing brackets a quoted sentence ends in.
OTHER_FULL_STOPS = "।॥。．｡۔።။។།։"
OTHER_SCRIPT_STOPS = OTHER_FULL_STOPS + "！？؟」』）】"
_TERMINAL = tuple(".!?:;\"”'’)…" + OTHER_SCRIPT_STOPS)
# U+0085 (NEL) is a line break, except as the continuation byte of a UTF-8
# sequence misread as Latin-1 ("Ã\x85" is mojibake for "Å", "â\x80\x85" for
# U+2005): then a lead byte comes one, two or three places before it, with
# continuation bytes between, and it belongs to the word ("\x85\x85" after a
# full stop is two line breaks). That is checked after the \x85, so that every
# alternative starts with a plain character: re then skips ahead to those
# characters, about seven times faster than trying each position.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85(?<![\xc2-\xf4]\x85)"
                         r"(?<![\xe0-\xf4][\x80-\xbf]\x85)(?<![\xf0-\xf4][\x80-\xbf]{2}\x85)")
# Words split on ASCII whitespace and on the other Unicode spaces (an em space, an ideographic space), but
# not on U+00A0: that is part of some mojibake (Ã\xa0 = à). A highlight or a paragraph therefore never ends
# in "\u3000\u3000". A run of printable-ASCII words one space apart needs no repair and maps one
# to one: it becomes a single segment (most text is such runs), and any other word is repaired on its own.
_WORD_SEPARATORS = " \t\r\n\x0b\x0c\u1680\u2000-\u200a\u202f\u205f\u3000"
# Format characters (Unicode category Cf): soft hyphens, zero-width spaces and joiners, byte-order marks,
# direction marks, tag characters. They have no glyph, so for scoring they are not there: a soft hyphen
# (`&shy;`, common on news sites) or a zero-width joiner inside a word must not hide the word from the
# lexicon or TF-IDF ("Sho\u200dcking out\u200drage!" scored 0.01, against 1.0 without them), and a line of
# nothing else is blank. Offsets still point at the text as sent: a word that had them maps back whole.
_FORMAT_OTHER = (r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200c\u200e\u200f\u202a-\u202e"
                 r"\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
                 r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORMAT_CHARACTERS = re.compile(rf"[{_FORMAT_OTHER}\u200d]")
# ... but a zero-width joiner between two symbols makes one emoji of them (🏃‍♀️): kept there.
_FORMAT_BUT_JOINER = re.compile(rf"[{_FORMAT_OTHER}]")
_JOINERS = re.compile("\u200d+")


def _joiner_kept(match: re.Match) -> str:
    """A run of joiners stays only between two characters that are not letters or digits (symbols, emoji)."""
    word, start, end = match.string, match.start(), match.end()
    if 0 < start and end < len(word) and not word[start - 1].isalnum() and not word[end].isalnum():
        return match.group()
    return ""


def drop_format_characters(word: str) -> str:
    """`word` as it shows: without format characters (a zero-width joiner in an emoji stays).

    Linear in the word: each run of joiners is looked at once (a lookahead regex for "a joiner next to a
    letter" rescanned the run from every position: 40,000 joiners took 18 s)."""
    word = _FORMAT_BUT_JOINER.sub("", word)
    return _JOINERS.sub(_joiner_kept, word) if "\u200d" in word else word


_RUN = re.compile(rf"(?P<ascii>[!-~]++(?: [!-~]++(?![^{_WORD_SEPARATORS}]))*+)(?![^{_WORD_SEPARATORS}])"
                  rf"|[^{_WORD_SEPARATORS}]+")


@dataclass(frozen=True)
class Segment:
    """A word, or a run of plain ASCII words: where it sits in the normalised and sent text."""

    norm_start: int
    norm_end: int
    raw_start: int
    raw_end: int

    @property
    def exact(self) -> bool:
        return self.norm_end - self.norm_start == self.raw_end - self.raw_start


_norm_start = operator.attrgetter("norm_start")  # segments are in order of it: to_source_span bisects them by it


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or line, or HTML block) of a document.

    `start`/`end` point into the document text; `text` is the normalised copy
    used for scoring. HTML blocks also carry their tag and link density.
    """

    index: int
    start: int
    end: int
    text: str
    segments: tuple[Segment, ...] = field(repr=False, compare=False)
    repaired: bool = False  # ftfy changed at least one word (mojibake etc.)
    mojibake: bool = False  # ... and more than its quotes, ligatures or character widths: real mojibake
    tag: str = ""  # HTML block tag ("p", "h2", "li"...), "" for plain text
    link_density: float = 0.0  # share of the block's text inside <a>
    context: frozenset[str] = frozenset()  # HTML ancestry cues, see html.py
    path: tuple[int, ...] = field(default=(), repr=False)  # HTML: serials of the enclosing elements
    # HTML: share of the block a main-text extractor kept (maintext.py); None for text, or when it found nothing
    main_text: float | None = None
    # plain text: positions in `text` where Markdown link markup was left out (markdown_markup), at the edges
    # of a link's text; a highlight does not run across one
    breaks: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def to_source_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Map a span of `text` to (start, end) in the document text."""
        first = self.segments[max(bisect.bisect_right(self.segments, norm_start, key=_norm_start) - 1, 0)]
        last = self.segments[max(bisect.bisect_right(self.segments, max(norm_end - 1, 0), key=_norm_start) - 1, 0)]
        if first.exact:
            start = first.raw_start + min(norm_start - first.norm_start, first.raw_end - first.raw_start)
        else:
            start = first.raw_start
        if last.exact:
            end = last.raw_start + min(max(norm_end - last.norm_start, 0), last.raw_end - last.raw_start)
        else:
            end = last.raw_end
        return start, max(end, start)


@dataclass(frozen=True)
class Document:
    """The text that offsets refer to, its paragraphs, and where it came from."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    source: str = "text"  # "text" or "html"


# Typographic changes ftfy also makes, which are not mojibake: curly quotes (and primes) made straight.
_STRAIGHT = str.maketrans("‘’‚‛′“”„‟″", "'" * 5 + '"' * 5)


def is_mojibake_repair(raw: str, fixed: str) -> bool:
    """Did the repair of `raw` into `fixed` undo mojibake, not just typography?

    >>> is_mojibake_repair("itâ€™s", "it's"), is_mojibake_repair("it’s", "it's")
    (True, False)
    >>> is_mojibake_repair("ﬁne", "fine")
    False
    """
    return (unicodedata.normalize("NFKC", raw).translate(_STRAIGHT)
            != unicodedata.normalize("NFKC", fixed).translate(_STRAIGHT))


@lru_cache(maxsize=65536)
def fix_word(word: str) -> str:
    """Repair one word's mojibake and odd characters with ftfy (ASCII is left alone), without its format
    characters.

    U+00AD is both a soft hyphen and a byte of mojibake ("Ã\xad" is í, "â\xad\x90" is ⭐, "ðŸ˜\xad" is 😭):
    the word is repaired with it and without it, and read with it only when that makes characters a
    reader expects (letters of the Latin, Greek or Cyrillic alphabets, emoji). "Groß\xadstadt" read with it would be "Gro\u07edstadt".
    """
    if word.isascii():
        return word
    if "\u00ad" not in word:
        return drop_format_characters(_repair(word))
    plain = _repair(word.replace("\u00ad", ""))
    kept = _repair(word)
    made = set(kept) - set(plain)
    if made and "\u00ad" not in kept and all(_expected(c) for c in made):
        return drop_format_characters(kept)
    return drop_format_characters(plain)


def _expected(character: str) -> bool:
    """A character a repair may plausibly produce: a Latin, Greek or Cyrillic letter, or a symbol with its
    variation selector, skin tone or joiner (an emoji). Not IPA or NKo, which "É\xad" and "ß\xad" make."""
    if character.isalpha():
        return character < "\u0250" or "\u0370" <= character < "\u0530"
    return (unicodedata.category(character) in ("So", "Sk") or "\ufe00" <= character <= "\ufe0f"
            or character == "\u200d")


def _repair(word: str) -> str:
    fixed = ftfy.fix_text(word)
    if sum(not c.isascii() for c in fixed) >= 2:
        # ftfy leaves short mojibake such as "âš¡" (for ⚡) alone: too little
        # context for its heuristics. A word that is valid UTF-8 once encoded
        # as Windows-1252 is, in practice, mojibake.
        try:
            fixed = ftfy.fix_text(fixed.encode("sloppy-windows-1252").decode("utf-8"))
        except UnicodeError:
            pass
    return fixed


# A Markdown link or image, `[text](url)` or `![alt](url "title")`, on one line; a URL may hold one level of
# brackets. Group 1 is what a reader sees, group 2 the destination. The bracket's inside is atomic: without
# that, "](" and a long run of spaces took quadratic time (a session-25 review: 32,000 spaces, 13 s).
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\((?>\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
                            r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*)\)")
# ... whose destination looks like one: a URL, a path, a query or an anchor ("[1](2)", "handlers[kind](event)"
# are not).
_DESTINATION = re.compile(r"^<|[/.:#?]")
# An image inside a link is two levels; each pass of markdown_markup takes one.
MARKDOWN_NESTING = 3


def markdown_markup(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the Markdown link markup in these line spans of `text`, in order and apart: the "["
    (or "![") before a link's text and the "](url)" after it, so that what is left is what a reader sees. An
    image inside a link (`[![alt](img)](url)`) leaves its alt text. Inline links on one line only (not
    reference links, nor autolinks); an empty list when nothing but markup would be left.

    >>> line = "- [Ferry fares rise](https://gazette.example/a) · 3 min read"
    >>> "".join(line[a:b] for a, b in markdown_markup(line, [(0, len(line))]))
    '[](https://gazette.example/a)'
    """
    hidden: list[tuple[int, int]] = []
    for line_start, line_end in spans:
        line = text[line_start:line_end]
        if "](" not in line:
            continue
        for _ in range(MARKDOWN_NESTING):
            matches = [m for m in _MARKDOWN_LINK.finditer(line) if _DESTINATION.search(m.group(2))]
            if not matches:
                break
            masked, position = [], 0
            for m in matches:
                hidden += [(line_start + m.start(), line_start + m.start(1)),
                           (line_start + m.end(1), line_start + m.end())]
                masked += [line[position:m.start()], "x" * (m.end() - m.start())]  # the next pass sees a word
                position = m.end()
            line = "".join(masked) + line[position:]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(h for h in hidden if h[0] < h[1]):
        if merged and start <= merged[-1][1]:  # a link that held one whose markup it takes in whole
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged if merged and _shows_something(text, spans, merged) else []


def _shows_something(text: str, spans: Sequence[tuple[int, int]], hidden: Sequence[tuple[int, int]]) -> bool:
    """Is any character of the spans, outside the (ordered, disjoint) hidden ranges, not whitespace?"""
    k = 0
    for line_start, line_end in spans:
        position = line_start
        while position < line_end:
            while k < len(hidden) and hidden[k][1] <= position:
                k += 1
            if k < len(hidden) and hidden[k][0] <= position:
                position = hidden[k][1]
                continue
            stop = min(hidden[k][0] if k < len(hidden) else line_end, line_end)
            if text[position:stop].strip():
                return True
            position = stop
    return False


def _pieces(text: str, line_start: int, line_end: int, hidden: Sequence[tuple[int, int]], ends: list[int]):
    """(start, end, plain ASCII, glued) of each word run of a line, less the hidden ranges (ordered, apart;
    `ends` their ends): a run they cut gives each part, glued (no space before it in the normalised text)
    when no visible space was between it and the part before."""
    for match in _RUN.finditer(text, line_start, line_end):
        start, end, ascii_run = match.start(), match.end(), match.lastgroup == "ascii"
        k = bisect.bisect_right(ends, start)  # the first hidden range that ends after the run starts
        if k == len(hidden) or hidden[k][0] >= end:
            yield start, end, ascii_run, False
            continue
        position, first, spaced = start, True, False
        while True:
            cut_start, cut_end = hidden[k] if k < len(hidden) and hidden[k][0] < end else (end, end)
            piece = text[position:max(position, cut_start)]
            core = piece.strip(" ")  # (only " " separates words in a run: U+00A0 may be mojibake, "Ã\xa0" for à)
            if core:
                piece_start = position + len(piece) - len(piece.lstrip(" "))
                glued = not first and not spaced and piece_start == position and not core.startswith("\xa0")
                yield piece_start, piece_start + len(core), ascii_run, glued
                first, spaced = False, len(piece.rstrip(" ")) != len(piece)
            elif piece:
                spaced = True
            if cut_start >= end:
                break
            position, k = max(position, cut_end), k + 1


def make_paragraph(text: str, spans: list[tuple[int, int]], index: int, hidden: Sequence[tuple[int, int]] = (),
                   **html) -> Paragraph:
    """Build a Paragraph from line spans of `text` (already without line breaks), leaving the `hidden` ranges
    (Markdown link markup, markdown_markup) out of its normalised text; its start and end still take them in."""
    parts: list[str] = []
    segments: list[Segment] = []
    position = 0
    repaired = mojibake = False
    invisible = None  # the first word made only of format characters: left out, unless nothing else is there
    ends = [end for _, end in hidden]
    breaks: list[int] = []
    previous_end = None  # where the last word kept ended in the sent text
    spaced = False  # a no-break space that no repair took ends the word before: the next is not glued to it
    for line_start, line_end in spans:
        for raw_start, raw_end, ascii_run, glued in _pieces(text, line_start, line_end, hidden, ends):
            raw = text[raw_start:raw_end]
            if hidden and previous_end is not None and bisect.bisect_left(ends, raw_start + 1) > bisect.bisect_left(
                    ends, previous_end + 1):
                breaks.append(position)  # markup lies between the last word and this one
            if ascii_run:
                fixed = raw
            else:
                # U+00A0 and format characters (a byte-order mark, a zero-width space, a direction mark) before
                # a word are not part of it: the paragraph (or a highlight) starts at the word; nor are format
                # characters after it (U+00A0 after a word may be mojibake, Ã\xa0 for à: kept there)
                lead = 0
                while lead < len(raw) and (raw[lead] == "\u00a0" or FORMAT_CHARACTERS.match(raw, lead)):
                    lead += 1
                trimmed = _rstrip_format(raw[lead:])
                if trimmed and trimmed != raw:
                    raw_start += lead
                    raw_end = raw_start + len(trimmed)
                    raw = trimmed
                if not visible_length(raw):  # only format characters (a lone joiner, a soft hyphen)
                    invisible = invisible or Segment(0, len(raw), raw_start, raw_end)
                    spaced = spaced or "\xa0" in raw
                    continue
                fixed = " ".join(fix_word(raw).split()) or raw  # (if ftfy made it blank: as sent)
                if fixed != raw:
                    repaired = True
                    mojibake = mojibake or is_mojibake_repair(drop_format_characters(raw), fixed)
            if parts and (not glued or spaced):
                parts.append(" ")
                position += 1
            parts.append(fixed)
            segments.append(Segment(position, position + len(fixed), raw_start, raw_end))
            position += len(fixed)
            previous_end = raw_end
            # "the\xa0" before a link's "[": the space parts words; in "voilÃ\xa0" the repair took it (à)
            spaced = bool(hidden) and raw.endswith("\xa0") and fixed == " ".join(fix_word(raw.rstrip("\xa0")).split())
    if not segments and invisible:  # a paragraph of nothing else (callers give such lines as blank)
        parts.append(text[invisible.raw_start:invisible.raw_end])
        segments.append(invisible)
    start, end = segments[0].raw_start, segments[-1].raw_end
    if hidden:
        start, end = min(start, hidden[0][0]), max(end, max(b for _, b in hidden))
    return Paragraph(
        index=index,
        start=start,
        end=end,
        text="".join(parts),
        segments=tuple(segments),
        breaks=tuple(breaks),
        repaired=repaired,
        mojibake=mojibake,
        **html,
    )


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break, blank lines included."""
    spans = []
    position = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _rstrip_format(word: str) -> str:
    """`word` without the format characters it ends with, except U+00AD (mojibake: "aquÃ\xad" is aquí)."""
    end = len(word)
    while end and word[end - 1] != "\u00ad" and FORMAT_CHARACTERS.match(word, end - 1):
        end -= 1
    return word[:end]


def visible_line(text: str, span: tuple[int, int] = (0, None)) -> str:
    """A line as it shows: without surrounding whitespace or any format character.

    >>> visible_line("Talks went on into the night.\u200e ")
    'Talks went on into the night.'
    """
    line = text[span[0] : span[1]].strip()
    if line.isascii():
        return line
    return FORMAT_CHARACTERS.sub("", line).strip()


def visible_length(text: str, span: tuple[int, int] = (0, None)) -> int:
    """Characters of a line that show."""
    return len(visible_line(text, span))


def wrap_width(text: str, lines: list[tuple[int, int]],
               max_width: int = WRAP_MAX_WIDTH_DEFAULT,
               slack: int = WRAP_SLACK_DEFAULT,
               min_full_share: float = WRAP_MIN_FULL_SHARE_DEFAULT) -> int | None:
    """The width a hard-wrapped document was wrapped at, or None if it is not wrapped."""
    lengths = sorted(n for n in (visible_length(text, s) for s in lines) if n)
    if len(lengths) < 3:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > max_width or width < 30:
        return None
    # wrapped text has (almost) no line far past its width
    if sum(n > width + slack for n in lengths) > MAX_OVERLONG_SHARE_DEFAULT * len(lengths):
        return None
    full = [line for line in (visible_line(text, span) for span in lines) if len(line) >= width - slack]
    if len(full) < 3 or len(full) / len(lengths) < min_full_share:
        return None
    # Wrapping breaks lines mid-sentence; short paragraphs one per line end
    # their lines with a full stop.
    if sum(line.endswith(_TERMINAL) for line in full) / len(full) > MAX_TERMINAL_SHARE_DEFAULT:
        return None
    return width


# With fewer than FIT_MIN_LINES lines running on into a lower-case line, nothing shows that a program
# wrapped the text: lines of even length may be one paragraph each (short news lines, headlines, a live
# blog). Then a line that opens with a capital or a digit stands alone; a lower-case start, or a letter of
# a script without case (Devanagari, Arabic, Chinese), still runs on (session 22: on 1,000 one-per-line
# documents of sentences and headlines of 55-80 columns, 155 had paragraphs run together, now 45; on 300
# documents of one to five paragraphs wrapped by textwrap, fmt or fold, 3-9 more per tool are cut in two).
NO_FIT_STANDS_ALONE = True


def fit_width(text: str, lines: list[tuple[int, int]]) -> tuple[int, int] | None:
    """(median, longest) length, indentation included, of the lines that run on into a line starting in
    lower case (mid-sentence, so wrapped there); None when fewer than FIT_MIN_LINES do.

    A line as long as the median or longer was full; one longer than the longest (by more than
    OVERLONG_SLACK) was never wrapped. The median, not the longest, decides "full", so that text
    wrapped by hand (some lines broken early) is not split where it runs on.
    """
    lengths = sorted(len(text[start:end].rstrip()) for (start, end), (following, after) in zip(lines, lines[1:])
                     if text[start:end].strip() and text[following:after].lstrip()[:1].islower())
    if len(lengths) < FIT_MIN_LINES:
        return None
    return lengths[len(lengths) // 2], lengths[-1]


def _first_letter(line: str) -> str:
    return next((character for character in line if character.isalpha()), "")


def _opens_a_sentence(line: str) -> bool:
    """Does the line open as a new sentence or a headline would: with a capital or a digit (past any opening
    quote or bracket), rather than with a lower-case letter or a letter of a script without case?

    >>> [_opens_a_sentence(line) for line in ("Seagull steals chips", "3 killed", "the pier", '"a small', "हिंदी")]
    [True, True, False, False, False]
    """
    first = line.lstrip(" \t\"“‘'([")[:1]
    return bool(first) and not first.islower() and not (first.isalpha() and not first.isupper())


def _continues_into(text: str, span: tuple[int, int] | None, width: int, length: int = 0,
                    fits: tuple[int, int] | None = None) -> bool:
    """Whether a wrapped paragraph, whose last line is `length` columns long, may go on into this line.

    A short line without closing punctuation stands alone (a heading or a
    "Read More" label), as does a line that opens with an emoji or a bullet.
    So does a line that does not start in lower case when its first word would
    have fitted on the line before within the median of `fits` (fit_width): a
    greedy wrapping program breaks a line only at a word that does not fit, so
    there the writer broke it, as between a wrapped article's last paragraph and
    the headlines after it. And a line before that is longer than any wrapped
    line and than the wrap width (a long headline) was not wrapped at all. With
    no such median to go by (`fits` None), a line that opens with a capital or a
    digit stands alone (NO_FIT_STANDS_ALONE).
    """
    if span is None:
        return False
    line = visible_line(text, span)
    if not line or not (line[0].isalnum() or line[0] in "\"“‘'(["):
        return False
    # (a line whose first letter is lower case runs on whatever fits: `fmt` and `par` balance their lines
    # and break before words that would have fitted, but mid-sentence: 'in\nthe village', '\n"a small')
    if fits is None and NO_FIT_STANDS_ALONE and _opens_a_sentence(line):
        return False
    if fits is not None and not _first_letter(line).islower():
        median, longest = fits
        if length + 1 + len(line.split(None, 1)[0]) <= median or length > max(longest, width) + OVERLONG_SLACK:
            return False
    return len(line) >= width - WRAP_SLACK_DEFAULT or line.endswith(_TERMINAL)


def split_text(text: str) -> Document:
    """Split plain text into paragraphs.

    Blank lines always end a paragraph. A line on its own is a paragraph,
    unless the document is hard-wrapped: then a line that reaches close to the
    wrap width continues into the next line.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}; decode bytes as UTF-8 first")
    lines = split_lines(text)
    width = wrap_width(text, lines)
    fits = fit_width(text, lines) if width is not None else None
    paragraphs: list[Paragraph] = []
    current: list[tuple[int, int]] = []

    def flush():
        if current:
            paragraphs.append(make_paragraph(text, current, len(paragraphs), hidden=markdown_markup(text, current)))
            current.clear()

    for i, span in enumerate(lines):
        length = visible_length(text, span)
        if length == 0:
            flush()
            continue
        current.append(span)
        following = lines[i + 1] if i + 1 < len(lines) else None
        if width is None or length < width - WRAP_SLACK_DEFAULT or not _continues_into(
                text, following, width, len(text[span[0]:span[1]].rstrip()), fits):
            flush()
    flush()
    return Document(text=text, paragraphs=tuple(paragraphs), source="text")
