"""The esat command line: commands, output, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys

import pytest

from conftest import read_tsv
from esat.cli import main
from esat.store import Store


def run(*argv, paths=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), paths=paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


NEW_LX = ["--framework", "esps-2009", "--phase", "baseline", "--unit-code", "LX",
          "--unit-name", "Lambeth", "--unit-type", "borough", "--area", "South East",
          "--period", "2010/11"]


def test_new_then_score(tmp_path):
    path = tmp_path / "lambeth.esat"
    code, out, err = run("new", path, *NEW_LX)
    assert (code, err) == (0, "")
    assert "Created" in out and "LX Lambeth" in out and "ESPS 2009 Baseline" in out
    code, out, _ = run("score", path, "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["unit_code"] == "LX" and row["unit_name"] == "Lambeth" and row["area"] == "South East"
    assert (row["required"], row["satisfactory"], row["score_percent"], row["meets_baseline"]) == (18, 0, 0, False)
    assert row["sections"] == {"Operational Delivery": 0, "People and Culture": 0,
                               "Organisational Processes": 0}
    assert "level_attained" not in row
    code, out, _ = run("score", path)
    assert code == 0
    header, line = out.splitlines()
    assert header.split()[:5] == ["Unit", "Name", "Area", "Framework", "Phase"]
    assert line.startswith("LX") and "0%" in line and "not met" in line


def test_score_json_reproduces_the_south_east_reference(tmp_path, esps):
    path = tmp_path / "se.esat"
    labels = {p.label: p.id for p in esps.scale}
    with Store.create(path, actor="t") as store:
        made = {}
        for r in read_tsv("esps_se_area_2011_ratings.tsv"):
            if r["unit_code"] not in made:
                made[r["unit_code"]] = store.create_assessment(
                    esps, stage="baseline", unit_code=r["unit_code"], unit_name=r["unit_name"],
                    unit_type="borough", area="South East")
            store.set_self_rating(made[r["unit_code"]].uuid, r["indicator"], labels[r["rating"]])
    code, out, _ = run("score", path, "--json")
    assert code == 0
    rows = {row["unit_code"]: row for row in json.loads(out)}
    for expected in read_tsv("esps_se_area_2011_expected.tsv"):
        row = rows[expected["unit_code"]]
        assert f"{row['score_percent']}%" == expected["overall"]
        assert row["satisfactory"] == int(expected["satisfactory"])
        assert row["meets_baseline"] == (expected["meets_baseline"] == "yes")
        assert f"{row['sections']['People and Culture']}%" == expected["people_and_culture"]


def test_eslg_rows_add_the_level_attained(tmp_path, eslg):
    path = tmp_path / "eslg.esat"
    code, _, err = run("new", path, "--framework", "eslg-2007", "--unit-code", "SCD7",
                       "--unit-name", "Specialist Crime", "--unit-type", "specialist")
    assert code == 0, err
    with Store.open(path, actor="t") as store:
        a = store.only_assessment()
        for item in eslg.items_for(None):
            if item.stage == "level-1":
                store.set_self_rating(a.uuid, item.code, "achieved")
    (row,) = json.loads(run("score", path, "--json")[1])
    assert row["level_attained"] == 1
    assert row["level_attained_title"] == eslg.stages[0].title
    assert row["meets_baseline"] is True
    table = run("score", path)[1]
    assert "Baseline/level" in table and "level 1 attained" in table and "no level" not in table


def test_eslg_offers_council_unit_types(tmp_path, eslg, esps):
    assert {"county", "district", "unitary", "london_borough"} <= {t.id for t in eslg.unit_types}
    assert "county" not in {t.id for t in esps.unit_types}
    path = tmp_path / "council.esat"
    code, _, err = run("new", path, "--framework", "eslg-2007", "--unit-code", "LBX",
                       "--unit-name", "Lambeth Council", "--unit-type", "london_borough")
    assert code == 0, err
    table = run("score", path)[1]
    assert "level 0 (none attained yet)" in table


@pytest.mark.parametrize("argv, message", [
    (["new", "{dir}/x.esat", "--framework", "esps-2009", "--unit-code", "LX", "--unit-name", "L",
      "--unit-type", "borough"], "--phase is required for esps-2009"),
    (["new", "{dir}/x.esat", "--framework", "esps-1999", "--phase", "baseline", "--unit-code", "LX",
      "--unit-name", "L", "--unit-type", "borough"], "unknown framework 'esps-1999'"),
    (["new", "{dir}/x.esat", "--framework", "esps-2009", "--phase", "baseline", "--unit-code", "LX",
      "--unit-name", "L", "--unit-type", "county"], "x.esat: unit type 'county'"),
    (["new", "{dir}/x.esat", "--framework", "esps-2009", "--phase", "baseline", "--unit-code", "LX",
      "--unit-name", "L", "--unit-type", "borough", "--period", "2011"], "period '2011'"),
    (["new", "{dir}/x.esat"], "the following arguments are required"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["score"], "the following arguments are required: FILE"),
])
def test_usage_errors_exit_1_with_one_line(tmp_path, argv, message):
    code, out, err = run(*[a.format(dir=tmp_path) for a in argv])
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.esat").exists()


def test_new_refuses_an_existing_file(tmp_path):
    path = tmp_path / "lambeth.esat"
    path.write_text("precious")
    code, _, err = run("new", path, *NEW_LX)
    assert code == 1 and "already exists" in err
    assert path.read_text() == "precious"


def test_invalid_files_exit_2_naming_the_file(tmp_path):
    bogus = tmp_path / "bogus.esat"
    bogus.write_text("not a database")
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    for command in ("score", "show", "check"):
        for path, problem in ((bogus, "is not an ESAT file (it is not an SQLite database)"),
                              (plain, "is an SQLite database but was not made by ESAT"),
                              (tmp_path / "gone.esat", "no such file")):
            code, out, err = run(command, path)
            assert code == 2, (command, path)
            assert f"{path}: {problem}" in out + err
            assert "Traceback" not in out + err


def test_check_lists_every_problem(tmp_path):
    path = tmp_path / "lambeth.esat"
    run("new", path, *NEW_LX)
    assert run("check", path)[:2] == (0, f"{path}: valid\n")
    conn = sqlite3.connect(path)
    a_uuid = conn.execute("SELECT uuid FROM assessments").fetchone()[0]
    conn.execute("INSERT INTO responses (uuid, assessment_uuid, item_code, self_rating, created_at, "
                 "updated_at) VALUES ('r1', ?, '99B', 'superb', 'x', 'x')", [a_uuid])
    conn.execute("INSERT INTO blobs VALUES ('00ff', 3, x'010203', 'x')")
    conn.execute("INSERT INTO actions (uuid, assessment_uuid, description, due_on, created_at, "
                 "updated_at) VALUES ('a1', ?, 'x', 'soon', 'x', 'x')", [a_uuid])
    conn.commit()
    conn.close()
    code, out, err = run("check", path)
    assert code == 2
    assert "table responses, row 1: item '99B' is not an item of the assessment" in out
    assert "table responses, row 1 ('99B'): self rating 'superb' is not on the scale" in out
    assert "table blobs, row 1: '00ff' is not a SHA-256 hash" in out
    assert "table actions, row 1: due date 'soon' is not a date" in out
    assert "4 problems found" in err


def test_frameworks_lists_versions_and_phases():
    code, out, _ = run("frameworks")
    assert code == 0
    assert "esps-2009  Equality Standard for the Police Service" in out
    assert "phase integrating" in out and "(22 indicators, derived wording)" in out
    assert "level level-5" in out and "criteria" in out
    data = json.loads(run("frameworks", "--json")[1])
    assert [f["key"] for f in data] == ["eslg-2007", "esps-2009"]


def test_demo_and_show(tmp_path, paths):
    target = tmp_path / "demo.esat"
    code, out, _ = run("demo", target, paths=paths)
    assert code == 0 and str(target) in out
    code, out, _ = run("show", target, paths=paths)
    assert code == 0
    assert "ZV Zenith Vale (South East)" in out
    assert "Baseline met (threshold 50%)" in out
    assert "15B      exempt" in out
    # the default demo lives in ESAT's data folder
    code, out, _ = run("demo", paths=paths)
    assert code == 0 and str(paths.data_dir) in out


def test_demo_never_overwrites_a_real_assessment(tmp_path):
    path = tmp_path / "lambeth.esat"
    run("new", path, *NEW_LX)
    before = path.read_bytes()
    code, _, err = run("demo", path)
    assert code == 1 and "is not an ESAT demo" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", ["new", "score", "check", "frameworks", "show", "demo", "gui"])
def test_every_command_has_help_with_an_example(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "usage: esat " + command in out
    assert "Example: esat " + command in out


def test_the_installed_entry_point_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "esat", "frameworks"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "esps-2009" in result.stdout
    result = subprocess.run([sys.executable, "-m", "esat", "score", str(tmp_path / "none.esat")],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"esat: {tmp_path / 'none.esat'}: no such file"
