"""Excel export and import benchmark.

    .venv/bin/python bench/excel.py [--count 1000] [--sources 20] [--memory-sample 50]

In one run:
1. builds ``sources`` distinct unit assessments (ESPS Baseline: every
   indicator rated, narratives, notes, links, file references, actions and
   strands) through the Store API and exports them (warm-up, untimed);
2. imports ``count`` unit workbooks (copies of those exports, one file each):
   ``read_workbook`` (safety checks, read-only parse) then ``apply_plan`` into
   a new unit file each; reports the time per workbook;
3. exports each of the ``count`` unit files with ``export_assessment``
   (write-only mode; it reads the store too) and, interleaved with it, writes
   the same cells with a bare openpyxl write-only dump (same sheets, same
   values, no formatting): reports both times and their ratio, in wall-clock
   and in CPU time (target: within 1.3x);
4. measures the peak memory (tracemalloc) one export needs, for both, on a
   sample, as a ratio.

Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.excel import apply_plan, export_assessment, read_workbook  # noqa: E402
from esat.excel.export import assessment_sheets  # noqa: E402
from esat.excel.layout import META  # noqa: E402
from esat.store import Store  # noqa: E402
from esat.strands import STRAND_IDS  # noqa: E402

WORDS = ("community profile partners equality impact assessment hate crime reporting "
         "stop and search monitoring staff survey training supervisors consultation "
         "independent advisory group victims satisfaction recruitment retention "
         "disability access interpreters faith leaders youth panel").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def build(path: Path, count: int, catalog: Catalog) -> tuple[Store, list[str]]:
    """``count`` realistic, distinct assessments in one file, in one transaction."""
    esps = catalog.get("esps-2009")
    store = Store.create(path, actor="bench")
    scale = [point.id for point in esps.scale]
    uuids = []
    with store.db.atomic():
        for number in range(count):
            rng = random.Random(number)
            code = f"U{number:04d}"
            a = store.create_assessment(esps, stage="baseline", unit_code=code,
                                        unit_name=f"Unit {number}", unit_type="borough",
                                        area=rng.choice(["North", "South East", "Westminster"]),
                                        period="2010/11")
            store.set_details(a.uuid, author="Equality lead", approver="Superintendent",
                              protective_marking="Not Protectively Marked",
                              publication_scheme=True, created_on="2010-11-15")
            for item in esps.items_for("baseline"):
                u, c = a.uuid, item.code
                store.set_self_rating(u, c, rng.choice(scale))
                store.set_narrative(u, c, " ".join(sentence(rng, 14)
                                                   for _ in range(rng.randint(2, 6))))
                if rng.random() < 0.4:
                    store.set_item_strands(u, c, rng.sample(STRAND_IDS, rng.randint(1, 3)))
                if rng.random() < 0.5:
                    store.add_note(u, c, sentence(rng, 4), sentence(rng, 30))
                if rng.random() < 0.3:
                    store.add_link(u, c, sentence(rng, 3), f"https://intranet.example/{code}/{c}")
                if rng.random() < 0.3:
                    store.add_file_reference(u, c, file_name=f"{c}-evidence.pdf",
                                             sha256=f"{number:032x}{rng.getrandbits(128):032x}",
                                             size=rng.randint(1000, 900000), title=sentence(rng, 3))
                if rng.random() < 0.3:
                    store.add_action(u, c, sentence(rng, 10), owner="SMT", due_on="2011-06-30",
                                     status=rng.choice(["open", "in_progress", "done"]),
                                     strands=rng.sample(STRAND_IDS, 1))
            uuids.append(a.uuid)
    return store, uuids


def dump(target: Path, sheets, meta, lists) -> None:
    """The baseline: the same cells, written with a bare write-only workbook."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        ws.append([column.header for column in sheet.columns])
        for row in sheet.rows:
            ws.append(row)
    ws = wb.create_sheet(META)
    for key, value in meta:
        ws.append([key, value])
    for _, _, values in lists.lists:
        for value in values:
            ws.append([None, None, None, value])
    wb.save(target)


