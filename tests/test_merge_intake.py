"""The intake's checks of an incoming submission, file by file: each crafted bad file is
rejected with a message naming the file and the problem, and the central database is
left byte for byte as it was. (The checks are done in bulk for speed, see
esat/checks.py; these prove that a bad value is still found and named.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from esat.central.merge import IMPORTED, REJECTED
from merge_helpers import central, merge, submit, to_format_2, unit_file


def _crafted(folder: Path, good: Path, name: str, *statements: str) -> Path:
    """A copy of a good submission changed by SQL, its recorded content hash left as it was."""
    path = folder / name
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            assert conn.execute(sql).rowcount > 0, sql        # the file did change
    conn.close()
    return path


@pytest.fixture
def good(tmp_path, esps):
    lx, a = unit_file(tmp_path, esps, "LX")
    lx.attach_bytes(a, "1B", b"%PDF-1.4 ward profiles", file_name="profiles.pdf")
    path = submit(lx, a, tmp_path / "out")
    lx.close()
    return path


BAD = {
    # name: (SQL that makes the file bad, what the rejection must say)
    "utf8-narrative.esat": (["UPDATE responses SET narrative = CAST(x'41ff42' AS TEXT) "
                             "WHERE item_code = '1B'"],
                            "table responses, row 1: narrative is not valid UTF-8 text"),
    "utf8-split.esat": (["UPDATE responses SET narrative = CAST(x'41c3' AS TEXT), "
                         "unit_exemption_reason = CAST(x'a942' AS TEXT) WHERE item_code = '1B'"],
                        "narrative is not valid UTF-8 text"),
    "utf8-meta.esat": (["INSERT INTO meta (key, value) VALUES ('note', CAST(x'c0af' AS TEXT))"],
                       "value is not valid UTF-8 text"),
    "utf8-surrogate.esat": (["UPDATE evidence SET title = CAST(x'eda080' AS TEXT)"],
                            "title is not valid UTF-8 text"),
    "rating-type.esat": (["UPDATE responses SET self_rating = CAST('very' AS BLOB) "
                          "WHERE item_code = '1B'"],
                         "table responses, row 1: self_rating holds a blob value, not a text"),
    "text-position.esat": (["UPDATE evidence SET position = 'first'"],
                           "position holds a text value, not an integer"),
    "blob-in-text.esat": (["UPDATE units SET name = x'00ff'"],
                          "name holds a blob value, not a text"),
    "real-position.esat": (["UPDATE evidence SET position = 1.5"],
                           "position holds a number value, not an integer"),
    "rating-off-scale.esat": (["UPDATE responses SET self_rating = 'superb' "
                               "WHERE item_code = '1B'"], "is not on the scale"),
    "attachment-hash.esat": (["UPDATE blobs SET data = CAST('forged!!!' AS BLOB)"],
                             "content does not match its checksum"),
    "framework-hash.esat": (["UPDATE frameworks SET definition = definition || ' '"],
                            "definition does not match its checksum"),
    "content-changed.esat": (["UPDATE evidence SET title = 'Something else'"],
                             "its content does not match the hash recorded"),
}


def test_each_crafted_file_is_rejected_naming_it_and_the_problem(tmp_path, good, catalog):
    bad = tmp_path / "bad"
    bad.mkdir()
    files = [_crafted(bad, good, name, *sql) for name, (sql, _) in BAD.items()]
    path = tmp_path / "central.esat"
    with central(path):
        pass
    before = path.read_bytes()
    with central(path) as c:
        outcomes = merge(c, catalog, *files, good)       # one merge run: checks share a memo
    *rejected, taken = outcomes
    assert taken.status == IMPORTED, taken
    for outcome, (name, (_, said)) in zip(rejected, BAD.items()):
        assert outcome.status == REJECTED, (name, outcome)
        assert outcome.file.endswith(name) and said in outcome.message, (name, outcome.message)
        assert "Traceback" not in outcome.message
    with central(tmp_path / "other.esat") as c:                # rejected: nothing written
        merge(c, catalog, *files)
        assert c.db.execute("SELECT COUNT(*) FROM received_submissions").fetchone() == (0,)
        assert c.db.execute("SELECT COUNT(*) FROM assessments").fetchone() == (0,)
    assert before != path.read_bytes()            # (the good one was merged after the bad)


def test_a_bad_file_after_good_ones_is_still_checked_in_full(tmp_path, good, catalog):
    """What one file's checks keep for the next (the parsed framework, the schema's columns)
    never lets a later file's own bad framework or values through."""
    bad = tmp_path / "bad"
    bad.mkdir()
    # the same framework id, version and claimed hash, other text: compared, not trusted
    other = _crafted(bad, good, "same-sha.esat",
                     "UPDATE frameworks SET definition = replace(definition, 'Police Service', "
                     "'Police Servant')")
    utf8 = _crafted(bad, good, "late-utf8.esat",
                    "UPDATE evidence SET body = CAST(x'ff' AS TEXT)")
    with central(tmp_path / "central.esat") as c:
        first, *later = merge(c, catalog, good, other, utf8)
        assert first.status == IMPORTED
        assert [o.status for o in later] == [REJECTED, REJECTED], later
        assert "definition does not match its checksum" in later[0].message
        assert "body is not valid UTF-8 text" in later[1].message


