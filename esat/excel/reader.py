"""Read a workbook into an :class:`ImportPlan`: safety checks, then parsing; nothing is written.

Accepted (see ``docs/excel.md``):

- ESAT's own workbooks (an export, or a filled template): the hidden ``_esat``
  sheet and the ``Summary`` sheet say which framework, phase and unit they are for;
- legacy returns: any workbook whose ``Indicators`` sheet, or first sheet, has
  a header row with ``Code`` and ``Self rating`` (or ``Rating``); the unit's
  details come from options or a ``Summary`` sheet.

Headers are found by name (any case, any position, within the first rows);
extra columns are ignored. Every cell that cannot be used is a
:class:`RowProblem` naming the sheet, row and column; its row is left out of
the plan.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterator

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel

from ..catalog import Catalog
from ..errors import EsatError, InvalidFileError, ValidationError, shown_quoted
from ..framework import Framework
from ..store import ACTION_STATUS_LABELS, UNIT_CODE, check_period
from ..strands import STRAND_IDS, strand_for_label, strand_label
from .layout import (ACTION_COLUMNS, ACTIONS, DETAIL_KEYS, EVIDENCE,
                     EVIDENCE_COLUMNS, EVIDENCE_KINDS, FORMAT_VERSION, GRANTED, INDICATORS,
                     META, NO, REFUSED, SUMMARY, SUMMARY_COLUMNS, SUMMARY_FIELDS, YES, Column, indicator_columns,
                     normalise)
from .model import (ImportPlan, MissingDetailsError, PlanAction, PlanEvidence, PlanIndicator,
                    PlanUnit, RowProblem)
from .safety import check_package
from .text import escape, unescape

HEADER_SEARCH_ROWS = 20          # a header row is looked for in the first rows of a sheet
MAX_PROBLEMS = 1000              # problems listed; the count of bad rows is always exact
TRUE_WORDS = {"yes", "y", "true", "1", "x", "exempt"}
FALSE_WORDS = {"no", "n", "false", "0", "", "not exempt"}
_CONTINUED = re.compile(r"^(.*) \(continued (\d+)\)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_URL = re.compile(r"^(https?|ftp|file)://\S+$|^www\.\S+$|^mailto:\S+$", re.IGNORECASE)

try:                              # the exception openpyxl raises through defusedxml
    from defusedxml import DefusedXmlException
except ImportError:               # pragma: no cover - defusedxml is a dependency
    class DefusedXmlException(Exception):  # type: ignore[no-redef]
        pass


ENTITY_REFUSED = ("contains an XML document type or entity declaration, which workbooks "
                  "never need (it is how entity-expansion attacks work); it was refused")


def read_workbook(path: Path, catalog: Catalog, *, overrides: dict | None = None,
                  defaults: dict | None = None) -> ImportPlan:
    """Check ``path`` is a safe workbook and parse it; writes nothing.

    ``overrides`` (framework, phase, unit_code, unit_name, unit_type, area,
    period: the options of ``esat new``) win over what the workbook says;
    ``defaults`` (same keys, e.g. from the file being imported into) fill
    what neither gives. Raises :class:`InvalidFileError` for a workbook that
    is refused or unreadable, :class:`MissingDetailsError` when the framework,
    phase or unit is not known, and returns a plan whose ``problems`` list
    every unusable row.
    """
    path = Path(path)
    check_package(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl fails in many ways on a bad package
        if _defused(exc):
            raise InvalidFileError(path, ENTITY_REFUSED) from None
        raise InvalidFileError(path, f"could not be read as a workbook ({_first_line(exc)})") from None
    try:
        return _Reader(path, wb, catalog, overrides or {}, defaults or {}).plan()
    finally:
        wb.close()


def _defused(exc: BaseException | None) -> bool:
    """True when defusedxml refused a part (openpyxl may wrap its exception)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _first_line(exc: BaseException) -> str:
    return _describe(exc).splitlines()[0]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Cell:
    """What import needs of a cell: its value, type and where it is."""

    __slots__ = ("value", "data_type", "column", "row")

    def __init__(self, value: Any, data_type: str, column: str, row: int):
        self.value = value
        self.data_type = data_type
        self.column = column
        self.row = row

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


