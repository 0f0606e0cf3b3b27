"""ReDoS audit: every regular expression in classifier/ and service/ on adversarial input at growing sizes.

    python fuzz/redos_audit.py [--sizes 10000,40000,160000]

For each pattern and each adversarial input (long runs of the characters the pattern repeats, and
near-misses that fail at the very end), the time of the call the code makes (match, search, sub,
finditer...) is measured at n and 4n and 16n; `ratio` is t(16n)/t(n). Linear time gives a ratio near 16,
quadratic near 256. Prints a Markdown table (docs/fuzzing.md has the one measured).
"""

from __future__ import annotations

import argparse
import re
import time

from classifier import cli, features, feeds, html, junk, text
from service.app import EXTENSION_ORIGINS, allowed_origins
from service.config import ServiceConfig

REPEATS = 3


def _consume(iterator) -> None:
    for _ in iterator:
        pass


def cases():
    """(where, pattern, adversarial input name, builder n -> input, call)."""
    meta = cli._META_CHARSET  # bytes: a page that is not UTF-8, up to its first 4 KiB
    yield "cli._META_CHARSET", meta, "b'<meta'*n/5", lambda n: b"<meta" * (n // 5), meta.search
    yield "cli._META_CHARSET", meta, "(b'<meta charset=' + b' '*40)*n/54", \
        lambda n: (b"<meta charset=" + b" " * 40) * (n // 54), meta.search
    element = cli._ELEMENT_NAME
    yield "cli._ELEMENT_NAME", element, "'<' + 'a'*n", lambda n: "<" + "a" * n, element.match
    yield "cli._ELEMENT_NAME", element, "'<a' + '.:-'*n/3", lambda n: "<a" + ".:-" * (n // 3), element.match
    quote = features._QUOTE
    yield "features._QUOTE", quote, "'\"'*n", lambda n: '"' * n, lambda s: _consume(quote.finditer(s))
    symbol = features.SYMBOL
    yield "features.SYMBOL", symbol, "'😱'*n", lambda n: "😱" * n, symbol.findall
    yield "features.SYMBOL", symbol, "'é'*n", lambda n: "é" * n, symbol.findall
    emoji = features.EMOJI_SEQUENCE
    yield "features.EMOJI_SEQUENCE", emoji, "('😱\\u200d')*n/2", lambda n: "😱\u200d" * (n // 2), \
        lambda s: _consume(emoji.finditer(s))
    yield "features.EMOJI_SEQUENCE", emoji, "'😱' + '\\ufe0f'*n", lambda n: "😱" + "\ufe0f" * n, \
        lambda s: _consume(emoji.finditer(s))
    yield "features.EMOJI_SEQUENCE", emoji, "('\\u200d' + 'a')*n/2", lambda n: "\u200da" * (n // 2), \
        lambda s: _consume(emoji.finditer(s))
    yield "features.EMOJI_SEQUENCE", emoji, "'🇺'*n", lambda n: "\U0001F1FA" * n, \
        lambda s: _consume(emoji.finditer(s))
    yield "features.EMOJI_SEQUENCE", emoji, "'🏴' + tag*n", lambda n: "\U0001F3F4" + "\U000E0067" * n, \
        lambda s: _consume(emoji.finditer(s))
    tokens = features.TOKEN_PATTERN
    for name, build in (("\"a'\"*n/2", lambda n: "a'" * (n // 2)), ("'a'*n + \"'\"", lambda n: "a" * n + "'"),
                        ("\"'\"*n", lambda n: "'" * n), ("'a’'*n/2 + '’'", lambda n: "a’" * (n // 2) + "’")):
        yield "features.TOKEN_PATTERN", tokens, name, build, lambda s: _consume(tokens.finditer(s))
    markup = feeds._MARKUP
    yield "feeds._MARKUP", markup, "'<'*n", lambda n: "<" * n, markup.search
    web = feeds._WEB_LINK
    yield "feeds._WEB_LINK", web, "'http://' + 'a'*n + ' '", lambda n: "http://" + "a" * n + " ", web.match
    yield "feeds._WEB_LINK", web, "'http://'*n/7", lambda n: "http://" * (n // 7) + " ", web.match
    address = feeds._ADDRESS
    yield "feeds._ADDRESS", address, "'/' + ' '*n + 'x'", lambda n: ("/" + " " * n + "x").encode(), address.match
    yield "feeds._ADDRESS", address, "' '*n + 'http://x'", lambda n: (" " * n + "http://x y").encode(), address.match
    entity = feeds._HTML_ENTITY
    yield "feeds._HTML_ENTITY", entity, "'&a'*n/2", lambda n: "&a" * (n // 2), lambda s: entity.sub("", s)
    yield "feeds._HTML_ENTITY", entity, "('&' + 'a'*31)*n/32", lambda n: ("&" + "a" * 31) * (n // 32), \
        lambda s: entity.sub("", s)
    declaration = feeds._TEXT_DECLARATION
    yield "feeds._TEXT_DECLARATION", declaration, "' '*n + '<?xml ' + 'a'*n", \
        lambda n: " " * n + "<?xml " + "a" * n, declaration.match
    yield "feeds._TEXT_DECLARATION", declaration, "'<?xml ' + '?'*n", lambda n: "<?xml " + "?" * n, declaration.match
    encoding = feeds._DECLARED_ENCODING
    yield "feeds._DECLARED_ENCODING", encoding, "'<?xml ' + 'encoding='*n/9", \
        lambda n: "<?xml " + "encoding=" * (n // 9), encoding.match
    yield "feeds._DECLARED_ENCODING", encoding, "'<?xml ' + ' '*n", lambda n: "<?xml " + " " * n, encoding.match
    cue = html._CUE_PATTERN
    yield "html._CUE_PATTERN", cue, "'a'*n", lambda n: "a" * n, cue.findall
    xml = html._XML_DECLARATION
    yield "html._XML_DECLARATION", xml, "' '*n", lambda n: " " * n, lambda s: xml.sub("", s, count=1)
    yield "html._XML_DECLARATION", xml, "'<?xml' + '?'*n", lambda n: "<?xml" + "?" * n, \
        lambda s: xml.sub("", s, count=1)
    hidden = html._HIDDEN_STYLE
    yield "html._HIDDEN_STYLE", hidden, "'display:' + ' '*n", lambda n: "display:" + " " * n, hidden.search
    yield "html._HIDDEN_STYLE", hidden, "'display '*n/8", lambda n: "display " * (n // 8), hidden.search
    yield "html._HIDDEN_STYLE", hidden, "'visibility:'*n/11", lambda n: "visibility:" * (n // 11), hidden.search
    ago = junk._TIME_AGO
    yield "junk._TIME_AGO", ago, "'1' + ' '*n + 'x'", lambda n: "1" + " " * n + "x", ago.search
    yield "junk._TIME_AGO", ago, "'1 '*n/2", lambda n: "1 " * (n // 2), ago.search
    yield "junk._TIME_AGO", ago, "'1min' + ' '*n", lambda n: "1min" + " " * n, ago.search
    yield "junk._TIME_AGO", ago, "'jan' + 'a'*n", lambda n: "jan" + "a" * n, ago.search
    yield "junk._TIME_AGO", ago, "'jan 1,' + ' '*n", lambda n: "jan 1," + " " * n, ago.search
    yield "junk._TIME_AGO", ago, "'1'*n", lambda n: "1" * n, ago.search
    dated = junk._DATED_ENTRY
    yield "junk._DATED_ENTRY", dated, "' '*n + '2019'", lambda n: " " * n + "2019", dated.match
    yield "junk._DATED_ENTRY", dated, "'2019' + ' '*n + '-'", lambda n: "2019" + " " * n + "-", dated.match
    yield "junk._DATED_ENTRY", dated, "'fri' + 'a'*n", lambda n: "fri" + "a" * n, dated.match
    yield "junk._DATED_ENTRY", dated, "'3 may' + ' '*n + ':'", lambda n: "3 may" + " " * n + ":", dated.match
    comments = junk._COMMENTS
    yield "junk._COMMENTS", comments, "'1'*n + ' commentx'", lambda n: "1" * n + " commentx", comments.match
    yield "junk._COMMENTS", comments, "'1' + ' '*n", lambda n: "1" + " " * n, comments.match
    numbered = junk._NUMBERED
    yield "junk._NUMBERED", numbered, "' '*n", lambda n: " " * n, lambda s: numbered.sub("", s)
    yield "junk._NUMBERED", numbered, "'#' + '1'*n", lambda n: "#" + "1" * n, numbered.match
    bang = re.compile("!")
    yield "loaded (re.finditer '!')", bang, "'!'*n", lambda n: "!" * n, lambda s: _consume(bang.finditer(s))
    breaks = text._LINE_BREAK
    for name, build in (("'\\x85'*n", lambda n: "\x85" * n), ("'\\xc2\\x85'*n/2", lambda n: "\xc2\x85" * (n // 2)),
                        ("'\\r'*n", lambda n: "\r" * n)):
        yield "text._LINE_BREAK", breaks, name, build, lambda s: _consume(breaks.finditer(s))
    run = text._RUN
    for name, build in (("'a '*n/2", lambda n: "a " * (n // 2)), ("'a'*n + 'é'", lambda n: "a" * n + "é"),
                        ("'a '*n/2 + 'é'", lambda n: "a " * (n // 2) + "é"), ("'a'*n", lambda n: "a" * n),
                        ("('a '*k + 'é ')*n/(2k+2), k=50", lambda n: ("a " * 50 + "é ") * (n // 102)),
                        ("'a\\u00a0'*n/2", lambda n: "a\u00a0" * (n // 2))):
        yield "text._RUN", run, name, build, lambda s: _consume(run.finditer(s))
    link = text._MARKDOWN_LINK
    for name, build in (("'[a](' + ' '*n", lambda n: "[a](" + " " * n), ("'[a](x' + ' '*n", lambda n: "[a](x" + " " * n),
                        ("'[a](' + '(b'*n/2", lambda n: "[a](" + "(b" * (n // 2)), ("'['*n", lambda n: "[" * n),
                        ("'[a](x \"' + ' '*n", lambda n: '[a](x "' + " " * n)):
        yield "text._MARKDOWN_LINK", link, name, build, lambda s: _consume(link.finditer(s))
    yield "text.markdown_markup", None, "'[a](u.x) '*n/9", lambda n: "[a](u.x) " * (n // 9), \
        lambda s: text.markdown_markup(s, [(0, len(s))])
    yield "text.markdown_markup", None, "'[![a](u.x)](u.x)'*n/17", lambda n: "[![a](u.x)](u.x)" * (n // 17), \
        lambda s: text.markdown_markup(s, [(0, len(s))])
    chrome, moz = EXTENSION_ORIGINS
    yield "service EXTENSION_ORIGINS[0]", chrome, "'chrome-extension://' + 'a'*n", \
        lambda n: "chrome-extension://" + "a" * n, chrome.match
    yield "service EXTENSION_ORIGINS[1]", moz, "'moz-extension://' + '0'*n", \
        lambda n: "moz-extension://" + "0" * n, moz.match
    (configured,) = allowed_origins(ServiceConfig(allowed_origins=("https://a.example",)))[2:]
    yield "service allowed_origins (escaped)", configured, "'https://a.example' + 'a'*n", \
        lambda n: "https://a.example" + "a" * n, configured.match
    # Not a pattern of ours, but every non-ASCII word goes through it (text.fix_word): ftfy's own regexes.
    yield "text.fix_word (ftfy)", None, "'Ã'*n", lambda n: "Ã" * n, text.fix_word.__wrapped__
    yield "text.fix_word (ftfy)", None, "'â€'*n/2", lambda n: "â€" * (n // 2), text.fix_word.__wrapped__
    yield "text.fix_word (ftfy)", None, "'Ã©'*n/2 (mojibake)", lambda n: "Ã©" * (n // 2), text.fix_word.__wrapped__
    yield "text.fix_word (ftfy)", None, "mojibake of mojibake *n", \
        lambda n: ("é".encode().decode("latin-1").encode().decode("latin-1") * n)[:n], text.fix_word.__wrapped__


def timed(call, value) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        call(value)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,40000,160000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print("| pattern | adversarial input | " + " | ".join(f"n={n:,}" for n in sizes) + " | ratio |")
    print("| --- | --- | " + " | ".join("---" for _ in sizes) + " | --- |")
    for where, _, name, build, call in cases():
        times = [timed(call, build(n)) for n in sizes]
        ratio = times[-1] / max(times[0], 1e-7)
        cells = " | ".join(f"{t * 1000:.2f} ms" for t in times)
        print(f"| {where} | `{name}` | {cells} | {ratio:.0f} |", flush=True)


if __name__ == "__main__":
    main()
