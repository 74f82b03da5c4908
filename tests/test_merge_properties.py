"""Property tests (hypothesis) of the merge rules.

Submissions are built once per module: three units, each with a chain of four
revisions, and one unit with a branch (a restored old copy sent again). Each
example merges some order of them into a fresh central database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from esat.central.merge import ALREADY, CONFLICT
from esat.store import Store
from merge_helpers import central, merge, state, submit, unit_file

REVISIONS = 4
# A few examples in `make test`; `make test-slow` (ESAT_SLOW=1) runs many more.
SETTINGS = settings(max_examples=100 if os.environ.get("ESAT_SLOW") else 6, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def chains(tmp_path_factory, esps):
    """{unit code: [submission paths in revision order]} and the branch of LX."""
    folder = tmp_path_factory.mktemp("submissions")
    out = {}
    for index, code in enumerate(("LX", "MD", "NW")):
        store, uuid = unit_file(folder, esps, code, area="South East" if index < 2 else "North West")
        files = []
        for revision in range(REVISIONS):
            store.set_self_rating(uuid, f"{revision + 3}B", "very")
            store.add_note(uuid, f"{revision + 3}B", f"r{revision}", f"{code} revision {revision}")
            files.append(submit(store, uuid, folder / "out"))
        store.close()
        out[code] = files
    # LX restores its first copy and sends it on from there: a branch
    restored = folder / "restored.esat"
    shutil.copy(out["LX"][0], restored)
    store = Store.open(restored, actor="LX lead")
    store.db.execute("DELETE FROM meta WHERE key IN ('submission_uuid', 'supersedes_uuid')")
    store.db.conn.commit()
    uuid = store.only_assessment().uuid
    store.reopen(uuid)
    store.set_self_rating(uuid, "20B", "very")
    branch = submit(store, uuid, folder / "branch")
    store.close()
    return out, branch


def fresh_central(folder: str):
    return central(Path(folder) / "central.esat")


def interleavings(chains_):
    """Strategy: every file of every unit, each unit's own in revision order, units mixed."""
    codes = [code for code, files in chains_.items() for _ in files]
    return st.permutations(codes).map(lambda order: _lay_out(order, chains_))


def _lay_out(order, chains_):
    position = {code: 0 for code in chains_}
    files = []
    for code in order:
        files.append(chains_[code][position[code]])
        position[code] += 1
    return files


@SETTINGS
@given(data=st.data())
def test_merging_twice_changes_nothing(chains, catalog, data):
    files = data.draw(st.permutations([f for fs in chains[0].values() for f in fs] + [chains[1]]))
    again = data.draw(st.permutations(files))
    with tempfile.TemporaryDirectory() as folder, fresh_central(folder) as c:
        merge(c, catalog, *files)
        before = state(c)
        outcomes = merge(c, catalog, *again)
        assert all(o.status == ALREADY for o in outcomes)
        assert state(c) == before


@SETTINGS
@given(data=st.data())
def test_independent_units_merge_to_the_same_result_in_any_order(chains, catalog, data):
    first = data.draw(interleavings(chains[0]))
    second = data.draw(interleavings(chains[0]))
    results = []
    for files in (first, second):
        with tempfile.TemporaryDirectory() as folder, fresh_central(folder) as c:
            merge(c, catalog, *files)
            results.append(state(c))
    assert results[0] == results[1]


@SETTINGS
@given(data=st.data())
def test_a_supersede_chain_always_ends_at_the_latest_revision(chains, catalog, data):
    files = data.draw(interleavings(chains[0]))
    with tempfile.TemporaryDirectory() as folder, fresh_central(folder) as c:
        outcomes = merge(c, catalog, *files)
        assert not [o for o in outcomes if o.status == CONFLICT]
        for code, chain in chains[0].items():
            with Store.open(chain[-1], actor="x", read_only=True) as last:
                latest = last.meta("submission_uuid")
                expected = last.responses(last.only_assessment().uuid)
            (current,) = c.db.execute(
                "SELECT submission_uuid FROM received_submissions WHERE unit_code = ? "
                "AND state = 'current'", [code]).fetchall()
            assert current[0] == latest
            (a,) = [x for x in c.assessments() if x.unit.code == code]
            assert ({k: r.self_rating for k, r in c.responses(a.uuid).items()}
                    == {k: r.self_rating for k, r in expected.items()})


@SETTINGS
@given(data=st.data())
def test_conflicts_are_always_reported_and_never_applied(chains, catalog, data):
    files = data.draw(st.permutations([f for fs in chains[0].values() for f in fs] + [chains[1]]))
    with tempfile.TemporaryDirectory() as folder, fresh_central(folder) as c:
        newest_seen: dict[str, int] = {}
        branch_applied = False
        for path in files:
            before = {k: v for k, v in state(c).items() if k != "received"}
            (outcome,) = merge(c, catalog, path)
            code = outcome.unit_code
            rank = chains[0][code].index(path) if path in chains[0][code] else -1
            if rank >= 0 and rank < newest_seen.get(code, -1):
                assert outcome.status == CONFLICT        # older than one already merged
            if rank >= 0 and code == "LX" and branch_applied:
                assert outcome.status == CONFLICT        # the main line does not follow the branch
            if path == chains[1]:
                # the branch (off revision 1) follows revision 1, or nothing; never a later one
                assert (outcome.status == CONFLICT) == (newest_seen.get("LX", -1) >= 1)
                branch_applied = outcome.status != CONFLICT
            if outcome.status == CONFLICT:
                assert {k: v for k, v in state(c).items() if k != "received"} == before
            elif rank >= 0:
                newest_seen[code] = max(rank, newest_seen.get(code, -1))
        listed = c.db.execute("SELECT COUNT(*) FROM received_submissions "
                              "WHERE state = 'conflict'").fetchone()[0]
        assert listed == sum(1 for _ in files) - sum(
            1 for _ in c.db.execute("SELECT 1 FROM received_submissions "
                                    "WHERE state IN ('current', 'superseded')"))


@SETTINGS
@given(data=st.data())
def test_moderation_survives_any_sequence_of_resubmissions(chains, catalog, data):
    rest = data.draw(st.permutations([f for fs in chains[0].values() for f in fs[1:]]
                                     + [chains[1]]))
    items = data.draw(st.lists(st.sampled_from(["1B", "2B", "3B", "4B", "9B", "22B"]),
                               min_size=1, max_size=4, unique=True))
    rating = data.draw(st.sampled_from(["very", "fairly", "not_very", "not_at_all"]))
    with tempfile.TemporaryDirectory() as folder, fresh_central(folder) as c:
        merge(c, catalog, *[fs[0] for fs in chains[0].values()])
        for a in c.assessments():
            for item in items:
                c.set_assessor_rating(a.uuid, item, rating, "C. Coordinator")
            c.decide_exemption(a.uuid, "6B", True, "Run centrally")
        moderation = state(c)["moderation"]
        merge(c, catalog, *rest)
        assert state(c)["moderation"] == moderation
        for a in c.assessments():
            responses = c.responses(a.uuid)
            assert all(responses[item].assessor_rating == rating for item in items)
            assert c.score(a.uuid).overall.required == 17
