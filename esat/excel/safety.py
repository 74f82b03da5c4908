"""Checks made on a workbook before openpyxl reads a byte of it.

A workbook is a zip of XML parts. Before anything parses it, the zip's
central directory is read with :mod:`zipfile` and the package is refused when
it is not a workbook, carries macros (``vbaProject.bin``, ``.xlsm``) or
ActiveX controls, links to other workbooks (``xl/externalLinks/``), is
encrypted, or declares more uncompressed data, or a higher compression ratio,
than a unit's workbook ever needs (a zip bomb). Then every part is inflated
once by ESAT's own bounded inflater (:func:`inflate_part`), from its raw bytes
and whatever its directory entry claims: more bytes than declared, a stream
that does not end where declared, a wrong CRC or a compression method other
than stored or deflate is refused, with memory held to one chunk. So every
part openpyxl later reads inflates to exactly its declared, checked size.
While inflating, every XML part is scanned for a document type declaration:
Office files never have one, and it is how entity-expansion ("billion
laughs") and external-entity attacks start. openpyxl parses with defusedxml
as a second line of defence.

Only a regular file is read (a FIFO or device named ``.xlsx`` is refused).

Every refusal is an :class:`~esat.errors.InvalidFileError` naming the file.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import InvalidFileError
from ..safeio import open_regular

MAX_ENTRIES = 2000                       # parts in the package
MAX_UNCOMPRESSED = 100 * 1024 * 1024     # bytes, all parts together
MAX_PART = 60 * 1024 * 1024              # bytes, any one part
MAX_PACKAGE = 100 * 1024 * 1024          # bytes, the workbook file itself
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
    suffix = path.suffix.lower()
    with open_regular(path, what="workbook") as handle:
        try:
            size = handle.seek(0, 2)
            handle.seek(0)
            head = handle.read(8)
        except OSError as exc:
            raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
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
        if size > MAX_PACKAGE:
            raise InvalidFileError(path, f"is {_megabytes(size)}, more than a unit's workbook "
                                         f"needs (limit {_megabytes(MAX_PACKAGE)}); it was not "
                                         "opened")
        try:
            handle.seek(0)
            with zipfile.ZipFile(handle) as package:
                _check_directory(path, package)
                _scan_parts(path, package, handle)
        except zipfile.BadZipFile as exc:
            raise InvalidFileError(path, f"is not an Excel workbook (.xlsx): it is not a zip "
                                         f"package, or a damaged one ({exc})") from None
        except (zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
                zlib.error) as exc:
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
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InvalidFileError(path, f"{info.filename} is compressed with a method Excel "
                                         f"does not use ({info.compress_type}); {SAVE_AS}")
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


CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def inflate_part(path: Path, handle: BinaryIO, info: zipfile.ZipInfo,
                 cap: int = MAX_PART) -> Iterator[bytes]:
    """The bytes of one part, inflated from its raw data in chunks with a hard cap.

    Refuses the part when it inflates to more than its declared size (or
    ``cap``), ends early, has bytes after its stream, or fails its CRC.
    """
    def refuse(problem: str) -> InvalidFileError:
        return InvalidFileError(path, f"{info.filename} {problem}; it may be a zip bomb or "
                                      "damaged, and was not opened")

    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise refuse("has no valid local header")
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1])
    left = info.compress_size
    declared = min(info.file_size, cap)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    count, crc = 0, 0
    pending = b""
    while True:
        if not pending:
            if left <= 0:
                break
            pending = handle.read(min(CHUNK, left))
            if not pending:
                raise refuse("is cut short")
            left -= len(pending)
        if inflater is None:
            out, pending = pending, b""
        else:
            out = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            if inflater.eof and (pending or inflater.unused_data or left > 0):
                raise refuse("has data after its end")
        count += len(out)
        if count > declared:
            raise refuse(f"inflates to more than the {info.file_size:,} bytes it declares"
                         if info.file_size <= cap else "is larger than the limit")
        crc = zlib.crc32(out, crc)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise refuse("is cut short")
    if count != info.file_size:
        raise refuse(f"inflates to {count:,} bytes, not the {info.file_size:,} it declares")
    if crc != info.CRC:
        raise refuse("fails its checksum (CRC)")


def _scan_parts(path: Path, package: zipfile.ZipFile, handle: BinaryIO) -> None:
    """Inflate every part once, bounded; refuse XML with a document type or entity declaration."""
    for info in package.infolist():
        if info.is_dir():
            continue
        name = info.filename.lower()
        is_xml = name.endswith((".xml", ".rels", ".vml"))
        keep = is_xml and (name.endswith(".rels") or name.rsplit("/", 1)[-1] == "[content_types].xml")
        kept, tail, utf16 = [], b"", None
        for chunk in inflate_part(path, handle, info):
            if not is_xml:
                continue
            if utf16 is None:
                utf16 = chunk[:2] in (b"\xff\xfe", b"\xfe\xff")
                codec = "utf-16-le" if chunk[:2] == b"\xff\xfe" else "utf-16-be"
            if keep:
                kept.append(chunk)
            window = tail + chunk
            found = _DTD.search(window)
            if found is None and utf16:
                found = _DTD_TEXT.search(window.decode(codec, errors="replace"))
            if found is not None:
                raise InvalidFileError(path, f"{info.filename} contains an XML document type or "
                                             "entity declaration, which workbooks never need (it "
                                             "is how entity-expansion attacks work); it was "
                                             "refused")
            tail = window[-64:] if len(window) % 2 == 0 else window[-65:]
        data = b"".join(kept)
        if name.rsplit("/", 1)[-1] == "[content_types].xml":
            if b"macroEnabled" in data or b"vbaProject" in data:
                raise InvalidFileError(path, f"is declared macro-enabled ([Content_Types].xml); "
                                             f"ESAT does not open workbooks with macros: {SAVE_AS}")
        if name.endswith(".rels") and b"/externalLink" in data:
            raise InvalidFileError(path, f"links to other workbooks ({info.filename}); remove the "
                                         "external links and save it again")
