"""The submission cycle by command line: sign-off, submit, merge, history, resolve, ..."""

from __future__ import annotations

import io
import json

from esat.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def new_unit(folder, code, area="South East"):
    path = folder / f"{code}.esat"
    assert run("new", path, "--framework", "esps-2009", "--phase", "baseline", "--unit-code",
               code, "--unit-name", f"Unit {code}", "--unit-type", "borough", "--area", area,
               "--period", "2010/11")[0] == 0
    return path


def test_sign_off_submit_merge_history_and_errors(tmp_path, esat_home):
    lx = new_unit(tmp_path, "LX")
    outbox, central = tmp_path / "outbox", tmp_path / "central.esat"
    outbox.mkdir()
    code, out, err = run("sign-off", lx, "--name", "A. Commander", "--role", "Borough Commander",
                         "--date", "2011-02-15")
    assert (code, err) == (0, "") and "LX revision 1 by A. Commander" in out
    code, out, err = run("sign-off", lx, "--name", "A", "--role", "B")
    assert code == 1 and "signed off and read-only" in err and len(err.splitlines()) == 1
    code, out, _ = run("submit", lx, "--to", outbox)
    first = outbox / "LX_esps-2009_baseline_2010-11_r1.esat"
    assert code == 0 and out.strip() == str(first) and first.exists()
    code, out, err = run("merge", central, outbox)
    assert (code, err) == (0, "") and out.strip() == f"{first}: imported (LX revision 1)"
    code, out, _ = run("merge", central, first, "--json")
    assert json.loads(out)[0]["status"] == "already imported"
    assert run("reopen", lx)[1].strip() == f"Reopened {lx}: LX is now at revision 2 (draft)"
    run("sign-off", lx, "--name", "A. Commander", "--role", "Borough Commander")
    code, out, _ = run("submit", lx, "--to", outbox, "--json")
    second = json.loads(out)
    assert second["revision"] == 2 and second["supersedes_uuid"]
    junk = tmp_path / "junk.esat"
    junk.write_text("hello")
    code, out, err = run("merge", central, second["path"], junk)
    assert code == 2
    assert out.splitlines() == [f"{second['path']}: updated (LX: revision 2 supersedes 1)",
                                f"{junk}: rejected: is not an ESAT file (it is not an SQLite "
                                "database)"]
    code, out, _ = run("history", central, "--unit", "LX", "--json")
    assert [(r["revision"], r["state"]) for r in json.loads(out)] == [(1, "superseded"),
                                                                    (2, "current")]
    code, out, _ = run("history", central, "--unit", "LX")
    assert "revision 1  superseded  from LX_esps-2009_baseline_2010-11_r1.esat" in out
    first_id = out.split()[0]
    code, out, _ = run("history", central, "--show", first_id)
    old = json.loads(out)
    assert (old["assessment"]["revision"], old["unit"]["code"]) == (1, "LX")
    code, out, _ = run("score", central, "--json")
    (row,) = json.loads(out)
    assert (row["unit_code"], row["revision"]) == ("LX", 2)
    # wrong files for each command: one line, exit 1 or 2
    code, _, err = run("history", lx, "--unit", "LX")
    assert code == 1 and "is a unit file, not a central database" in err
    code, _, err = run("merge", lx, first)
    assert code == 2 and "is a unit file, not a central database" in err
    code, _, err = run("resolve", central, "zzzz", "--keep", "incoming")
    assert code == 1 and "no received submission zzzz" in err
    code, out, _ = run("history", central, "--conflicts")
    assert "no open conflicts" in out


LABEL = {"very": "Very satisfactory", "fairly": "Fairly satisfactory",
         "not_very": "Not very satisfactory", "not_at_all": "Not at all satisfactory"}
BASELINE = [f"{n}B" for n in range(1, 23) if n not in (15, 17, 20, 21)]     # 18 required


def fill_template(path, ratings: dict[str, str], notes: dict[str, str]):
    from openpyxl import load_workbook
    from test_excel_support import header_map, row_of
    wb = load_workbook(path)
    ws = wb["Indicators"]
    h = header_map(ws)
    for code, rating in ratings.items():
        ws.cell(row_of(ws, code), h["Self rating"]).value = LABEL[rating]
    for code, text in notes.items():
        wb["Evidence"].append([code, "Note", "Evidence", text])
    wb.save(path)


