"""A merge's private folder (the copies of the files it merges) is removed when the merge
ends; one left by a merge that was killed is removed by a later merge, and only then:
never a running merge's, another program's, or one that is not a plain folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from esat.central import merge as merge_module
from esat.central.merge import PRIVATE_PREFIX, LEFTOVER_AFTER, remove_leftovers
from esat.lockfile import FileLock
from merge_helpers import central, merge, submit, unit_file

LONG_AGO = time.time() - LEFTOVER_AFTER - 60

# A merge killed while it ran: its private folder made and locked, the process gone.
KILLED = """
import os, sys
sys.path.insert(0, {root!r})
import tempfile
tempfile.tempdir = {temp!r}
from esat.central.merge import _private_folder
with _private_folder() as folder:
    (folder / "0a1b").mkdir()
    (folder / "0a1b" / "incoming.esat").write_bytes(b"a unit's file")
    print(folder, flush=True)
    os._exit(0)
"""


def killed_merge(temp: Path) -> Path:
    root = str(Path(merge_module.__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", KILLED.format(root=root, temp=str(temp))],
                         capture_output=True, text=True, check=True)
    folder = Path(out.stdout.strip())
    assert (folder / ".~lock.merge").is_file() and folder.parent == temp
    return folder


def age(path: Path, when: float = LONG_AGO) -> Path:
    os.utime(path, (when, when))
    return path


def test_a_killed_merges_folder_is_removed_once_old(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    folder = killed_merge(temp)
    assert remove_leftovers(temp) == []                  # changed just now: kept
    assert folder.is_dir()
    assert remove_leftovers(temp, now=time.time() + LEFTOVER_AFTER + 60) == [folder]
    assert not folder.exists()


def test_what_is_not_a_killed_merges_folder_stays(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    running = temp / f"{PRIVATE_PREFIX}running"           # a live merge: its lock is held
    running.mkdir()
    lock = FileLock(running / "merge")
    assert lock.acquire()
    other = temp / "esat-feedback-x"                     # another program's folder
    other.mkdir()
    plain = temp / f"{PRIVATE_PREFIX}file"               # a file of that name
    plain.write_bytes(b"not a folder")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept")
    link = temp / f"{PRIVATE_PREFIX}link"                # a link to a folder elsewhere
    link.symlink_to(elsewhere, target_is_directory=True)
    for path in (running, other, plain, elsewhere):
        age(path)
    os.utime(link, (LONG_AGO, LONG_AGO), follow_symlinks=False)
    try:
        assert remove_leftovers(temp) == []
    finally:
        lock.release()
    assert running.is_dir() and other.is_dir() and plain.is_file()
    assert (elsewhere / "keep.txt").read_text() == "kept" and link.is_symlink()


def test_an_old_folder_without_a_lock_is_a_leftover(tmp_path):
    """Folders left by merges from before the lock was kept."""
    temp = tmp_path / "temp"
    temp.mkdir()
    old = temp / f"{PRIVATE_PREFIX}old"
    old.mkdir()
    age(old)
    recent = temp / f"{PRIVATE_PREFIX}recent"
    recent.mkdir()
    assert remove_leftovers(temp) == [old]
    assert recent.is_dir()


def test_a_merge_leaves_no_folder_and_removes_old_leftovers(tmp_path, esps, catalog,
                                                            monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    leftover = age(killed_merge(temp))
    lx, a = unit_file(tmp_path, esps, "LX")
    path = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat") as store:
        [outcome] = merge(store, catalog, path)
    assert outcome.status == "imported"
    assert not leftover.exists()
    assert [p.name for p in temp.iterdir() if p.name.startswith(PRIVATE_PREFIX)] == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership of a folder (POSIX)")
def test_only_this_users_folders(tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    folder = temp / f"{PRIVATE_PREFIX}someone"
    folder.mkdir()
    age(folder)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    assert remove_leftovers(temp) == []
    assert folder.is_dir()


# A merge running in another process: its private folder made and locked, then it waits.
RUNNING = """
import sys
sys.path.insert(0, {root!r})
import tempfile
tempfile.tempdir = {temp!r}
from esat.central.merge import _private_folder
with _private_folder() as folder:
    print(folder, flush=True)
    sys.stdin.read()
"""


def test_a_live_merge_in_another_process_keeps_its_folder_however_old(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    root = str(Path(merge_module.__file__).resolve().parents[2])
    other = subprocess.Popen([sys.executable, "-c", RUNNING.format(root=root, temp=str(temp))],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        folder = Path(other.stdout.readline().strip())
        assert (folder / ".~lock.merge").is_file() and folder.parent == temp
        age(folder)
        assert remove_leftovers(temp, now=time.time() + 10 * LEFTOVER_AFTER) == []
        assert folder.is_dir()
    finally:
        other.stdin.close()                   # the merge ends: it removes its own folder
        assert other.wait(20) == 0
    assert not folder.exists()


def test_a_leftover_is_removed_without_following_the_links_in_it(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    folder = killed_merge(temp)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept")
    (folder / "0a1b" / "link").symlink_to(elsewhere, target_is_directory=True)
    (folder / "file-link").symlink_to(elsewhere / "keep.txt")
    age(folder)
    assert remove_leftovers(temp) == [folder]
    assert not folder.exists() and (elsewhere / "keep.txt").read_text() == "kept"
