"""``esat --self-test``: prove that this copy of ESAT works, end to end.

Meant for a unit's IT department after installing the built program (and for
the package test): it builds the bundled demo assessment in a temporary
folder, checks and scores it, writes it to an Excel workbook and reads that
back, writes its PDF summary, and opens it in the main window offscreen. Nothing outside the
temporary folder is touched except the report, written to ESAT's log folder
(``self-test.txt``) so that it can be read even where the program has no
console (a windowed build on Windows or macOS).

The test is a list of :class:`Step`; adding one is one line in
:func:`standard_steps` plus the function it names. Each step returns a one-line account of what it checked
or raises; a step whose prerequisite failed is skipped and says which.

Exit status: 0 when every step passed, :data:`EXIT_FAILED` otherwise.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from . import __version__
from .appdirs import AppPaths
from .bundled import bundled_root, demo_dir, frameworks_dir, schema_sql_path
from .catalog import Catalog
from .errors import EsatError

EXIT_OK, EXIT_FAILED = 0, 3
REPORT_NAME = "self-test.txt"


class StepFailed(Exception):
    """A step found something wrong (its message says what)."""


@dataclass
class Context:
    """What the steps share: the scratch folder and what earlier steps made."""

    workdir: Path
    catalog: Catalog | None = None
    demo: Path | None = None
    ratings: dict[str, str] = field(default_factory=dict)   # code → self-rating, from the file


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], str]           # returns what it checked; raises when it failed
    needs: tuple[str, ...] = ()             # steps that must have passed first


@dataclass(frozen=True)
class Outcome:
    step: Step
    status: str                             # "ok", "FAIL" or "skip"
    detail: str
    trace: str = ""


# -- the steps ---------------------------------------------------------------------


def find_bundled_data(ctx: Context) -> str:
    root = bundled_root()
    for needed in (schema_sql_path(), demo_dir() / "demo.json"):
        if not needed.is_file():
            raise StepFailed(f"{needed} is missing")
    ctx.catalog = Catalog([frameworks_dir()])
    keys = ctx.catalog.keys()
    if not keys:
        raise StepFailed(f"no frameworks found in {frameworks_dir()}")
    return f"schema, demo and frameworks {', '.join(keys)} found in {root}"


def open_demo(ctx: Context) -> str:
    from .checks import check_file
    from .demo import build_demo
    from .store import Store
    path = build_demo(ctx.workdir / "demo.esat", ctx.catalog)
    problems = check_file(path)
    if problems:
        raise StepFailed(f"the demo built from {demo_dir()} fails its checks: "
                         + "; ".join(str(p) for p in problems))
    with Store.open(path, actor="ESAT self-test", read_only=True) as store:
        assessment = store.only_assessment()
        ctx.ratings = {code: r.self_rating
                       for code, r in store.responses(assessment.uuid).items() if r.self_rating}
    ctx.demo = path
    return (f"built, checked and opened {path.name}: {assessment.unit.code} "
            f"{assessment.unit.name}, {assessment.framework_key} {assessment.stage}")


def score_demo(ctx: Context) -> str:
    from .store import Store
    from .summary import assessment_rows
    with Store.open(ctx.demo, actor="ESAT self-test", read_only=True) as store:
        (row,) = assessment_rows(store)
    rated = row["required"] - row["unrated"]
    data = json.loads((demo_dir() / "demo.json").read_text(encoding="utf-8"))
    expected = sum(1 for response in data["responses"] if response.get("self_rating"))
    if rated != expected:
        raise StepFailed(f"{rated} indicators scored as rated; the demo rates {expected}")
    percent = row["score_percent"]
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise StepFailed(f"the score is {percent!r}, not a percentage")
    baseline = {True: "met", False: "not met", None: "n/a"}[row["meets_baseline"]]
    return (f"{rated} of {row['required']} rated, {row['satisfactory']} satisfactory, "
            f"score {percent}%, baseline {baseline}")


def write_excel(ctx: Context) -> str:
    from .excel import export_assessment, read_workbook
    from .store import Store
    target = ctx.workdir / "demo.xlsx"
    with Store.open(ctx.demo, actor="ESAT self-test", read_only=True) as store:
        export_assessment(store, store.only_assessment().uuid, target)
    plan = read_workbook(target, ctx.catalog)          # the importer's own safety checks too
    if plan.problems:
        raise StepFailed(f"{target.name} reads back with problems: "
                         + "; ".join(str(p) for p in plan.problems[:3]))
    read = {i.code: i.self_rating for i in plan.indicators if i.self_rating}
    if read != ctx.ratings:
        differ = sorted(set(read.items()) ^ set(ctx.ratings.items()))
        raise StepFailed(f"{target.name} does not give back the demo's ratings "
                         f"(differences: {differ[:4]})")
    return (f"wrote {target.name} ({target.stat().st_size // 1024} KiB) and read back "
            f"{len(plan.indicators)} indicators with the same {len(read)} ratings")


def write_pdf(ctx: Context) -> str:
    from datetime import date

    from .reports.making import Request, make_report, write_report
    from .store import Store
    target = ctx.workdir / "demo.pdf"
    with Store.open(ctx.demo, actor="ESAT self-test", read_only=True) as store:
        report = make_report(store, Request(), produced_on=date.today().isoformat())
    write_report(report, pdf=target, html=None)
    data = target.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise StepFailed(f"{target.name} is not a complete PDF")
    if b"/FontFile2" not in data:
        raise StepFailed(f"{target.name} does not embed its font")
    return f"wrote {target.name} ({len(data) // 1024} KiB): {report.title}"


def show_window(ctx: Context) -> str:
    from .gui.selftest import show_demo_in_window   # Qt only for this step
    return show_demo_in_window(ctx.demo, ctx.workdir, ctx.catalog)


def standard_steps() -> list[Step]:
    return [
        Step("bundled data", find_bundled_data),
        Step("demo assessment", open_demo, needs=("bundled data",)),
        Step("score", score_demo, needs=("demo assessment",)),
        Step("Excel workbook", write_excel, needs=("score",)),
        Step("PDF report", write_pdf, needs=("score",)),
        Step("desktop window", show_window, needs=("demo assessment",)),
    ]


# -- running them ------------------------------------------------------------------


def run_steps(steps: list[Step], workdir: Path) -> list[Outcome]:
    ctx = Context(workdir=workdir)
    outcomes: list[Outcome] = []
    passed: set[str] = set()
    for step in steps:
        missing = [name for name in step.needs if name not in passed]
        if missing:
            outcomes.append(Outcome(step, "skip", f"not run: needs {', '.join(missing)}, "
                                                  "which did not pass"))
            continue
        try:
            detail = step.run(ctx)
        except Exception as exc:            # a step's failure is reported, never raised
            plain = isinstance(exc, (StepFailed, EsatError))    # messages written for users
            message = str(exc) if plain else f"{type(exc).__name__}: {exc}"
            outcomes.append(Outcome(step, "FAIL", message, traceback.format_exc()))
            continue
        passed.add(step.name)
        outcomes.append(Outcome(step, "ok", detail))
    return outcomes


def describe(outcomes: list[Outcome]) -> str:
    frozen = getattr(sys, "frozen", False)
    where = "built program" if frozen else f"Python {platform.python_version()}"
    lines = [f"ESAT {__version__} self-test ({where}: {sys.executable}; "
             f"{platform.system()} {platform.release()})"]
    for outcome in outcomes:
        lines.append(f"  {outcome.status:<4}  {outcome.step.name}: {outcome.detail}")
    failed = [o.step.name for o in outcomes if o.status != "ok"]
    if failed:
        lines.append(f"Self-test FAILED: {len(failed)} of {len(outcomes)} steps did not pass "
                     f"({', '.join(failed)}).")
    else:
        lines.append(f"Self-test passed: all {len(outcomes)} steps.")
    return "\n".join(lines) + "\n"


def run_self_test(*, paths: AppPaths, out: TextIO | None,
                  steps: list[Step] | None = None) -> int:
    """Run ``steps`` (the standard ones by default) in a temporary folder; print and log."""
    steps = standard_steps() if steps is None else steps
    try:
        # a file a step left open cannot be removed on Windows: leave it to the system
        with tempfile.TemporaryDirectory(prefix="esat-self-test-",
                                         ignore_cleanup_errors=True) as scratch:
            outcomes = run_steps(steps, Path(scratch))
    except OSError as exc:
        outcomes = [Outcome(Step("temporary folder", lambda ctx: ""), "FAIL",
                            f"none could be made in {tempfile.gettempdir()}: {exc}")]
    report = describe(outcomes)
    traces = "".join(f"\n--- {o.step.name}\n{o.trace}" for o in outcomes if o.trace)
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        log = paths.log_dir / REPORT_NAME
        log.write_text(report + traces, encoding="utf-8")
        what = "This report and the failures' details were" if traces else "This report was"
        report += f"{what} written to {log}\n"
    except OSError as exc:
        report += f"The report could not be written to {paths.log_dir}: {exc}\n"
    if out is not None:                     # a windowed build has no console
        out.write(report)
        out.flush()
    ok = all(o.status == "ok" for o in outcomes)
    return EXIT_OK if ok else EXIT_FAILED
