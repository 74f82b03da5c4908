"""Excel import: filled templates, legacy returns, row problems, all or nothing, existing files."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from conftest import StepClock
from esat.errors import EsatError, InvalidFileError, ReadOnlyError, ValidationError
from esat.excel import (ImportPlan, MissingDetailsError, WorkbookProblems, apply_plan,
                        export_assessment, read_workbook, write_template)
from esat.store import Store
from test_excel_support import build_esps, header_map, row_of, sha, snapshot


@pytest.fixture
def template(tmp_path, esps):
    return write_template(esps, tmp_path / "template.xlsx", stage="baseline", unit_code="LX",
                          unit_name="Lambeth", unit_type="borough", area="South East",
                          period="2010/11")


def fill(path, *, indicators=None, evidence=(), actions=(), summary=None, target=None):
    """Fill a workbook as a unit would in Excel (here with openpyxl) and save it."""
    wb = load_workbook(path)
    ws = wb["Indicators"]
    h = header_map(ws)
    for code, values in (indicators or {}).items():
        row = row_of(ws, code)
        for header, value in values.items():
            ws.cell(row, h[header]).value = value
    for sheet, rows in (("Evidence", evidence), ("Actions", actions)):
        for values in rows:
            wb[sheet].append(values)
    if summary:
        fields = {row[0].value: row[0].row for row in wb["Summary"].iter_rows()}
        for field, value in summary.items():
            wb["Summary"].cell(fields[field], 2).value = value
    wb.save(target or path)
    return target or path


def test_a_filled_template_imports_into_a_new_file(tmp_path, template, catalog):
    fill(template, indicators={
        "1B": {"Self rating": "very satisfactory", "Narrative": "We do this.\nAnd that.",
               "Strands": "Race; gender"},
        "2B": {"Self rating": "Fairly satisfactory", "Exempt": "No"},
        "9B": {"Exempt": "Yes", "Exemption reason": "Joint protocol with MD"},
        "15B": {"Exempt": "No"},                      # a type exemption: not a request
    }, evidence=[
        ["1B", "Note", "Ward profiles", "All 16 updated", None, None, None, "Age"],
        ["1B", "Link", "CSP assessment", "https://intranet.example/csp", None, None, None, None],
        ["2B", "File", "Minutes", None, "minutes.pdf", 7, sha(b"minutes"), None],
    ], actions=[
        ["3B", "Re-run the survey", "HR", "2011-05-01", "In progress", "Gender"],
        [None, "Train supervisors", "", None, None, None],
    ], summary={"Author": "A. Lead", "Publication scheme": "No", "Review on": "01/04/2011"})
    plan = read_workbook(template, catalog)
    assert isinstance(plan, ImportPlan) and plan.problems == []
    assert plan.kind == "template" and plan.framework.key == "esps-2009" and plan.stage == "baseline"
    assert (plan.unit.code, plan.unit.name, plan.unit.unit_type, plan.unit.area,
            plan.unit.period) == ("LX", "Lambeth", "borough", "South East", "2010/11")
    assert (plan.ratings, plan.narratives, plan.exemptions, plan.evidence,
            plan.actions) == (2, 1, 1, 3, 2)
    assert "LX Lambeth" in plan.describe() and "2 ratings" in plan.describe()
    target = tmp_path / "lx.esat"
    result = apply_plan(plan, target, actor="Importer")
    assert result.created and (result.ratings, result.evidence_added, result.actions_added) == (2, 3, 2)
    assert not list(tmp_path.glob(".*partial"))
    with Store.open(target, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert a.uuid == result.assessment_uuid
        assert (a.unit.code, a.period, a.author, a.publication_scheme, a.review_on) == (
            "LX", "2010/11", "A. Lead", False, "2011-04-01")
        responses = store.responses(a.uuid)
        assert responses["1B"].self_rating == "very"
        assert responses["1B"].narrative == "We do this.\nAnd that."
        assert responses["1B"].strands == ("race", "gender")
        assert responses["9B"].unit_exempt and responses["9B"].unit_exemption_reason == "Joint protocol with MD"
        assert "15B" not in responses
        evidence = store.evidence(a.uuid)
        assert [(e.item_code, e.kind, e.title) for e in evidence] == [
            ("1B", "note", "Ward profiles"), ("1B", "link", "CSP assessment"),
            ("2B", "file", "Minutes")]
        assert evidence[0].strands == ("age",) and evidence[2].size == 7
        assert evidence[2].blob_sha256 == sha(b"minutes") and not evidence[2].has_body
        actions = store.actions(a.uuid)
        assert [(x.item_code, x.description, x.status, x.due_on) for x in actions] == [
            (None, "Train supervisors", "open", ""),
            ("3B", "Re-run the survey", "in_progress", "2011-05-01")]
        assert {e.actor for e in store.audit(a.uuid)} == {"Importer"}


def test_a_legacy_return_imports_with_details_from_options(tmp_path, catalog):
    wb = Workbook()
    ws = wb.active
    ws.title = "Return 2010-11"
    ws.append(["Lambeth BCU equality return"])                 # a title row
    ws.append([])
    ws.append(["Comments", "RATING", "Indicator wording", " code ", "Owner", "narrative"])
    ws.append(["ok", "Very satisfactory", "Community profiling", "1b", "x", "Profile kept."])
    ws.append([None, "not very satisfactory", "...", "2B", None, None])
    ws.append([None, None, None, None, None, None])
    ws.append([None, "fairly", "...", "3B", None, None])     # a scale id works too
    path = tmp_path / "legacy.xlsx"
    wb.save(path)
    with pytest.raises(MissingDetailsError) as missing:
        read_workbook(path, catalog)
    assert missing.value.missing == ["framework", "unit_code", "unit_name", "unit_type"]
    assert str(missing.value).startswith(f"{path}: does not say its framework, unit code")
    assert "supply --framework, --unit-code, --unit-name, --unit-type" in str(missing.value)
    options = {"framework": "esps-2009", "phase": "baseline", "unit_code": "LX",
               "unit_name": "Lambeth", "unit_type": "borough", "period": "2010/11"}
    plan = read_workbook(path, catalog, overrides=options)
    assert plan.problems == [] and plan.kind == "legacy"
    assert [(i.code, i.self_rating, i.narrative) for i in plan.indicators] == [
        ("1B", "very", "Profile kept."), ("2B", "not_very", ""), ("3B", "fairly", "")]
    assert plan.columns == {"code", "self_rating", "narrative"}
    result = apply_plan(plan, tmp_path / "lx.esat", actor="t")
    assert result.ratings == 3 and result.narratives == 1
    with Store.open(tmp_path / "lx.esat", actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert {c: r.self_rating for c, r in store.responses(a.uuid).items()} == {
            "1B": "very", "2B": "not_very", "3B": "fairly"}


def test_a_legacy_return_can_name_its_unit_in_a_summary_sheet(tmp_path, catalog):
    wb = Workbook()
    wb.active.title = "Indicators"
    wb.active.append(["Rating", "Code"])
    wb.active.append(["Achieved", "L1-LD-1"])
    summary = wb.create_sheet("Summary", 0)
    for row in (["Framework", "eslg-2007"], ["Unit code", "SCD7"],
                ["Unit name", "Specialist Crime"], ["Unit type", "Specialist operational command unit"]):
        summary.append(row)
    path = tmp_path / "legacy.xlsx"
    wb.save(path)
    plan = read_workbook(path, catalog)
    assert plan.framework.key == "eslg-2007" and plan.stage is None
    assert plan.unit.unit_type == "specialist"
    assert [(i.code, i.self_rating) for i in plan.indicators] == [("L1-LD-1", "achieved")]


def test_every_unusable_row_is_reported_with_sheet_row_and_column(tmp_path, template, catalog):
    fill(template, indicators={
        "1B": {"Self rating": "Good"},
        "2B": {"Self rating": "=IF(1,\"Very satisfactory\")"},
        "3B": {"Self rating": "Fairly satisfactory", "Strands": "race, class"},
        "4B": {"Exempt": "Yes"},
        "5B": {"Self rating": "Very satisfactory"},
    }, evidence=[
        ["1B", "Poster", "x", "y", None, None, None, None],
        ["1B", "File", "Minutes", None, "m.pdf", "big", "abc", None],
        ["1B", "Note", "Good note", "text", None, None, None, None],
    ], actions=[
        ["99B", "Do it", None, None, None, None],
        ["3B", "Do it", None, "soon", "Finished", None],
        ["3B", "Fine action", None, None, None, None],
    ])
    wb = load_workbook(template)
    ws = wb["Indicators"]
    ws.append(["99B"])
    ws.append(["5B", None, None, None, None, None, None, None, None, "Fairly satisfactory"])
    wb.save(template)
    plan = read_workbook(template, catalog)
    assert [str(p) for p in plan.problems] == [
        "Indicators!J2: rating 'Good' is not on the scale (Not at all satisfactory, "
        "Not very satisfactory, Fairly satisfactory, Very satisfactory)",
        "Indicators!J3: a formula (=IF(1,\"Very satisfactory\")) where a value belongs; "
        "type the value itself",
        "Indicators!O4: 'class' is not an equality strand (Race, Gender, Disability, Age, "
        "Sexual orientation, Religion or belief)",
        "Indicators!G5: an exemption request needs a reason",
        "Indicators!A24: unknown code '99B' (not an indicator of esps-2009)",
        "Indicators!A25: duplicate code 5B (already on row 6)",
        "Evidence!B2: kind 'Poster' is not Note, File or Link",
        "Evidence!F3: size 'big' is not a whole number of bytes",
        "Evidence!G3: SHA-256 'abc' is not 64 hexadecimal digits",
        "Actions!A2: unknown code '99B' (not an indicator of esps-2009)",
        "Actions!D3: due date 'soon' is not a date (use YYYY-MM-DD)",
        "Actions!E3: status 'Finished' is not one of Open, In progress, Done, Dropped",
    ]
    problem = plan.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Indicators", 2, "J")
    assert plan.bad_rows == 10
    assert [i.code for i in plan.indicators if i.self_rating] == ["5B"]
    assert [e.title for e in plan.evidence_items] == ["Good note"]
    assert [a.description for a in plan.action_items] == ["Fine action"]
    target = tmp_path / "lx.esat"
    with pytest.raises(WorkbookProblems, match="12 row problems; nothing was imported"):
        apply_plan(plan, target, actor="t")
    assert not target.exists() and list(tmp_path.iterdir()) == [template]
    result = apply_plan(plan, target, actor="t", skip_bad_rows=True)
    assert result.rows_skipped == 10 and result.ratings == 1
    with Store.open(target, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert {c: r.self_rating for c, r in store.responses(a.uuid).items()
                if r.self_rating} == {"5B": "very"}


def test_a_code_of_another_phase_is_named(tmp_path, template, catalog):
    wb = load_workbook(template)
    wb["Indicators"]["A2"] = "1I"
    wb.save(template)
    plan = read_workbook(template, catalog)
    assert [str(p) for p in plan.problems] == [
        "Indicators!A2: 1I is an indicator of the Integrating phase, not of this assessment's "
        "Baseline phase"]


def test_headers_any_case_any_order_extra_columns_ignored(tmp_path, catalog):
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(["Extra", "NARRATIVE", "self RATING", "assessor rating", "CODE", "Strands",
               "exempt", "Exemption Reason", "Whatever"])
    ws.append([1, "N1", "Very satisfactory", "Not very satisfactory", "1B", "Age", "no", None, "z"])
    ws.append([2, None, None, None, "9B", None, "yes", "Joint", None])
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    plan = read_workbook(path, catalog, overrides={
        "framework": "esps-2009", "phase": "Baseline", "unit_code": "lx", "unit_name": "Lambeth",
        "unit_type": "Borough command unit"})
    assert plan.problems == []
    first, second = plan.indicators
    assert (first.code, first.narrative, first.self_rating, first.assessor_rating,
            first.strands, first.exempt) == ("1B", "N1", "very", "not_very", ("age",), False)
    assert (second.exempt, second.exemption_reason) == (True, "Joint")
    assert plan.unit.code == "LX" and plan.unit.unit_type == "borough"


def test_no_usable_header_is_refused(tmp_path, catalog):
    wb = Workbook()
    wb.active.append(["Name", "Score"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(InvalidFileError, match="no sheet with a header row naming Code and Self "
                                               "rating"):
        read_workbook(path, catalog, overrides={"framework": "esps-2009", "phase": "baseline",
                                                "unit_code": "LX", "unit_name": "L",
                                                "unit_type": "borough"})


def test_bad_options_and_bad_summary_values_are_named(tmp_path, template, catalog):
    with pytest.raises(ValidationError, match="unit type 'county'"):
        read_workbook(template, catalog, overrides={"unit_type": "county"})
    fill(template, summary={"Period": "2011"})
    with pytest.raises(InvalidFileError, match=r"Summary!B9: period '2011' is not a financial year"):
        read_workbook(template, catalog)


# -- existing files ---------------------------------------------------------------------


def test_importing_an_export_back_changes_nothing_and_duplicates_nothing(tmp_path, esps, catalog):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    before = snapshot(store, uuid)
    export_assessment(store, uuid, tmp_path / "lx.xlsx")
    audit = len(store.audit())
    store.close()
    result = apply_plan(read_workbook(tmp_path / "lx.xlsx", catalog), tmp_path / "lx.esat",
                        actor="t")
    assert (result.created, result.ratings, result.narratives, result.evidence_added,
            result.evidence_kept, result.actions_added, result.actions_updated) == (
        False, 0, 0, 0, 6, 0, 0)
    with Store.open(tmp_path / "lx.esat", actor="t") as store:
        assert snapshot(store, uuid) == before
        assert len(store.audit()) == audit               # not a single change logged
        assert all(e.has_body for e in store.evidence(uuid) if e.kind == "file")


@pytest.mark.parametrize("blank_clears", [False, True])
def test_existing_file_rule_workbook_rows_replace_and_add(tmp_path, esps, catalog, blank_clears):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.close()
    fill(tmp_path / "lx.xlsx", indicators={
        "1B": {"Self rating": None, "Narrative": "Rewritten."},
        # a unit granting itself an exemption or rating itself as assessor: ignored, and said
        "2B": {"Assessor rating": "Very satisfactory"},
        "4B": {"Self rating": "Very satisfactory", "Strands": None},
        "9B": {"Exempt": "No"},
        "10B": {"Exemption decision": "Granted", "Decision reason": "We say so"},
    }, evidence=[["4B", "Note", "New note", "new", None, None, None, None]])
    wb = load_workbook(tmp_path / "lx.xlsx")
    ws = wb["Actions"]
    status = header_map(ws)["Status"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "Publish the scheme":
            ws.cell(row[0].row, status).value = "Done"
    wb.save(tmp_path / "lx.xlsx")
    with Store.open(tmp_path / "lx.esat", actor="t", read_only=True) as store:
        before = store.responses(uuid)
    result = apply_plan(read_workbook(tmp_path / "lx.xlsx", catalog), tmp_path / "lx.esat",
                        actor="t", blank_clears=blank_clears)
    assert (result.ratings, result.narratives, result.exemptions, result.evidence_added,
            result.evidence_kept, result.actions_added, result.actions_updated) == (
        2 if blank_clears else 1, 1, 1, 1, 6, 0, 1)
    assert result.assessor_ratings == 2
    assert "; 2 coordinator entries (assessor ratings, exemption decisions) will be ignored" in (
        read_workbook(tmp_path / "lx.xlsx", catalog).describe())
    assert "2 coordinator entries (assessor ratings, exemption decisions) ignored" in result.describe()
    with Store.open(tmp_path / "lx.esat", actor="t") as store:
        r = store.responses(uuid)
        assert r["1B"].narrative == "Rewritten."
        if blank_clears:                            # a blank cell clears only when asked to
            assert r["1B"].self_rating is None and r["4B"].strands == ()
        else:
            assert r["1B"].self_rating == before["1B"].self_rating is not None
            assert r["4B"].strands == before["4B"].strands
        assert r["2B"].assessor_rating is None and r["4B"].self_rating == "very"
        assert r["10B"].coord_exempt is None and store.score(uuid).overall.required == 18
        assert not store.db.execute("SELECT COUNT(*) FROM moderation").fetchone()[0]
        assert not r["9B"].unit_exempt
        assert [x.status for x in store.actions(uuid) if x.description == "Publish the scheme"] == ["done"]
        assert len(store.actions(uuid)) == 3 and len(store.evidence(uuid)) == 7


def test_a_failed_import_leaves_the_existing_file_byte_identical(tmp_path, esps, catalog,
                                                                 monkeypatch):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.close()
    fill(tmp_path / "lx.xlsx", indicators={"5B": {"Self rating": "Very satisfactory"}},
         actions=[["5B", "Another action", None, None, None, None]])
    before = (tmp_path / "lx.esat").read_bytes()
    plan = read_workbook(tmp_path / "lx.xlsx", catalog)
    calls = []

    def failing_add_action(self, *args, **kwargs):    # fails after ratings were written
        calls.append(args)
        raise ValidationError("disk says no")

    monkeypatch.setattr(Store, "add_action", failing_add_action)
    with pytest.raises(EsatError, match=r"Actions row \d+: disk says no; nothing was imported"):
        apply_plan(plan, tmp_path / "lx.esat", actor="t")
    assert calls
    assert (tmp_path / "lx.esat").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lx.esat", "lx.xlsx"]
    # a new file is not left behind either
    with pytest.raises(EsatError, match="disk says no"):
        apply_plan(plan, tmp_path / "new.esat", actor="t")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lx.esat", "lx.xlsx"]


def test_a_signed_off_assessment_is_refused(tmp_path, esps, catalog):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.sign_off(uuid, name="B. Boss", role="Superintendent", signed_on="2011-02-01")
    store.close()
    before = (tmp_path / "lx.esat").read_bytes()
    with pytest.raises(ReadOnlyError, match="signed off, so nothing was imported; reopen it"):
        apply_plan(read_workbook(tmp_path / "lx.xlsx", catalog), tmp_path / "lx.esat", actor="t")
    assert (tmp_path / "lx.esat").read_bytes() == before


def test_a_workbook_for_another_unit_is_refused(tmp_path, esps, catalog):
    with Store.create(tmp_path / "md.esat", actor="t", clock=StepClock()) as store:
        store.create_assessment(esps, stage="baseline", unit_code="MD", unit_name="Southwark",
                                unit_type="borough", period="2010/11")
    template = write_template(esps, tmp_path / "lx.xlsx", stage="baseline", unit_code="LX",
                              unit_name="Lambeth", unit_type="borough", period="2010/11")
    before = (tmp_path / "md.esat").read_bytes()
    with pytest.raises(EsatError, match="holds the assessment of MD, esps-2009 baseline, 2010/11, "
                                        "but lx.xlsx is for LX"):
        apply_plan(read_workbook(template, catalog), tmp_path / "md.esat", actor="t")
    assert (tmp_path / "md.esat").read_bytes() == before


def test_importing_into_a_file_that_is_not_esat_is_refused(tmp_path, template, catalog):
    bogus = tmp_path / "bogus.esat"
    bogus.write_text("not a database")
    with pytest.raises(InvalidFileError, match="is not an ESAT file"):
        apply_plan(read_workbook(template, catalog), bogus, actor="t")
    assert bogus.read_text() == "not a database"


def _file_with_work(path, esps):
    with Store.create(path, actor="t", clock=StepClock()) as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", area="South East", period="2010/11")
        for code in ("1B", "2B", "5B", "7B"):
            store.set_self_rating(a.uuid, code, "fairly")
            store.set_narrative(a.uuid, code, f"Work on {code}")
        store.request_exemption(a.uuid, "4B", "Led by the central team")
        store.set_item_strands(a.uuid, "5B", ["race"])
        return a.uuid


@pytest.mark.parametrize("blank_clears", [False, True])
def test_preview_lists_every_change_and_import_does_exactly_that(tmp_path, template, esps, catalog,
                                                                 blank_clears):
    """The trial's template: filled only for 1B-4B, brought into a file with work in it."""
    from esat.excel import preview_plan
    target = tmp_path / "lx.esat"
    uuid = _file_with_work(target, esps)
    fill(template, indicators={
        "1B": {"Self rating": "Very satisfactory", "Narrative": "New text for 1B"},
        "2B": {"Narrative": "New text for 2B"},
        "3B": {"Self rating": "Fairly satisfactory", "Narrative": "Text for 3B"},
        "4B": {"Narrative": "Text for 4B"},
    }, evidence=[["1B", "Note", "Minutes", "IAG minutes", None, None, None, None]],
        actions=[["2B", "Refresh profiles", "Analyst", None, None, None]])
    plan = read_workbook(template, catalog)
    with Store.open(target, actor="t") as store:
        before = store.responses(uuid)
        audit = len(store.audit())
        preview = preview_plan(store, plan, blank_clears=blank_clears)
        assert store.responses(uuid) == before and len(store.audit()) == audit   # wrote nothing
    lines = [str(c) for c in preview.changes]
    assert "1B self rating: Fairly satisfactory → Very satisfactory" in lines
    assert "1B narrative: “Work on 1B” → “New text for 1B”" in lines
    assert "3B self rating: not rated → Fairly satisfactory" in lines
    assert "1B note added: (none) → “Minutes”" in lines
    assert "2B action added: (none) → “Refresh profiles”" in lines
    cleared = [line for line in lines if "5B" in line or "7B" in line or "4B exemption" in line]
    result = apply_plan(plan, target, actor="t", blank_clears=blank_clears)
    assert [str(c) for c in result.changes] == lines          # the preview is what it did
    assert result.counts() == preview.counts()
    assert (result.ratings, result.narratives, result.exemptions, result.evidence_added,
            result.actions_added) == (preview.ratings, preview.narratives, preview.exemptions,
                                      preview.evidence_added, preview.actions_added)
    with Store.open(target, actor="t", read_only=True) as store:
        after = store.responses(uuid)
    if blank_clears:
        assert "5B narrative: “Work on 5B” → (blank)" in cleared
        assert "4B exemption request: requested: “Led by the central team” → withdrawn" in cleared
        assert after["5B"].narrative == "" and not after["4B"].unit_exempt
        assert "narratives cleared" in result.counts() and "1 exemption request withdrawn" in result.counts()
    else:
        assert cleared == []                     # a blank cell leaves existing work alone
        assert after["5B"].narrative == "Work on 5B" and after["7B"].narrative == "Work on 7B"
        assert after["5B"].self_rating == "fairly" and after["5B"].strands == ("race",)
        assert after["4B"].unit_exempt and after["4B"].unit_exemption_reason == "Led by the central team"
        assert after["2B"].self_rating == "fairly"
        assert "0 narratives cleared" in result.counts()


def test_undo_import_puts_back_everything_it_changed(tmp_path, template, esps, catalog):
    from esat.excel import undo_import
    target = tmp_path / "lx.esat"
    uuid = _file_with_work(target, esps)
    fill(template, indicators={"1B": {"Self rating": "Very satisfactory", "Strands": "Age"}},
         evidence=[["1B", "Link", "CSP", "https://intranet.example/csp", None, None, None, None]],
         actions=[["2B", "Refresh profiles", "Analyst", None, None, None]],
         summary={"Author": "A. Lead"})
    plan = read_workbook(template, catalog)
    with Store.open(target, actor="t") as store:
        before = snapshot(store, uuid)
        result = apply_plan(plan, target, actor="t", blank_clears=True)
        assert snapshot(store, uuid) != before
        undo_import(store, result)
        assert snapshot(store, uuid) == before
