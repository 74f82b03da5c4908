"""Text in cells: written as text, never as a formula, and read back exactly.

Two rules keep a workbook safe and the round trip lossless:

- Every string is written as a string cell (``t="inlineStr"``), never a
  formula or an error value, whatever it starts with (``=``, ``+``, ``-``,
  ``@``, tab, CR, NUL, ``#N/A``). Cells that a spreadsheet would take for a
  formula if retyped also carry Excel's "quote prefix" so they stay text when
  edited.
- Characters XML cannot hold (NUL and the other C0 controls except tab and
  LF) and CR (which XML parsers turn into LF) are written with the Office Open
  XML escape ``_xHHHH_``, as Excel itself does; a literal ``_xHHHH_`` in the
  text is protected as ``_x005F_xHHHH_``. Reading undoes both, so the exact
  text comes back.
- A cell holds at most 32,767 characters; longer text is split over
  continuation cells (see :func:`cell_pieces`).
"""

from __future__ import annotations

import re

# Characters that start a formula (or a DDE payload) when typed into a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")

# Excel's limit for one cell, in UTF-16 code units.
CELL_LIMIT = 32767
# Continuation chunks stay well inside the limit whatever the characters.
CHUNK = 16000

NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _escape_one(match: re.Match) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def escape(text: str) -> str:
    """Text as it must be stored in a cell (ST_Xstring escaping)."""
    return NEEDS_ESCAPE.sub(_escape_one, text)


def unescape(text: str) -> str:
    """The text a cell holds, with ``_xHHHH_`` escapes undone (one pass)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def needs_quote_prefix(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula if it were retyped."""
    return text.startswith(FORMULA_STARTS)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fits(escaped: str) -> bool:
    return len(escaped) <= CELL_LIMIT // 2 or utf16_length(escaped) <= CELL_LIMIT


def cell_pieces(text: str) -> list[str]:
    """``text`` escaped for cells, in pieces that each fit one cell (usually one piece).

    The raw text is cut before escaping, so an escape is never split.
    """
    escaped = escape(text)
    if _fits(escaped):
        return [escaped]
    pieces = []
    start = 0
    while start < len(text):
        size = CHUNK
        while True:
            piece = escape(text[start:start + size])
            if _fits(piece):
                break
            size //= 2
        pieces.append(piece)
        start += size
    return pieces
