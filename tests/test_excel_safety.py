"""Workbooks ESAT refuses, each with a clear message, before openpyxl parses anything."""

from __future__ import annotations

import struct
import zipfile

import openpyxl.xml
import pytest

from esat.errors import InvalidFileError
from esat.excel import read_workbook, safety, write_template
from esat.excel.reader import ENTITY_REFUSED
from test_excel_support import rezip

BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n')


def with_bomb(xml: bytes) -> bytes:
    """The part with an entity-expansion DOCTYPE in front of its root element."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return BOMB + body


@pytest.fixture
def good(tmp_path, esps):
    return write_template(esps, tmp_path / "good.xlsx", stage="baseline", unit_code="LX",
                          unit_name="Lambeth", unit_type="borough")


def refused(path, catalog, message):
    with pytest.raises(InvalidFileError) as caught:
        read_workbook(path, catalog)
    text = str(caught.value)
    assert text.startswith(f"{path}: "), text
    assert message in text, text
    return text


def test_defusedxml_is_active():
    assert openpyxl.xml.DEFUSEDXML is True


def test_the_good_workbook_passes(good, catalog):
    assert read_workbook(good, catalog).problems == []


def test_xlsm_is_refused_by_name(tmp_path, good, catalog):
    path = tmp_path / "return.xlsm"
    path.write_bytes(good.read_bytes())
    refused(path, catalog, "is a macro-enabled workbook (.xlsm)")


def test_vba_project_inside_an_xlsx_is_refused(tmp_path, good, catalog):
    path = rezip(good, tmp_path / "macro.xlsx", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"})
    refused(path, catalog, "contains macros (xl/vbaProject.bin)")


def test_macro_enabled_content_type_is_refused(tmp_path, good, catalog):
    with zipfile.ZipFile(good) as package:
        types = package.read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml",
                          b"ms-excel.sheet.macroEnabled.main+xml")
    path = rezip(good, tmp_path / "typed.xlsx", replace={"[Content_Types].xml": types})
    refused(path, catalog, "is declared macro-enabled")


def test_external_links_are_refused(tmp_path, good, catalog):
    path = rezip(good, tmp_path / "linked.xlsx", add={
        "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.'
                                              b'openxmlformats.org/spreadsheetml/2006/main"/>'})
    refused(path, catalog, "links to other workbooks (xl/externalLinks/externalLink1.xml)")


def test_a_zip_bomb_by_ratio_is_refused(tmp_path, good, catalog):
    path = rezip(good, tmp_path / "ratio.xlsx", add={"xl/media/zeros.bin": bytes(20 * 1024 * 1024)})
    refused(path, catalog, "is compressed more than 100 to 1")


def test_a_zip_bomb_by_declared_size_is_refused(tmp_path, good, catalog):
    data = bytearray(good.read_bytes())
    # declare 3 GB uncompressed for the first part in the central directory
    at = data.find(b"PK\x01\x02")
    assert at > 0
    data[at + 24:at + 28] = struct.pack("<I", 3_000_000_000)
    path = tmp_path / "declared.xlsx"
    path.write_bytes(bytes(data))
    refused(path, catalog, "of uncompressed data, more than the limit of 100 MB; it may be a "
                           "zip bomb")


def test_an_entity_bomb_is_refused(tmp_path, good, catalog):
    with zipfile.ZipFile(good) as package:
        workbook = package.read("xl/workbook.xml")
    path = rezip(good, tmp_path / "bomb.xlsx", replace={"xl/workbook.xml": with_bomb(workbook)})
    refused(path, catalog, "xl/workbook.xml contains an XML document type or entity declaration")


def test_an_entity_bomb_in_utf16_is_refused(tmp_path, good, catalog):
    with zipfile.ZipFile(good) as package:
        sheet = package.read("xl/worksheets/sheet2.xml")
    text = with_bomb(sheet).decode()
    path = rezip(good, tmp_path / "bomb16.xlsx",
                 replace={"xl/worksheets/sheet2.xml": text.encode("utf-16")})
    refused(path, catalog, "xl/worksheets/sheet2.xml contains an XML document type")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet2.xml"])
def test_defusedxml_refuses_entities_when_the_scan_is_bypassed(tmp_path, good, catalog,
                                                               monkeypatch, part):
    with zipfile.ZipFile(good) as package:
        xml = package.read(part)
    path = rezip(good, tmp_path / "bomb.xlsx", replace={part: with_bomb(xml)})
    monkeypatch.setattr(safety, "_scan_parts", lambda path, package, handle: None)
    refused(path, catalog, ENTITY_REFUSED)


def test_not_a_zip_is_refused(tmp_path, catalog):
    path = tmp_path / "notes.xlsx"
    path.write_text("Code,Rating\n1B,Very satisfactory\n")
    refused(path, catalog, "is not an Excel workbook (.xlsx): it is not a zip package")


def test_a_zip_without_a_workbook_is_refused(tmp_path, catalog):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("photo.txt", "hello")
    refused(path, catalog, "is a zip file but not an Excel workbook (it has no xl/workbook.xml)")


@pytest.mark.parametrize("content, message", [
    (b"", "is empty (0 bytes)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "is an Excel 97-2003 workbook (.xls) or "
                                                      "a password-protected workbook"),
])
def test_empty_and_old_binary_files_are_refused(tmp_path, catalog, content, message):
    path = tmp_path / "old.xlsx"
    path.write_bytes(content)
    refused(path, catalog, message)


def test_a_missing_workbook_is_named(tmp_path, catalog):
    refused(tmp_path / "gone.xlsx", catalog, "no such file")


def test_a_damaged_workbook_is_refused_not_a_traceback(tmp_path, good, catalog):
    path = rezip(good, tmp_path / "damaged.xlsx",
                 replace={"xl/workbook.xml": b"<workbook><sheets><sheet"})
    refused(path, catalog, "could not be read as a workbook")


def test_a_damaged_sheet_is_refused_not_a_traceback(tmp_path, good, catalog):
    path = rezip(good, tmp_path / "damaged.xlsx",
                 replace={"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row>"})
    refused(path, catalog, "could not be read")


def test_a_newer_workbook_format_is_refused(tmp_path, good, catalog):
    from openpyxl import load_workbook
    wb = load_workbook(good)
    for row in wb["_esat"].iter_rows():
        if row[0].value == "format_version":
            row[1].value = 99
    path = tmp_path / "newer.xlsx"
    wb.save(path)
    refused(path, catalog, "was made by a newer version of ESAT (workbook format 99")


def test_limits_are_checked_before_openpyxl_opens_anything(tmp_path, good, catalog, monkeypatch):
    import esat.excel.reader as reader

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load a refused workbook")

    monkeypatch.setattr(reader, "load_workbook", never)
    path = rezip(good, tmp_path / "macro.xlsx", add={"xl/vbaProject.bin": b"x"})
    refused(path, catalog, "contains macros")


def lying_bomb(good, target, *, inflated_mb: float = 200, declared: int = 916, method: int = 8):
    """The template with its first sheet replaced by a deflate stream of ``inflated_mb`` MB
    whose directory entries claim ``declared`` bytes (the zip bomb that fools size checks)."""
    import zlib
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    size = int(inflated_mb * (1 << 20))
    raw = b"".join(deflate.compress(b" " * min(1 << 20, size - start))
                   for start in range(0, size, 1 << 20))
    raw += deflate.flush()
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename == name:
                zout.writestr(name, raw, compress_type=zipfile.ZIP_STORED)
            else:
                zout.writestr(info.filename, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(target.read_bytes())
    encoded = name.encode()
    for signature, method_at, size_at, name_at in ((b"PK\x03\x04", 8, 22, 30),
                                                   (b"PK\x01\x02", 10, 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at:at + name_at + len(encoded)] == encoded:
                data[at + method_at:at + method_at + 2] = struct.pack("<H", method)
                data[at + size_at:at + size_at + 4] = struct.pack("<I", declared)
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))
    return target


def test_a_part_inflating_past_its_declared_size_is_refused_bounded(tmp_path, good, catalog):
    import resource
    path = lying_bomb(good, tmp_path / "liar.xlsx")
    assert path.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refused(path, catalog, "xl/worksheets/sheet1.xml inflates to more than the 916 bytes it "
                           "declares")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"peak memory grew by {grown_mb:.0f} MB"


def test_a_compression_method_excel_does_not_use_is_refused(tmp_path, good, catalog):
    path = lying_bomb(good, tmp_path / "lzma.xlsx", inflated_mb=1, declared=1 << 20, method=14)
    refused(path, catalog, "is compressed with a method Excel does not use (14)")


def test_a_part_cut_short_or_with_a_wrong_checksum_is_refused(tmp_path, good, catalog):
    path = lying_bomb(good, tmp_path / "short.xlsx", inflated_mb=0.1, declared=200_000)
    refused(path, catalog, "sheet1.xml inflates to 104,857 bytes, not the 200,000 it declares")
    path = lying_bomb(good, tmp_path / "crc.xlsx", inflated_mb=0.1, declared=104_857)
    refused(path, catalog, "sheet1.xml fails its checksum (CRC)")


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_only_a_regular_file_is_read_as_a_workbook(tmp_path, catalog, kind):
    import os
    path = tmp_path / "book.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    refused(path, catalog, {"fifo": "is a pipe (FIFO), not a file", "device":
                            "is a device, not a file", "folder": "is a folder"}[kind])


@pytest.mark.skipif(not __import__("os").environ.get("ESAT_TORTURE"),
                    reason="slow: measured in make torture")
def test_every_hostile_workbook_is_refused_fast_and_small(tmp_path, good):
    """Peak memory under 300 MB and refusal under 10 s for each, in a child process."""
    import os
    import subprocess
    import sys
    import time
    bombs = {
        "lying 1 GB sheet": lying_bomb(good, tmp_path / "liar.xlsx", inflated_mb=1024),
        "ratio": rezip(good, tmp_path / "ratio.xlsx",
                       add={"xl/media/zeros.bin": bytes(90 * 1024 * 1024)}),
        "entities": rezip(good, tmp_path / "entities.xlsx", replace={
            "xl/workbook.xml": with_bomb(zipfile.ZipFile(good).read("xl/workbook.xml"))}),
    }
    os.mkfifo(tmp_path / "fifo.xlsx")
    bombs["fifo"] = tmp_path / "fifo.xlsx"
    # VmHWM is this process's own peak (ru_maxrss would carry the parent's over exec)
    code = ("import re, sys, time\nfrom esat.cli import main\nt = time.perf_counter()\n"
            "rc = main(['import-xlsx', sys.argv[1], '--into', sys.argv[2]])\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
            "print(rc, time.perf_counter() - t, int(hwm.group(1)) // 1024)")
    for name, path in bombs.items():
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "u.esat")],
                                capture_output=True, text=True, timeout=120)
        wall = time.perf_counter() - started
        rc, seconds, peak_mb = result.stdout.split()
        print(f"{name}: exit {rc}, {float(seconds):.2f} s, peak {peak_mb} MB")
        assert rc == "2", result.stderr
        assert float(seconds) < 10 and wall < 30, name
        assert int(peak_mb) < 300, name
        assert not (tmp_path / "u.esat").exists()
