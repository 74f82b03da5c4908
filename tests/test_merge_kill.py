"""Kill a merging process at random moments: each unit is then fully merged or not at all.

A few kills in `make test`; `make test-slow` (ESAT_SLOW=1) kills it 200 times.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from esat import submission
from merge_helpers import central, submit, unit_file

KILLS = 200 if os.environ.get("ESAT_SLOW") else 4


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, esps):
    folder = tmp_path_factory.mktemp("kill")
    for n in range(12):
        store, uuid = unit_file(folder, esps, f"U{n}")
        for item in range(1, 8):
            store.add_note(uuid, f"{item}B", "note", "evidence " * 200)
        store.attach_bytes(uuid, "2B", os.urandom(60_000), file_name="scan.pdf")
        submit(store, uuid, folder / "inbox")
        store.set_self_rating(uuid, "5B", "very")
        submit(store, uuid, folder / "inbox")
        store.close()
    return folder / "inbox"


def merge_command(central_path, inbox):
    return [sys.executable, "-m", "esat", "merge", str(central_path), str(inbox)]


def check_all_or_nothing(path) -> int:
    """integrity_check is ok and every assessment holds exactly its current submission's
    content; returns how many units are merged."""
    with central(path) as c:          # a writable open rolls back a hot journal
        assert c.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        current = dict(c.db.execute("SELECT assessment_uuid, content_sha256 FROM "
                                    "received_submissions WHERE state = 'current'").fetchall())
        assessments = [a.uuid for a in c.assessments()]
        assert sorted(assessments) == sorted(current)
        for uuid in assessments:
            assert submission.content_digest(c.db.conn, uuid) == current[uuid]
        orphans = c.db.execute("SELECT COUNT(*) FROM responses WHERE assessment_uuid NOT IN "
                               "(SELECT uuid FROM assessments)").fetchone()[0]
        assert orphans == 0
        return len(assessments)


def test_a_killed_merge_leaves_every_unit_all_or_nothing(tmp_path, inbox, esat_home):
    path = tmp_path / "central.esat"
    private = tmp_path / "tmp"       # the killed merges' private folders stay in here
    private.mkdir()
    env = {**os.environ, "ESAT_HOME": str(esat_home), "TMPDIR": str(private)}
    started = time.monotonic()
    subprocess.run(merge_command(tmp_path / "timing.esat", inbox), env=env, check=True,
                   capture_output=True)
    full = time.monotonic() - started
    rng = random.Random(20110215)
    killed_midway = 0
    for _ in range(KILLS):
        process = subprocess.Popen(merge_command(path, inbox), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.9) * full)
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
            killed_midway += 1
        process.wait()
        if path.exists():
            check_all_or_nothing(path)
            if finished:            # everything merged: start again, to kill real work
                path.unlink()
    assert killed_midway > 0
    done = subprocess.run(merge_command(path, inbox), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert check_all_or_nothing(path) == 12
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM received_submissions WHERE state = "
                            "'superseded'").fetchone()[0] == 12