def test_only_regular_files_are_copied_in(tmp_path, catalog):
    """A link to /dev/zero (endless: it filled the disk before) or a FIFO is rejected
    before anything is copied."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink("/dev/zero", folder / "zero.esat")
    os.mkfifo(folder / "pipe.esat")
    with central(tmp_path / "central.esat") as c:
        outcomes = merge(c, catalog, folder / "zero.esat", folder / "pipe.esat")
    said = {Path(o.file).name: o.message for o in outcomes}
    assert all(o.status == REJECTED for o in outcomes)
    assert "is a device, not a file" in said["zero.esat"]
    assert "is a pipe (FIFO), not a file" in said["pipe.esat"]


def test_each_copy_is_removed_once_merged(tmp_path, good, catalog, monkeypatch):
    import tempfile
    made = []
    real = tempfile.TemporaryDirectory

    def watched(*args, **kwargs):
        folder = real(*args, **kwargs)
        made.append(Path(folder.name))
        return folder
    monkeypatch.setattr(tempfile, "TemporaryDirectory", watched)
    seen = []
    from esat.central import intake
    real_receive = intake.receive

    def receive(path, folder, *args, **kwargs):
        try:
            return real_receive(path, folder, *args, **kwargs)
        finally:
            seen.append(sorted(p.name for p in made[0].rglob("*")))
    monkeypatch.setattr("esat.central.merge.receive", receive)
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, good, good, tmp_path / "missing.esat")
    # while a file is received only its own copy is there: the one before was removed
    assert [len([n for n in names if n.startswith("incoming")]) for names in seen] == [1, 1, 0]
    assert not made[0].exists()
    assert hashlib.sha256(good.read_bytes()).hexdigest()     # the unit's file is untouched


def test_a_submission_from_an_earlier_esat_is_brought_up_to_date_in_its_private_copy(
        tmp_path, good, catalog):
    """A unit still running an ESAT that writes format 2 can submit: its copy is checked
    in full as format 2 and upgraded; the file it sent is not changed. A format-2 file
    that is not as format 2 was made is still refused."""
    to_format_2(good)
    sent = good.read_bytes()
    bad = _crafted(tmp_path, good, "format2-trigger.esat",
                   "INSERT INTO meta (key, value) VALUES ('x', 'y')")
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON meta BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    with central(tmp_path / "central.esat") as c:
        (outcome,) = merge(c, catalog, good)
        assert outcome.status == IMPORTED, outcome.message
        (refused,) = merge(c, catalog, bad)
        assert refused.status == REJECTED and refused.file.endswith("format2-trigger.esat")
        assert "trigger" in refused.message
    assert good.read_bytes() == sent