class Clock:
    """Wall-clock and CPU time spent in the timed blocks."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def __enter__(self) -> "Clock":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


def peak(work, items) -> int:
    """The most memory one call of ``work(item)`` needed (tracemalloc), over the items.

    Garbage is collected between calls, so each call is measured on its own.
    """
    worst = 0
    tracemalloc.start()
    for item in items:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        work(item)
        worst = max(worst, tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    return worst


def line(label: str, clock: Clock, count: int) -> None:
    print(f"  {label:<46} {clock.wall:7.1f} s  {clock.wall / count * 1000:7.1f} ms each "
          f"(CPU {clock.cpu / count * 1000:.1f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000,
                        help="unit workbooks to import and export (default 1000)")
    parser.add_argument("--sources", type=int, default=20,
                        help="distinct assessments they are made from (default 20)")
    parser.add_argument("--memory-sample", type=int, default=50,
                        help="exports in the memory comparison (default 50)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to write the files (default: a temporary folder)")
    options = parser.parse_args()
    count, sources = options.count, max(1, min(options.sources, options.count))
    catalog = Catalog([frameworks_dir()])
    with tempfile.TemporaryDirectory(prefix="esat-bench-", dir=options.dir) as folder:
        root = Path(folder)
        for sub in ("sources", "workbooks", "units", "export", "dump"):
            (root / sub).mkdir()
        start = time.perf_counter()
        store, uuids = build(root / "sources.esat", sources, catalog)
        for number, uuid in enumerate(uuids):
            export_assessment(store, uuid, root / "sources" / f"{number}.xlsx")
        store.close()
        for number in range(count):
            shutil.copyfile(root / "sources" / f"{number % sources}.xlsx",
                            root / "workbooks" / f"{number:04d}.xlsx")
        print(f"Prepared {count} unit workbooks from {sources} distinct assessments "
              f"in {time.perf_counter() - start:.1f} s\n")

        print(f"Import of {count} unit workbooks")
        read, applied = Clock(), Clock()
        gc.collect()
        for number in range(count):
            with read:
                plan = read_workbook(root / "workbooks" / f"{number:04d}.xlsx", catalog)
            assert not plan.problems, plan.problems[:3]
            with applied:
                apply_plan(plan, root / "units" / f"{number:04d}.esat", actor="bench")
        line("read_workbook (checks, read-only parse)", read, count)
        line("apply_plan (into a new unit file)", applied, count)
        print(f"  per workbook: {(read.wall + applied.wall) / count * 1000:.1f} ms\n")

        print(f"Export of {count} unit assessments")
        ours, bare = Clock(), Clock()
        cells = 0
        gc.collect()
        for number in range(count):
            with Store.open(root / "units" / f"{number:04d}.esat", actor="bench",
                            read_only=True) as unit:
                uuid = unit.only_assessment().uuid
                sheets, meta, lists = assessment_sheets(unit, uuid)
                cells += sum(len(s.columns) * (len(s.rows) + 1) for s in sheets)
                first, second = ((ours, bare) if number % 2 else (bare, ours))
                for clock in (first, second):
                    with clock:
                        if clock is ours:
                            export_assessment(unit, uuid, root / "export" / f"{number:04d}.xlsx")
                        else:
                            dump(root / "dump" / f"{number:04d}.xlsx", sheets, meta, lists)
        print(f"  {cells / count:.0f} cells per workbook on average")
        line("bare openpyxl write-only dump", bare, count)
        line("esat export_assessment (reads the store too)", ours, count)
        print(f"  ratio: {ours.wall / bare.wall:.2f}x wall-clock, {ours.cpu / bare.cpu:.2f}x CPU "
              "(target within 1.3x)\n")

        sample = min(options.memory_sample, count)
        opened = [Store.open(root / "units" / f"{n:04d}.esat", actor="bench", read_only=True)
                  for n in range(sample)]
        content = [(n, s, s.only_assessment().uuid) for n, s in enumerate(opened)]

        def ours_one(item) -> None:
            number, unit, uuid = item
            export_assessment(unit, uuid, root / "export" / f"m{number:04d}.xlsx")

        def bare_one(item) -> None:      # the cells must be in memory for the dump too
            number, unit, uuid = item
            dump(root / "dump" / f"m{number:04d}.xlsx", *assessment_sheets(unit, uuid))

        bare_one(content[0])             # warm both up: the first call fills caches
        ours_one(content[0])
        base_peak = peak(bare_one, content)
        mine_peak = peak(ours_one, content)
        for unit in opened:
            unit.close()
        print(f"Export peak memory (tracemalloc; the most one workbook needed, of {sample}; "
              "both hold the cells)")
        print(f"  bare openpyxl write-only dump                  {base_peak / 1024:7.0f} KiB")
        print(f"  esat export_assessment                         {mine_peak / 1024:7.0f} KiB")
        print(f"  ratio: {mine_peak / base_peak:.2f}x (target within 1.3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
