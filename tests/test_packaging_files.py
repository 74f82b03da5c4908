"""The packaging's own files agree with the program (fast; the build is tests/test_package.py)."""

from __future__ import annotations

import configparser
import struct
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import esat
from esat.bundled import icon_path
from esat.fileformat import APPLICATION_ID, FILE_SUFFIX

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"


def test_one_version_for_the_package_and_the_program():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == esat.__version__


def test_the_spec_is_valid_python():
    compile((ROOT / "packaging" / "esat.spec").read_text(encoding="utf-8"), "esat.spec", "exec")


def test_the_mime_entry_matches_the_file_format():
    root = ET.parse(LINUX / "esat.xml").getroot()
    (mime_type,) = root.findall(f"{MIME}mime-type")
    assert mime_type.get("type") == "application/x-esat"
    assert mime_type.find(f"{MIME}glob").get("pattern") == f"*{FILE_SUFFIX}"
    sqlite = mime_type.find(f"{MIME}magic/{MIME}match")
    assert (sqlite.get("value"), sqlite.get("offset")) == ("SQLite format 3", "0")
    application = sqlite.find(f"{MIME}match")
    assert application.get("offset") == "68"      # where SQLite keeps the application id
    assert application.get("value").encode("ascii") == struct.pack(">I", APPLICATION_ID)


def test_the_desktop_entry_opens_files_with_the_gui_command():
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(LINUX / "esat.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["MimeType"] == "application/x-esat;"
    # install-desktop-files.sh puts the program's full path in place of the first word
    # (tests/test_package.py installs it and reads the result)
    assert section["Exec"] == "esat gui %f"


def test_the_icons_are_there_in_every_form():
    assert icon_path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", icon_path().read_bytes()[16:24])
    assert (width, height) == (256, 256)
    ico = (icon_path().parent / "esat.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    sizes = {ico[6 + 16 * n] or 256 for n in range(count)}      # 0 stands for 256
    assert (reserved, kind) == (0, 1) and {16, 32, 48, 256} <= sizes
    assert (icon_path().parent / "esat.icns").read_bytes()[:4] == b"icns"
