"""A writer killed at random moments: every command then opens the file with every commit.

``make test`` runs a few kills; ``make torture`` (ESAT_TORTURE=200) runs 200.
"""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esat import fileformat
from esat.checks import check_file
from esat.cli import main
from esat.errors import InvalidFileError
from esat.store import Store
from hostile import good_file, hot_journal

DRIVER = Path(__file__).parent / "drivers" / "api_writer.py"
KILLS = int(os.environ.get("ESAT_TORTURE", "4"))
COMMANDS = ("check", "score", "show", "export")


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main([str(a) for a in args], out=out, err=err), out.getvalue(), err.getvalue()


def kill_writer(path: Path, rng: random.Random, start: int) -> dict[str, int]:
    """Start a writer counting from ``start``, kill it at a random moment; the last
    committed write per item."""
    child = subprocess.Popen([sys.executable, str(DRIVER), str(path), str(start)],
                             stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    committed: dict[str, int] = {}
    try:
        assert child.stdout.readline().strip() == "READY", child.stderr.read()
        for _ in range(rng.randrange(0, 25)):
            line = child.stdout.readline()
            _, i, code = line.split()
            committed[code] = int(i)
        time.sleep(rng.random() * 0.05)        # the moment within the next write
        child.send_signal(signal.SIGKILL)
        for line in child.stdout:               # lines written before the kill landed
            if line.startswith("COMMITTED"):
                _, i, code = line.split()
                committed[code] = int(i)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    return committed


def test_killed_writers_lose_no_commit_and_leave_every_command_working(tmp_path, esps, qtbot,
                                                                       paths, catalog,
                                                                       monkeypatch):
    from gui_helpers import Messages, make_window
    messages = Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    rng = random.Random(20110215)
    path = good_file(tmp_path, esps, "lambeth.esat")
    latest: dict[str, int] = {}
    hot = 0
    for kill in range(KILLS):
        latest.update(kill_writer(path, rng, start=kill * 1_000_000))
        journal = Path(str(path) + "-journal")
        hot += journal.exists() and journal.stat().st_size > 0
        order = ("app",) + COMMANDS if kill % 5 == 0 else COMMANDS  # the app, or each command,
        order = order if kill % 5 == 0 else order[kill % 4:] + order[:kill % 4]  # goes first
        for command in order + ("app",):
            if command == "app":
                assert window.open_file(path), messages.texts()
                window.close_file()
                continue
            args = ("export", path, "--xlsx", tmp_path / "out.xlsx") if command == "export" \
                else (command, path)
            code, out, err = run(*args)
            assert code == 0, f"kill {kill}, {command}: {out}{err}"
        assert not journal.exists(), (kill, journal.stat().st_size, journal.read_bytes()[:32])
        with Store.open(path, actor="t", read_only=True) as store:
            assert fileformat.integrity_check(store.db.conn, read_only=True) == []
            responses = store.responses(store.only_assessment().uuid)
            for code, i in latest.items():
                found = int(re.match(r"v(\d+) ", responses[code].narrative).group(1))
                assert found >= i, f"kill {kill}: {code} lost write {i} (has {found})"
    print(f"{KILLS} kills, {hot} left a hot journal")
    if KILLS >= 50:
        assert hot > 0          # the torture run did exercise recovery


def test_an_interrupted_save_is_undone_by_a_read_only_command_and_said_once(tmp_path, esps):
    path = hot_journal(tmp_path, esps)
    code, out, err = run("score", path)
    assert code == 0
    assert len(err.splitlines()) == 1 and "save was interrupted" in err and "last saved state" in err
    assert not Path(str(path) + "-journal").exists()
    code, out, err = run("show", path)
    assert code == 0 and "interrupted" not in err and "LX Lambeth" in out
    assert check_file(path) == []


def test_a_hot_journal_in_a_folder_that_cannot_be_written_is_explained(tmp_path, esps,
                                                                        monkeypatch):
    path = hot_journal(tmp_path, esps)
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(fileformat.os, "access",
                        lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(InvalidFileError) as caught:
        Store.open(path, actor="t", read_only=True)
    message = str(caught.value)
    assert "damaged" not in message
    assert "unfinished save must be undone" in message and "hot.esat-journal" in message
    assert path.read_bytes() == before
    code, out, err = run("check", path)
    assert code == 2 and "damaged" not in out


IMPORT_KILLS = max(2, KILLS // 2)


def test_killed_imports_are_all_or_nothing_and_every_command_opens_the_file(tmp_path, esps):
    import shutil
    rng = random.Random(1163084116)
    base = good_file(tmp_path, esps, "lx.esat")
    changed = tmp_path / "changed.esat"
    shutil.copyfile(base, changed)
    with Store.open(changed, actor="t") as store:
        a = store.only_assessment()
        codes = [item.code for item in store.framework_of(a).items_for(a.stage)]
        for code in codes:
            store.set_narrative(a.uuid, code, f"imported {code} " + "y" * 20_000)
            store.add_action(a.uuid, code, f"imported action {code}")
        from esat.excel import export_assessment
        export_assessment(store, a.uuid, tmp_path / "return.xlsx")
    command = [sys.executable, "-m", "esat", "import-xlsx", str(tmp_path / "return.xlsx"),
               "--into"]
    target = tmp_path / "target.esat"
    shutil.copyfile(base, target)
    started = time.perf_counter()
    subprocess.run(command + [str(target)], check=True, capture_output=True)
    duration = time.perf_counter() - started
    outcomes = {"none": 0, "all": 0}
    for kill in range(IMPORT_KILLS):
        shutil.copyfile(base, target)
        child = subprocess.Popen(command + [str(target)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=rng.uniform(0.2, 1.1) * duration)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for name in COMMANDS:
            args = ("export", target, "--xlsx", tmp_path / "out.xlsx") if name == "export" \
                else (name, target)
            code, out, err = run(*args)
            assert code == 0, f"import kill {kill}, {name}: {out}{err}"
        assert not Path(str(target) + "-journal").exists()
        with Store.open(target, actor="t", read_only=True) as store:
            a = store.only_assessment()
            responses = store.responses(a.uuid)
            narratives = sum(1 for code in codes if code in responses
                             and responses[code].narrative.startswith(f"imported {code} "))
            actions = sum(1 for x in store.actions(a.uuid) if x.description.startswith("imported"))
        state = (narratives, actions)
        assert state in ((0, 0), (len(codes), len(codes))), f"import kill {kill}: half applied {state}"
        outcomes["all" if narratives else "none"] += 1
    print(f"{IMPORT_KILLS} import kills: {outcomes}")
