"""Checks made on a workbook before openpyxl reads a byte of it.

A workbook is a zip of XML parts. Before anything parses it, the zip's
central directory is read with :mod:`zipfile` and the package is refused when
it is not a workbook, carries macros (``vbaProject.bin``, ``.xlsm``) or
ActiveX controls, links to other workbooks (``xl/externalLinks/``), is
encrypted, or declares more uncompressed data, or a higher compression ratio,
than a unit's workbook ever needs (a zip bomb). Then every XML part is
scanned for a document type declaration: Office files never have one, and it
is how entity-expansion ("billion laughs") and external-entity attacks
start. openpyxl parses with defusedxml as a second line of defence.

Every refusal is an :class:`~esat.errors.InvalidFileError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import InvalidFileError

MAX_ENTRIES = 2000                       # parts in the package
MAX_UNCOMPRESSED = 100 * 1024 * 1024     # bytes, all parts together
MAX_PART = 60 * 1024 * 1024              # bytes, any one part
MAX_RATIO = 100                          # uncompressed ÷ compressed, per part and overall
RATIO_FROM = 256 * 1024                  # parts smaller than this may compress better

MACRO_SUFFIXES = {".xlsm": "a macro-enabled workbook (.xlsm)",
                  ".xltm": "a macro-enabled template (.xltm)",
                  ".xlam": "an Excel add-in (.xlam)"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
SAVE_AS = "save it from Excel as an Excel Workbook (.xlsx) and try again"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_package(path: Path) -> None:
    """Refuse ``path`` unless it is a plain .xlsx package within the limits."""
    path = Path(path)
    try:
        if not path.exists():
            raise InvalidFileError(path, "no such file")
        if path.is_dir():
            raise InvalidFileError(path, "is a folder, not a workbook")
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise InvalidFileError(path, f"is {MACRO_SUFFIXES[suffix]}; ESAT does not open "
                                     f"workbooks that can carry macros: {SAVE_AS}")
    if suffix == ".xlsb":
        raise InvalidFileError(path, f"is an Excel binary workbook (.xlsb); {SAVE_AS}")
    if not head:
        raise InvalidFileError(path, "is empty (0 bytes); it is not a workbook")
    if head == OLE_MAGIC:
        raise InvalidFileError(path, "is an Excel 97-2003 workbook (.xls) or a password-"
                                     f"protected workbook, which ESAT cannot read; {SAVE_AS} "
                                     "without a password")
    try:
        with zipfile.ZipFile(path) as package:
            _check_directory(path, package)
            _scan_parts(path, package)
    except zipfile.BadZipFile as exc:
        raise InvalidFileError(path, f"is not an Excel workbook (.xlsx): it is not a zip "
                                     f"package, or a damaged one ({exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError) as exc:
        raise InvalidFileError(path, f"is not a workbook ESAT can read ({exc})") from None
    except OSError as exc:
        raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None


def _check_directory(path: Path, package: zipfile.ZipFile) -> None:
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InvalidFileError(path, f"has {len(infos)} parts, more than a workbook needs "
                                     f"(limit {MAX_ENTRIES}); it was not opened")
    names = {info.filename.replace("\\", "/").lstrip("/").lower(): info for info in infos}
    if "xl/workbook.xml" not in names:
        raise InvalidFileError(path, "is a zip file but not an Excel workbook "
                                     "(it has no xl/workbook.xml)")
    for name, info in names.items():
        if info.flag_bits & 0x1:
            raise InvalidFileError(path, f"is encrypted ({info.filename}); {SAVE_AS} "
                                         "without a password")
        if name.endswith("vbaproject.bin") or name.endswith("vbaprojectsignature.bin"):
            raise InvalidFileError(path, f"contains macros ({info.filename}); ESAT does not "
                                         f"open workbooks with macros: {SAVE_AS}")
        if name.startswith("xl/externallinks/"):
            raise InvalidFileError(path, f"links to other workbooks ({info.filename}); "
                                         "remove the external links (Data > Edit Links > "
                                         "Break Link) and save it again")
        if name.startswith("xl/activex/"):
            raise InvalidFileError(path, f"contains ActiveX controls ({info.filename}); "
                                         "remove them and save it again")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise InvalidFileError(path, f"declares {_megabytes(total)} of uncompressed data, more "
                                     f"than the limit of {_megabytes(MAX_UNCOMPRESSED)}; it "
                                     "may be a zip bomb and was not opened")
    for info in infos:
        if info.file_size > MAX_PART:
            raise InvalidFileError(path, f"declares {_megabytes(info.file_size)} for "
                                         f"{info.filename}, more than the limit of "
                                         f"{_megabytes(MAX_PART)}; it was not opened")
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InvalidFileError(path, f"{info.filename} is compressed more than "
                                         f"{MAX_RATIO} to 1 ({info.file_size} bytes from "
                                         f"{info.compress_size}); it may be a zip bomb and was "
                                         "not opened")
    if total >= RATIO_FROM and total > MAX_RATIO * max(packed, 1):
        raise InvalidFileError(path, f"is compressed more than {MAX_RATIO} to 1 overall; it "
                                     "may be a zip bomb and was not opened")


def _scan_parts(path: Path, package: zipfile.ZipFile) -> None:
    """Refuse any XML part with a document type or entity declaration."""
    for info in package.infolist():
        name = info.filename.lower()
        if info.is_dir() or not name.endswith((".xml", ".rels", ".vml")):
            continue
        data = package.read(info)     # bounded: sizes were checked above
        if "[content_types].xml" == name.rsplit("/", 1)[-1]:
            if b"macroEnabled" in data or b"vbaProject" in data:
                raise InvalidFileError(path, f"is declared macro-enabled ([Content_Types].xml); "
                                             f"ESAT does not open workbooks with macros: {SAVE_AS}")
        if name.endswith(".rels") and b"/externalLink" in data:
            raise InvalidFileError(path, f"links to other workbooks ({info.filename}); remove the "
                                         "external links and save it again")
        found = _DTD.search(data)
        if found is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            found = _DTD_TEXT.search(data.decode("utf-16", errors="replace"))
        if found is not None:
            raise InvalidFileError(path, f"{info.filename} contains an XML document type or "
                                         "entity declaration, which workbooks never need (it "
                                         "is how entity-expansion attacks work); it was refused")
