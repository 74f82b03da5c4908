"""Excel export and the fillable template: layout, drop-downs, safety, progress, cancel."""

from __future__ import annotations

import zipfile

import openpyxl.xml
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from esat.excel import Cancelled, export_assessment, read_workbook, write_template
from esat.excel.text import cell_pieces, escape, unescape
from esat.errors import ValidationError
from test_excel_support import HOSTILE, build_esps, every_cell, header_map, row_of, sha

INDICATOR_HEADERS = ["Code", "Section", "Indicator", "Exempt", "Exemption reason", "Self rating",
                     "Assessor rating", "Rating used", "Evidence summary", "Strands", "Actions",
                     "Narrative"]


@pytest.fixture
def exported(tmp_path, esps):
    # a central database's copy: the workbook carries the coordinators' columns too
    store, uuid = build_esps(tmp_path / "lx.esat", esps, moderated=True)
    target = export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.close()
    return target


def _list_values(wb, name: str) -> list[str]:
    """The values a drop-down's defined name points at."""
    destinations = list(wb.defined_names[name].destinations)
    assert len(destinations) == 1
    sheet, ref = destinations[0]
    return [cell.value for (cell,) in wb[sheet][ref.replace("$", "")]]


def _validation_for(ws, letter: str, row: int):
    found = [dv for dv in ws.data_validations.dataValidation
             if f"{letter}{row}" in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{letter}{row} has {len(found)} validations"
    return found[0]


def test_unit_workbook_layout(exported, esps):
    wb = load_workbook(exported)
    assert wb.sheetnames == ["Summary", "Indicators", "Evidence", "Actions", "_esat"]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * 4 + ["hidden"]
    indicators = wb["Indicators"]
    headers = header_map(indicators)
    assert set(INDICATOR_HEADERS) <= set(headers)
    assert indicators.freeze_panes == "B2"
    for name in ("Summary", "Evidence", "Actions"):
        assert wb[name].freeze_panes == "A2"
    last = get_column_letter(indicators.max_column)
    assert indicators.auto_filter.ref == f"A1:{last}23"          # header + 22 indicators
    assert [indicators.cell(row, 1).value for row in range(2, 24)] == [f"{n}B" for n in range(1, 23)]
    assert header_map(wb["Evidence"]).keys() >= {"Code", "Kind", "Title", "Text or link",
                                                 "File name", "Size (bytes)", "SHA-256",
                                                 "Strands"}
    assert list(header_map(wb["Actions"])) == ["Code", "Description", "Owner", "Due date",
                                               "Status", "Strands"]
    assert wb["Evidence"].auto_filter.ref == "A1:H7"
    # widths, wrapped long text, bold header
    narrative = get_column_letter(headers["Narrative"])
    assert indicators.column_dimensions[narrative].width >= 50
    assert indicators.column_dimensions["A"].width < 15
    assert indicators[f"{narrative}2"].alignment.wrap_text is True
    assert indicators["A1"].font.b is True
    # drop-downs of the scale's labels on both rating columns
    labels = [point.label for point in esps.scale]
    for header in ("Self rating", "Assessor rating"):
        letter = get_column_letter(headers[header])
        dv = _validation_for(indicators, letter, 2)
        assert dv.type == "list" and f"{letter}23" in dv.sqref
        assert _list_values(wb, dv.formula1) == labels
    assert _list_values(wb, _validation_for(indicators, get_column_letter(headers["Exempt"]), 5)
                        .formula1) == ["Yes", "No"]
    strands = _validation_for(indicators, get_column_letter(headers["Strands"]), 7)
    assert strands.type is None and "Religion or belief" in strands.prompt   # a hint, no list
    # the hidden sheet
    meta = {row[0].value: row[1].value for row in wb["_esat"].iter_rows(min_row=2) if row[0].value}
    assert meta["format_version"] == 1 and meta["kind"] == "export"
    assert meta["framework_id"] == "esps" and meta["framework_version"] == "2009"
    assert meta["revision"] == 1 and len(meta["assessment_uuid"]) == 36


def test_unit_workbook_contents(exported):
    wb = load_workbook(exported)
    summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows(min_row=2)
               if row[0].value}
    assert summary["Unit code"] == "LX" and summary["Unit name"] == "Lambeth"
    assert summary["Unit type"] == "Borough command unit" and summary["Area"] == "South East"
    assert summary["Framework"] == "esps-2009" and summary["Phase"] == "Baseline"
    assert summary["Period"] == "2010/11" and summary["Revision"] == 1
    assert summary["Protective marking"] == "Not Protectively Marked"
    assert summary["Publication scheme"] == "Yes"
    assert summary["Author"] == "A. Lead" and summary["Approver"] == "B. Boss"
    assert summary["Created on"].date().isoformat() == "2010-11-15"
    # 18 required (4 type exemptions; the coordinator granted 10B too: 17)
    assert summary["Required indicators"] == 17
    assert summary["Score"] == "35%" and summary["Baseline"] == "not met (threshold 50%)"
    assert summary["Ratings used"] == "assessor's rating for 2, unit's own rating for 6"
    assert summary["Section: Operational Delivery"] == "50% (5 of 10)"
    ws = wb["Indicators"]
    h = header_map(ws)
    r2, r15, r9 = row_of(ws, "2B"), row_of(ws, "15B"), row_of(ws, "9B")
    assert ws.cell(r2, h["Self rating"]).value == "Fairly satisfactory"
    assert ws.cell(r2, h["Assessor rating"]).value == "Very satisfactory"
    assert ws.cell(r2, h["Rating used"]).value == "Very satisfactory (assessor)"
    assert ws.cell(r2, h["Narrative"]).value == "  leading and trailing spaces  "
    assert ws.cell(r15, h["Exempt"]).value == "Yes"
    assert ws.cell(r15, h["Rating used"]).value.startswith("exempt")
    assert ws.cell(r9, h["Exemption reason"]).value.startswith("Handled by")
    assert ws.cell(row_of(ws, "1B"), h["Strands"]).value == "Race, Religion or belief"
    assert ws.cell(row_of(ws, "1B"), h["Evidence summary"]).value.startswith(
        "2 notes, 1 link, 1 file")
    evidence = [[c.value for c in row] for row in wb["Evidence"].iter_rows(min_row=2)]
    files = [row for row in evidence if row[1] == "File"]
    assert files[0][4:7] == ["profile.txt", len(b"community profile body"),
                             sha(b"community profile body")]
    actions = [[c.value for c in row] for row in wb["Actions"].iter_rows(min_row=2)]
    assert [a[1] for a in actions] == ["Borough-wide: train all supervisors",
                                       "Re-run the staff survey", "Publish the scheme"]
    assert actions[0][0] is None and actions[1][4] == "In progress"
    assert actions[1][3].date().isoformat() == "2011-05-01"


