"""Raw HTML in: the page's text as a naive scraper prints it, one block element a line.

The model was built for that text, so HTML goes through the same extraction the benchmark uses
(html-text with layout guessing, the ``html`` extra) and then through the usual filter.
"""

from __future__ import annotations

import codecs
import importlib
import re

from .errors import MissingExtraError
from .textio import SURROGATE

META_CHARSET_BYTES = 4096  # where a page's <meta charset> is looked for (browsers look at 1024)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# Labels that browsers read as windows-1252 (the WHATWG Encoding standard): pages that say
# ISO-8859-1 often hold its curly quotes and euro signs.
_AS_BROWSERS_READ = dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"), "cp1252")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_html(data: bytes, charset: str | None = None) -> str:
    """A page's HTML as text: by its byte-order mark, else ``charset`` (an HTTP header's), else
    the charset its ``<meta>`` declares, else UTF-8; bytes that do not decode become U+FFFD.

    >>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xe9 \\x93cr\\xe8me\\x94</p>')
    '<meta charset="iso-8859-1"><p>café “crème”</p>'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    if charset is None:
        found = _META_CHARSET.search(data[:META_CHARSET_BYTES])
        charset = found.group(1).decode("ascii") if found else "utf-8"
    name = charset.strip().lower()
    if name.startswith("utf-16"):  # a page read as bytes here is ASCII-based; browsers ignore this label
        name = "utf-8"
    try:
        return data.decode(_AS_BROWSERS_READ.get(name, name), "replace")
    except LookupError:  # a charset Python does not know: UTF-8 is the web's likeliest
        return data.decode("utf-8", "replace")


def html_to_text(html: str | bytes) -> str:
    """The visible text of an HTML page, a block element a line (html-text, layout guessed).

    Bytes are decoded by :func:`decode_html`; so is text that still holds undecoded bytes (a
    file read with ``surrogateescape``), so a Latin-1 page that says so reads right.

    >>> html_to_text("<nav><a>Home</a></nav><h1>Title</h1><p>First paragraph.</p>")  # doctest: +SKIP
    'Home\\n\\nTitle\\n\\nFirst paragraph.'
    """
    try:
        html_text = importlib.import_module("html_text")
    except ModuleNotFoundError as exc:
        raise MissingExtraError(exc.name or "html_text", "html") from exc
    if isinstance(html, bytes | bytearray):
        html = decode_html(bytes(html))
    elif not isinstance(html, str):
        raise TypeError(f"html_to_text() takes the page's HTML as str or bytes, not {type(html).__name__}")
    elif SURROGATE.search(html):
        try:
            html = decode_html(html.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:  # lone surrogates that were never bytes (a JSON escape)
            html = SURROGATE.sub("\ufffd", html)
    return str(html_text.extract_text(html, guess_layout=True))
