"""Shared builders for the Excel tests (no tests here): rich assessments and snapshots."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from conftest import StepClock
from helpers import as_central
from esat.store import Store

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\x00nul and \x01 \x07 \x1f controls",
    "#N/A",
    "_x0041_ is a literal escape, \r\n and a lone \r CR",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
]


def build_esps(path: Path, esps, *, hostile: bool = False,
               moderated: bool = False) -> tuple[Store, str]:
    """A borough's ESPS Baseline assessment using every feature the workbook carries.

    A unit's file unless ``moderated``: then a central database where coordinators
    have rated two indicators and decided two exemption requests.
    """
    store = Store.create(path, actor="Unit Lead", clock=StepClock())
    a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough", area="South East", period="2010/11",
                                equality_lead="A. Lead", smt_lead="B. Boss")
    u = a.uuid
    store.set_details(u, protective_marking="Not Protectively Marked", publication_scheme=True,
                      title="Lambeth ESPS Baseline", summary="Our return.\nTwo lines.",
                      author="A. Lead", approver="B. Boss", owning_unit="Lambeth BCU",
                      created_on="2010-11-15", review_on="2011-11-15", version_label="1.2")
    ratings = {"1B": "very", "2B": "fairly", "3B": "not_very", "4B": "not_at_all",
               "5B": "fairly", "6B": "very", "12B": "fairly", "22B": "not_very"}
    for code, rating in ratings.items():
        store.set_self_rating(u, code, rating)
    store.set_narrative(u, "1B", "We refresh the profile every six months.\n\nSecond paragraph, "
                                 "with “quotes”, ünïcödé and a tab\there.")
    store.set_narrative(u, "2B", "  leading and trailing spaces  ")
    store.set_narrative(u, "7B", "Narrative without a rating.")
    store.request_exemption(u, "9B", "Handled by the neighbouring borough under a joint protocol")
    store.request_exemption(u, "10B", "Not applicable this year")
    store.set_item_strands(u, "1B", ["race", "religion_belief"])
    store.set_item_strands(u, "6B", ["disability"])
    store.add_note(u, "1B", "Ward profiles updated", "All 16 ward profiles were updated.",
                   strands=["age"])
    store.add_note(u, "1B", "Ward profiles updated", "All 16 ward profiles were updated.")
    store.add_link(u, "1B", "CSP strategic assessment", "https://intranet.example/csp",
                   strands=["race", "gender"])
    store.add_link(u, "2B", "", "https://intranet.example/no-title")
    store.attach_bytes(u, "1B", b"community profile body", file_name="profile.txt",
                       title="Community profile", strands=["sexual_orientation"])
    store.attach_bytes(u, "3B", b"minutes", file_name="minutes.pdf")
    store.add_action(u, "3B", "Re-run the staff survey", owner="HR", due_on="2011-05-01",
                     status="in_progress", strands=["gender"])
    store.add_action(u, "4B", "Publish the scheme", owner="", due_on="", status="open")
    store.add_action(u, None, "Borough-wide: train all supervisors", owner="Training",
                     due_on="2011-03-31", status="done", strands=["race", "age"])
    if hostile:
        for index, text in enumerate(HOSTILE):
            code = f"{index + 11}B"
            store.set_narrative(u, code, text)
            store.add_note(u, code, text, text)
        store.add_action(u, "5B", HOSTILE[0], owner=HOSTILE[3], due_on="2011-01-01")
        store.set_unit(u, name="=Lambeth+1", area="@South East")
        store.set_details(u, author="-A. Lead", title="=TITLE()")
    if moderated:
        as_central(store)
        store.decide_exemption(u, "10B", True, "Agreed by DCFD")
        store.decide_exemption(u, "9B", False, "Not a valid reason")
        store.set_assessor_rating(u, "2B", "very", "C. Coordinator")
        store.set_assessor_rating(u, "3B", "fairly", "C. Coordinator")
    return store, u


def build_eslg(path: Path, eslg, *, moderated: bool = False) -> tuple[Store, str]:
    store = Store.create(path, actor="Unit Lead", clock=StepClock())
    a = store.create_assessment(eslg, stage=None, unit_code="SCD7",
                                unit_name="Specialist Crime Directorate",
                                unit_type="specialist", area="Specialist Crime", period="2009/10")
    u = a.uuid
    items = eslg.items_for(None)
    for index, item in enumerate(items):
        if item.stage in ("level-1", "level-2"):
            store.set_self_rating(u, item.code, "achieved")
        elif index % 3 == 0:
            store.set_self_rating(u, item.code, "partly")
    first, second, third = items[0].code, items[1].code, items[-1].code
    store.set_narrative(u, first, "Policy adopted by the management board in 2008.")
    store.request_exemption(u, second, "Covered by the corporate policy")
    store.set_item_strands(u, first, ["race", "gender", "disability", "age",
                                      "sexual_orientation", "religion_belief"])
    store.add_note(u, first, "Board minute", "Minute 12/08 adopts the policy.")
    store.attach_bytes(u, second, b"%PDF-1.4 policy", file_name="policy.pdf", title="Policy")
    store.add_action(u, third, "Review outcomes with partners", owner="SCD7 SMT",
                     due_on="2010-09-30", status="open", strands=["race"])
    if moderated:
        as_central(store)
        store.set_assessor_rating(u, third, "not_started", "Peer reviewer")
        store.record_validation(u, "level-1", validated_by="Peer team", validated_on="2009-06-01")
    return store, u


def snapshot(store: Store, uuid: str) -> dict:
    """Everything the workbook round trip must carry, in a comparable form."""
    a = store.assessment(uuid)
    responses = {}
    for code, r in store.responses(uuid).items():
        state = (r.self_rating, r.assessor_rating, r.assessor_name if r.assessor_rating else "",
                 r.narrative, r.unit_exempt, r.unit_exemption_reason, r.coord_exempt,
                 r.coord_exemption_reason, r.strands)
        if state != (None, None, "", "", False, "", None, "", ()):
            responses[code] = state
    evidence = [(e.item_code, e.kind, e.title, e.body, e.file_name, e.blob_sha256, e.size,
                 e.strands) for e in store.evidence(uuid)]
    actions = [(x.item_code, x.description, x.owner, x.due_on, x.status, x.strands)
               for x in store.actions(uuid)]
    details = (a.unit.code, a.unit.name, a.unit.unit_type, a.unit.area, a.framework_key, a.stage,
               a.period, a.equality_lead, a.smt_lead, a.protective_marking, a.publication_scheme,
               a.title, a.version_label, a.summary, a.author, a.approver, a.owning_unit,
               a.created_on, a.review_on)
    return {"responses": responses, "evidence": evidence, "actions": actions, "details": details}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def every_cell(path: Path):
    """(sheet, cell) for every cell of every sheet, hidden ones included."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws.title, cell


def rezip(source: Path, target: Path, *, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Copy a package, replacing, adding or dropping parts."""
    replace = replace or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return target


def header_map(ws) -> dict[str, int]:
    """Header text → 1-based column of a sheet's first row."""
    return {cell.value: cell.column for cell in ws[1] if cell.value is not None}


def row_of(ws, code: str) -> int:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return row[0].row
    raise KeyError(code)


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
