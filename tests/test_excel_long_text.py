"""Hypothesis: every text field survives export and import exactly, at any length.

Random content, long text (past the 16,000-character continuation chunk and the
32,767-character cell limit) and awkward characters (controls, CR, NUL, ``_xHHHH_``
look-alikes, formula starts, non-BMP) included. Also: an export imported into
its own file changes nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from esat.excel import apply_plan, export_assessment, read_workbook
from esat.store import Store
from test_excel_support import snapshot

EXAMPLES = int(os.environ.get("ESAT_HYPOTHESIS", "12"))
AWKWARD = st.sampled_from(["_x0041_", "_x005F_", "\x00", "\x01", "\r", "\r\n", "\t", "=1+1",
                           "+", "-", "@", "#N/A", "é", "𝄞", "\ufffe", " ", "\n", "'"])
PLAIN = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PIECE = st.one_of(PLAIN, AWKWARD, st.integers(0, 40_000).map(lambda n: "ab" * (n // 2)))
TEXT = st.lists(PIECE, max_size=6).map("".join)




@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=TEXT, summary=TEXT, narrative=TEXT, reason=TEXT, note_title=TEXT, note=TEXT,
       description=TEXT, owner=TEXT)
def test_every_text_field_round_trips_exactly(esps, catalog, title, summary, narrative, reason,
                                              note_title, note, description, owner):
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "lx.esat"
        with Store.create(path, actor="t") as store:
            a = store.create_assessment(esps, stage="baseline", unit_code="LX",
                                        unit_name="Lambeth", unit_type="borough")
            store.set_details(a.uuid, title=title, summary=summary)
            store.set_narrative(a.uuid, "1B", narrative)
            if reason.strip():
                store.request_exemption(a.uuid, "2B", reason)
            if not (note_title.strip() or note.strip()):
                note_title = "t"              # a note needs a title or some text
            store.add_note(a.uuid, "1B", note_title, note)
            if description.strip():
                store.add_action(a.uuid, "2B", description, owner=owner)
            before = snapshot(store, a.uuid)
            export_assessment(store, a.uuid, folder / "lx.xlsx")
        plan = read_workbook(folder / "lx.xlsx", catalog)
        assert plan.problems == []
        result = apply_plan(plan, folder / "back.esat", actor="Importer")
        with Store.open(folder / "back.esat", actor="t", read_only=True) as back:
            assert snapshot(back, result.assessment_uuid) == before
        # the export imported into its own file changes nothing
        copy = folder / "own.esat"
        shutil.copyfile(path, copy)
        own = read_workbook(folder / "lx.xlsx", catalog)
        apply_plan(own, copy, actor="t")
        with Store.open(copy, actor="t", read_only=True) as again:
            assert snapshot(again, a.uuid) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