class _Table:
    """A sheet's rows below its header, with columns looked up by name."""

    def __init__(self, sheet: str, header_row: int, keys: dict[str, int],
                 continued: dict[str, list[int]], rows: Iterator[tuple[int, tuple]]):
        self.sheet = sheet
        self.header_row = header_row
        self.keys = keys               # key → column index (0-based)
        self.continued = continued     # key → continuation column indexes, in order
        self.rows = rows


class _Reader:
    def __init__(self, path: Path, wb, catalog: Catalog, overrides: dict, defaults: dict):
        self.path = path
        self.wb = wb
        self.catalog = catalog
        self.overrides = {k: v for k, v in overrides.items() if v not in (None, "")}
        self.defaults = {k: v for k, v in defaults.items() if v not in (None, "")}
        self.problems: list[RowProblem] = []
        self.bad_rows = 0
        self._row_failed = False
        self.sheets = {normalise(ws.title): ws for ws in wb.worksheets}

    # -- reading cells ---------------------------------------------------------

    def _rows(self, ws) -> Iterator[tuple[int, tuple]]:
        """(row number, cells) for every row, converting openpyxl's failures."""
        try:
            ws.reset_dimensions()
            for number, cells in enumerate(ws.iter_rows(), start=1):
                yield number, cells
        except EsatError:
            raise
        except Exception as exc:
            if _defused(exc):
                raise InvalidFileError(self.path, ENTITY_REFUSED) from None
            raise InvalidFileError(self.path, f"sheet {shown_quoted(ws.title)} could not be read "
                                              f"({_first_line(exc)})") from None

    @staticmethod
    def _cell(cells: tuple, index: int, row: int) -> _Cell:
        if index < len(cells):
            cell = cells[index]
            value = cell.value
            data_type = getattr(cell, "data_type", "n") or "n"
        else:
            value, data_type = None, "n"
        return _Cell(value, data_type, get_column_letter(index + 1), row)

    def problem(self, sheet: str, cell: _Cell | None, row: int, message: str) -> None:
        """Record a problem; the row it is on will be left out."""
        self._row_failed = True
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(RowProblem(sheet, row, cell.column if cell else None, message))

    def _value(self, sheet: str, cell: _Cell) -> tuple[bool, Any]:
        """(usable, value): formulas and error values are problems."""
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s"
                                     and cell.value.startswith("=")):
            formula = str(cell.value)
            shown = formula if len(formula) <= 40 else formula[:37] + "..."
            self.problem(sheet, cell, cell.row, f"a formula ({shown}) where a value belongs; "
                                                "type the value itself")
            return False, None
        if cell.data_type == "e":
            self.problem(sheet, cell, cell.row, f"an error value ({cell.value}) where a value "
                                                "belongs")
            return False, None
        return True, cell.value

    @staticmethod
    def _as_text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return unescape(value)
        if isinstance(value, bool):
            return YES if value else NO
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime):
            if value.time() == time(0):
                return value.date().isoformat()
            return value.isoformat(sep=" ")
        if isinstance(value, (date, time)):
            return value.isoformat()
        return str(value)

    # -- the workbook as a whole -----------------------------------------------

    def plan(self) -> ImportPlan:
        meta = self._meta()
        version = meta.get("format_version")
        if version not in (None, ""):
            try:
                number = int(float(version))
            except (TypeError, ValueError):
                raise InvalidFileError(self.path, f"{META}: format_version {shown_quoted(version)} is not "
                                                  "a number") from None
            if number > FORMAT_VERSION:
                raise InvalidFileError(self.path, f"was made by a newer version of ESAT "
                                                  f"(workbook format {number}; this version "
                                                  f"reads up to {FORMAT_VERSION})")
        summary = self._summary()
        framework = self._framework(meta, summary)
        stage = self._stage(framework, meta, summary)
        unit = self._unit(framework, meta, summary)
        kind = str(meta.get("kind") or "legacy") if meta else "legacy"
        plan = ImportPlan(source=self.path, framework=framework, stage=stage, unit=unit,
                          kind=kind if kind in ("export", "template") else "legacy",
                          details=self._details(summary),
                          assessment_uuid=str(meta["assessment_uuid"]).strip()
                          if meta.get("assessment_uuid") else None,
                          revision=_int_or_none(meta.get("revision")))
        self._indicators(plan)
        self._evidence(plan)
        self._actions(plan)
        sheets: dict[str, int] = {}
        for problem in self.problems:
            sheets.setdefault(problem.sheet, len(sheets))
        plan.problems = sorted(self.problems, key=lambda p: (
            sheets[p.sheet], p.row, column_index_from_string(p.column) if p.column else 0))
        plan.bad_rows = self.bad_rows
        return plan

    def _meta(self) -> dict[str, Any]:
        ws = self.sheets.get(normalise(META))
        if ws is None:
            return {}
        found: dict[str, Any] = {}
        for number, cells in self._rows(ws):
            if number == 1 or not cells:
                continue
            key = self._cell(cells, 0, number)
            value = self._cell(cells, 1, number)
            if isinstance(key.value, str) and key.value and value.data_type not in ("f", "e"):
                found[key.value.strip()] = (self._as_text(value.value).strip()
                                            if value.value is not None else None)
        return found

    def _summary(self) -> dict[str, tuple[Any, _Cell]]:
        """Normalised field name → (value, cell) from the Summary sheet (first value wins)."""
        ws = self.sheets.get(normalise(SUMMARY))
        if ws is None:
            return {}
        found: dict[str, tuple[Any, _Cell]] = {}
        more: list[int] = []            # "Value (continued N)" columns, in order
        for number, cells in self._rows(ws):
            if not cells:
                continue
            if number == 1:
                pending = []
                for index, head in enumerate(cells):
                    match = _CONTINUED.match(normalise(self._as_text(getattr(head, "value", None))))
                    if match and match.group(1) == normalise(SUMMARY_COLUMNS[1].header):
                        pending.append((int(match.group(2)), index))
                more = [index for _, index in sorted(pending)]
            field = normalise(self._cell(cells, 0, number).value)
            if field not in SUMMARY_FIELDS or SUMMARY_FIELDS[field] in found:
                continue
            cell = self._cell(cells, 1, number)
            self._row_failed = False
            usable, value = self._value(SUMMARY, cell)
            parts = []
            for index in more:
                ok, part = self._value(SUMMARY, self._cell(cells, index, number))
                usable = usable and ok
                if ok and part is not None:
                    parts.append(self._raw_text(part))
            if usable and parts:
                value = self._raw_text(value) + "".join(parts)
            if usable:
                found[SUMMARY_FIELDS[field]] = (value, cell)
            else:
                self.bad_rows += 1
        return found

    def _given(self, key: str, meta_key: str | None, meta: dict, summary: dict,
               aliases: tuple[str, ...] = ()) -> tuple[Any, str | None]:
        """(value, where): ``where`` is None for an option, else a cell ref or a name."""
        for name in (key, *aliases):
            if name in self.overrides:
                return self.overrides[name], None
        if meta_key and meta.get(meta_key):
            return meta[meta_key], f"{META}!{meta_key}"
        if key in summary and not summary[key][1].blank:
            value, cell = summary[key]
            return self._as_text(value).strip(), f"{SUMMARY}!{cell.column}{cell.row}"
        for name in (key, *aliases):
            if name in self.defaults:
                return self.defaults[name], "file"
        return None, None

    def _fail(self, where: str | None, message: str) -> EsatError:
        if where is None:
            return ValidationError(message)
        if where == "file":
            return ValidationError(f"the file being imported into: {message}")
        return InvalidFileError(self.path, f"{where}: {message}")

    def _framework(self, meta: dict, summary: dict) -> Framework:
        given = self.overrides.get("framework")
        where = None
        if given is None and meta.get("framework_id") and meta.get("framework_version"):
            given, where = f"{meta['framework_id']}-{meta['framework_version']}", f"{META}"
        if given is None and "framework" in summary and not summary["framework"][1].blank:
            value, cell = summary["framework"]
            given, where = self._as_text(value).strip(), f"{SUMMARY}!{cell.column}{cell.row}"
        if given is None:
            given, where = self.defaults.get("framework"), "file"
        if given is None:
            unit = [key for key in ("unit_code", "unit_name", "unit_type")
                    if self._given(key, "unit_code" if key == "unit_code" else None, meta,
                                   summary)[0] in (None, "")]
            self._missing(["framework", *unit])
        if isinstance(given, Framework):
            return given
        try:
            return self.catalog.get(str(given))
        except EsatError:
            known = ", ".join(self.catalog.keys()) or "none"
            raise self._fail(where, f"framework {shown_quoted(given)} is not one this ESAT knows "
                                    f"(known: {known})") from None

    def _missing(self, missing: list[str]) -> None:
        raise MissingDetailsError(self.path, missing)

    def _stage(self, framework: Framework, meta: dict, summary: dict) -> str | None:
        if framework.scope == "all_stages":
            return None
        value, where = self._given("stage", "stage", meta, summary, aliases=("phase",))
        if value is None:
            self._missing(["phase"])
        wanted = " ".join(str(value).split()).casefold()
        for stage in framework.stages:
            if wanted in (stage.id.casefold(), stage.title.casefold()):
                return stage.id
        known = ", ".join(s.id for s in framework.stages)
        raise self._fail(where, f"{framework.label('stage').lower()} {shown_quoted(value)} is not one of "
                                f"{known}")

    def _unit(self, framework: Framework, meta: dict, summary: dict) -> PlanUnit:
        code, code_at = self._given("unit_code", "unit_code", meta, summary)
        name, _ = self._given("unit_name", None, meta, summary)
        unit_type, type_at = self._given("unit_type", None, meta, summary)
        missing = [key for key, value in (("unit_code", code), ("unit_name", name),
                                          ("unit_type", unit_type)) if not value]
        if missing:
            self._missing(missing)
        code = str(code).strip().upper()
        if not UNIT_CODE.match(code):
            raise self._fail(code_at, f"unit code {shown_quoted(code)} must be 1 to 12 letters or digits "
                                      "(e.g. LX, SCD7)")
        wanted = " ".join(str(unit_type).split()).casefold()
        type_id = next((t.id for t in framework.unit_types
                        if wanted in (t.id.casefold(), t.label.casefold())), None)
        if type_id is None:
            known = ", ".join(t.id for t in framework.unit_types)
            raise self._fail(type_at, f"unit type {shown_quoted(unit_type)} is not one of {known}")
        area, _ = self._given("area", None, meta, summary)
        period, period_at = self._given("period", None, meta, summary)
        try:
            period = check_period(str(period or ""))
        except ValidationError as exc:
            raise self._fail(period_at, str(exc)) from None
        return PlanUnit(code=code, name=str(name).strip(), unit_type=type_id,
                        area=str(area or "").strip(), period=period)

    def _details(self, summary: dict) -> dict[str, object]:
        details: dict[str, object] = {}
        for key in DETAIL_KEYS:
            if key not in summary or summary[key][1].blank:
                continue
            value, cell = summary[key]
            self._row_failed = False
            if key == "publication_scheme":
                flag = _yes_no(value)
                if flag is None:
                    self.problem(SUMMARY, cell, cell.row, f"publication scheme {shown_quoted(value)} is not "
                                                          "Yes or No")
                    self.bad_rows += 1
                    continue
                details[key] = flag
            elif key in ("created_on", "review_on"):
                iso = _date(value)
                if iso is None:
                    self.problem(SUMMARY, cell, cell.row, f"{key.replace('_on', ' date')} "
                                                          f"{shown_quoted(self._as_text(value))} is not a "
                                                          "date (use YYYY-MM-DD)")
                    self.bad_rows += 1
                    continue
                details[key] = iso
            else:
                details[key] = self._as_text(value).strip()
        return details

    # -- tables ----------------------------------------------------------------

    def _table(self, ws, columns: tuple[Column, ...], required: tuple[tuple[str, ...], ...]
               ) -> _Table | None:
        """Find the header row (within the first rows) that has every required key."""
        lookup: dict[str, str] = {}
        for column in columns:
            if column.key:
                for name in column.names:
                    lookup.setdefault(normalise(name), column.key)
        rows = self._rows(ws)
        for number, cells in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            keys: dict[str, int] = {}
            pending: list[tuple[str, int, int]] = []
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if not isinstance(value, str):
                    continue
                name = normalise(unescape(value))
                if name in lookup:
                    keys.setdefault(lookup[name], index)
                    continue
                match = _CONTINUED.match(name)
                if match and match.group(1) in lookup:
                    pending.append((lookup[match.group(1)], int(match.group(2)), index))
            if all(any(key in keys for key in choice) for choice in required):
                continued: dict[str, list[int]] = {}
                for key, _, index in sorted(pending, key=lambda p: (p[0], p[1])):
                    if key in keys:
                        continued.setdefault(key, []).append(index)
                return _Table(ws.title, number, keys, continued, rows)
        return None

    def _row_cells(self, table: _Table, cells: tuple, number: int) -> dict[str, _Cell]:
        return {key: self._cell(cells, index, number) for key, index in table.keys.items()}

    def _long_text(self, table: _Table, cells: tuple, number: int, key: str,
                   first: Any) -> tuple[bool, str]:
        """The text of ``key`` (its continuation cells were joined by ``_usable_values``)."""
        return True, self._as_text(first)

    def _strands(self, sheet: str, cell: _Cell, value: Any) -> tuple[bool, tuple[str, ...]]:
        text = self._as_text(value)
        found: list[str] = []
        bad: list[str] = []
        for part in re.split(r"[,;\n]", text):
            part = part.strip()
            if not part:
                continue
            strand = strand_for_label(part)
            if strand is None:
                bad.append(part)
            elif strand not in found:
                found.append(strand)
        if bad:
            known = ", ".join(strand_label(s) for s in STRAND_IDS)
            self.problem(sheet, cell, cell.row, f"{', '.join(repr(b) for b in bad)} "
                                                f"{'is not an equality strand' if len(bad) == 1 else 'are not equality strands'} "
                                                f"({known})")
            return False, ()
        order = {s: i for i, s in enumerate(STRAND_IDS)}
        return True, tuple(sorted(found, key=order.__getitem__))

    def _code(self, sheet: str, cell: _Cell, value: Any, codes: dict[str, str],
              framework: Framework, stage: str | None) -> str | None:
        text = self._as_text(value).strip()
        code = codes.get(text.casefold())
        if code is not None:
            return code
        noun = framework.label("item").lower()
        others = {item.code.casefold(): item for item in framework.items}
        if text.casefold() in others:
            item = others[text.casefold()]
            stage_label = framework.label("stage").lower()
            self.problem(sheet, cell, cell.row,
                         f"{item.code} is an {noun} of the {framework.stage(item.stage).title} "
                         f"{stage_label}, not of this assessment's "
                         f"{framework.stage(stage).title if stage else ''} {stage_label}")
        else:
            self.problem(sheet, cell, cell.row, f"unknown code {shown_quoted(text)} (not an {noun} of "
                                                f"{framework.key})")
        return None

    def _rating(self, sheet: str, cell: _Cell, value: Any, framework: Framework
                ) -> tuple[bool, str | None]:
        text = self._as_text(value).strip()
        if not text:
            return True, None
        point = framework.rating_for_label(text)
        if point is None:
            labels = ", ".join(p.label for p in framework.scale)
            self.problem(sheet, cell, cell.row, f"rating {shown_quoted(text)} is not on the scale ({labels})")
            return False, None
        return True, point.id

    def _finish_row(self) -> bool:
        """True when the row had no problem; counts it as bad otherwise."""
        if self._row_failed:
            self.bad_rows += 1
            return False
        return True

    # -- the Indicators sheet ----------------------------------------------------

    def _indicator_table(self, framework: Framework) -> _Table:
        columns = indicator_columns(framework.label("stage"))
        required = (("code",), ("self_rating",))
        candidates = []
        if normalise(INDICATORS) in self.sheets:
            candidates.append(self.sheets[normalise(INDICATORS)])
        if self.wb.worksheets and self.wb.worksheets[0] not in candidates:
            candidates.append(self.wb.worksheets[0])
        for ws in candidates:
            table = self._table(ws, columns, required)
            if table is not None:
                return table
        raise InvalidFileError(self.path, "has no sheet with a header row naming Code and Self "
                                          "rating (or Rating): ESAT reads the Indicators sheet, "
                                          "or else the first sheet")

    def _indicators(self, plan: ImportPlan) -> None:
        framework, stage = plan.framework, plan.stage
        table = self._indicator_table(framework)
        plan.columns = frozenset(table.keys)
        codes = {item.code.casefold(): item.code for item in framework.items_for(stage)}
        type_exempt = framework.type_exemptions(plan.unit.unit_type)
        seen: dict[str, int] = {}
        sheet = table.sheet
        for number, cells in table.rows:
            row = self._row_cells(table, cells, number)
            if all(cell.blank for cell in row.values()):
                continue
            values: dict[str, Any] = self._usable_values(sheet, row, table, cells, number)
            code_cell = row["code"]
            if code_cell.blank:
                if "code" in values:
                    self.problem(sheet, code_cell, number, "no code: every row needs the "
                                                           f"{framework.label('item').lower()}'s code")
                self._finish_row()
                continue
            if "code" not in values:
                self._finish_row()
                continue
            code = self._code(sheet, code_cell, values["code"], codes, framework, stage)
            if code is not None and code in seen:
                self.problem(sheet, code_cell, number, f"duplicate code {code} (already on row "
                                                       f"{seen[code]})")
                code = None
            if code is None:
                self._finish_row()
                continue
            seen[code] = number
            entry = PlanIndicator(row=number, code=code,
                                  blank=frozenset(k for k, cell in row.items() if cell.blank))
            if "self_rating" in values:
                ok, entry.self_rating = self._rating(sheet, row["self_rating"],
                                                     values["self_rating"], framework)
            if "assessor_rating" in values:
                ok, entry.assessor_rating = self._rating(sheet, row["assessor_rating"],
                                                         values["assessor_rating"], framework)
            if "assessor_name" in values:
                entry.assessor_name = self._as_text(values["assessor_name"]).strip()
            if "narrative" in row:
                usable, text = self._long_text(table, cells, number, "narrative",
                                               values.get("narrative"))
                self._row_failed = self._row_failed or not usable
                entry.narrative = text
            if "strands" in values:
                ok, strands = self._strands(sheet, row["strands"], values["strands"])
                entry.strands = strands if ok else None
            if code not in type_exempt:
                self._exemption(sheet, row, values, entry)
            if self._finish_row():
                plan.indicators.append(entry)

    def _exemption(self, sheet: str, row: dict[str, _Cell], values: dict[str, Any],
                   entry: PlanIndicator) -> None:
        reason = self._as_text(values.get("exemption_reason")).strip()
        if "exempt" in values:
            flag = _yes_no(values["exempt"])
            if flag is None:
                self.problem(sheet, row["exempt"], entry.row,
                             f"exempt {shown_quoted(self._as_text(values['exempt']))} is not Yes or No")
            elif flag and not reason:
                cell = row.get("exemption_reason", row["exempt"])
                self.problem(sheet, cell, entry.row, "an exemption request needs a reason")
            else:
                entry.exempt = flag
                entry.exemption_reason = reason if flag else ""
        elif reason and "exempt" not in row:
            entry.exempt, entry.exemption_reason = True, reason
        decision_text = self._as_text(values.get("decision")).strip().casefold()
        decision_reason = self._as_text(values.get("decision_reason")).strip()
        if decision_text:
            if decision_text in (GRANTED.casefold(), "grant", "yes"):
                if not decision_reason:
                    cell = row.get("decision_reason", row["decision"])
                    self.problem(sheet, cell, entry.row, "a granted exemption needs a reason")
                    return
                entry.decision, entry.decision_reason = True, decision_reason
            elif decision_text in (REFUSED.casefold(), "refuse", "no"):
                entry.decision, entry.decision_reason = False, decision_reason
            else:
                self.problem(sheet, row["decision"], entry.row,
                             f"exemption decision {shown_quoted(self._as_text(values['decision']))} is not "
                             f"{GRANTED} or {REFUSED}")

    # -- the Evidence and Actions sheets -----------------------------------------------

    def _optional_table(self, name: str, columns: tuple[Column, ...],
                        required: tuple[tuple[str, ...], ...], wanted: str) -> _Table | None:
        ws = self.sheets.get(normalise(name))
        if ws is None:
            return None
        table = self._table(ws, columns, required)
        if table is None:
            self.bad_rows += 1
            self.problems.append(RowProblem(ws.title, 1, None, f"no header row naming {wanted}; "
                                                               "the sheet could not be read"))
        return table

    def _usable_values(self, sheet, row: dict, table: _Table | None = None,
                       cells: tuple = (), number: int = 0) -> dict:
        """The values of a row's usable cells; marks the row failed when one is not.

        Text that went on in ``(continued N)`` columns is joined back here, for
        every column alike, so no field is cut however long it is.
        """
        self._row_failed = False
        values = {}
        for key, cell in row.items():
            usable, value = self._value(sheet, cell)
            if usable:
                values[key] = value
            else:
                self._row_failed = True
        for key, indexes in (table.continued.items() if table is not None else ()):
            if key not in row:
                continue
            parts = []
            for index in indexes:
                usable, value = self._value(sheet, self._cell(cells, index, number))
                if not usable:
                    self._row_failed = True
                elif value is not None:
                    parts.append(self._raw_text(value))
            if parts and key in values:       # joined as stored; unescaped once when read
                values[key] = self._raw_text(values[key]) + "".join(parts)
        return values

    def _raw_text(self, value: Any) -> str:
        """A cell value as the escaped text a cell stores (see esat/excel/text.py)."""
        return value if isinstance(value, str) else escape(self._as_text(value))

    def _evidence(self, plan: ImportPlan) -> None:
        table = self._optional_table(EVIDENCE, EVIDENCE_COLUMNS, (("code",), ("kind", "text")),
                                     "Code and Kind")
        if table is None:
            return
        framework, sheet = plan.framework, table.sheet
        codes = _code_lookup(plan)
        kinds = {}
        for kind_id, label in EVIDENCE_KINDS:
            kinds[kind_id] = kinds[label.casefold()] = kind_id
        kinds["attachment"] = "file"
        for number, cells in table.rows:
            row = self._row_cells(table, cells, number)
            if all(cell.blank for cell in row.values()):
                continue
            values = self._usable_values(sheet, row, table, cells, number)
            code = None
            if row["code"].blank:
                self.problem(sheet, row["code"], number, "no code: say which "
                                                         f"{framework.label('item').lower()} "
                                                         "this evidence is for")
            elif "code" in values:
                code = self._code(sheet, row["code"], values["code"], codes, framework, plan.stage)
            title = self._as_text(values.get("title")).strip()
            text = ""
            if "text" in row:
                usable, text = self._long_text(table, cells, number, "text", values.get("text"))
                self._row_failed = self._row_failed or not usable
            file_name = self._as_text(values.get("file_name")).strip()
            sha = self._as_text(values.get("sha256")).strip().lower()
            kind_text = self._as_text(values.get("kind")).strip().casefold()
            if kind_text:
                kind = kinds.get(kind_text)
                if kind is None:
                    shown = self._as_text(values.get("kind")).strip()
                    self.problem(sheet, row["kind"], number, f"kind {shown_quoted(shown)} is not Note, "
                                                             "File or Link")
            elif sha or file_name:
                kind = "file"
            elif _URL.match(text.strip()):
                kind = "link"
            else:
                kind = "note"
            size = None
            if kind == "file":
                if not file_name:
                    self.problem(sheet, row.get("file_name"), number, "a file item needs a file "
                                                                      "name")
                if "size" in values and not row["size"].blank:
                    size = _size(values["size"])
                    if size is None:
                        self.problem(sheet, row["size"], number,
                                     f"size {shown_quoted(self._as_text(values['size']))} is not a whole "
                                     "number of bytes")
                if not _SHA256.match(sha):
                    self.problem(sheet, row.get("sha256"), number,
                                 f"SHA-256 {shown_quoted(sha)} is not 64 hexadecimal digits" if sha
                                 else "a file item needs its SHA-256 (files are known by their hash)")
            elif kind == "link" and not text.strip():
                self.problem(sheet, row.get("text"), number, "a link needs an address")
            elif kind == "note" and not title and not text.strip():
                self.problem(sheet, row.get("title"), number, "a note needs a title or some text")
            strands: tuple[str, ...] | None = None
            if "strands" in values:
                _, strands = self._strands(sheet, row["strands"], values["strands"])
            if self._finish_row() and code is not None:
                plan.evidence_items.append(PlanEvidence(
                    row=number, code=code, kind=kind, title=title,
                    text=text.strip() if kind == "link" else (text if kind == "note" else ""),
                    file_name=file_name if kind == "file" else "",
                    size=size, sha256=sha if kind == "file" else "", strands=strands))

    def _actions(self, plan: ImportPlan) -> None:
        table = self._optional_table(ACTIONS, ACTION_COLUMNS, (("description",),),
                                     "Description")
        if table is None:
            return
        framework, sheet = plan.framework, table.sheet
        codes = _code_lookup(plan)
        statuses = {}
        for status_id, label in ACTION_STATUS_LABELS.items():
            statuses[status_id] = statuses[label.casefold()] = statuses[
                status_id.replace("_", " ")] = status_id
        for number, cells in table.rows:
            row = self._row_cells(table, cells, number)
            if all(cell.blank for cell in row.values()):
                continue
            values = self._usable_values(sheet, row, table, cells, number)
            code = None
            if "code" in row and not row["code"].blank and "code" in values:
                code = self._code(sheet, row["code"], values["code"], codes, framework, plan.stage)
                if code is None:
                    self._row_failed = True
            description = self._as_text(values.get("description")).strip()
            if not description and "description" in values:
                self.problem(sheet, row["description"], number,
                             "an improvement action needs a description")
            due = ""
            if "due_on" in values and not row["due_on"].blank:
                due = _date(values["due_on"]) or ""
                if not due:
                    self.problem(sheet, row["due_on"], number,
                                 f"due date {shown_quoted(self._as_text(values['due_on']))} is not a date "
                                 "(use YYYY-MM-DD)")
            status = "open"
            status_text = self._as_text(values.get("status")).strip().casefold()
            if status_text:
                status = statuses.get(status_text, "")
                if not status:
                    self.problem(sheet, row["status"], number,
                                 f"status {shown_quoted(self._as_text(values.get('status')).strip())} is not one of "
                                 f"{', '.join(ACTION_STATUS_LABELS.values())}")
            strands = None
            if "strands" in values:
                _, strands = self._strands(sheet, row["strands"], values["strands"])
            if self._finish_row():
                plan.action_items.append(PlanAction(row=number, code=code, description=description,
                                               owner=self._as_text(values.get("owner")).strip(),
                                               due_on=due, status=status, strands=strands))


# -- value helpers -----------------------------------------------------------------


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _Reader._as_text(value).strip().casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def _date(value: Any) -> str | None:
    """An ISO date from a date cell, ISO text, DD/MM/YYYY text or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError):
            return None
        return converted.date().isoformat() if isinstance(converted, datetime) else None
    text = _Reader._as_text(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = _Reader._as_text(value).strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _code_lookup(plan: ImportPlan) -> dict[str, str]:
    """The plan's item codes by their case-folded form, to match what a user typed."""
    return {item.code.casefold(): item.code for item in plan.framework.items_for(plan.stage)}
