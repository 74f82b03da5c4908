"""Messages name the file, escape control characters, shorten long values, give sensible sizes."""

from __future__ import annotations

import io
import sqlite3

import openpyxl

from esat.cli import main
from esat.errors import InvalidFileError, shown, shown_size
from esat.store import Store
from test_excel_support import header_map, row_of


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main([str(a) for a in args], out=out, err=err), out.getvalue(), err.getvalue()


def test_control_characters_in_names_are_escaped():
    assert shown("a\nb\x1b[31m\x00") == "a\\nb\\x1b[31m\\x00"
    message = str(InvalidFileError("evil\nesat: valid\r.esat", "is empty"))
    assert "\n" not in message and "\r" not in message
    assert message == "evil\\nesat: valid\\r.esat: is empty"


def test_long_values_are_shortened_with_their_length():
    text = shown("x" * 1_000_000)
    assert len(text) < 200 and "1,000,000 characters" in text


def test_a_size_never_reads_the_same_as_the_limit_it_breaks():
    limit = 25 * 1024 * 1024
    assert shown_size(limit + 1, limit) == "26,214,401 bytes"
    assert shown_size(limit + 30_000, limit) == "25.03 MB"
    assert shown_size(31 * 1024 * 1024, limit) == "31.0 MB"
    assert shown_size(limit) == "25.0 MB"


def test_an_attachment_just_over_the_limit_says_so_plainly(tmp_path, esps):
    with Store.create(tmp_path / "u.esat", actor="t", attachment_limit=1000) as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L",
                                    unit_type="borough")
        big = tmp_path / "big.bin"
        big.write_bytes(b"x" * 1001)
        try:
            store.attach_file(a.uuid, "1B", big)
        except Exception as exc:          # noqa: BLE001 - the message is what is tested
            assert "is 1,001 bytes; attachments may be at most 1,000 bytes" in str(exc)
        else:
            raise AssertionError("not refused")


def test_a_huge_cell_is_not_echoed_in_full(tmp_path):
    book = tmp_path / "lx.xlsx"
    assert run("template", book, "--framework", "esps-2009", "--phase", "baseline",
               "--unit-code", "LX", "--unit-name", "Lambeth", "--unit-type", "borough")[0] == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Indicators"]
    ws.cell(row_of(ws, "1B"), header_map(ws)["Self rating"]).value = "v" * 30_000
    wb.save(book)
    code, out, err = run("import-xlsx", book, "--into", tmp_path / "lx.esat")
    assert code == 2
    assert "v" * 200 not in err and "30,000 characters" in err
    assert max(len(line) for line in err.splitlines()) < 600


def test_database_errors_during_an_import_name_the_file(tmp_path, monkeypatch):
    book = tmp_path / "lx.xlsx"
    into = tmp_path / "lx.esat"
    assert run("template", book, "--framework", "esps-2009", "--phase", "baseline",
               "--unit-code", "LX", "--unit-name", "Lambeth", "--unit-type", "borough")[0] == 0
    import esat.excel as excel

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(excel, "apply_plan", failing)
    code, out, err = run("import-xlsx", book, "--into", into)
    assert code == 2
    assert err.startswith(f"esat: {into}: the file could not be read or written (disk I/O error)")