def test_hostile_text_is_written_as_text_and_comes_back_exactly(tmp_path, esps, catalog):
    store, uuid = build_esps(tmp_path / "lx.esat", esps, hostile=True)
    target = export_assessment(store, uuid, tmp_path / "hostile.xlsx")
    narratives = {code: r.narrative for code, r in store.responses(uuid).items()}
    store.close()
    cells = list(every_cell(target))
    assert cells
    formulas = [f"{sheet}!{cell.coordinate}" for sheet, cell in cells if cell.data_type == "f"]
    assert formulas == []
    assert not [c for _, c in cells if c.data_type == "e"]
    with zipfile.ZipFile(target) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)
    # Excel keeps them as text when retyped: the quote prefix is set
    wb = load_workbook(target)
    ws = wb["Indicators"]
    narrative = header_map(ws)["Narrative"]
    cell = ws.cell(row_of(ws, "11B"), narrative)
    assert cell.value == HOSTILE[0] and cell.data_type == "s" and cell.quotePrefix
    assert wb["Summary"]["B3"].value == "=Lambeth+1"
    # and the exact text comes back, NUL, controls and CRs included
    plan = read_workbook(target, catalog)
    assert plan.problems == []
    back = {entry.code: entry.narrative for entry in plan.indicators}
    for index, text in enumerate(HOSTILE):
        assert back[f"{index + 11}B"] == text == narratives[f"{index + 11}B"]
    assert plan.unit.name == "=Lambeth+1" and plan.details["author"] == "-A. Lead"


