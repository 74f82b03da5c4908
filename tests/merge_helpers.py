"""Builders for the merge tests: unit files, their submissions, a central database."""

from __future__ import annotations

from pathlib import Path

from conftest import StepClock
from esat.central.merge import merge_files, open_central
from esat.store import Store


def unit_file(folder: Path, esps, code: str, *, area: str = "South East",
              ratings: dict[str, str] | None = None, period: str = "2010/11") -> tuple[Store, str]:
    store = Store.create(folder / f"{code}.esat", actor=f"{code} lead", clock=StepClock())
    a = store.create_assessment(esps, stage="baseline", unit_code=code, unit_name=f"Unit {code}",
                                unit_type="borough", area=area, period=period)
    for item, rating in (ratings or {"1B": "very", "2B": "not_very"}).items():
        store.set_self_rating(a.uuid, item, rating)
    store.add_note(a.uuid, "1B", "Ward profiles", f"{code} refreshed every ward profile")
    return store, a.uuid


def submit(store: Store, uuid: str, outbox: Path) -> Path:
    """Sign off (when not yet), write the submission, reopen for the next revision."""
    outbox.mkdir(exist_ok=True)
    if not store.assessment(uuid).signed_off:
        store.sign_off(uuid, name="Commander", role="Borough Commander", signed_on="2011-02-15")
    path = store.export_submission(uuid, outbox)
    kept = outbox / f"{path.stem}.{store.submissions(uuid)[-1].uuid[:8]}{path.suffix}"
    path.rename(kept)           # keep every revision's file apart
    store.reopen(uuid)
    return kept


def central(path: Path) -> Store:
    return open_central(path, actor="C. Coordinator", clock=StepClock())


def merge(store: Store, catalog, *paths: Path):
    return merge_files(store, list(paths), catalog)


def state(store: Store) -> dict:
    """Everything the merge can change, for comparing two central databases."""
    out = {}
    for table, order in (("units", "code"), ("assessments", "uuid"), ("responses", "uuid"),
                         ("evidence", "uuid"), ("actions", "uuid"), ("signoffs", "uuid"),
                         ("moderation", "uuid"), ("blobs", "sha256")):
        cursor = store.db.execute(f"SELECT * FROM {table} ORDER BY {order}")
        columns = [d[0] for d in cursor.description]
        skip = {"created_at", "updated_at"} | ({"uuid"} if table == "units" else set())
        out[table] = [tuple(v for c, v in zip(columns, row) if c not in skip and
                            not (table == "assessments" and c == "unit_uuid"))
                      for row in cursor.fetchall()]
    out["received"] = sorted(store.db.execute(
        "SELECT submission_uuid, state, content_sha256 FROM received_submissions").fetchall())
    return out


def to_format_2(path: Path) -> None:
    """Turn a format-3 file back into format 2, as migration 2 left it (the search index
    without prefix lists): a file as an earlier ESAT wrote it."""
    import sqlite3
    from esat import migrations
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TEMP TABLE kept AS SELECT rowid AS piece, * FROM search_index")
        conn.execute("DROP TABLE search_index")
        (create,) = [s for s in migrations.split_statements(migrations._COORDINATOR_TABLES)
                     if "search_index" in s]
        conn.execute(create)
        conn.execute("INSERT INTO search_index (rowid, text, unit_code, item_code, kind, "
                     "assessment_uuid, source_uuid) SELECT * FROM temp.kept")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0003_search_prefixes'")
        conn.execute("PRAGMA user_version = 2")
    conn.close()
