"""Screenshots of coordinator mode (run under Xvfb: `make screenshots`).

Builds a central database the way coordinators would: the six South East
boroughs of the 2011 review (their published ratings sent in as the units' own,
tests/data/esps_se_area_2011_ratings.tsv) plus generated units in three more
areas, each a unit file signed off and submitted, all merged through the core;
then the coordinator rates the South East as published, asks one borough for
further evidence and sets the 2010/11 KPI target. Shows the units table, a
moderation page, the dashboard and the heat map, and saves a PNG of each.

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python packaging/coordinator_screenshots.py docs
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AREAS = {"North West": ["BN", "EG", "HW", "HA", "KC", "WM"],
         "North East": ["CN", "EK", "GD", "HK", "HY", "TH"],
         "South West": ["HS", "KT", "QK", "RT", "SX", "WW"]}
NAMES = {"BN": "Barnet", "EG": "Ealing", "HW": "Harrow", "HA": "Hillingdon", "KC": "Kensington",
         "WM": "Westminster", "CN": "Camden", "EK": "Enfield", "GD": "Hackney",
         "HK": "Haringey", "HY": "Islington", "TH": "Tower Hamlets", "HS": "Hounslow",
         "KT": "Kingston", "QK": "Brent", "RT": "Richmond", "SX": "Sutton", "WW": "Wandsworth"}


def build(folder: Path, catalog) -> Path:
    from esat.central.merge import merge_files, open_central
    from esat.moderation import Moderation
    from esat.store import Store
    esps = catalog.get("esps-2009")
    labels = {p.label: p.id for p in esps.scale}
    with open(ROOT / "tests" / "data" / "esps_se_area_2011_ratings.tsv", encoding="utf-8") as f:
        published = list(csv.DictReader(f, delimiter="\t"))
    units: dict[str, tuple[str, str, dict[str, str]]] = {}
    for row in published:
        units.setdefault(row["unit_code"], (row["unit_name"], "South East", {}))[2][
            row["indicator"]] = labels[row["rating"]]
    rng = random.Random(2011)
    codes = [item.code for item in esps.items if item.stage == "baseline"]
    for area, (members, weights) in zip(AREAS, zip(AREAS.values(),
                                                    ([2, 3, 3, 2], [3, 5, 2, 0], [1, 3, 4, 2]))):
        for code in members:
            units[code] = (NAMES[code], area, {c: rng.choices(
                ["very", "fairly", "not_very", "not_at_all"], weights)[0]
                for c in codes if rng.random() > .05})
    outbox = folder / "inbox"
    outbox.mkdir()
    for code, (name, area, ratings) in units.items():
        with Store.create(folder / f"{code}.esat", actor=f"{name} lead") as store:
            a = store.create_assessment(esps, stage="baseline", unit_code=code, unit_name=name,
                                        unit_type="borough", area=area, period="2010/11")
            for item, rating in ratings.items():
                try:
                    store.set_self_rating(a.uuid, item, rating)
                except Exception:         # an indicator not asked of a borough
                    pass
            store.set_narrative(a.uuid, "1B", f"{name} refreshed its ward profiles in 2010.")
            store.add_note(a.uuid, "1B", "Ward profiles", f"{name}'s profiles, October 2010")
            store.add_note(a.uuid, "2B", "Community panel minutes",
                           f"Minutes of {name}'s independent advisory group")
            store.sign_off(a.uuid, name="Borough Commander", role="Borough Commander",
                           signed_on="2011-02-15")
            store.export_submission(a.uuid, outbox)
    path = folder / "central.esat"
    with open_central(path, actor="Rowena Stallwood") as central:
        merge_files(central, [outbox], catalog)
        moderation = Moderation(central)
        by_code = {a.unit.code: a.uuid for a in central.assessments()}
        for row in published:
            if row["unit_code"] != "LX":
                moderation.rate(by_code[row["unit_code"]], row["indicator"], labels[row["rating"]])
        moderation.rate(by_code["LX"], "1B", "very", comment="Ward profiles seen")
        moderation.rate(by_code["LX"], "3B", "fairly", comment="Panel minutes are thin")
        moderation.ask_further_evidence(by_code["LX"], "2B", "Send the panel's minutes for 2010")
        moderation.set_kpi_target("2010/11", 80)
    return path


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0]) if args else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESAT_HOME", tempfile.mkdtemp(prefix="esat-shots-"))
    os.environ.setdefault("ESAT_USER", "Rowena Stallwood")
    from esat.appdirs import AppPaths
    from esat.catalog import Catalog
    from esat.gui.app import create_window

    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("ESAT")
    paths = AppPaths.from_environment()
    catalog = Catalog(paths.framework_folders())
    central = build(Path(tempfile.mkdtemp(prefix="esat-central-")), catalog)
    window = create_window(paths, catalog)
    window.show()
    window.open_file(central)
    (workspace,) = window.coordinators
    workspace.resize(1360, 860)
    workspace.move(0, 0)
    window.hide()

    def settle() -> None:
        for _ in range(200):
            app.processEvents()
            if workspace.document.tasks.idle:
                break
            workspace.document.tasks.wait_idle(100)
        for _ in range(5):
            app.processEvents()

    def grab(name: str) -> None:
        settle()
        screen = workspace.screen()
        shot = screen.grabWindow(0, workspace.x(), workspace.y(),
                                 workspace.frameGeometry().width(),
                                 workspace.frameGeometry().height())
        if shot.isNull() or app.platformName() == "offscreen":
            shot = workspace.grab()
        shot.save(str(out / name))
        print(out / name)

    settle()
    workspace.units.table.sortByColumn(2, Qt.DescendingOrder)    # by area, descending: the South East first
    workspace.units.table.selectRow(0)
    grab("coordinator-units.png")
    row = next(r for r in workspace.rows if r["unit_code"] == "LX")
    workspace.open_unit(row, "2B")
    grab("coordinator-moderation.png")
    workspace.tabs.setCurrentWidget(workspace.dashboard)
    workspace.dashboard.areas.show_data.setChecked(True)
    grab("coordinator-dashboard.png")
    workspace.tabs.setCurrentWidget(workspace.heat_map)
    grab("coordinator-heat-map.png")
    workspace.heat_map.table_mode.setChecked(True)
    grab("coordinator-heat-map-table.png")
    workspace.close()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