def test_text_escaping_is_exact_and_splits_long_text():
    for text in ["", "plain", "a\x00b\r\nc", "_x0041_", "_x005F_x0041_", "_x12_", "\ufffe"]:
        assert unescape(escape(text)) == text
    assert escape("a\rb") == "a_x000D_b" and escape("_x0041_") == "_x005F_x0041_"
    long = "é" * 40000 + "\x00" * 5
    pieces = cell_pieces(long)
    assert len(pieces) == 3 and all(len(p.encode("utf-16-le")) // 2 <= 32767 for p in pieces)
    assert "".join(unescape(p) for p in pieces) == long


def test_long_narrative_continues_in_extra_columns_and_round_trips(tmp_path, esps, catalog):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    long = ("Paragraph of evidence. " * 3000) + "\r\nEnd."     # 69,000 characters
    store.set_narrative(uuid, "5B", long)
    target = export_assessment(store, uuid, tmp_path / "long.xlsx")
    store.close()
    ws = load_workbook(target)["Indicators"]
    headers = header_map(ws)
    assert "Narrative (continued 2)" in headers and "Narrative (continued 3)" in headers
    assert all(len(c.value or "") <= 32767 for row in ws.iter_rows() for c in row
               if isinstance(c.value, str))
    plan = read_workbook(target, catalog)
    assert {e.code: e.narrative for e in plan.indicators}["5B"] == long


def test_progress_is_reported_and_cancel_leaves_no_file(tmp_path, esps):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    calls = []
    export_assessment(store, uuid, tmp_path / "ok.xlsx", progress=lambda d, t: calls.append((d, t)))
    total = calls[-1][1]
    assert [d for d, _ in calls] == list(range(1, total + 1)) and calls[-1] == (total, total)
    polled = []

    def cancelled() -> bool:
        polled.append(1)
        return len(polled) >= 5

    target = tmp_path / "cancelled.xlsx"
    with pytest.raises(Cancelled, match="cancelled"):
        export_assessment(store, uuid, target, cancelled=cancelled)
    store.close()
    assert len(polled) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lx.esat", "ok.xlsx"]


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path, esps):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    with pytest.raises(Exception, match="does not exist"):
        export_assessment(store, uuid, tmp_path / "nowhere" / "x.xlsx")
    store.close()


