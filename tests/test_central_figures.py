"""The organisation's figures and reports from a central database made by the real cycle.

The central database comes from units' files through ``esat submit``,
``esat merge`` and ``esat moderate`` (tests/cycle_helpers.py): no role is
flipped. It also holds a superseded revision, an open conflict and another
year's assessment, each rated so that counting it would change the figures.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import read_tsv
from cycle_helpers import cli, run, south_east_by_the_cycle
from esat import figures
from esat.appdirs import AppPaths
from esat.scope import Scored
from esat.snapshot import take_all
from esat.store import Store

EXPECTED = {row["unit_code"]: row for row in read_tsv("esps_se_area_2011_expected.tsv")}


@pytest.fixture(scope="module")
def made(tmp_path_factory, esps):
    folder = tmp_path_factory.mktemp("cycle")
    paths = AppPaths(folder / "config", folder / "data", folder / "logs", "C. Coordinator")
    return south_east_by_the_cycle(folder, esps, paths), paths


@pytest.fixture
def central(made, tmp_path):
    """A copy of the cycle's central database, free to change."""
    path = tmp_path / "central.esat"
    shutil.copyfile(made[0], path)
    return path


@pytest.fixture
def paths(made):
    return made[1]


def figures_json(central, paths, *argv) -> dict:
    return json.loads(cli("figures", central, "--json", *argv, paths=paths))


def rows_by_code(group: dict) -> dict:
    return {row["unit_code"]: row for area in group["units_by_area"] for row in area["rows"]}


# -- what counts ------------------------------------------------------------------------------


def test_the_cycle_left_history_that_must_not_count(central, paths):
    with Store.open(central, actor="t", read_only=True) as store:
        states = sorted(store.db.execute(
            "SELECT unit_code, revision, state FROM received_submissions "
            "WHERE state <> 'current'").fetchall())
        held = sorted((a.unit.code, a.period) for a in store.assessments())
    assert states == [("LX", 1, "superseded"), ("PL", 1, "conflict")]
    assert held == sorted([(c, "2010/11") for c in EXPECTED] + [("RG", "2011/12")])
    # esat score lists every current assessment, the other year's too
    scores = json.loads(cli("score", central, "--json", paths=paths))
    assert len(scores) == 7 and {r["period"] for r in scores} == {"2010/11", "2011/12"}


def test_figures_are_the_reviews_and_count_only_current_assessments(central, paths):
    data = figures_json(central, paths)
    assert data["financial_year"] == "2010/11" and data["area"] is None
    assert data["counted"] == {"assessments": 6, "other_years": {"2011/12": 1},
                               "superseded": 1, "open_conflicts": 1, "set_aside": 0}
    (group,) = data["groups"]
    assert (group["framework"], group["phase"]) == ("esps-2009", "baseline")
    # the KPI: 6 of 6 (a counted conflict or other year would make 7 or 8 units, and
    # Lambeth's superseded first revision would not meet the baseline)
    overall = group["kpi"]["overall"]
    assert (overall["units"], overall["assessed"], overall["meeting"], overall["percent"],
            overall["target_percent"], overall["target_met"]) == (6, 6, 6, 100, 80, True)
    assert [(a["area"], a["meeting"], a["assessed"]) for a in group["kpi"]["areas"]] == [
        ("South East", 6, 6)]
    assert data["target"]["source"] == "central database"
    assert data["target"]["set_by"] == "C. Coordinator"
    # the review's published figures: rule 7, the coordinators' ratings count (the units
    # rated themselves Very satisfactory throughout, which would be 100% each)
    rows = rows_by_code(group)
    assert set(rows) == set(EXPECTED)
    for code, expected in EXPECTED.items():
        row = rows[code]
        assert (f"{row['score_percent']}%", str(row["satisfactory"]),
                str(row["not_satisfactory"]), row["meets_baseline"]) == (
            expected["overall"], expected["satisfactory"], expected["not_satisfactory"],
            expected["meets_baseline"] == "yes"), code
        assert row["rating_basis"].startswith("assessor's rating for ")
    # "The weakest response was for Operational Delivery indicator 8B"
    assert group["weakest"][0]["code"] == "8B"
    assert group["weakest"][0]["not_met_by"] == ["LX", "PY", "RG", "RY"]
    assert {f["code"] for f in group["strongest"]} == {"1B", "2B", "4B", "5B", "10B", "11B",
                                                        "12B", "16B"}
    pairs = {(p["unit_code"], p["item_code"]): p["partners"] for p in group["pairings"]}
    assert pairs[("RG", "8B")] == ["MD", "PL"]


