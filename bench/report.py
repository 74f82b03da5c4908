"""Report benchmark: a unit summary and a 1,000-unit organisation report, in one run.

    .venv/bin/python bench/report.py [--units 1000] [--repeat 5] [--dir DIR]

In one run:
1. writes the demo assessment and a file of ``units`` ESPS Baseline
   assessments in six areas (every indicator rated, a short narrative each,
   a third of them with an action) through the Store API (untimed);
2. times the unit summary of the demo (read the file, build, write the PDF),
   best and median of ``repeat`` runs; target under 0.3 s;
3. times the organisation report of the big file the same way, in a child
   process, which also reports its peak memory (maximum resident set, the
   whole Python process); targets under 5 s and 300 MB;
4. times the *floor* for each in the same run: the same report's text laid
   out by bare platypus (the built-in Helvetica, plain-string table cells, one
   paragraph per block, no charts, no header, footer or page count), and
   prints ESAT's time as a ratio of it.

Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.demo import build_demo  # noqa: E402
from esat.reports import model  # noqa: E402
from esat.reports.making import Request, make_report, write_report  # noqa: E402
from esat.store import Store  # noqa: E402

AREAS = ("North", "North East", "North West", "South East", "South West", "Westminster")
UNIT_TARGET, ORG_TARGET, MEMORY_TARGET_MB = 0.3, 5.0, 300


def build_organisation(path: Path, count: int, catalog: Catalog) -> None:
    esps = catalog.get("esps-2009")
    scale = [point.id for point in esps.scale]
    with Store.create(path, actor="bench") as store, store.db.atomic():
        for number in range(count):
            rng = random.Random(number)
            a = store.create_assessment(esps, stage="baseline", unit_code=f"U{number:04d}",
                                        unit_name=f"Unit {number}", unit_type="borough",
                                        area=AREAS[number % len(AREAS)], period="2010/11")
            store.set_details(a.uuid, protective_marking="Not Protectively Marked")
            for item in esps.items_for("baseline"):
                store.set_self_rating(a.uuid, item.code, rng.choice(scale[1:] + scale[2:]))
                store.set_narrative(a.uuid, item.code, f"What unit {number} does for "
                                                       f"{item.code}, and how it knows.")
            if number % 3 == 0:
                store.add_action(a.uuid, "8B", "Brief every team on serious crime",
                                 owner="SMT", due_on="2011-06-30")


def make(path: Path, target: Path) -> model.Report:
    with Store.open(path, actor="bench", read_only=True) as store:
        report = make_report(store, Request(target=None), produced_on=date.today().isoformat())
    write_report(report, pdf=target, html=None, invariant=True)
    return report


def floor(report: model.Report, target: Path) -> None:
    """The same text, laid out by bare platypus with no ESAT styling."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
    from xml.sax.saxutils import escape
    styles = getSampleStyleSheet()
    story = []
    for block in report.blocks:
        if isinstance(block, (model.Heading, model.Para)):
            story.append(Paragraph(escape(block.text), styles["Normal"]))
        elif isinstance(block, model.Bullets):
            story.extend(Paragraph(escape(item), styles["Normal"]) for item in block.items)
        elif isinstance(block, model.KeyValues):
            story.append(Table([list(pair) for pair in block.pairs]))
        elif isinstance(block, (model.Table, model.BarChart)):
            table = block if isinstance(block, model.Table) else block.data
            if table is not None:
                story.append(Table([list(table.header), *map(list, table.rows)], repeatRows=1))
    SimpleDocTemplate(str(target), pagesize=A4, invariant=1).build(story)


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def child(path: Path, target: Path, repeat: int) -> None:
    """Runs in a fresh process: time the organisation report and its floor, then peak memory."""
    import resource
    report = make(path, target)           # warm-up (fonts, imports), untimed
    esat = timed(lambda: make(path, target), repeat)
    bare = timed(lambda: floor(report, target.with_suffix(".floor.pdf")), repeat)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"esat": esat, "floor": bare, "peak_mb": peak_kb / 1024,
                      "pages": target.read_bytes().count(b"/Type /Page\n")}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.repeat)
        return
    folder = args.dir or Path(tempfile.mkdtemp(prefix="esat-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    catalog = Catalog([frameworks_dir()])
    demo = folder / "demo.esat"
    demo.unlink(missing_ok=True)
    build_demo(demo, catalog)
    big = folder / f"organisation-{args.units}.esat"
    if not big.exists():
        start = time.perf_counter()
        build_organisation(big, args.units, catalog)
        print(f"built {args.units} assessments in {time.perf_counter() - start:.1f} s")

    unit_pdf = folder / "unit.pdf"
    report = make(demo, unit_pdf)         # warm-up, untimed
    esat = timed(lambda: make(demo, unit_pdf), args.repeat)
    bare = timed(lambda: floor(report, folder / "unit.floor.pdf"), args.repeat)
    print(f"unit summary: best {min(esat):.3f} s, median {statistics.median(esat):.3f} s "
          f"(target under {UNIT_TARGET} s: {'met' if min(esat) < UNIT_TARGET else 'NOT met'}); "
          f"floor best {min(bare):.3f} s; ratio {min(esat) / min(bare):.2f}x")

    result = subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--child",
                             str(big), str(folder / "organisation.pdf")],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    best, floor_best = min(figures["esat"]), min(figures["floor"])
    print(f"organisation report, {args.units} units, {figures['pages']} pages: best {best:.2f} s, "
          f"median {statistics.median(figures['esat']):.2f} s (target under {ORG_TARGET} s: "
          f"{'met' if best < ORG_TARGET else 'NOT met'}); floor best {floor_best:.2f} s; "
          f"ratio {best / floor_best:.2f}x")
    print(f"peak memory of the organisation report's process: {figures['peak_mb']:.0f} MB "
          f"(target under {MEMORY_TARGET_MB} MB: "
          f"{'met' if figures['peak_mb'] < MEMORY_TARGET_MB else 'NOT met'})")
    print(f"files in {folder}")


if __name__ == "__main__":
    main()
