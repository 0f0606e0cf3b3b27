"""Which codec reads a page or feed declared in a legacy charset, as a browser reads it.

Browsers follow the WHATWG Encoding standard, whose decoders are wider than
Python's strict codecs of the same name: a page declared as Shift_JIS is read
as Windows-31J (cp932: ① and ㈱ decode), EUC-KR as cp949, GB2312 and GBK as
GB18030, Big5 with the Hong Kong additions, and in the windows-125x code pages
every byte decodes (ftfy's "sloppy" codecs). The standard also has labels
Python does not know ("x-sjis", "windows-874", "iso-8859-8-i"...). Only the
web's encodings are read: never a Python codec such as unicode_escape.
"""

from __future__ import annotations

import codecs

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-125x"

# The codecs a page may be declared in (Python's names): the Encoding standard's, and UTF-16 for a page
# that says so.
_PAGE_CODECS = frozenset(
    "cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 iso8859_1 iso8859_2 iso8859_3 iso8859_4 "
    "iso8859_5 iso8859_6 iso8859_7 iso8859_8 iso8859_9 iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 koi8_r "
    "koi8_u mac_roman mac_cyrillic cp866 cp874 shift_jis cp932 euc_jp iso2022_jp gbk gb2312 gb18030 big5 big5hkscs "
    "euc_kr cp949 utf_8 utf_16 utf_16_le utf_16_be".split())
# What the standard reads each of them as, where that is not Python's codec of the name: Latin-1 and
# ASCII as windows-1252, and windows-1252 itself with the five bytes Python's cp1252 leaves out
# (0x81, 0x8D, 0x8F, 0x90, 0x9D) as U+0081..., as every windows-125x; the East Asian supersets.
_READ_AS = {
    "iso8859_1": "sloppy-windows-1252", "ascii": "sloppy-windows-1252", "iso8859_9": "sloppy-windows-1254",
    "iso8859_11": "cp874", "tis_620": "cp874", "shift_jis": "cp932", "euc_kr": "cp949", "gb2312": "gb18030",
    "gbk": "gb18030", "big5": "big5hkscs",
    # a page that declares UTF-16 in its markup is ASCII-compatible, so not UTF-16: the standard reads it as
    # UTF-8 (a real UTF-16 page has a byte-order mark, which wins over any declaration)
    "utf_16": "utf_8", "utf_16_le": "utf_8", "utf_16_be": "utf_8",
    **{f"cp{n}": f"sloppy-windows-{n}" for n in range(1250, 1259)},
}
# The standard's labels that Python does not know, or knows as something else.
_LABELS = {
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf_8"),
    **dict.fromkeys(("iso-8859-8-i", "csiso88598i", "logical"), "iso8859_8"),
    "koi8-ru": "koi8_u",
    **dict.fromkeys(("csmacintosh", "mac", "macintosh", "x-mac-roman"), "mac_roman"),
    **dict.fromkeys(("x-mac-cyrillic", "x-mac-ukrainian"), "mac_cyrillic"),
    **dict.fromkeys(("windows-874", "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620"), "cp874"),
    **dict.fromkeys(("chinese", "csgb2312", "csiso58gb231280", "gb_2312", "gb_2312-80", "iso-ir-58", "x-gbk"),
                    "gb18030"),
    **dict.fromkeys(("cn-big5", "csbig5", "x-x-big5", "big5-hkscs"), "big5hkscs"),
    **dict.fromkeys(("csshiftjis", "ms_kanji", "sjis", "windows-31j", "x-sjis", "ms932"), "cp932"),
    **dict.fromkeys(("cseuckr", "csksc56011987", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
                     "ksc5601", "ksc_5601", "windows-949"), "cp949"),
    **{f"x-cp{n}": f"cp{n}" for n in range(1250, 1259)},
}


# Python codecs that are no character encoding a document is written in: transforms of text into text.
_NOT_CHARSETS = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined"})


def _python_codec(label: str) -> str:
    return _LABELS.get(label.strip().lower()) or codecs.lookup(label.strip().lower()).name.replace("-", "_")


def xml_codec(label: str) -> str:
    """The codec for bytes an XML declaration says are in `label`: as a browser would read a web charset
    (web_codec), else Python's codec of that name (UTF-7, UTF-32, EBCDIC, IBM850...), unless that codec is
    no character encoding at all.

    >>> xml_codec("Shift_JIS"), xml_codec("IBM850"), xml_codec("UTF-7")
    ('cp932', 'cp850', 'utf_7')
    >>> xml_codec("unicode_escape")
    Traceback (most recent call last):
    ...
    LookupError: 'unicode_escape' is not a character encoding
    """
    try:
        return web_codec(label)
    except LookupError:
        pass
    codec = _python_codec(label)
    if codec in _NOT_CHARSETS:
        raise LookupError(f"{label!r} is not a character encoding")
    return codec


def web_codec(label: str) -> str:
    """The codec to decode bytes declared as `label` with, as a browser would.

    Raises LookupError, with a message, for a label that is no web encoding.

    >>> web_codec("Shift_JIS"), web_codec("x-sjis"), web_codec("latin1"), web_codec("UTF-8")
    ('cp932', 'cp932', 'sloppy-windows-1252', 'utf_8')
    >>> web_codec("unicode_escape")
    Traceback (most recent call last):
    ...
    LookupError: 'unicode_escape' is not a charset for web pages
    """
    codec = _python_codec(label)
    if codec not in _PAGE_CODECS and codec not in _READ_AS:
        raise LookupError(f"{label!r} is not a charset for web pages")
    return _READ_AS.get(codec, codec)