def test_the_cli_numbers_are_figures_py_numbers(central, paths):
    """The command's JSON equals figures.py's overview computed apart, from full snapshots."""
    data = figures_json(central, paths)
    with Store.open(central, actor="t", read_only=True) as store:
        snaps = [s for s in take_all(store) if s.assessment.period == "2010/11"]
        light = [Scored(s.assessment, store.score(s.assessment.uuid)) for s in snaps]
    from fractions import Fraction
    expected = [g.as_dict() for g in figures.overview(snaps, target=Fraction(4, 5),
                                                      financial_year="2010/11")]
    assert data["groups"] == expected
    assert [g.as_dict() for g in figures.overview(light, target=Fraction(4, 5),
                                                  financial_year="2010/11")] == expected
    # and the pieces are the functions the report uses
    (group,) = expected
    assert group["kpi"]["overall"]["statement"] == figures.kpi(
        snaps, target=Fraction(4, 5), financial_year="2010/11").statement()
    assert [f["code"] for f in group["weakest"]] == [
        f.item.code for f in figures.weakest(figures.indicator_figures(snaps))]


def test_the_text_shows_the_same_numbers_as_the_json(central, paths):
    data = figures_json(central, paths)
    text = cli("figures", central, paths=paths)
    (group,) = data["groups"]
    assert text.splitlines()[0] == f"{central}: figures of the organisation for FY2010/11"
    assert data["counted_words"] in text and data["target_words"] in text
    assert ("Of the 6 units assessed, 6 (100%) currently meet the baseline. Therefore the "
            "FY2010/11 target of 80% has been met.") in text
    assert re.search(r"^  South East +6 +6 +6 +100% +80% +met$", text, re.M)
    for code, row in rows_by_code(group).items():
        counts = " +".join(str(n) for n in row["rating_counts"].values())
        assert re.search(rf"^  {code} {row['unit_name']} +{counts} +{row['unrated']} +"
                         rf"{row['not_satisfactory']} +{row['satisfactory']} +"
                         rf"{row['score_percent']}% +met$", text, re.M), code
    assert re.search(r"^  8B +2 of 6 +33% +LX, PY, RG, RY +Impact of serious", text, re.M)
    assert "  RG Greenwich: 8B: MD, PL" in text
    assert "Not counted, kept in the central database's history: 1 earlier revision " \
           "(superseded), 1 conflicting submission not yet resolved." in text
    assert "Not counted: 1 assessment of other financial years: 2011/12 (1)." in text


def test_year_area_and_target_options(central, paths):
    # another year: Greenwich's 2011/12 alone, and no target kept for it
    data = figures_json(central, paths, "--year", "2011/12")
    (group,) = data["groups"]
    assert list(rows_by_code(group)) == ["RG"]
    assert rows_by_code(group)["RG"]["score_percent"] == 0
    assert group["kpi"]["overall"]["target_met"] is None and data["target"]["percent"] is None
    assert "keeps no target for FY2011/12" in data["target_words"]
    assert data["counted"]["other_years"] == {"2010/11": 6}
    text = cli("figures", central, "--year", "2011/12", paths=paths)
    assert re.search(r"^  Organisation +1 +1 +0 +0% +n/a +no target$", text, re.M)
    # an area, named in any case
    data = figures_json(central, paths, "--area", "  south EAST ")
    assert data["area"] == "South East" and len(rows_by_code(data["groups"][0])) == 6
    # a target given for this run only, and the one kept is unchanged
    data = figures_json(central, paths, "--target", "100")
    assert data["groups"][0]["kpi"]["overall"]["target_met"] is True
    assert data["target"] == {"percent": 100, "source": "given", "set_by": None,
                              "set_at": None, "kept_percent": 80}
    assert json.loads(cli("target", central, "--json", paths=paths)) == {"2010/11": 80}
    # --top: the three weakest, with any tied with the third
    data = figures_json(central, paths, "--top", "1")
    assert [f["code"] for f in data["groups"][0]["weakest"]] == ["8B"]


@pytest.mark.parametrize("argv, message, exit_code", [
    (["--area", "North"], "no unit in area 'North' (areas: South East)", 1),
    (["--year", "2099/00"], "holds no assessment for FY2099/00 (financial years held: "
                            "2010/11, 2011/12)", 1),
    (["--year", "2011"], "period '2011'", 1),
    (["--target", "120"], "--target '120' must be a percent from 0 to 100", 1),
    (["--top", "0"], "--top 0 must be 1 or more", 1),
    (["--bogus"], "unrecognized arguments: --bogus", 1),
])
def test_figures_errors_are_one_line(central, paths, argv, message, exit_code):
    before = central.read_bytes()
    code, out, err = run("figures", central, *argv, paths=paths)
    assert (code, out) == (exit_code, "") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2
    assert central.read_bytes() == before


