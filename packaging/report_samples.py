"""Write the sample reports in docs/ and a picture of each one's first page.

    .venv/bin/python packaging/report_samples.py [FOLDER]      (make report-samples)

- the unit summary of the demo assessment (``report-unit-sample.pdf`` / ``.html``);
- the area report of the six South East boroughs of the 2011 review, from a
  central database made by the real cycle (each borough's file submitted and
  merged, the coordinator's ratings as published, the FY2010/11 target of 80%
  kept in it) (``report-area-sample.pdf`` / ``.html``).

Both are written in invariant mode (fixed metadata dates); the text says the
day they were made.
The first page of each is rendered with poppler's pdftoppm (``*-page1.png``).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.demo import build_demo  # noqa: E402
from esat.reports.making import Request, make_report, write_report  # noqa: E402
from esat.store import Store  # noqa: E402


def south_east(work: Path, catalog: Catalog) -> Path:
    """The South East boroughs' central database, made as the coordinators make one: each
    borough's own file submitted and merged, the review's ratings set by moderation, and
    the FY2010/11 KPI target of 80% kept in the database."""
    from esat.central.merge import IMPORTED, merge_files, open_central
    from esat.moderation import Moderation
    esps = catalog.get("esps-2009")
    labels = {point.label: point.id for point in esps.scale}
    with open(ROOT / "tests" / "data" / "esps_se_area_2011_ratings.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    inbox = work / "inbox"
    inbox.mkdir()
    for code in dict.fromkeys(row["unit_code"] for row in rows):
        mine = [row for row in rows if row["unit_code"] == code]
        name = mine[0]["unit_name"]
        with Store.create(work / f"{code}.esat", actor=f"{name} equality lead") as store:
            a = store.create_assessment(esps, stage="baseline", unit_code=code, unit_name=name,
                                        unit_type="borough", area="South East", period="2010/11")
            store.set_details(a.uuid, protective_marking="Not Protectively Marked",
                              publication_scheme=True)
            for row in mine:
                store.set_self_rating(a.uuid, row["indicator"], labels[row["rating"]])
            store.sign_off(a.uuid, name="Borough Commander", role="Borough Commander",
                           signed_on="2011-02-15")
            store.export_submission(a.uuid, inbox)
    path = work / "south-east.esat"
    with open_central(path, actor="DCFD adviser") as central:
        outcomes = merge_files(central, [inbox], catalog)
        if [o.status for o in outcomes] != [IMPORTED] * 6:
            raise SystemExit("; ".join(o.line() for o in outcomes))
        moderation = Moderation(central)
        for a in central.assessments():
            for row in rows:
                if row["unit_code"] == a.unit.code:
                    moderation.rate(a.uuid, row["indicator"], labels[row["rating"]])
        moderation.set_kpi_target("2010/11", 80)
    return path


def write(source: Path, request: Request, folder: Path, name: str, produced_on: str) -> Path:
    pdf, html = folder / f"{name}.pdf", folder / f"{name}.html"
    with Store.open(source, actor="ESAT samples", read_only=True) as store:
        report = make_report(store, request, produced_on=produced_on, html_name=html.name)
    write_report(report, pdf=pdf, html=html, invariant=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(folder / f"{name}-page1")], check=True)
    return pdf


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    catalog = Catalog([frameworks_dir()])
    with tempfile.TemporaryDirectory() as work:
        demo = build_demo(Path(work) / "demo.esat", catalog)
        today = date.today().isoformat()
        print(write(demo, Request(), folder, "report-unit-sample", today))
        area = south_east(Path(work), catalog)
        print(write(area, Request(
            area="South East", financial_year="2010/11",
            title="Review of ESPS findings for the South East area (sample)",
            author="ESAT sample: the 2011 review's published ratings",
            approver="not approved: a sample", owning_unit="Diversity and Citizen Focus "
                                                         "Directorate"),
            folder, "report-area-sample", today))


if __name__ == "__main__":
    main()
