"""Killing the app in the middle of editing loses nothing that was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from esat import fileformat
from esat.store import Store

DRIVER = Path(__file__).parent / "drivers" / "edit_session.py"


def test_kill_mid_edit_keeps_every_committed_change(qapp, tmp_path, esps, esat_home):
    path = tmp_path / "lambeth.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ESAT_HOME=str(esat_home))
    child = subprocess.Popen([sys.executable, str(DRIVER), str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    committed = {}
    try:
        for line in child.stdout:
            if line.startswith("COMMITTED"):
                _, code, rating = line.split()
                committed[code] = rating
                if len(committed) == 7:          # mid-way: the driver is typing into 8B now
                    break
        assert child.poll() is None, child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(committed) == 7

    with Store.open(path, actor="t") as store:      # the file opens cleanly ...
        assert fileformat.quick_check(store.db.conn) == []
        responses = store.responses(store.only_assessment().uuid)
        for code, rating in committed.items():        # ... with every committed change
            assert responses[code].self_rating == rating, code
            assert responses[code].narrative == f"Narrative for {code}", code
    # the killed app's lock is stale: the next ESAT may write again
    from esat.gui.filelock import FileLock, lock_path
    assert lock_path(path).exists()
    lock = FileLock(path)
    assert lock.acquire()
    lock.release()
