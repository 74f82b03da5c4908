"""Tried as a hostile sender: crafted older-format and newer-format submissions, and
searches full of FTS5 syntax."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from esat import submission
from esat.cli import EXIT_USAGE
from esat.central.merge import IMPORTED, REJECTED
from merge_helpers import central, merge, submit, to_format_2, unit_file


def rehashed(path: Path, *statements: str) -> Path:
    """Change a submission by SQL (CHECK constraints ignored) and record the hash of the
    changed content, as a sender forging a consistent file would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    with conn:
        for sql in statements:
            assert conn.execute(sql).rowcount > 0, sql
        (uuid,) = conn.execute("SELECT uuid FROM assessments").fetchone()
        sha = submission.content_digest(conn, uuid)
        conn.execute("UPDATE submissions SET sha256 = ? WHERE assessment_uuid = ?", [sha, uuid])
    conn.close()
    return path


@pytest.fixture
def sent(tmp_path, esps):
    lx, a = unit_file(tmp_path, esps, "LX")
    path = submit(lx, a, tmp_path / "out")
    lx.close()
    return path


def central_state(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("assessments", "responses", "received_submissions")]
    finally:
        conn.close()


@pytest.mark.parametrize("statement, words", [
    ("UPDATE responses SET self_rating = 'superb' WHERE rowid = 1", "superb"),
    ("UPDATE responses SET unit_exempt = 7 WHERE rowid = 1", "CHECK constraint failed in responses"),
    ("UPDATE assessments SET status = 'approved'", "CHECK constraint failed in assessments"),
])
def test_a_valid_format_2_submission_with_a_value_out_of_its_domain_is_rejected(
        tmp_path, sent, catalog, statement, words):
    to_format_2(sent)
    rehashed(sent, statement)
    assert sqlite3.connect(sent).execute("PRAGMA user_version").fetchone() == (2,)
    sent_bytes = sent.read_bytes()
    with central(tmp_path / "central.esat"):
        pass
    before = central_state(tmp_path / "central.esat")
    with central(tmp_path / "central.esat") as c:
        (outcome,) = merge(c, catalog, sent)
    assert outcome.status == REJECTED, outcome.message
    assert outcome.file == str(sent)
    assert words in outcome.message, outcome.message
    assert central_state(tmp_path / "central.esat") == before
    assert sent.read_bytes() == sent_bytes
    assert not list(sent.parent.glob("*.bak*")) and len(list(sent.parent.iterdir())) == 1


@pytest.mark.parametrize("version", [99, 4, 1, 0, -1])
def test_a_submission_claiming_another_format_is_rejected_by_name(tmp_path, sent, catalog,
                                                                   version):
    conn = sqlite3.connect(sent)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    sent_bytes = sent.read_bytes()
    with central(tmp_path / "central.esat") as c:
        (outcome,) = merge(c, catalog, sent)
        assert c.db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 0
    assert outcome.status == REJECTED, outcome.message
    assert outcome.message.startswith("rejected: ") and "Traceback" not in outcome.message
    assert sent.read_bytes() == sent_bytes


@pytest.fixture
def searchable(tmp_path, sent, catalog) -> Path:
    with central(tmp_path / "central.esat") as c:
        (outcome,) = merge(c, catalog, sent)
        assert outcome.status == IMPORTED
    return tmp_path / "central.esat"


def run(*argv):
    import io
    from esat.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("words", [
    '"', "NEAR(ward profile)", "unit_code:LX", "text:ward", "*", "^ward", "(", ")", "ward OR",
    "NOT", "w*rd", "日本語", "café", "\U0001F600", "ward " * 3000, "x" * 100000,
])
def test_esat_search_takes_any_words_without_an_error(esat_home, searchable, words):
    code, out, err = run("search", searchable, words)
    assert (code, err) == (0, ""), err
    assert out.strip()


@pytest.mark.parametrize("limit", [0, -1, 99999999999999999999])
def test_esat_search_refuses_a_limit_out_of_range_with_a_message(esat_home, searchable, limit):
    code, out, err = run("search", searchable, "ward", "--limit", limit)
    assert code == EXIT_USAGE and out == ""
    assert err.strip() == f"esat search: --limit {limit} must be from 1 to 100,000", err
    code, out, err = run("search", searchable, "ward", "--limit", 1)
    assert code == 0 and out.startswith("LX     1B    note") and len(out.splitlines()) == 1


@pytest.mark.parametrize("option, value, words", [
    ("--size", 2 ** 64, "size"), ("--seed", 2 ** 64, "seed"), ("--seed", -(2 ** 70), "seed")])
def test_esat_sample_refuses_a_number_sqlite_cannot_keep_with_a_message(
        esat_home, searchable, option, value, words):
    before = searchable.read_bytes()
    argv = {"--size": 3, "--seed": 7, option: value}
    code, out, err = run("sample", searchable, "--unit", "LX", *(
        x for pair in argv.items() for x in pair))
    assert code == EXIT_USAGE and out == "" and "internal error" not in err, err
    assert f"a dip sample's {words}" in err and str(value) in err, err
    assert searchable.read_bytes() == before


@pytest.mark.parametrize("extra", ["_", "__*", "_ *", "^ _"])
def test_a_word_the_index_reads_as_no_word_leaves_the_others_found(searchable, extra):
    """FTS5 reads "_" as a separator: a quoted "_" is a phrase of no words, which matches
    nothing, and ANDed with the rest made every search with a stray underscore empty."""
    from esat.search import search
    from esat.store import Store
    with Store.open(searchable, actor="t", read_only=True) as c:
        alone = search(c.db.conn, "ward")
        assert alone.total > 0
        assert search(c.db.conn, f"ward {extra}") == alone
        assert search(c.db.conn, extra).hits == []