def test_template_has_the_layout_and_drop_downs(tmp_path, esps):
    target = write_template(esps, tmp_path / "t.xlsx", stage="baseline", unit_code="lx",
                            unit_name="Lambeth", unit_type="borough", area="South East",
                            period="2010/11")
    wb = load_workbook(target)
    assert wb.sheetnames == ["Summary", "Indicators", "Evidence", "Actions", "_esat"]
    assert wb["_esat"].sheet_state == "hidden"
    summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows(min_row=2)
               if row[0].value}
    assert (summary["Unit code"], summary["Unit name"], summary["Area"], summary["Period"]) == (
        "LX", "Lambeth", "South East", "2010/11")
    assert summary["Phase"] == "Baseline" and summary["Author"] is None
    assert "Self rating" in summary["How to fill"]
    ws = wb["Indicators"]
    h = header_map(ws)
    assert set(INDICATOR_HEADERS) <= set(h)
    assert [ws.cell(r, 1).value for r in range(2, 24)] == [f"{n}B" for n in range(1, 23)]
    assert all(ws.cell(r, h["Self rating"]).value is None for r in range(2, 24))
    assert ws.cell(row_of(ws, "15B"), h["Exempt"]).value == "Yes"
    assert ws.cell(row_of(ws, "1B"), h["Exempt"]).value is None
    assert ws.freeze_panes == "B2"
    letter = get_column_letter(h["Self rating"])
    assert _list_values(wb, _validation_for(ws, letter, 23).formula1) == [
        "Not at all satisfactory", "Not very satisfactory", "Fairly satisfactory",
        "Very satisfactory"]
    # Evidence and Actions are empty, with drop-downs ready for 500 rows
    assert wb["Evidence"].max_row == 1 and wb["Actions"].max_row == 1
    assert _list_values(wb, _validation_for(wb["Evidence"], "B", 500).formula1) == [
        "Note", "File", "Link"]
    assert _list_values(wb, _validation_for(wb["Actions"], "E", 400).formula1) == [
        "Open", "In progress", "Done", "Dropped"]
    meta = {row[0].value: row[1].value for row in wb["_esat"].iter_rows(min_row=2) if row[0].value}
    assert meta["kind"] == "template" and meta.get("assessment_uuid") is None


def test_eslg_template_covers_every_level(tmp_path, eslg):
    target = write_template(eslg, tmp_path / "t.xlsx", stage=None, unit_code="SCD7",
                            unit_name="Specialist Crime", unit_type="specialist")
    ws = load_workbook(target)["Indicators"]
    h = header_map(ws)
    assert "Level" in h and ws.max_row == 1 + len(eslg.items)
    assert _list_values(ws.parent, _validation_for(ws, get_column_letter(h["Self rating"]), 2)
                        .formula1) == ["Not started", "Partly achieved", "Achieved"]


@pytest.mark.parametrize("options, message", [
    ({"unit_type": "county"}, "unit type 'county'"),
    ({"stage": "nonsense"}, "phase 'nonsense'"),
    ({"unit_code": "L X"}, "unit code 'L X'"),
    ({"period": "2011"}, "period '2011'"),
])
def test_template_checks_the_unit_details(tmp_path, esps, options, message):
    given = {"stage": "baseline", "unit_code": "LX", "unit_name": "Lambeth",
             "unit_type": "borough", **options}
    with pytest.raises(ValidationError, match=message):
        write_template(esps, tmp_path / "t.xlsx", **given)
    assert not (tmp_path / "t.xlsx").exists()


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_cells_are_formatted_one_by_one_if_the_default_format_cannot_be_set(tmp_path, esps,
                                                                            monkeypatch):
    from esat.excel import writer
    monkeypatch.setattr(writer, "_wrap_by_default", lambda wb, style: False)
    store, uuid = build_esps(tmp_path / "lx.esat", esps, hostile=True)
    target = export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.close()
    ws = load_workbook(target)["Indicators"]
    narrative = header_map(ws)["Narrative"]
    cell = ws.cell(row_of(ws, "1B"), narrative)
    assert cell.style_id != 0 and cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert not [c for _, c in every_cell(target) if c.data_type == "f"]


def test_exported_drop_downs_cover_500_new_rows(tmp_path, esps):
    from esat.excel.layout import TEMPLATE_ROWS
    from test_excel_support import build_esps
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    target = export_assessment(store, uuid, tmp_path / "lx.xlsx")
    evidence, actions = len(store.evidence(uuid)), len(store.actions(uuid))
    store.close()
    wb = load_workbook(target)
    for sheet, existing in (("Evidence", evidence), ("Actions", actions)):
        ranges = [str(dv.sqref) for dv in wb[sheet].data_validations.dataValidation if dv.type == "list"]
        assert ranges, sheet
        last = existing + TEMPLATE_ROWS + 1
        assert all(r.endswith(str(last)) for r in ranges), (sheet, ranges)