def test_the_whole_cycle_by_command_line(tmp_path, esat_home):
    """Three units fill workbooks, sign off and submit; the coordinator merges, moderates
    and writes feedback; one unit takes it in, reopens and re-submits; merged again."""
    outbox, central = tmp_path / "outbox", tmp_path / "central.esat"
    outbox.mkdir()
    plans = {   # code: (area, number of the 18 required rated very, the rest not_very)
        "LX": ("South East", 9),        # exactly 50%: meets
        "MD": ("South East", 12),
        "NW": ("North West", 5),
    }
    units = {}
    for code, (area, good) in plans.items():
        book = tmp_path / f"{code}.xlsx"
        assert run("template", book, "--framework", "esps-2009", "--phase", "baseline",
                   "--unit-code", code, "--unit-name", f"Unit {code}", "--unit-type", "borough",
                   "--area", area, "--period", "2010/11")[0] == 0
        fill_template(book, {c: "very" if i < good else "not_very"
                             for i, c in enumerate(BASELINE)},
                      {"1B": f"{code} ward profiles refreshed"})
        units[code] = tmp_path / f"{code}.esat"
        code_, out, err = run("import-xlsx", book, "--into", units[code])
        assert code_ == 0, err
        assert run("sign-off", units[code], "--name", "Commander", "--role",
                   "Borough Commander", "--date", "2011-02-15")[0] == 0
        assert run("submit", units[code], "--to", outbox)[0] == 0
    code, out, _ = run("merge", central, outbox, "--json")
    assert [(r["unit_code"], r["status"]) for r in json.loads(out)] == [
        ("LX", "imported"), ("MD", "imported"), ("NW", "imported")]
    # the coordinator moderates LX: 2B (self very) is only fairly; 19B (not_very) is fairly
    assert run("moderate", central, "--unit", "LX", "--item", "19B", "--rating", "fairly",
               "--comment", "Minutes show it")[0] == 0
    assert run("moderate", central, "--unit", "LX", "--item", "2B", "--rating",
               "Not very satisfactory", "--further-evidence", "Send the panel minutes")[0] == 0
    assert run("target", central, "--period", "2010/11", "--percent", "80")[0] == 0
    code, out, _ = run("sample", central, "--unit", "LX", "--size", "3", "--seed", "11", "--json")
    assert json.loads(out)["seed"] == 11 and len(json.loads(out)["items"]) == 3
    feedback = tmp_path / "lx-feedback.esat"
    assert run("feedback", central, "--unit", "LX", feedback)[0] == 0
    code, out, _ = run("score", central, "--json")
    scores = {r["unit_code"]: r for r in json.loads(out)}
    assert {c: r["score_percent"] for c, r in scores.items()} == {"LX": 50, "MD": 67, "NW": 28}
    assert scores["LX"]["rating_basis"] == "assessor's rating for 2, unit's own rating for 16"
    # LX takes the feedback in, adds the evidence asked for, and sends revision 2
    code, out, err = run("import-feedback", feedback, "--into", units["LX"])
    assert code == 0 and "further evidence asked for on 1 indicator" in out
    code, out, _ = run("score", units["LX"], "--json")
    assert json.loads(out)[0]["score_percent"] == 50        # the unit sees the assessors' view
    code, _, err = run("import-xlsx", tmp_path / "LX.xlsx", "--into", units["LX"])
    assert code == 1 and "signed off" in err
    assert run("reopen", units["LX"])[0] == 0
    fill_template(tmp_path / "LX.xlsx", {"10B": "very"}, {"2B": "Panel minutes attached"})
    assert run("import-xlsx", tmp_path / "LX.xlsx", "--into", units["LX"])[0] == 0
    run("sign-off", units["LX"], "--name", "Commander", "--role", "Borough Commander",
        "--date", "2011-03-01")
    code, out, _ = run("submit", units["LX"], "--to", outbox)
    code, out, _ = run("merge", central, outbox)
    lines = sorted(out.splitlines())
    assert lines[0].endswith("LX_esps-2009_baseline_2010-11_r1.esat: already imported "
                             "(LX revision 1)")
    assert lines[1].endswith("LX_esps-2009_baseline_2010-11_r2.esat: updated (LX: revision 2 "
                             "supersedes 1); 1 assessor rating to look at again")
    code, out, _ = run("history", central, "--unit", "LX", "--json")
    assert [(r["revision"], r["state"]) for r in json.loads(out)] == [(1, "superseded"),
                                                                    (2, "current")]
    code, out, _ = run("score", central, "--json")
    scores = {r["unit_code"]: r for r in json.loads(out)}
    # 10B now very: 10 of 18 (56%); the assessor ratings survived the re-submission
    assert scores["LX"]["score_percent"] == 56 and scores["LX"]["revision"] == 2
    assert scores["LX"]["rating_basis"] == "assessor's rating for 2, unit's own rating for 16"
    # the KPI: the share of units meeting the baseline against the year's target
    code, out, _ = run("target", central, "--json")
    assert json.loads(out) == {"2010/11": 80}
    meeting = sum(1 for r in scores.values() if r["meets_baseline"])
    assert (meeting, len(scores)) == (2, 3)           # 67% against a target of 80%: not met
    code, out, _ = run("search", central, "panel minutes", "--json")
    assert [(h["unit_code"], h["item_code"]) for h in json.loads(out)] == [("LX", "2B")]
    # the organisation's figures and the report say what esat score says
    assert_figures_and_report_agree(tmp_path, central, scores)


