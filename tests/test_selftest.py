"""``esat --self-test``: passes on a working ESAT, and says what failed otherwise."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from esat import cli, selftest
from esat.errors import InvalidFileError
from esat.selftest import Context, Step, StepFailed

ROOT = Path(__file__).resolve().parents[1]


def test_self_test_passes_and_leaves_its_report(paths, qapp):
    out = io.StringIO()
    assert cli.main(["--self-test"], paths=paths, out=out) == 0
    report = out.getvalue()
    for step in selftest.standard_steps():
        assert f"  ok    {step.name}: " in report, report
    assert "Self-test passed: all 6 steps." in report
    assert "ok    PDF report: wrote demo.pdf" in report
    assert "16 of 18 rated" in report and "same 16 ratings" in report
    log = paths.log_dir / "self-test.txt"
    assert "Self-test passed" in log.read_text(encoding="utf-8")
    assert str(log) in report
    # it worked in a temporary folder: nothing was added to the user's data or settings
    assert not paths.data_dir.exists() and not paths.config_dir.exists()


def test_every_step_needs_only_earlier_steps():
    steps = selftest.standard_steps()
    names = [step.name for step in steps]
    assert len(set(names)) == len(names)
    for index, step in enumerate(steps):
        assert set(step.needs) <= set(names[:index]), step.name


def test_a_failed_step_is_named_and_what_needs_it_is_skipped(paths):
    def broken(ctx: Context) -> str:
        raise StepFailed("the disk is full")

    def fine(ctx: Context) -> str:
        return "checked"

    def buggy(ctx: Context) -> str:
        return {}["missing"]

    def refused(ctx: Context) -> str:
        raise InvalidFileError("demo.esat", "was made by another program")

    steps = [Step("first", broken), Step("second", fine, needs=("first",)),
             Step("third", fine), Step("fourth", buggy), Step("fifth", refused)]
    out = io.StringIO()
    assert selftest.run_self_test(paths=paths, out=out, steps=steps) == selftest.EXIT_FAILED
    report = out.getvalue()
    assert "  FAIL  first: the disk is full" in report
    assert "  skip  second: not run: needs first, which did not pass" in report
    assert "  ok    third: checked" in report
    assert "  FAIL  fourth: KeyError: 'missing'" in report
    assert "  FAIL  fifth: demo.esat: was made by another program" in report
    assert "Self-test FAILED: 4 of 5 steps did not pass (first, second, fourth, fifth)." in report
    log = (paths.log_dir / "self-test.txt").read_text(encoding="utf-8")
    assert "Traceback" in log and "--- fourth" in log        # details for support, not on screen
    assert "Traceback" not in report


def test_missing_bundled_data_fails_the_first_step(paths, monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "demo_dir", lambda: tmp_path / "nowhere")
    out = io.StringIO()
    assert cli.main(["--self-test"], paths=paths, out=out) == selftest.EXIT_FAILED
    report = out.getvalue()
    assert f"  FAIL  bundled data: {tmp_path / 'nowhere' / 'demo.json'} is missing" in report
    assert "  skip  desktop window: not run: needs demo assessment" in report


def test_a_workbook_that_does_not_give_back_the_ratings_fails(tmp_path):
    ctx = Context(workdir=tmp_path)
    selftest.find_bundled_data(ctx)
    selftest.open_demo(ctx)
    assert len(ctx.ratings) == 16
    code = sorted(ctx.ratings)[0]
    ctx.ratings[code] = "no-such-rating"
    with pytest.raises(StepFailed, match=f"does not give back the demo's ratings.*'{code}'"):
        selftest.write_excel(ctx)


def test_without_a_console_the_report_still_reaches_the_log(paths, qapp, monkeypatch):
    # a windowed build on Windows or macOS: sys.stdout and sys.stderr are None
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main(["--self-test"], paths=paths) == 0
    assert "Self-test passed" in (paths.log_dir / "self-test.txt").read_text(encoding="utf-8")


def test_the_command_runs_with_its_output_closed(tmp_path):
    # as a program started with no console: Python sees no stdout and no stderr at all
    home = tmp_path / "home"
    env = dict(os.environ, ESAT_HOME=str(home))
    result = subprocess.run(f'exec "{sys.executable}" -m esat --self-test >&- 2>&-', shell=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0
    assert "Self-test passed" in (home / "logs" / "self-test.txt").read_text(encoding="utf-8")


def test_no_temporary_folder_is_a_failure_not_a_traceback(paths, monkeypatch, tmp_path):
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path / "no such folder"))
    out = io.StringIO()
    assert selftest.run_self_test(paths=paths, out=out) == selftest.EXIT_FAILED
    assert f"  FAIL  temporary folder: none could be made in {tmp_path / 'no such folder'}" \
        in out.getvalue()