def test_figures_refuses_what_is_not_a_central_database(tmp_path, made, paths):
    unit = made[0].parent / "units" / "LX.esat"
    code, _, err = run("figures", unit, paths=paths)
    assert code == 1 and "is a unit file, not a central database" in err
    junk = tmp_path / "junk.esat"
    junk.write_text("not a database")
    code, _, err = run("figures", junk, paths=paths)
    assert code == 2 and "junk.esat" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("figures", tmp_path / "none.esat", paths=paths)
    assert code == 2 and "none.esat" in err


def test_figures_help_has_an_example(paths):
    code, out, _ = run("figures", "--help", paths=paths)
    assert code == 0 and "Example: esat figures central.esat" in out and "--year" in out


# -- esat report from the central database ------------------------------------------------------


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())


def html_text(path) -> str:
    from html import unescape
    body = path.read_text(encoding="utf-8").split("</style>", 1)[-1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_report_takes_the_years_target_from_the_central_database(central, paths, tmp_path):
    pdf, html = tmp_path / "se.pdf", tmp_path / "se.html"
    cli("report", central, "--area", "South East", "--pdf", pdf, "--html", html, paths=paths)
    for text in (pdf_text(pdf), html_text(html)):
        assert ("Of the 6 units assessed, 6 (100%) currently meet the baseline. Therefore the "
                "FY2010/11 target of 80% has been met.") in text
        assert re.search(r"The target of 80% for FY2010/11 is the one kept in the central "
                         r"database \(set by C. Coordinator on \d{4}-\d\d-\d\d\)\.", text)
        assert ("Counted: the current revision of 6 assessments for FY2010/11 in the South East "
                "area, as merged into the central database.") in text
        assert "1 earlier revision (superseded), 1 conflicting submission not yet resolved" in text
        assert "Ratings that counted: the assessor's and the unit's own for 6 units." in text
        for code, row in EXPECTED.items():      # Table 1: the published scores
            assert re.search(rf"{code} {row['unit_name']}( \d+){{5}} {row['not_satisfactory']} "
                             rf"{row['satisfactory']} {row['overall']} met", text), code
        assert "RG Greenwich 0%" not in text      # the 2011/12 assessment is not in it


def test_report_target_given_none_kept_and_no_target(central, paths, tmp_path):
    pdf = tmp_path / "se.pdf"
    cli("report", central, "--pdf", pdf, "--target", "100", paths=paths)
    text = pdf_text(pdf)
    assert ("The target of 100% was given for this report in place of the 80% the central "
            "database keeps for FY2010/11.") in text
    assert "Therefore the FY2010/11 target of 100% has been met." in text
    # FY2011/12 has no target kept: refused, one line, nothing written ...
    other = tmp_path / "2011-12.pdf"
    code, out, err = run("report", central, "--year", "2011/12", "--pdf", other, paths=paths)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert ("keeps no KPI target for FY2011/12; set one with 'esat target central.esat "
            "--period 2011/12 --percent 80', give --target PERCENT, or report without a KPI "
            "verdict with --no-target") in err
    assert not other.exists()
    # ... unless asked for a report without a verdict
    code, _, err = run("report", central, "--year", "2011/12", "--pdf", other, "--no-target",
                       paths=paths)
    assert code == 0, err
    text = pdf_text(other)
    assert "The central database keeps no target for FY2011/12 and none was given, so the " \
           "KPI has no verdict." in text
    assert "Of the 1 unit assessed, 0 (0%) currently meet the baseline." in text
    assert "Not counted: 6 assessments of other financial years: 2010/11 (6)." in text
    code, _, err = run("report", central, "--pdf", other, "--no-target", "--target", "80",
                       paths=paths)
    assert code == 1 and "give --target or --no-target, not both" in err
    # a unit with assessments of two years: --year chooses which one's summary
    code, _, err = run("report", central, "--unit", "RG", "--pdf", other, paths=paths)
    assert code == 1 and "unit RG has 2 assessments" in err and "--year" in err
    cli("report", central, "--unit", "RG", "--year", "2011/12", "--pdf", other, paths=paths)
    assert "Score: 0%" in pdf_text(other)


def test_a_resolved_conflict_counts_once_it_is_current(central, paths):
    """Keeping the stray Lewisham file makes it the current revision; the one it replaced
    is then the superseded one, and the coordinators' ratings survive (rule 7)."""
    conflict = json.loads(cli("history", central, "--conflicts", "--json", paths=paths))
    (row,) = conflict
    cli("resolve", central, row["uuid"][:8], "--keep", "incoming", paths=paths)
    data = figures_json(central, paths)
    assert data["counted"] == {"assessments": 6, "other_years": {"2011/12": 1},
                               "superseded": 2, "open_conflicts": 0, "set_aside": 0}
    pl = rows_by_code(data["groups"][0])["PL"]
    # Lewisham's one indicator the coordinators left to the unit (rated Very by the review)
    # is now the stray file's "Not at all satisfactory": 12 of 18
    assert (pl["satisfactory"], pl["score_percent"]) == (12, 67)


def test_a_unit_held_twice_for_one_year_is_refused_not_counted_twice(central, paths):
    """The merge never makes this (a second assessment of a unit, framework, phase and
    period is a conflict); a file holding it anyway must not skew the KPI."""
    import sqlite3
    conn = sqlite3.connect(central)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(assessments)")]
    copied = ", ".join("'0000dup'" if c == "uuid" else c for c in columns)
    with conn:
        conn.execute(f"INSERT INTO assessments ({', '.join(columns)}) SELECT {copied} FROM "
                     "assessments a WHERE unit_uuid = (SELECT uuid FROM units WHERE code = 'MD')")
    conn.close()
    code, out, err = run("figures", central, paths=paths)
    assert code == 1 and out == "" and "holds 2 assessments of MD for esps-2009 baseline " \
                                       "FY2010/11; a unit counts once" in err
    code, _, err = run("report", central, "--pdf", central.with_suffix(".pdf"), paths=paths)
    assert code == 1 and "a unit counts once" in err


def test_a_conflict_set_aside_never_counts(central, paths):
    (row,) = json.loads(cli("history", central, "--conflicts", "--json", paths=paths))
    before = rows_by_code(figures_json(central, paths)["groups"][0])["PL"]
    cli("resolve", central, row["uuid"][:8], "--keep", "current", paths=paths)
    data = figures_json(central, paths)
    assert data["counted"]["open_conflicts"] == 0 and data["counted"]["set_aside"] == 1
    assert rows_by_code(data["groups"][0])["PL"] == before
    assert (before["satisfactory"], before["score_percent"]) == (13, 72)      # as published
    assert "1 conflicting submission set aside" in data["counted_words"]


def test_every_command_reads_a_real_central_database_and_its_feedback(tmp_path, esps, paths):
    """What the reliability checks demand and what the coordinator's cycle writes agree: a
    central database with moderation, a KPI target, a dip sample, received submissions and
    search-index rows, and a feedback file, pass `esat check` and open for every command."""
    central = south_east_by_the_cycle(tmp_path, esps, paths)
    cli("sample", central, "--unit", "LX", "--period", "2010/11", "--size", "3", paths=paths)
    feedback = tmp_path / "LX-feedback.esat"
    cli("feedback", "--unit", "LX", central, feedback, paths=paths)
    unit = tmp_path / "units" / "LX.esat"
    cli("import-feedback", "--into", unit, feedback, paths=paths)
    with Store.open(central, actor="t", read_only=True) as store:
        for table in ("moderation", "received_submissions", "kpi_targets", "dip_samples",
                      "search_index"):
            assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0, table
    for path in (central, feedback, unit):
        assert cli("check", path, paths=paths).strip().endswith(": valid")
    for argv in (("score", central), ("show", central), ("figures", central),
                 ("search", central, "ward"), ("history", central, "--unit", "LX"),
                 ("agreement", central), ("report", "--pdf", tmp_path / "org.pdf", central),
                 ("score", unit), ("show", unit)):
        code, _, err = run(*argv, paths=paths)
        assert (code, err) == (0, ""), (argv, err)
    # a feedback file alone has no unit ratings: no score, summary, workbook or report of it
    for argv in (("score", feedback), ("show", feedback),
                 ("export", "--xlsx", tmp_path / "fb.xlsx", feedback),
                 ("report", "--pdf", tmp_path / "fb.pdf", feedback)):
        code, out, err = run(*argv, paths=paths)
        assert code == 1 and out == "" and "is a feedback file" in err, argv
    assert not (tmp_path / "fb.pdf").exists() and not (tmp_path / "fb.xlsx").exists()
