"""Every command, and the app's open, against every file of the hostile corpus (tests/hostile.py).

Each must exit 0 or 2 (never an internal error or a traceback), leave the file
byte-identical unless writing it is its job, and leave nothing beside it.
"""

from __future__ import annotations

import faulthandler
import hashlib
import io
import stat
from pathlib import Path

import pytest

from esat.cli import main
from hostile import CASES

COMMANDS = ("check", "score", "show", "export", "import-xlsx")


def snapshot(folder: Path) -> dict[str, str]:
    """What is in ``folder``: each entry's kind and, for regular files, a hash of its bytes."""
    found = {}
    for entry in sorted(folder.iterdir()):
        mode = entry.lstat().st_mode
        if stat.S_ISREG(mode):
            found[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
        elif stat.S_ISLNK(mode):
            found[entry.name] = "link to " + str(entry.readlink())
        else:
            found[entry.name] = stat.filemode(mode)
    return found


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    faulthandler.dump_traceback_later(60, exit=True)      # a hang fails the run, loudly
    try:
        code = main([str(a) for a in args], out=out, err=err)
    finally:
        faulthandler.cancel_dump_traceback_later()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    book = tmp_path_factory.mktemp("book") / "return.xlsx"
    code, _, err = run("template", book, "--framework", "esps-2009", "--phase", "baseline",
                       "--unit-code", "LX", "--unit-name", "Lambeth", "--unit-type", "borough",
                       "--area", "South East", "--period", "2010/11")
    assert code == 0, err
    return book


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_on_a_hostile_file(case, tmp_path, esps, workbook):
    builder, outcome = CASES[case]
    folder = tmp_path / "files"
    folder.mkdir()
    path = builder(folder, esps)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = snapshot(folder)
    for index, command in enumerate(COMMANDS):
        args = {"export": ("export", path, "--xlsx", out_dir / f"{index}.xlsx"),
                "import-xlsx": ("import-xlsx", workbook, "--into", path)}.get(command,
                                                                              (command, path))
        code, out, err = run(*args)
        said = out + err
        assert code in (0, 2), f"{case} / {command}: exit {code}\n{said}"
        assert "Traceback" not in said and "internal error" not in said, said
        assert "\x1b" not in said and "\x00" not in said, said
        if outcome == "refused":
            assert code == 2, f"{case} / {command} was not refused:\n{said}"
        elif outcome == "opens":
            assert code == 0, f"{case} / {command} failed:\n{said}"
        after = snapshot(folder)
        if case == "hot journal" and index == 0:
            assert "interrupted" in err and not Path(str(path) + "-journal").exists()
        elif command == "import-xlsx" and code == 0:
            assert set(after) == set(before), f"{case} / {command} left {set(after) - set(before)}"
        else:
            assert after == before, f"{case} / {command} changed the folder"
        before = after


@pytest.mark.parametrize("case", list(CASES))
def test_the_app_opens_or_refuses_every_hostile_file(case, tmp_path, esps, qtbot, paths,
                                                     catalog, monkeypatch):
    from gui_helpers import Messages, make_window
    messages = Messages(monkeypatch)
    builder, outcome = CASES[case]
    folder = tmp_path / "files"
    folder.mkdir()
    path = builder(folder, esps)
    before = snapshot(folder)
    window = make_window(qtbot, paths, catalog)
    faulthandler.dump_traceback_later(60, exit=True)
    try:
        opened = window.open_file(path)
    finally:
        faulthandler.cancel_dump_traceback_later()
    if case == "WAL mode":          # the app may write it, so it converts it to the journal
        assert opened, messages.texts()
    elif outcome == "refused":
        assert not opened and "Cannot open" in messages.texts()
    elif outcome == "opens":
        assert opened, messages.texts()
    window.close_file()
    after = snapshot(folder)
    if case == "hot journal":
        assert "Interrupted save undone" in messages.texts()
        assert set(after) == set(before) - {Path(str(path) + "-journal").name}
    elif case == "WAL mode":
        from esat.fileformat import read_header
        assert set(after) == set(before) and not read_header(path).wal
    elif opened and window.read_only_reason == "":
        assert set(after) == set(before)
    else:
        assert after == before
