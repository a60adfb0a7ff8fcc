"""The character set of a feed document, decided the way RFC 7303 says, before feedparser sees it.

feedparser still follows RFC 3023, whose ``text/xml`` without a charset means US-ASCII: every non-ASCII feed a
server sends as plain ``text/xml`` (a very common setup) came back as a "character set override" and was refused.
RFC 7303 dropped that default: a byte-order mark decides first, then the HTTP charset, then the document's own
XML declaration, then UTF-8. The first of those that reads the bytes wins; when it is not the one that should
have decided (the header named a charset the text is not in), the feed is read with a warning, not refused.
Only a document that no declared charset and not UTF-8 can read is refused; with nothing declared at all, the
legacy windows-1252 guess every reader makes is taken, with a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bot.i18n import Text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# XML 1.0 appendix F: a document without a BOM still shows its family in how "<?" is spelled; the declaration
# it then lets us read names the member (an EBCDIC code page, UTF-16 in either order).
_SNIFFED = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"Lo\xa7\x94", "cp037"),
)
SNIFFED_STARTS = tuple(start for start, _ in _SNIFFED)
_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
# A header or declaration in one of these is often a server default (Apache's AddDefaultCharset) in front of
# UTF-8: bytes that are valid UTF-8 with non-ASCII characters in them are almost never meant as Latin-1.
_LATIN_DEFAULTS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252"})
# Labels whose text is, in practice, the wider charset (WHATWG's mapping: "iso-8859-1" means windows-1252).
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The document as text, the codec that read it, and a note for the log when that was not the declared one."""

    text: str
    encoding: str
    warning: str | None = None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_WIDER.get(label, label)).name
    except LookupError:
        return None


def _width(body: bytes) -> tuple[str | None, int]:
    """The encoding the first bytes show (BOM or the XML 1.0 sniff) and the length of a BOM to skip."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    for start, name in _SNIFFED:
        if body.startswith(start):
            return name, 0
    return None, 0


def _declared(body: bytes, width: str | None) -> str | None:
    head = body[:1024].decode(width or "latin-1", "ignore").lstrip("\ufeff")
    found = _DECLARATION.match(head)
    label = _codec(found.group(1)) if found else None
    if label and width is None and label.startswith(("utf-16", "utf-32")):
        return None  # read as single bytes, so the declaration is wrong about the width: the bytes decide
    return label


def _read(body: bytes, codec: str) -> str | None:
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    # A wrong multi-byte codec can "decode" ASCII into nonsense; a feed must still start with markup.
    return text if text.lstrip("\ufeff \t\r\n").startswith("<") else None


def decode(body: bytes, http_charset: str | None = None) -> Decoded | Text:
    """``body`` as text, or why no character set reads it (a ``Text`` reason for the refusal)."""
    width, bom = _width(body)
    header = _codec(http_charset)
    declared = _declared(body, width)
    # A BOM decides, and so do the NULs of UTF-16 and UTF-32; a sniffed EBCDIC only lets its declaration be read.
    marked = width if bom or (width or "").startswith("utf-") else None
    candidates = list(dict.fromkeys(name for name in (marked, header, declared, width, "utf-8") if name))
    deciding = candidates[0]
    if deciding in _LATIN_DEFAULTS and declared in (None, "utf-8") and not body.isascii():
        as_utf8 = _read(body, "utf-8")
        if as_utf8 is not None:
            return Decoded(as_utf8, "utf-8", _disagreement(deciding, "utf-8"))
    for codec in candidates:
        text = _read(body[bom:] if codec == marked else body, codec)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), codec, None if codec == deciding else _disagreement(deciding, codec))
    if width is None and header is None and declared is None:
        guess = _read(body, "cp1252")
        if guess is not None:
            return Decoded(guess, "cp1252", "no character set declared and the text is not UTF-8: read as windows-1252")
    return Text("its text is not in the character set it declares ({charset})", charset=deciding)


def _disagreement(declared: str, used: str) -> str:
    return f"the text is said to be {declared} but reads as {used}"
