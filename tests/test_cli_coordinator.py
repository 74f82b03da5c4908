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
