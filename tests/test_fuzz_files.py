"""Seeded fuzz: bytes flipped in pages in use; no command may crash or trust a damaged file.

``make test`` runs a few cases; ``make torture`` (ESAT_TORTURE=200) runs 200.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3

import pytest

from hostile import good_file
from test_hostile_files import run, snapshot

CASES = int(os.environ.get("ESAT_TORTURE", "8"))
SEED = 1163084116


@pytest.fixture(scope="module")
def original(tmp_path_factory, esps):
    return good_file(tmp_path_factory.mktemp("original"), esps)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    book = tmp_path_factory.mktemp("book") / "return.xlsx"
    code, _, err = run("template", book, "--framework", "esps-2009", "--phase", "baseline",
                       "--unit-code", "LX", "--unit-name", "Lambeth", "--unit-type", "borough")
    assert code == 0, err
    return book


def flip(path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // page
    number = rng.randrange(pages)
    changes = []
    for _ in range(rng.choice((1, 2, 4, 16))):
        offset = number * page + rng.randrange(100 if number == 0 else 0, page)
        bit = 1 << rng.randrange(8)
        data[offset] ^= bit
        changes.append(f"{offset}^{bit}")
    path.write_bytes(bytes(data))
    return f"page {number + 1}: " + ", ".join(changes)


def integrity_ok(path) -> bool:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        copy = sqlite3.connect(":memory:")
        copy.text_factory = lambda raw: raw.decode("utf-8", "replace")
        source.backup(copy)
        return copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return False


@pytest.mark.parametrize("case", range(CASES))
def test_flipped_bytes_are_refused_or_harmless(case, tmp_path, original, workbook):
    rng = random.Random(SEED + case)
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "unit.esat"
    shutil.copyfile(original, path)
    what = flip(path, rng)
    sound = integrity_ok(path)
    before = snapshot(folder)
    for command in ("check", "score", "show", "export", "import-xlsx"):
        args = {"export": ("export", path, "--xlsx", tmp_path / "out.xlsx"),
                "import-xlsx": ("import-xlsx", workbook, "--into", path)}.get(command,
                                                                              (command, path))
        code, out, err = run(*args)
        said = out + err
        assert code in (0, 2), f"case {case} ({what}), {command}: exit {code}\n{said}"
        assert "Traceback" not in said and "internal error" not in said, said
        if not sound:
            assert code == 2, f"case {case} ({what}): {command} trusted a damaged file\n{said}"
        after = snapshot(folder)
        if not (command == "import-xlsx" and code == 0):
            assert after == before, f"case {case} ({what}): {command} changed the file"
        assert set(after) == set(before)
        before = after
