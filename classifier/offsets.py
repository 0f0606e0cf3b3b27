"""Offsets in UTF-16 code units, for callers that index JavaScript strings.

lurid's offsets count code points. A browser extension indexes JavaScript
strings, which count UTF-16 code units: a character outside the Basic
Multilingual Plane (most emoji, such as 😱) is one code point but two units.
`to_utf16_offsets` rewrites every offset of a result object so that
`text.slice(start, end)` in JavaScript picks the same span that
`text[start:end]` picks in Python.

>>> text = "😱 Terrifying news"
>>> text[2:12]
'Terrifying'
>>> int(utf16_prefix(text)[2]), int(utf16_prefix(text)[12])
(3, 13)
"""

from __future__ import annotations

import numpy as np

# Code points above this take two UTF-16 code units (a surrogate pair).
BMP_MAX = 0xFFFF


def utf16_prefix(text: str) -> np.ndarray:
    """`prefix[i]` = UTF-16 code units in `text[:i]`, for every i in 0..len(text).

    One pass over the text as a prefix sum, so each offset then converts in
    constant time. Lone surrogates (legal in JSON input) count as one unit,
    as they do in JavaScript.

    >>> utf16_prefix("a😱b").tolist()
    [0, 1, 3, 4]
    """
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    prefix = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(1 + (code_points > BMP_MAX), out=prefix[1:])
    return prefix


def to_utf16_offsets(result: dict, sent_text: str) -> dict:
    """A copy of a result object (see `scoring.result_line`) with UTF-16 offsets.

    Offsets point into the document text: `result["text"]` for HTML input
    (the text extracted from the markup), else `sent_text`. Every `start` and
    `end` is rewritten: paragraphs, their highlights, and the junk block. An
    error object has no offsets and comes back unchanged.
    """
    if "paragraphs" not in result:
        return result
    prefix = utf16_prefix(result.get("text", sent_text))

    def span(item: dict) -> dict:
        return {**item, "start": int(prefix[item["start"]]), "end": int(prefix[item["end"]])}

    converted = dict(result)
    converted["paragraphs"] = [{**span(p), "highlights": [span(h) for h in p["highlights"]]}
                               for p in result["paragraphs"]]
    if result.get("junk_block") is not None:
        converted["junk_block"] = span(result["junk_block"])
    return converted