def assert_figures_and_report_agree(tmp_path, central, scores):
    """esat figures and esat report agree with each other and with esat score."""
    code, out, err = run("figures", central, "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["counted"] == {"assessments": 3, "other_years": {}, "superseded": 1,
                                  "open_conflicts": 0, "set_aside": 0}
    (group,) = figures["groups"]
    rows = {r["unit_code"]: r for area in group["units_by_area"] for r in area["rows"]}
    assert set(rows) == set(scores)
    keys = ("unit_name", "area", "required", "satisfactory", "not_satisfactory", "unrated",
            "score_percent", "meets_baseline", "rating_basis", "rating_counts")
    for code_, score in scores.items():
        assert {k: rows[code_][k] for k in keys} == {k: score[k] for k in keys}, code_
    kpi = group["kpi"]["overall"]
    meeting = sum(1 for r in scores.values() if r["meets_baseline"])
    assert (kpi["assessed"], kpi["meeting"], kpi["percent"], kpi["target_percent"],
            kpi["target_met"]) == (3, meeting, 67, 80, False)
    assert {a["area"]: (a["meeting"], a["assessed"]) for a in group["kpi"]["areas"]} == {
        "North West": (0, 1), "South East": (2, 2)}
    assert figures["target"]["source"] == "central database"
    # the report: the same KPI statement, target and scores, in the PDF and its HTML twin
    import re
    import subprocess
    from html import unescape
    pdf, html = tmp_path / "organisation.pdf", tmp_path / "organisation.html"
    code, out, err = run("report", central, "--pdf", pdf, "--html", html)
    assert code == 0, err
    pdf_text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                       capture_output=True, text=True).stdout.split())
    body = html.read_text(encoding="utf-8").split("</style>", 1)[-1]
    html_text = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
    for text in (pdf_text, html_text):
        assert kpi["statement"] in text
        assert "Therefore the FY2010/11 target of 80% has not been met." in text
        assert figures["target_words"] in text and figures["counted_words"] in text
        for code_, score in scores.items():
            counts = " ".join(str(score["rating_counts"][label]) for label in LABEL_ORDER)
            line = (f"{code_} Unit {code_} {counts} {score['unrated']} "
                    f"{score['not_satisfactory']} {score['satisfactory']} "
                    f"{score['score_percent']}% {'met' if score['meets_baseline'] else 'not met'}")
            assert line in text, line


LABEL_ORDER = ("Not at all satisfactory", "Not very satisfactory", "Fairly satisfactory",
               "Very satisfactory")


