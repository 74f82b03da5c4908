"""A central database made by the real cycle, for the figures and reports tests.

Units fill their own files, sign off and ``esat submit``; the coordinators
``esat merge`` the submissions and ``esat moderate`` them; nothing flips a
file's role. The South East boroughs of the 2011 review rate every indicator
"Very satisfactory" themselves, and the coordinators rate each indicator the
review rated otherwise as the review did, so the published figures come out
only when the assessor's rating counts (rule 7). Along the way the central
database also receives what must never count:

* Lambeth's first revision, every indicator "Not at all satisfactory",
  superseded by its second;
* a second file for Lewisham's 2010/11 assessment, every indicator "Not at
  all satisfactory": a conflict, not applied;
* Greenwich's 2011/12 assessment, every indicator "Not at all satisfactory":
  current, but of another financial year.
"""

from __future__ import annotations

import io
from pathlib import Path

from conftest import read_tsv
from esat.appdirs import AppPaths
from esat.cli import main
from esat.store import Store

LABEL_TO_ID = {"Very satisfactory": "very", "Fairly satisfactory": "fairly",
               "Not very satisfactory": "not_very", "Not at all satisfactory": "not_at_all"}


def run(*argv, paths: AppPaths):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), paths=paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def cli(*argv, paths: AppPaths) -> str:
    """Run an esat command that must succeed; its output."""
    code, out, err = run(*argv, paths=paths)
    assert code == 0, f"esat {' '.join(map(str, argv))}: {err}"
    return out


def unit_file(path: Path, esps, code: str, name: str, codes, rating: str, *,
              period: str = "2010/11", area: str = "South East") -> Path:
    """A unit's own file, every indicator in ``codes`` self-rated ``rating``."""
    with Store.create(path, actor=f"{name} equality lead") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code=code, unit_name=name,
                                    unit_type="borough", area=area, period=period)
        store.set_details(a.uuid, protective_marking="Not Protectively Marked",
                          publication_scheme=True)
        for item in codes:
            store.set_self_rating(a.uuid, item, rating)
        store.add_note(a.uuid, "1B", "Ward profiles", f"{name} refreshed every ward profile")
    return path


def sign_and_submit(path: Path, outbox: Path, paths: AppPaths, *, on: str) -> Path:
    outbox.mkdir(exist_ok=True)
    cli("sign-off", path, "--name", "A. Commander", "--role", "Borough Commander", "--date", on,
        paths=paths)
    return Path(cli("submit", path, "--to", outbox, paths=paths).strip())


def south_east_by_the_cycle(folder: Path, esps, paths: AppPaths, *,
                            target: int | None = 80) -> Path:
    """The central database of the South East's 2010/11 review, made by the real cycle
    (see the module's docstring); with ``target`` it keeps the FY2010/11 KPI target."""
    rows = read_tsv("esps_se_area_2011_ratings.tsv")
    names = {row["unit_code"]: row["unit_name"] for row in rows}
    codes = {code: [r["indicator"] for r in rows if r["unit_code"] == code] for code in names}
    central = folder / "central.esat"
    units = folder / "units"
    units.mkdir()
    # 1. every borough sends revision 1; Lambeth's first is all "Not at all satisfactory"
    first = folder / "inbox-1"
    for code, name in names.items():
        path = unit_file(units / f"{code}.esat", esps, code, name, codes[code],
                         "not_at_all" if code == "LX" else "very")
        sign_and_submit(path, first, paths, on="2011-02-15")
    cli("merge", central, first, paths=paths)
    # 2. Lambeth corrects itself in revision 2; a stray second file for Lewisham's
    #    2010/11 assessment and Greenwich's 2011/12 assessment arrive with it
    cli("reopen", units / "LX.esat", paths=paths)
    with Store.open(units / "LX.esat", actor="Lambeth equality lead") as store:
        a = store.only_assessment()
        for item in codes["LX"]:
            store.set_self_rating(a.uuid, item, "very")
    second = folder / "inbox-2"
    sign_and_submit(units / "LX.esat", second, paths, on="2011-03-01")
    stray = unit_file(units / "PL-stray.esat", esps, "PL", "Lewisham", codes["PL"], "not_at_all")
    sign_and_submit(stray, second, paths, on="2011-03-01")
    next_year = unit_file(units / "RG-2011-12.esat", esps, "RG", "Greenwich", codes["RG"],
                          "not_at_all", period="2011/12")
    sign_and_submit(next_year, second, paths, on="2012-02-15")
    merged = run("merge", central, second, paths=paths)[1]
    assert "updated (LX: revision 2 supersedes 1)" in merged
    assert "conflict: the central database already holds another assessment of PL" in merged
    assert "RG_esps-2009_baseline_2011-12_r1.esat: imported" in merged
    # 3. the coordinators rate every indicator the review did not find Very satisfactory
    for row in rows:
        if row["rating"] != "Very satisfactory":
            cli("moderate", central, "--unit", row["unit_code"], "--item", row["indicator"],
                "--period", "2010/11", "--rating", LABEL_TO_ID[row["rating"]], paths=paths)
    if target is not None:
        cli("target", central, "--period", "2010/11", "--percent", target, paths=paths)
    return central
