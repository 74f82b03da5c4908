"""Write the sample reports in docs/ and a picture of each one's first page.

    .venv/bin/python packaging/report_samples.py [FOLDER]      (make report-samples)

- the unit summary of the demo assessment (``report-unit-sample.pdf`` / ``.html``);
- the area report of the six South East boroughs of the 2011 review, rated by
  the coordinator as published (``report-area-sample.pdf`` / ``.html``).

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
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.demo import build_demo  # noqa: E402
from esat.reports.making import Request, make_report, write_report  # noqa: E402
from esat.store import Store  # noqa: E402


def south_east(path: Path, catalog: Catalog) -> Path:
    esps = catalog.get("esps-2009")
    labels = {point.label: point.id for point in esps.scale}
    with open(ROOT / "tests" / "data" / "esps_se_area_2011_ratings.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with Store.create(path, actor="DCFD adviser") as store:
        made = {}
        for row in rows:
            code = row["unit_code"]
            if code not in made:
                made[code] = store.create_assessment(
                    esps, stage="baseline", unit_code=code, unit_name=row["unit_name"],
                    unit_type="borough", area="South East", period="2010/11")
                store.set_details(made[code].uuid, protective_marking="Not Protectively Marked",
                                  publication_scheme=True)
            store.set_assessor_rating(made[code].uuid, row["indicator"], labels[row["rating"]],
                                      assessor_name="DCFD adviser")
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
        area = south_east(Path(work) / "south-east.esat", catalog)
        print(write(area, Request(
            area="South East", target=Fraction(4, 5), financial_year="2010/11",
            title="Review of ESPS findings for the South East area (sample)",
            author="ESAT sample: the 2011 review's published ratings",
            approver="not approved: a sample", owning_unit="Diversity and Citizen Focus "
                                                         "Directorate"),
            folder, "report-area-sample", today))


if __name__ == "__main__":
    main()
