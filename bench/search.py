"""Search benchmark: full-text search over a big central database, median and worst.

    .venv/bin/python bench/search.py [--units 1000] [--dir DIR] [--repeat 5]

1. builds a central database of ``--units`` synthetic units (``bench/merge.py``'s
   ESPS units: a narrative, three evidence items and an action per indicator,
   words drawn from a Zipf-like vocabulary of about 6,000 words), each unit's
   narratives and notes drawn afresh (``merge.py``'s copies share the
   template's text, so a rare word would be in every unit or none), merging
   them with the core in batches of 100 and deleting each batch's files after
   it (untimed). With
   ``--dir``, the database is kept there as ``search-central-N.esat`` and reused
   by later runs;
2. times :func:`esat.search.search` (``limit=50``, as ``esat search``) on a fixed
   set of queries with the worst cases: common prefixes, common words, many
   words, rare words, no match. Each query runs ``--repeat`` times; its best
   time counts (the others are the same work plus noise from other load);
3. the floor, measured in the same run on the same file: plain ``sqlite3``
   running the bare FTS5 ``MATCH`` query with the same ``LIMIT`` (no ranking,
   no count, no snippets); and, for comparison, the bare query ranked
   (``ORDER BY rank LIMIT 50``): what ranking every match would cost;
4. prints each query's time (wall-clock and CPU) and matches, then the median
   and worst over the queries against the floor's (target: under 20 ms, worst
   case as well as median, over 66,000 evidence items, i.e. 1,000 units).

Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge import _VOCABULARY, make_copy, template, words as draw  # noqa: E402  (bench/merge.py)

from esat import submission  # noqa: E402

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.central.merge import merge_files, open_central  # noqa: E402
from esat.search import fts_query, search  # noqa: E402
from esat.store import Store  # noqa: E402

# (what it stands for, the words as a user types them)
QUERIES = (
    ("common prefix", "faith*"),
    ("common prefix", "comm*"),
    ("short prefix", "ba*"),
    ("two prefixes", "ha* cr*"),
    ("common word", "equality"),
    ("common word", "community"),
    ("two common words", "hate crime"),
    ("many words", "community profile partners equality impact assessment"),
    ("many common words", "monitoring staff survey training supervisors"),
    ("rare word", _VOCABULARY[-1]),
    ("rare and common", f"equality {_VOCABULARY[-2]}"),
    ("rare prefix", _VOCABULARY[-3][:4] + "*"),
    ("no match", "zzqqxx"),
    ("common and no match", "equality zzqqxx"),
)
BATCH = 100


def vary_words(path: Path, rng: random.Random) -> None:
    """A unit's own narratives and note texts (and its content hash made again)."""
    conn = sqlite3.connect(path)
    with conn:
        for (uuid,) in conn.execute("SELECT uuid FROM responses").fetchall():
            conn.execute("UPDATE responses SET narrative = ? WHERE uuid = ?",
                         [draw(rng, 60), uuid])
        for (uuid,) in conn.execute("SELECT uuid FROM evidence WHERE kind = 'note'").fetchall():
            conn.execute("UPDATE evidence SET body = ? WHERE uuid = ?", [draw(rng, 60), uuid])
        (a_uuid,) = conn.execute("SELECT uuid FROM assessments").fetchone()
        conn.execute("UPDATE submissions SET sha256 = ?",
                     [submission.content_digest(conn, a_uuid)])
    conn.close()


def build(path: Path, units: int) -> None:
    """A central database of ``units`` synthetic units (untimed)."""
    catalog = Catalog([frameworks_dir()])
    scratch = Path(tempfile.mkdtemp(prefix="esat-bench-search-", dir=path.parent))
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    try:
        source = template(scratch, catalog)
        rng = random.Random(2011)
        with open_central(partial, actor="bench") as central:
            for first in range(0, units, BATCH):
                inbox = scratch / "inbox"
                inbox.mkdir()
                for index in range(first, min(first + BATCH, units)):
                    make_copy(source, inbox / f"U{index}.esat", index, rng)
                    vary_words(inbox / f"U{index}.esat", rng)
                outcomes = merge_files(central, [inbox], catalog)
                bad = [o for o in outcomes if o.status != "imported"]
                if bad:
                    raise SystemExit(f"merge did not import everything: {bad[0]}")
                shutil.rmtree(inbox)
                print(f"  built {min(first + BATCH, units)} of {units} units", flush=True)
        partial.rename(path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        partial.unlink(missing_ok=True)


def best_of(repeat: int, action) -> tuple[float, float, object]:
    """Best wall-clock and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the central database here")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="esat-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"search-central-{args.units}.esat"
    try:
        if not path.exists():
            print(f"building a central database of {args.units} units (untimed) ...", flush=True)
            build(path, args.units)
        plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with Store.open(path, actor="bench", read_only=True) as central:
            conn = central.db.conn
            items = conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
            pieces = conn.execute("SELECT COUNT(*) FROM search_index").fetchone()[0]
            print(f"{args.units} units, {items} evidence items, {pieces} pieces of text indexed; "
                  f"best of {args.repeat} runs per query")
            # warm the page cache for both connections, so neither pays for the disk
            search(conn, "equality")
            plain.execute("SELECT COUNT(*) FROM search_index WHERE search_index MATCH 'x*'")
            print(f"{'query':<56} {'matches':>8} {'ms':>7} {'cpu ms':>7} {'floor ms':>9} "
                  f"{'ratio':>6} {'ranked floor ms':>16}")
            walls, cpus, floors = [], [], []
            for what, words in QUERIES:
                wall, cpu, found = best_of(args.repeat, lambda: search(conn, words, limit=50))
                query = fts_query(words)
                floor, _, _ = best_of(args.repeat, lambda: plain.execute(
                    "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT 50",
                    [query]).fetchall())
                ranked_floor, _, _ = best_of(args.repeat, lambda: plain.execute(
                    "SELECT rowid FROM search_index WHERE search_index MATCH ? "
                    "ORDER BY rank LIMIT 50", [query]).fetchall())
                walls.append(wall)
                cpus.append(cpu)
                floors.append(floor)
                total = f"{found.total}{'+' if not found.exact else ''}"
                print(f"{what + ': ' + words:<56.56} {total:>8} {wall * 1000:>7.2f} "
                      f"{cpu * 1000:>7.2f} {floor * 1000:>9.2f} {wall / max(floor, 1e-6):>5.1f}x "
                      f"{ranked_floor * 1000:>16.2f}")
        plain.close()
        print(f"search over {items} evidence items: median {statistics.median(walls) * 1000:.1f} "
              f"ms, worst {max(walls) * 1000:.1f} ms (CPU median "
              f"{statistics.median(cpus) * 1000:.1f} ms, worst {max(cpus) * 1000:.1f} ms); floor "
              f"(bare MATCH ... LIMIT 50) median {statistics.median(floors) * 1000:.2f} ms, worst "
              f"{max(floors) * 1000:.2f} ms (target under 20 ms, median and worst, at 66,000)")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
