"""Write a workbook with openpyxl's write-only mode: rows stream out as they are made.

A :class:`SheetData` is plain values (text, numbers, dates); this module turns
it into a sheet that looks made with care (bold frozen header, autofilter,
column widths, wrapped text, drop-downs) and that is safe: text is always a
string cell, never a formula (see :mod:`esat.excel.text`).
"""

from __future__ import annotations

import os
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import EsatError
from .layout import META, Column, continued
from ..errors import Cancelled
from .text import NEEDS_ESCAPE, CELL_LIMIT, FORMULA_STARTS, cell_pieces

Value = str | int | float | date | None


@dataclass
class SheetData:
    title: str
    columns: Sequence[Column]
    rows: list[list[Value]]
    freeze: str = "A2"
    validation_rows: int = 0               # drop-downs cover at least this many rows
    cell_choices: list[tuple[str, str]] = field(default_factory=list)  # (list name, cell)


@dataclass
class Lists:
    """Drop-down lists, kept on the hidden sheet under defined names."""

    lists: list[tuple[str, str, list[str]]] = field(default_factory=list)   # name, title, values

    def add(self, name: str, title: str, values: Iterable[str]) -> None:
        self.lists.append((name, title, list(values)))


HEADER_FONT = Font(bold=True, color="FF1F2937")
HEADER_FILL = PatternFill("solid", fgColor="FFDCE6F1")
HEADER_BORDER = Border(bottom=Side(style="thin", color="FF8EA9C1"))
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
BODY_WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"


class _Styles:
    """The workbook's few formats, resolved once; cells copy them (cheap).

    Body text needs no per-cell format: the workbook's default format (the
    one every cell without a format of its own uses) is made wrapped and
    top-aligned, so only headers, dates and quoted text carry one.
    """

    def __init__(self, wb: Workbook, ws):
        def proto(**attrs) -> object:
            cell = WriteOnlyCell(ws, "")
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell._style

        self.header = proto(font=HEADER_FONT, fill=HEADER_FILL, border=HEADER_BORDER,
                            alignment=HEADER_ALIGN)
        self.quoted = proto(alignment=BODY_WRAP, quotePrefix=True)
        self.date = proto(alignment=BODY_WRAP, number_format=DATE_FORMAT)
        self.wrap = proto(alignment=BODY_WRAP)
        self.default_wraps = _wrap_by_default(wb, self.wrap)

    @staticmethod
    def cell(ws, value: object, style: object) -> WriteOnlyCell:
        """A cell with a format; text is always a string cell, never a formula."""
        cell = WriteOnlyCell(ws, None)
        if isinstance(value, str):
            cell._value = value            # already escaped; fits one cell
            cell.data_type = "s"
        else:
            cell.value = value
        cell._style = copy(style)
        return cell


def _wrap_by_default(wb: Workbook, wrap_style) -> bool:
    """Give the workbook's default cell format (cellXfs 0) the wrapped, top alignment.

    Uses openpyxl's style tables; if they ever change shape, cells are given
    the format one by one instead (slower, same result).
    """
    try:
        default = wb._cell_styles[0]
        default.alignmentId = wrap_style.alignmentId
        return wb._cell_styles[0].alignmentId == wrap_style.alignmentId
    except (AttributeError, IndexError, TypeError):
        return False


def _prepare(ws, styles: _Styles, sheet: SheetData) -> tuple[list[Column], list[list[object]]]:
    """The rows as written: text escaped and never a formula, over-long text moved
    into continuation columns at the end, dates and formula-like text as styled cells."""
    rows: list[list[object]] = []
    extra: dict[int, int] = {}                 # column index → continuation cells needed
    overflows: list[dict[int, list[str]]] = []
    plain_ok = styles.default_wraps
    for values in sheet.rows:
        row: list[object] = values if isinstance(values, list) else list(values)  # in place
        overflow: dict[int, list[str]] = {}
        for index, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    row[index] = None
                    continue
                if (len(value) > CELL_LIMIT // 2 or (("_x" in value or not value.isprintable())
                                                     and NEEDS_ESCAPE.search(value))):
                    pieces = cell_pieces(value)
                    if len(pieces) > 1:
                        overflow[index] = pieces[1:]
                        extra[index] = max(extra.get(index, 0), len(pieces) - 1)
                    text = pieces[0]
                else:
                    text = value
                if value[0] in FORMULA_STARTS or text[0] == "=" or text in ERROR_CODES:
                    row[index] = styles.cell(ws, text, styles.quoted)
                elif plain_ok:
                    row[index] = text
                else:
                    row[index] = styles.cell(ws, text, styles.wrap)
            elif kind is date or kind is datetime:
                cell = WriteOnlyCell(ws, value)
                cell._style = copy(styles.date)
                row[index] = cell
            elif not plain_ok:
                row[index] = styles.cell(ws, value, styles.wrap)
        rows.append(row)
        overflows.append(overflow)
    columns = list(sheet.columns)
    if not extra:
        return columns, rows
    placed: list[tuple[int, int]] = []          # (source column, continuation number)
    for index in sorted(extra):
        base = sheet.columns[index]
        for number in range(2, extra[index] + 2):
            columns.append(Column(continued(base.header, number), base.width))
            placed.append((index, number))
    for row, overflow in zip(rows, overflows):
        row.extend([None] * (len(sheet.columns) - len(row)))
        for index, number in placed:
            pieces = overflow.get(index, [])
            row.append(pieces[number - 2] if number - 2 < len(pieces) else None)
    return columns, rows


