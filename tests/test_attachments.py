"""Attachments written out to be opened: every value from the file is checked before it is a path."""

from __future__ import annotations

import hashlib
import sqlite3
import stat

import pytest

from esat.attachments import MAX_NAME_BYTES, OpenedCopies, check_sha256, safe_file_name
from esat.cli import main
from esat.errors import EsatError, InvalidFileError
from esat.store import Store


@pytest.mark.parametrize("name, expected", [
    ("report.pdf", "report.pdf"),
    ("authorized_keys", "authorized_keys"),
    ("../../../../.ssh/authorized_keys", "authorized_keys"),
    ("/etc/passwd", "passwd"),
    ("C:\\Windows\\system.ini", "system.ini"),
    ("..", "attachment"),
    (".", "attachment"),
    ("", "attachment"),
    ("a\x00b.txt", "a_b.txt"),
    ("line\nbreak.txt", "line_break.txt"),
    ("CON.txt", "_CON.txt"),
    ("...hidden", "hidden"),
])
def test_file_names_become_safe_base_names(name, expected):
    assert safe_file_name(name) == expected


def test_long_names_are_cut_keeping_the_suffix():
    name = safe_file_name("é" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize("value", ["../../../../.ssh", "/tmp/x", "ab" * 31, "A" * 64, None, 5,
                                   "0" * 63 + "/"])
def test_only_a_sha256_is_taken_as_a_fingerprint(value):
    with pytest.raises(EsatError, match="not a SHA-256 hash"):
        check_sha256(value)


def test_copies_go_into_a_private_folder_for_this_run_and_are_checked(tmp_path):
    data = b"genuine minutes"
    sha = hashlib.sha256(data).hexdigest()
    copies = OpenedCopies(tmp_path / "opened")
    first = copies.write(sha, "../../.ssh/authorized_keys", data)
    assert first.read_bytes() == data and first.name == "authorized_keys"
    assert copies.folder in first.parents and tmp_path / "opened" in copies.folder.parents
    assert stat.S_IMODE(copies.folder.stat().st_mode) == 0o700
    second = copies.write(sha, "authorized_keys", data)
    assert second != first                        # never reused: each copy is new
    with pytest.raises(EsatError, match="does not match its fingerprint"):
        copies.write(sha, "minutes.txt", b"forged content claiming the genuine hash")
    with pytest.raises(EsatError, match="not a SHA-256 hash"):
        copies.write("../../../../.ssh", "authorized_keys", data)
    outside = [p for p in tmp_path.rglob("*") if copies.folder not in p.parents
               and p != copies.folder and p != tmp_path / "opened"]
    assert outside == []


def crafted_file(tmp_path, esps, sha: str, name: str, data: bytes):
    path = tmp_path / "crafted.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L",
                                    unit_type="borough")
        store.attach_bytes(a.uuid, "1B", b"genuine", file_name="genuine.txt")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE blobs SET sha256 = ?, data = ?, size = ?", [sha, data, len(data)])
    conn.execute("UPDATE evidence SET blob_sha256 = ?, file_name = ?, file_size = ?",
                 [sha, name, len(data)])
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("sha, name", [
    ("../../../../.ssh", "authorized_keys"),
    ("/tmp/anywhere", "x"),
    (hashlib.sha256(b"genuine").hexdigest(), "forged.txt"),   # claims a genuine document's hash
])
def test_a_crafted_attachment_refuses_the_file_before_anything_is_written(tmp_path, esps, sha,
                                                                         name):
    path = crafted_file(tmp_path, esps, sha, name, b"ssh-ed25519 AAAA attacker")
    with pytest.raises(InvalidFileError, match="table (evidence|blobs), row 1"):
        Store.open(path, actor="t", read_only=True)
    assert main(["check", str(path)]) == 2
    assert not (tmp_path / ".ssh").exists()
