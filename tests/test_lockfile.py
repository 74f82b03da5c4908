"""One lock rule for the app, the command line and the core API (esat/lockfile.py)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from esat import fileformat
from esat.cli import main
from esat.errors import FileBusyError
from esat.lockfile import FileLock, lock_path, lock_state, process_start
from esat.store import Store


def lock_holder(path):
    """Who holds the lock on ``path`` by the rule, or None when it is free or stale."""
    state = lock_state(path)
    return state.holder if state.held else None


@pytest.fixture
def unit(tmp_path, esps):
    path = tmp_path / "lx.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L",
                                unit_type="borough")
    return path


@pytest.mark.parametrize("content", [b"", b"garbage\n", b"0\nesat\n\n", b"-5\n", b"\xff\xfe\x00"])
def test_empty_and_garbage_locks_are_stale_and_taken_over(unit, content):
    lock_path(unit).write_bytes(content)
    assert lock_holder(unit) is None
    lock = FileLock(unit)
    assert lock.acquire()
    assert lock_path(unit).read_text().splitlines()[0] == str(os.getpid())
    lock.release()
    assert not lock_path(unit).exists()


def test_a_dead_process_lock_is_stale(unit):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True)
    pid = int(child.stdout)
    lock_path(unit).write_text(f"{pid}\nesat\n{socket.gethostname()}\n")
    assert lock_holder(unit) is None


def test_a_reused_process_id_is_stale_but_the_same_process_holds(unit):
    parent = os.getppid()          # alive, and not the process that wrote the lock
    lock_path(unit).write_text(f"{parent}\nesat\n{socket.gethostname()}\n1\n")
    if process_start(parent) is None:
        pytest.skip("this system does not tell when a process started")
    assert lock_holder(unit) is None
    lock_path(unit).write_text(f"{parent}\nesat\n{socket.gethostname()}\n"
                               f"{process_start(parent)}\n")
    assert lock_holder(unit) == f"process {parent} on this computer"


def test_a_lock_from_another_computer_is_honoured(unit):
    lock_path(unit).write_text("123\nesat\nsome-other-host.example\n")
    assert lock_holder(unit) == "process 123 on some-other-host.example"
    assert not FileLock(unit).acquire()


def test_a_folder_in_place_of_the_lock_is_in_the_way_for_everyone(unit, tmp_path):
    lock_path(unit).mkdir()
    state = lock_state(unit)
    assert state.held and "a folder named" in state.holder
    lock = FileLock(unit)
    assert not lock.acquire() and "folder" in lock.holder()
    book = tmp_path / "lx.xlsx"
    assert main(["export", str(unit), "--xlsx", str(book)]) == 0     # reading is fine
    assert main(["import-xlsx", str(book), "--into", str(unit)]) == 1


def test_two_locks_on_one_file_exclude_each_other(unit):
    first, second = FileLock(unit), FileLock(unit)
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == f"process {os.getpid()} on this computer"
    first.release()
    assert second.acquire()
    second.release()


def _hold_write(path, seconds: float) -> subprocess.Popen:
    script = textwrap.dedent(f"""
        import sqlite3, sys, time
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE units SET area = 'held'")
        print("holding", flush=True)
        time.sleep({seconds})
        conn.execute("COMMIT")
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "holding"
    return child


def test_a_busy_file_is_waited_for_then_written(unit):
    child = _hold_write(unit, 0.5)
    with Store.open(unit, actor="t") as store:
        a = store.only_assessment()
        store.set_narrative(a.uuid, "1B", "written after the other writer finished")
        assert store.response(a.uuid, "1B").narrative.startswith("written after")
    assert child.wait() == 0


def test_a_file_busy_too_long_is_a_clear_error_not_a_database_error(unit, monkeypatch):
    monkeypatch.setattr(fileformat, "BUSY_WAIT", 0.2)
    with Store.open(unit, actor="t") as store:
        a = store.only_assessment()
        child = _hold_write(unit, 2)
        try:
            with pytest.raises(FileBusyError, match=r"lx\.esat: is busy: another program"):
                store.set_narrative(a.uuid, "1B", "x")
        finally:
            child.wait()
        store.set_narrative(a.uuid, "1B", "now it can")
    conn = sqlite3.connect(unit)
    assert conn.execute("SELECT narrative FROM responses").fetchone()[0] == "now it can"
    conn.close()


def test_the_core_api_can_take_the_same_lock(unit):
    with Store.open(unit, actor="t", lock=True) as store:
        assert lock_path(unit).exists()
        assert not FileLock(unit).acquire()                 # the app would open it read-only
        with pytest.raises(FileBusyError, match="is open for editing elsewhere"):
            Store.open(unit, actor="t", lock=True)
        store.set_narrative(store.only_assessment().uuid, "1B", "locked edit")
    assert not lock_path(unit).exists()
    lock_path(unit).write_text("")                          # garbage: stale for the API too
    with Store.open(unit, actor="t", lock=True):
        pass
