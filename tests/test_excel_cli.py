"""esat export, template and import-xlsx: output, messages and exit codes (0, 1, 2)."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import Workbook, load_workbook

from esat.cli import main
from esat.store import Store
from test_excel_support import build_esps, header_map, rezip, row_of

UNIT = ["--framework", "esps-2009", "--phase", "baseline", "--unit-code", "LX",
        "--unit-name", "Lambeth", "--unit-type", "borough", "--area", "South East",
        "--period", "2010/11"]


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def unit_file(tmp_path, esps):
    store, _ = build_esps(tmp_path / "lx.esat", esps)
    store.close()
    return tmp_path / "lx.esat"


def test_export_writes_the_workbook(tmp_path, unit_file):
    code, out, err = run("export", unit_file, "--xlsx", tmp_path / "lx.xlsx")
    assert (code, err) == (0, "")
    assert out == f"Wrote {tmp_path / 'lx.xlsx'}: LX Lambeth, esps-2009 baseline, revision 1\n"
    assert load_workbook(tmp_path / "lx.xlsx").sheetnames[:4] == [
        "Summary", "Indicators", "Evidence", "Actions"]


def test_export_errors(tmp_path, unit_file):
    code, _, err = run("export", unit_file, "--xlsx", tmp_path / "lx.csv")
    assert code == 1 and "must end in .xlsx" in err
    code, _, err = run("export", tmp_path / "none.esat", "--xlsx", tmp_path / "x.xlsx")
    assert code == 2 and f"{tmp_path / 'none.esat'}: no such file" in err
    code, _, err = run("export", unit_file)
    assert code == 1 and "--xlsx" in err
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "lx.csv").exists()


def test_template_then_import(tmp_path):
    book = tmp_path / "lx.xlsx"
    code, out, err = run("template", book, *UNIT)
    assert (code, err) == (0, "") and "Wrote the blank workbook" in out
    wb = load_workbook(book)
    ws = wb["Indicators"]
    ws.cell(row_of(ws, "1B"), header_map(ws)["Self rating"]).value = "Very satisfactory"
    wb.save(book)
    target = tmp_path / "lx.esat"
    code, out, err = run("import-xlsx", book, "--into", target)
    assert (code, err) == (0, "")
    assert out.startswith(f"Imported {book} into {target} (new file): LX Lambeth, esps-2009 "
                          "baseline; 1 rating and 0 narratives set")
    with Store.open(target, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert store.response(a.uuid, "1B").self_rating == "very"


def test_template_usage_errors(tmp_path):
    code, _, err = run("template", tmp_path / "t.xlsx", "--framework", "esps-2009",
                       "--unit-code", "LX", "--unit-name", "L", "--unit-type", "borough")
    assert code == 1 and "--phase is required for esps-2009" in err
    code, _, err = run("template", tmp_path / "t.xlsx", *UNIT[:-2], "--period", "2011")
    assert code == 1 and "period '2011'" in err and "Traceback" not in err
    assert not (tmp_path / "t.xlsx").exists()


def test_row_problems_exit_2_listing_each_one_and_nothing_is_written(tmp_path, unit_file):
    book = tmp_path / "lx.xlsx"
    run("export", unit_file, "--xlsx", book)
    wb = load_workbook(book)
    ws = wb["Indicators"]
    h = header_map(ws)
    ws.cell(row_of(ws, "7B"), h["Self rating"]).value = "Good"
    ws.cell(row_of(ws, "8B"), h["Narrative"]).value = "=A1"
    ws.cell(row_of(ws, "5B"), h["Self rating"]).value = "Not at all satisfactory"
    wb.save(book)
    before = unit_file.read_bytes()
    code, out, err = run("import-xlsx", book, "--into", unit_file)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == (f"{book}: Indicators!J8: rating 'Good' is not on the scale (Not at all "
                        "satisfactory, Not very satisfactory, Fairly satisfactory, Very "
                        "satisfactory)")
    assert lines[1] == (f"{book}: Indicators!Q9: a formula (=A1) where a value belongs; type the "
                        "value itself")
    assert "2 row problems; nothing was imported" in lines[2] and "--skip-bad-rows" in lines[2]
    assert unit_file.read_bytes() == before
    code, out, err = run("import-xlsx", book, "--into", unit_file, "--skip-bad-rows")
    assert code == 0 and "1 rating and 0 narratives set" in out and "2 rows skipped" in out
    assert len(err.splitlines()) == 2
    with Store.open(unit_file, actor="t", read_only=True) as store:
        a = store.only_assessment()
        responses = store.responses(a.uuid)
        assert responses["5B"].self_rating == "not_at_all"
        assert "7B" not in responses or responses["7B"].self_rating is None


def test_legacy_return_with_options(tmp_path):
    wb = Workbook()
    wb.active.append(["Rating", "Code"])
    wb.active.append(["Very satisfactory", "1B"])
    book = tmp_path / "legacy.xlsx"
    wb.save(book)
    target = tmp_path / "lx.esat"
    code, _, err = run("import-xlsx", book, "--into", target)
    assert code == 1 and "supply --framework, --unit-code" in err and not target.exists()
    code, _, err = run("import-xlsx", book, "--into", target, "--framework", "esps-2009",
                       "--phase", "baseline")
    assert code == 1 and "--unit-code, --unit-name, --unit-type" in err
    code, out, err = run("import-xlsx", book, "--into", target, *UNIT)
    assert (code, err) == (0, ""), err
    assert "(new file): LX Lambeth" in out


def test_legacy_return_into_an_existing_file_takes_its_details(tmp_path, unit_file):
    wb = Workbook()
    wb.active.append(["Code", "Self rating"])
    wb.active.append(["4B", "Very satisfactory"])
    book = tmp_path / "legacy.xlsx"
    wb.save(book)
    code, out, err = run("import-xlsx", book, "--into", unit_file)
    assert (code, err) == (0, "") and "1 rating" in out
    with Store.open(unit_file, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert store.response(a.uuid, "4B").self_rating == "very"


@pytest.mark.parametrize("make, message", [
    (lambda good, tmp: rezip(good, tmp / "m.xlsx", add={"xl/vbaProject.bin": b"x"}),
     "contains macros"),
    (lambda good, tmp: (tmp / "m.xlsm").write_bytes(good.read_bytes()) and tmp / "m.xlsm",
     "is a macro-enabled workbook (.xlsm)"),
    (lambda good, tmp: (tmp / "n.xlsx").write_text("hello") and tmp / "n.xlsx",
     "is not an Excel workbook (.xlsx)"),
])
def test_refused_workbooks_exit_2_with_the_reason(tmp_path, make, message):
    good = tmp_path / "good.xlsx"
    run("template", good, *UNIT)
    book = make(good, tmp_path)
    target = tmp_path / "lx.esat"
    code, out, err = run("import-xlsx", book, "--into", target)
    assert code == 2 and out == ""
    assert err.startswith(f"esat: {book}: ") and message in err and "Traceback" not in err
    assert not target.exists()


def test_import_into_signed_off_or_other_unit_exits_1(tmp_path, unit_file):
    book = tmp_path / "lx.xlsx"
    run("export", unit_file, "--xlsx", book)
    with Store.open(unit_file, actor="t") as store:
        store.sign_off(store.only_assessment().uuid, name="B", role="Supt", signed_on="2011-02-01")
    before = unit_file.read_bytes()
    code, _, err = run("import-xlsx", book, "--into", unit_file)
    assert code == 1 and "is signed off, so nothing was imported; reopen it first" in err
    assert unit_file.read_bytes() == before
    other = tmp_path / "md.xlsx"
    run("template", other, *[x if x != "LX" else "MD" for x in UNIT])
    code, _, err = run("import-xlsx", other, "--into", unit_file)
    assert code == 1 and "but md.xlsx is for MD" in err


def test_import_refuses_a_file_open_in_the_app(tmp_path, unit_file):
    book = tmp_path / "lx.xlsx"
    run("export", unit_file, "--xlsx", book)
    lock = tmp_path / ".~lock.lx.esat"
    lock.write_text(f"{os.getpid()}\nesat\n{os.uname().nodename}\n")
    before = unit_file.read_bytes()
    code, _, err = run("import-xlsx", book, "--into", unit_file)
    assert code == 1 and "is open in the ESAT app" in err
    assert unit_file.read_bytes() == before
    lock.write_text("999999999\nesat\n\n")                 # a stale lock is ignored
    assert run("import-xlsx", book, "--into", unit_file)[0] == 0


@pytest.mark.parametrize("command", ["export", "template", "import-xlsx"])
def test_the_new_commands_have_help_with_an_example(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "usage: esat " + command in out and "Example: esat " + command in out


def test_import_leaves_existing_work_unless_blank_clears(tmp_path, unit_file):
    with Store.open(unit_file, actor="t", read_only=True) as store:
        uuid = store.only_assessment().uuid
        before = store.responses(uuid)
    narrated = sorted(code for code, r in before.items() if r.narrative)
    assert narrated
    book = tmp_path / "template.xlsx"
    assert run("template", book, *UNIT)[0] == 0
    wb = load_workbook(book)
    ws = wb["Indicators"]
    ws.cell(row_of(ws, "3B"), header_map(ws)["Narrative"]).value = "Only this one"
    wb.save(book)
    code, out, err = run("import-xlsx", book, "--into", unit_file, "--list-changes")
    assert (code, err) == (0, "")
    assert "3B narrative: " in out and "→ “Only this one”" in out
    with Store.open(unit_file, actor="t", read_only=True) as store:
        after = store.responses(uuid)
    assert all(after[c].narrative == before[c].narrative for c in narrated if c != "3B")
    code, out, err = run("import-xlsx", book, "--into", unit_file, "--blank-clears", "--list-changes")
    assert code == 0 and "→ (blank)" in out
    with Store.open(unit_file, actor="t", read_only=True) as store:
        after = store.responses(uuid)
    assert all(after[c].narrative == "" for c in narrated if c != "3B")