def test_coordinator_commands_escape_control_characters_in_names(tmp_path, esat_home):
    """A crafted file name can neither fake a line nor send terminal escapes."""
    inbox = tmp_path / "in\x1b[2J"
    inbox.mkdir()
    (inbox / "evil\nesat: LX.esat: imported\x1b[31m.esat").write_bytes(b"not sqlite")
    central = tmp_path / "central\x1b]0;x\x07.esat"
    code, out, err = run("merge", central, inbox)
    assert code == 2 and err == ""
    assert len(out.splitlines()) == 1 and "rejected: is not an ESAT file" in out
    assert "\x1b" not in out and "\\x1b[2J" in out and "\\nesat: LX.esat" in out
    for argv in (("history", central, "--conflicts"), ("search", central, "nothing"),
                 ("target", central), ("figures", central)):
        code, out, err = run(*argv)
        assert "\x1b" not in out + err and "\x07" not in out + err, argv
    lx = new_unit(tmp_path, "LX")
    code, out, err = run("feedback", "--unit", "LX", lx, tmp_path / "fb\x1b[2J.esat")
    assert code != 0 and "\x1b" not in err and len(err.splitlines()) == 1
    renamed = lx.rename(tmp_path / "LX\x1b[2J.esat")
    for argv in (("sign-off", renamed, "--name", "A", "--role", "B"), ("reopen", renamed)):
        code, out, err = run(*argv)
        assert code == 0 and "\x1b" not in out and "LX\\x1b[2J.esat" in out, argv


def test_writing_commands_hold_the_files_lock_while_they_write(tmp_path, esat_home, monkeypatch):
    """One lock rule: a command that writes holds the lock for as long as it writes, so the app
    cannot open the file for editing meanwhile (checking for a holder first is not enough)."""
    from esat.central import merge as merge_module
    from esat.lockfile import lock_path
    from esat.moderation import Moderation
    lx = new_unit(tmp_path, "LX")
    outbox, central = tmp_path / "outbox", tmp_path / "central.esat"
    outbox.mkdir()
    assert run("sign-off", lx, "--name", "A. Commander", "--role", "Borough Commander")[0] == 0
    assert run("submit", lx, "--to", outbox)[0] == 0
    seen = []
    real_merge, real_rate = merge_module.merge_files, Moderation.rate
    monkeypatch.setattr(merge_module, "merge_files", lambda central_store, *a, **k: (
        seen.append(("merge", lock_path(central_store.path).exists())),
        real_merge(central_store, *a, **k))[1])
    monkeypatch.setattr(Moderation, "rate", lambda self, *a, **k: (
        seen.append(("moderate", lock_path(self.store.path).exists())), real_rate(self, *a, **k))[1])
    assert run("merge", central, outbox)[0] == 0
    assert run("moderate", central, "--unit", "LX", "--item", "1B", "--rating", "very")[0] == 0
    assert seen == [("merge", True), ("moderate", True)]
    assert not lock_path(central).exists()            # released afterwards
    before = central.read_bytes()
    lock_path(central).write_text("123\nesat\nsome-other-host.example\n")   # held elsewhere
    code, _, err = run("moderate", central, "--unit", "LX", "--item", "2B", "--rating", "very")
    assert code == 1 and "is open in the ESAT app or being written" in err
    assert central.read_bytes() == before


def test_feedback_and_submit_never_write_over_a_file_of_another_kind(tmp_path, esat_home):
    """`esat feedback` given the central database (or a unit's working file) as OUT, and a
    submission whose name is taken by the unit's working file, refuse; an earlier feedback
    file or submission copy is replaced."""
    lx = new_unit(tmp_path, "LX")
    outbox, central = tmp_path / "outbox", tmp_path / "central.esat"
    outbox.mkdir()
    assert run("sign-off", lx, "--name", "A", "--role", "B", "--date", "2011-02-15")[0] == 0
    assert run("submit", lx, "--to", outbox)[0] == 0
    assert run("merge", central, outbox)[0] == 0
    for out in (central, lx):
        before = out.read_bytes()
        code, _, err = run("feedback", "--unit", "LX", central, out)
        assert code == 1 and "already exists and is not an earlier feedback file" in err
        assert out.read_bytes() == before
    feedback = tmp_path / "LX-feedback.esat"
    for _ in range(2):                               # written again: the earlier one replaced
        assert run("feedback", "--unit", "LX", central, feedback)[0] == 0
    assert run("submit", lx, "--to", outbox)[0] == 0                 # replaces its earlier copy
    working = outbox / "LX_esps-2009_baseline_2010-11_r1.esat"
    working.unlink()
    lx.rename(working)                                 # the working file has the copy's name
    before = working.read_bytes()
    code, _, err = run("submit", working, "--to", outbox)
    assert code == 1 and "already exists and is not an earlier submission copy" in err
    assert working.read_bytes() == before
