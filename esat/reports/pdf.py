"""Render a :class:`~esat.reports.model.Report` to an A4 PDF with reportlab's platypus.

Real text in an embedded TrueType font (DejaVu Sans, bundled in
``resources/fonts``, full Unicode coverage), the protective marking in every
page's header and footer, "Page n of m", tables that split across pages and
repeat their header row, long text that wraps, vector charts followed by their
data, and the document's title, author, subject and language (en-GB) in its
metadata. With ``invariant=True`` the same report gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether,
                                ListFlowable, ListItem, PageTemplate, Paragraph, Spacer)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle

from .. import __version__
from ..bundled import resources_dir
from ..errors import Cancelled
from . import model

FONT = "ESAT-DejaVuSans"
FONT_BOLD = "ESAT-DejaVuSans-Bold"
PAGE = A4
MARGIN = 2 * cm
TEXT_WIDTH = PAGE[0] - 2 * MARGIN
CELL_LIMIT = 1500          # characters shown in one table cell; a row must fit on a page

INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#7a7a7a")
HEAD_FILL = colors.HexColor("#dde3ea")
BAR_FILL = colors.HexColor("#2f5d8a")
BAR_SHORT_FILL = colors.HexColor("#b8c7d6")

Progress = Callable[[int, int], None]


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the bundled DejaVu Sans with reportlab (once; reportlab keeps a registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = fonts_dir()
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          spaceAfter=5, splitLongWords=1)
    return {
        "body": base,
        "emphasis": ParagraphStyle("emphasis", parent=base, fontName=FONT_BOLD),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10.5,
                               textColor=colors.HexColor("#333333")),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21,
                             spaceBefore=2, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16,
                             spaceBefore=12, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13,
                             spaceBefore=8, spaceAfter=4),
        "caption": ParagraphStyle("caption", parent=base, fontName=FONT_BOLD, fontSize=9,
                                  leading=12, spaceBefore=4, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10,
                                     spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7.5,
                               leading=9.5, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, spaceAfter=2),
    }


def text(value: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def cell_limit(width: float) -> int:
    """How many characters a cell this wide may show: a table row cannot split across
    pages, so a cell must stay well under a page tall even in its widest glyphs
    (at most 40 lines of 8 pt characters up to 8 pt wide)."""
    return min(CELL_LIMIT, max(40, int(width / 8) * 40))


def _cell_text(value: str, width: float = TEXT_WIDTH) -> str:
    limit = cell_limit(width)
    if len(value) > limit:
        hidden = len(value) - limit
        return value[:limit].rstrip() + f"… ({hidden:,} more characters in the file)"
    return value


class _NumberedCanvas(Canvas):
    """Keeps each page until the end, then draws header and footer with "Page n of m"."""

    decorate: Callable[["_NumberedCanvas", int, int], None] = staticmethod(lambda c, n, m: None)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            type(self).decorate(self, number, total)
            super().showPage()
        super().save()


def _canvas_class(report: model.Report) -> type[_NumberedCanvas]:
    marking = report.marking.strip() or "Protective marking not set"
    title = report.title

    def decorate(canvas: _NumberedCanvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setStrokeColor(RULE)
        width, height = PAGE
        top = height - MARGIN + 0.9 * cm
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawCentredString(width / 2, top, _fit(marking.upper(), FONT_BOLD, 8.5,
                                                      TEXT_WIDTH))
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, top - 0.42 * cm, _fit(title, FONT, 7.5, TEXT_WIDTH))
        canvas.line(MARGIN, top - 0.58 * cm, width - MARGIN, top - 0.58 * cm)
        bottom = MARGIN - 1.0 * cm
        canvas.line(MARGIN, bottom + 0.45 * cm, width - MARGIN, bottom + 0.45 * cm)
        canvas.setFont(FONT_BOLD, 8.5)     # between "ESAT x.y" and "Page n of m"
        canvas.drawCentredString(width / 2, bottom, _fit(marking.upper(), FONT_BOLD, 8.5,
                                                         TEXT_WIDTH - 2 * 3 * cm))
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(width - MARGIN, bottom, f"Page {number} of {total}")
        canvas.drawString(MARGIN, bottom, f"ESAT {__version__}")
        canvas.restoreState()

    return type("ReportCanvas", (_NumberedCanvas,), {"decorate": staticmethod(decorate)})


def _fit(value: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    low, high = 0, len(value)          # the longest prefix that fits with "…" (binary search)
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(value[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return value[:low] + "…"


class _Doc(BaseDocTemplate):
    """Adds an outline (bookmarks) entry for every heading."""

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (reportlab's name)
        level = getattr(flowable, "_esat_level", None)
        if level is None:
            return
        key = f"h{self._esat_headings}"
        self._esat_headings += 1
        # an outline level may go at most one deeper than the one before it (a heading
        # split across pages loses its first part's entry)
        depth = min(level - 1, self._esat_depth + 1)
        self._esat_depth = depth
        title = flowable.getPlainText()
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title if len(title) <= 120 else title[:120] + "…", key,
                                  level=depth, closed=depth > 1)


def write_pdf(report: model.Report, target: Path, *, invariant: bool = False,
              progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
    """Write ``report`` to ``target`` (under a temporary name, renamed when complete)."""
    register_fonts()
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    story = _story(report, progress=progress, cancelled=cancelled)
    doc = _Doc(
        str(partial), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN, title=report.title, author=report.author,
        subject=report.subject, creator=f"ESAT {__version__}", producer=f"ESAT {__version__}",
        keywords=list(report.keywords), lang="en-GB", invariant=1 if invariant else 0,
        displayDocTitle=1, initialFontName=FONT)
    doc._esat_headings = 0
    doc._esat_depth = -1
    frame = Frame(MARGIN, MARGIN, TEXT_WIDTH, PAGE[1] - 2 * MARGIN, id="text",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    try:
        doc.build(story, canvasmaker=_canvas_class(report))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _story(report: model.Report, *, progress: Progress | None,
           cancelled: Callable[[], bool] | None) -> list[Any]:
    styles = _styles()
    story: list[Any] = []
    total = len(report.blocks)
    for index, block in enumerate(report.blocks):
        if cancelled is not None and cancelled():
            raise Cancelled("the report was cancelled; nothing was written")
        story.extend(_flowables(block, styles))
        if index == 0 and report.accessible_note:
            story.append(Paragraph(text(report.accessible_note), styles["note"]))
        if progress is not None:
            progress(index + 1, total)
    return story


def _flowables(block: model.Block, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if isinstance(block, model.Heading):
        heading = Paragraph(text(block.text), styles[f"h{min(block.level, 3)}"])
        heading._esat_level = block.level
        if block.level >= 2:       # never a heading alone at the foot of a page
            return [CondPageBreak((6 if block.level == 2 else 4) * cm), heading]
        return [heading]
    if isinstance(block, model.Para):
        style = styles["emphasis" if block.emphasis else "note" if block.note else "body"]
        # one paragraph per line of the text: each can split across pages
        return [Paragraph(text(line), style) for line in block.text.splitlines() or [""]
                if line.strip()] or [Spacer(1, 4)]
    if isinstance(block, model.Bullets):
        return [ListFlowable([ListItem(Paragraph(text(item), styles["bullet"]), leftIndent=12)
                              for item in block.items], bulletType="bullet", start="•",
                             bulletFontName=FONT, leftIndent=12)]
    if isinstance(block, model.KeyValues):
        rows = [[Paragraph(text(_cell_text(key, 0.32 * TEXT_WIDTH)), styles["head"]),
                 Paragraph(text(_cell_text(value, 0.68 * TEXT_WIDTH)), styles["cell"])]
                for key, value in block.pairs]
        table = PdfTable(rows, colWidths=[0.32 * TEXT_WIDTH, 0.68 * TEXT_WIDTH])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 8, 10),       # else reportlab names Helvetica
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return [Paragraph(text(block.caption), styles["caption"]), table, Spacer(1, 6)]
    if isinstance(block, model.Table):
        return _table(block, styles)
    if isinstance(block, model.BarChart):
        out: list[Any] = [KeepTogether([Paragraph(text(block.title), styles["caption"]),
                                        _bar_chart(block)]),
                          Paragraph(text(block.description), styles["note"])]
        if block.data is not None:
            out.extend(_table(block.data, styles))
        return out
    if isinstance(block, model.PageBreak):
        return [PdfPageBreak()]
    raise TypeError(f"not a report block: {block!r}")


def fit_widths(widths: list[float], header: tuple[str, ...], pad: float = 8,
               row_names: tuple[str, ...] = ()) -> list[float]:
    """Widen columns whose header has a word too long for them, taking from columns with room.

    Header words, and the words of the row names (the first column, such as an
    indicator's code "L1-LD-1"), are never split; when they cannot all fit, the
    widths are left as they were.
    """
    need = [max((pdmetrics_width(word) for word in label.split()), default=0) + pad + 4
            for label in header]
    if row_names and need:
        longest = max((word for name in row_names for word in name.split()[:3]), key=len,
                      default="")
        if len(longest) <= 24:
            need[0] = max(need[0], pdmetrics_width(longest) + pad + 4)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths))
    room = sum(max(0.0, w - n) for n, w in zip(need, widths))
    if short == 0 or room < short:
        return widths
    return [n if w < n else w - (w - n) * short / room for n, w in zip(need, widths)]


def pdmetrics_width(word: str) -> float:
    return pdfmetrics.stringWidth(word, FONT_BOLD, 7.5)


def _table(block: model.Table, styles: dict[str, ParagraphStyle]) -> list[Any]:
    widths = fit_widths([share * TEXT_WIDTH for share in block.widths], block.header,
                        row_names=tuple(row[0] for row in block.rows) if block.row_headers
                        else ())
    pad = 8

    def cell(value: str, column: int, style: str) -> Any:
        value = _cell_text(value, widths[column])
        if column in block.numeric:
            style = "cell_right" if style == "cell" else style
        # a short single line needs no paragraph (much faster for long tables); the
        # table style gives it the same font as the paragraph would have
        font, size = (FONT_BOLD, 7.5) if style == "head" else (FONT, 8)
        if ("\n" not in value
                and pdfmetrics.stringWidth(value, font, size) <= widths[column] - pad):
            return value
        return Paragraph(text(value), styles[style])

    rows = [[cell(value, i, "head") for i, value in enumerate(block.header)]]
    for row in block.rows:
        rows.append([cell(value, i, "head" if block.row_headers and i == 0 else "cell")
                     for i, value in enumerate(row)])
    table = PdfTable(rows, colWidths=widths, repeatRows=1)
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 8, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for column in block.numeric:
        commands.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
    if block.row_headers:
        commands.append(("FONT", (0, 1), (0, -1), FONT_BOLD, 7.5, 10))
    commands.append(("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5, 9.5))
    table.setStyle(TableStyle(commands))
    out: list[Any] = []
    if block.caption:
        # no keepWithNext: it would carry a long table whole to the next page
        out.extend([CondPageBreak(2.5 * cm), Paragraph(text(block.caption), styles["caption"])])
    out.extend([table, Spacer(1, 8)])
    return out


def _bar_chart(chart: model.BarChart) -> Drawing:
    """Horizontal bars, each labelled with its value in words (never told by colour alone)."""
    label_width = 0.34 * TEXT_WIDTH
    bar_height, gap = 11, 5
    n = len(chart.labels)
    axis_height = 16
    label_room = 12 if chart.threshold is not None else 0
    height = n * (bar_height + gap) + axis_height + 6 + label_room
    drawing = Drawing(TEXT_WIDTH, height, initialFontName=FONT)   # no Helvetica fallback
    left = label_width + 6
    span = TEXT_WIDTH - left - 34
    top = height - 4 - label_room
    for index, (label, value) in enumerate(zip(chart.labels, chart.values)):
        y = top - (index + 1) * (bar_height + gap) + gap
        drawing.add(String(label_width, y + 2.5, _fit(label, FONT, 8, label_width),
                           fontName=FONT, fontSize=8, textAnchor="end", fillColor=INK))
        if value is None:
            drawing.add(String(left + 2, y + 2.5, "no figure", fontName=FONT, fontSize=8,
                               fillColor=INK))
            continue
        short = chart.threshold is not None and value < chart.threshold
        drawing.add(Rect(left, y, span * value / 100, bar_height, strokeColor=INK,
                         strokeWidth=0.4, fillColor=BAR_SHORT_FILL if short else BAR_FILL))
        drawing.add(String(left + span * value / 100 + 3, y + 2.5, f"{value}%", fontName=FONT,
                           fontSize=8, fillColor=INK))
    base = top - n * (bar_height + gap) - 2
    drawing.add(Line(left, base, left + span, base, strokeColor=RULE, strokeWidth=0.5))
    for tick in range(0, 101, 25):
        x = left + span * tick / 100
        drawing.add(Line(x, base, x, base - 3, strokeColor=RULE, strokeWidth=0.5))
        drawing.add(String(x, base - 11, f"{tick}%", fontName=FONT, fontSize=7,
                           textAnchor="middle", fillColor=INK))
    if chart.threshold is not None:
        x = left + span * chart.threshold / 100
        drawing.add(Line(x, base, x, top + 4, strokeColor=INK, strokeWidth=0.8,
                         strokeDashArray=[3, 2]))
        drawing.add(String(x, top + 6, f"baseline {chart.threshold}%", fontName=FONT,
                           fontSize=7, textAnchor="middle", fillColor=INK))
    return drawing