def _validation(name: str | None, ref: str, column: Column | None = None) -> DataValidation:
    """A drop-down of the list ``name``; with no list, only the column's input message."""
    if name is None:
        dv = DataValidation(allow_blank=True)
    else:
        dv = DataValidation(type="list", formula1=name, allow_blank=True, showErrorMessage=True,
                            errorStyle="stop", errorTitle="Not on the list",
                            error="Choose a value from the drop-down list.")
    if column is not None and column.prompt:
        dv.showInputMessage = True
        dv.promptTitle = column.header[:32]
        dv.prompt = column.prompt[:255]
    dv.add(ref)
    return dv


def _write_sheet(wb: Workbook, sheet: SheetData, tick: Callable[[], None],
                 styles: _Styles | None) -> _Styles:
    ws = wb.create_sheet(sheet.title)
    styles = styles or _Styles(wb, ws)
    columns, rows = _prepare(ws, styles, sheet)
    width = len(columns)
    last_col = get_column_letter(width)
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.calculate_dimension = lambda: f"A1:{last_col}{len(rows) + 1}"   # lets readers size it
    ws.freeze_panes = sheet.freeze
    ws.auto_filter.ref = f"A1:{last_col}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last_row = max(len(rows), sheet.validation_rows, 1) + 1
    for index, column in enumerate(columns, 1):
        if column.choices or column.prompt:
            letter = get_column_letter(index)
            ws.data_validations.append(_validation(column.choices, f"{letter}2:{letter}{last_row}",
                                                   column))
    for name, ref in sheet.cell_choices:
        ws.data_validations.append(_validation(name, ref))
    ws.append([styles.cell(ws, column.header, styles.header) for column in columns])
    tick()
    for row in rows:
        ws.append(row)
        tick()
    return styles


def _write_meta(wb: Workbook, meta: list[tuple[str, Value]], lists: Lists,
                styles: _Styles | None) -> None:
    ws = wb.create_sheet(META)
    ws.sheet_state = "hidden"
    styles = styles or _Styles(wb, ws)
    length = max([len(meta)] + [len(values) for _, _, values in lists.lists])
    table: list[list[Value]] = []
    for index in range(length):
        key, value = meta[index] if index < len(meta) else (None, None)
        table.append([key, value, None] + [values[index] if index < len(values) else None
                                           for _, _, values in lists.lists])
    header = ["Key", "Value", None] + [title for _, title, _ in lists.lists]
    sheet = SheetData(META, [Column(str(h or ""), 12) for h in header], table)
    _, rows = _prepare(ws, styles, sheet)
    ws.append(header)
    for row in rows:
        ws.append(row)
    sheet_ref = quote_sheetname(META)
    for offset, (name, _, values) in enumerate(lists.lists):
        letter = get_column_letter(4 + offset)
        end = max(len(values), 1) + 1
        wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet_ref}!${letter}$2:${letter}${end}")


def write_workbook(target: Path, sheets: list[SheetData], meta: list[tuple[str, Value]],
                   lists: Lists, *, progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the sheets and the hidden meta sheet to ``target``, all or nothing.

    The workbook is built under a temporary name beside ``target`` and renamed
    when complete; on failure or cancellation no file is left at ``target``.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise EsatError(f"{target}: the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    total = sum(len(sheet.rows) + 1 for sheet in sheets)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if cancelled is not None and cancelled():
            raise Cancelled(f"{target}: export cancelled; nothing was written")
        if progress is not None:
            progress(done, total)

    wb = Workbook(write_only=True)
    try:
        styles = None
        for sheet in sheets:
            styles = _write_sheet(wb, sheet, tick, styles)
        _write_meta(wb, meta, lists, styles)
        partial.unlink(missing_ok=True)
        wb.save(partial)
        os.replace(partial, target)
    except OSError as exc:
        _discard(wb, partial)
        raise EsatError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        _discard(wb, partial)
        raise
    return target


def _discard(wb: Workbook, partial: Path) -> None:
    """Remove what a failed or cancelled write left: openpyxl's temporary files and ours."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        rows = getattr(ws, "_rows", None)
        try:
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()
        except Exception:      # best effort: openpyxl also removes them at exit
            pass
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass
