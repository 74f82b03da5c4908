"""A report as plain blocks, rendered twice: to PDF (``pdf.py``) and to HTML (``html.py``).

The report modules (``unit.py``, ``organisation.py``) say *what* a report holds
with these blocks; the renderers decide how it looks. Both renderers take the
same blocks, so the printed report and its accessible twin never differ.
All text is plain (renderers escape it); nothing here knows reportlab.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence, Union


class Heading(NamedTuple):
    level: int                      # 1 the report's title, 2 a part, 3 a sub-part
    text: str


class Para(NamedTuple):
    text: str
    emphasis: bool = False          # a short statement set in bold (the KPI, a verdict)
    note: bool = False              # small print (how figures were made)


class Bullets(NamedTuple):
    items: tuple[str, ...]


class Table(NamedTuple):
    """A data table. ``widths`` are shares of the text width (they add up to about 1)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    row_headers: bool = False       # the first cell of each row names the row (<th scope=row>)
    numeric: tuple[int, ...] = ()   # columns set right-aligned


class KeyValues(NamedTuple):
    """A two-column table of labelled values (the document-control block)."""

    caption: str
    pairs: tuple[tuple[str, str], ...]


class BarChart(NamedTuple):
    """Horizontal bars of whole percents; each renderer follows it with its data."""

    title: str
    description: str                # the text alternative: what the chart shows, in words
    labels: tuple[str, ...]
    values: tuple[int | None, ...]  # None: no figure (nothing required)
    threshold: int | None = None    # a reference line (the baseline), in percent
    data: Table | None = None       # the chart's data, shown after it


class PageBreak(NamedTuple):
    pass


Block = Union[Heading, Para, Bullets, Table, KeyValues, BarChart, PageBreak]


class Report(NamedTuple):
    """A whole report: what the PDF's metadata and the HTML's head say, then the blocks."""

    title: str
    subject: str
    author: str
    marking: str                    # protective marking, on every page
    blocks: tuple[Block, ...]
    accessible_note: str = ""       # where the accessible (HTML) version is (PDF only)
    keywords: tuple[str, ...] = ()


def blocks(*parts: Block | Sequence[Block] | None) -> tuple[Block, ...]:
    """Flatten blocks and lists of blocks, dropping Nones."""
    out: list[Block] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, list):
            out.extend(p for p in part if p is not None)
        elif isinstance(part, tuple) and not hasattr(part, "_fields"):
            out.extend(p for p in part if p is not None)
        else:
            out.append(part)   # type: ignore[arg-type]
    return tuple(out)
