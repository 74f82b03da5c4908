"""The ``esat`` command line.

Exit codes: 0 success, 1 usage error (a wrong option or value), 2 invalid
input file. Every user error is one line naming the file and the problem;
nothing a user can cause prints a traceback.

A command imports what only it needs when it runs, so that starting the
desktop app (the default command) pays for none of it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__
from .appdirs import AppPaths
from .catalog import Catalog
from .demo import write_demo
from .errors import EsatError, InvalidFileError, shown_path
from .store import Store

EXIT_OK, EXIT_USAGE, EXIT_INVALID_FILE = 0, 1, 2


class UsageError(Exception):
    """A command-line usage error (exit code 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2; ours is 1
        raise UsageError(f"{self.prog}: {message}")


def add_unit_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """The options that name a framework, phase and unit (new, template, import-xlsx).

    When not ``required`` they default to None: the workbook says them instead.
    """
    blank = "" if required else None
    parser.add_argument("--framework", required=required,
                        help="framework, e.g. esps-2009 (see 'esat frameworks')")
    parser.add_argument("--phase", help="phase or level assessed, e.g. baseline (not needed for "
                                        "ESlg, which covers every level)")
    parser.add_argument("--unit-code", required=required, help="unit code, e.g. LX or SCD7")
    parser.add_argument("--unit-name", required=required, help="unit name, e.g. Lambeth")
    parser.add_argument("--unit-type", required=required,
                        help="unit type, e.g. borough or specialist")
    parser.add_argument("--area", default=blank, help='area or directorate, e.g. "South East"')
    parser.add_argument("--period", default=blank, help="financial year, e.g. 2010/11")


class _Skipped:
    """Stands in for a command that is not being run: its options are not built.

    Building every command's options costs a few milliseconds (argparse sizes a
    help formatter for each option), which the desktop app's start-up need not pay.
    """

    def add_argument(self, *args, **kwargs) -> None:
        pass


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``only`` the options of that one command."""
    parser = _Parser(
        prog="esat",
        description="ESAT, the Equality Self-Assessment Tool. Without a command it starts "
                    "the desktop app.",
        epilog="Exit codes: 0 success, 1 usage error, 2 invalid input file.")
    parser.add_argument("--version", action="version", version=f"esat {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this ESAT works: build, score, export and show the "
                             "demo offscreen in a temporary folder; exit 0 when all passed")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, **kwargs):
        return subparsers.add_parser(name, **kwargs) if only in (None, name) else _Skipped()

    new = command(
        "new", help="create an assessment file",
        description="Create a new assessment file for one unit.",
        epilog='Example: esat new lambeth.esat --framework esps-2009 --phase baseline '
               '--unit-code LX --unit-name Lambeth --unit-type borough --area "South East" '
               '--period 2010/11')
    new.add_argument("file", type=Path, metavar="FILE", help="the .esat file to create")
    add_unit_options(new, required=True)
    new.add_argument("--equality-lead", default="", help="the unit's equality lead")
    new.add_argument("--smt-lead", default="", help="the unit's SMT lead")

    score = command(
        "score", help="print the scores of every assessment in a file",
        description="Print one row per assessment: unit, area, framework and phase, required "
                    "and satisfactory counts, score, whether the baseline is met, section "
                    "scores, and which ratings were used.",
        epilog="Example: esat score lambeth.esat --json")
    score.add_argument("file", type=Path, metavar="FILE")
    score.add_argument("--json", action="store_true", help="print a JSON list of objects")

    check = command(
        "check", help="validate a file and list every problem",
        description="Check a file's format, integrity and framework data without changing it. "
                    "Exit 0 when valid, 2 when not.",
        epilog="Example: esat check lambeth.esat")
    check.add_argument("file", type=Path, metavar="FILE")

    frameworks = command(
        "frameworks", help="list the frameworks this ESAT knows",
        description="List bundled frameworks (and any added to the user's frameworks folder) "
                    "with their versions and phases or levels.",
        epilog="Example: esat frameworks")
    frameworks.add_argument("--json", action="store_true", help="print JSON")

    show = command(
        "show", help="print an assessment: details, score and every indicator",
        description="Print a readable summary of each assessment in a file.",
        epilog="Example: esat show lambeth.esat")
    show.add_argument("file", type=Path, metavar="FILE")

    demo = command(
        "demo", help="write the demo assessment to a file",
        description="Write the bundled demo assessment (a fictional borough) to FILE, "
                    "replacing an earlier demo there.",
        epilog="Example: esat demo demo.esat")
    demo.add_argument("file", type=Path, metavar="FILE", nargs="?",
                      help="where to write it (default: the demo in ESAT's data folder)")

    export = command(
        "export", help="export a unit's assessment (or a central database's figures) to an "
                       "Excel workbook",
        description="Write the assessment in a unit file to an Excel workbook: Summary, "
                    "Indicators, Evidence and Actions sheets (see docs/excel.md). Given a "
                    "central database, write its figures instead: units by area, section "
                    "scores, KPI by area, units x indicators and agreement "
                    "(docs/coordinator.md).",
        epilog="Example: esat export lambeth.esat --xlsx lambeth.xlsx")
    export.add_argument("file", type=Path, metavar="FILE",
                        help="the unit's .esat file, or a central database")
    export.add_argument("--xlsx", type=Path, required=True, metavar="OUT",
                        help="the workbook to write (.xlsx; an older one is replaced)")

    template = command(
        "template", help="write a blank Excel workbook a unit can fill in",
        description="Write a blank unit workbook with rating drop-downs, for a unit without "
                    "ESAT; bring it back with 'esat import-xlsx'.",
        epilog='Example: esat template lambeth.xlsx --framework esps-2009 --phase baseline '
               '--unit-code LX --unit-name Lambeth --unit-type borough --area "South East" '
               '--period 2010/11')
    template.add_argument("out", type=Path, metavar="OUT", help="the workbook to write (.xlsx)")
    add_unit_options(template, required=True)

    import_xlsx = command(
        "import-xlsx", help="bring a filled workbook into a unit file",
        description="Import an Excel workbook (an ESAT export, a filled template or a legacy "
                    "return with Code and Rating columns) into a unit file, creating the file "
                    "when it does not exist. All or nothing: a workbook with unusable rows "
                    "imports nothing unless --skip-bad-rows is given. The unit options are "
                    "needed only when the workbook does not say them.",
        epilog="Example: esat import-xlsx lambeth-return.xlsx --into lambeth.esat")
    import_xlsx.add_argument("workbook", type=Path, metavar="WORKBOOK", help="the .xlsx file")
    import_xlsx.add_argument("--into", type=Path, required=True, metavar="FILE",
                             help="the unit's .esat file (created when missing)")
    import_xlsx.add_argument("--skip-bad-rows", action="store_true",
                             help="import the usable rows and skip those with problems")
    import_xlsx.add_argument("--blank-clears", action="store_true",
                             help="a blank cell clears the file's value (by default a blank "
                                  "cell leaves what is in the file alone)")
    import_xlsx.add_argument("--list-changes", action="store_true",
                             help="print every field changed, old → new")
    add_unit_options(import_xlsx, required=False)

    report = command(
        "report", help="write a PDF report (and its accessible HTML twin)",
        description="Write a report as PDF and/or as one self-contained, accessible HTML file. "
                    "From a unit file: the unit summary. From a file holding many assessments "
                    "(a central database): the organisation report, an area report with "
                    "--area, or a unit's summary with --unit. An area or organisation report "
                    "counts the current assessments of one financial year; its KPI target is "
                    "the one given with --target, else the one the central database keeps for "
                    "that year, and the report says which. A central database that keeps none "
                    "needs --target or --no-target.",
        epilog='Example: esat report se.esat --area "South East" --target 80 '
               '--pdf se.pdf --html se.html')
    report.add_argument("file", type=Path, metavar="FILE", help="the .esat file to report on")
    report.add_argument("--pdf", type=Path, metavar="OUT", help="the PDF to write (.pdf)")
    report.add_argument("--html", type=Path, metavar="OUT",
                        help="the accessible HTML version to write (.html)")
    report.add_argument("--unit", metavar="CODE", help="report on this unit only")
    report.add_argument("--area", metavar="NAME", help="report on the units of this area")
    report.add_argument("--target", metavar="PERCENT",
                        help="the KPI target for the financial year, e.g. 80 (default: the "
                             "one the central database keeps for the year, see 'esat target')")
    report.add_argument("--no-target", action="store_true",
                        help="report from a central database that keeps no target for the "
                             "year, without a KPI verdict")
    report.add_argument("--year", metavar="FY",
                        help="the financial year to report on, e.g. 2010/11 (default: the "
                             "period most assessments are for); other years are not counted")
    report.add_argument("--marking", help="the report's protective marking (default: the "
                                          "units' own when they agree)")
    report.add_argument("--title", help="the report's title")
    report.add_argument("--author", help="the report's author (default: you)")
    report.add_argument("--approver", help="who approved the report")
    report.add_argument("--invariant", action="store_true",
                        help="for tests: the same input gives the same bytes (fixed dates)")

    figures = command(
        "figures", help="print the organisation's figures: KPI, units by area, indicators",
        description="Print the figures of a central database's current assessments for one "
                    "financial year: the KPI (the share of assessed units meeting the "
                    "baseline against the year's target) for the organisation and each area, "
                    "units by area with counts per rating level and the score, the strongest "
                    "and weakest indicators, and pairing suggestions. The target is the one "
                    "the central database keeps for the year (see 'esat target') unless "
                    "--target is given; with neither, the KPI is shown without a verdict.",
        epilog='Example: esat figures central.esat --area "South East" --year 2010/11 --json')
    figures.add_argument("file", type=Path, metavar="CENTRAL")
    figures.add_argument("--area", metavar="NAME", help="the units of this area only")
    figures.add_argument("--year", metavar="FY",
                         help="the financial year, e.g. 2010/11 (default: the period most "
                              "assessments are for)")
    figures.add_argument("--target", metavar="PERCENT",
                         help="a KPI target to use instead of the one kept, e.g. 80")
    figures.add_argument("--top", type=int, default=5, metavar="N",
                         help="how many strongest and weakest indicators (with ties; default 5)")
    figures.add_argument("--json", action="store_true", help="print JSON")

    sign_off = command(
        "sign-off", help="sign off a unit's assessment (it becomes read-only)",
        description="Sign off the current revision of the assessment in a unit file.",
        epilog='Example: esat sign-off lambeth.esat --name "A. Commander" '
               '--role "Borough Commander" --date 2011-02-15')
    sign_off.add_argument("file", type=Path, metavar="FILE")
    sign_off.add_argument("--name", required=True, help="who signs off")
    sign_off.add_argument("--role", required=True, help="their role")
    sign_off.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                          help="the date signed (default: today)")

    reopen = command(
        "reopen", help="reopen a signed-off assessment (starts a new revision)",
        description="Reopen the signed-off assessment in a unit file for change; this starts "
                    "a new revision.",
        epilog="Example: esat reopen lambeth.esat")
    reopen.add_argument("file", type=Path, metavar="FILE")

    submit = command(
        "submit", help="write the copy a unit sends to the coordinators",
        description="Write the assessment alone to a new file in FOLDER, named "
                    "<unit>_<framework>_<phase>_<period>_r<revision>.esat, record the "
                    "submission in the unit file and print the copy's path.",
        epilog="Example: esat submit lambeth.esat --to outbox")
    submit.add_argument("file", type=Path, metavar="FILE")
    submit.add_argument("--to", type=Path, required=True, metavar="FOLDER")
    submit.add_argument("--json", action="store_true", help="print JSON")

    merge = command(
        "merge", help="merge units' submissions and workbooks into a central database",
        description="Merge .esat submissions and filled unit workbooks (.xlsx) into the "
                    "central database CENTRAL, creating it when missing. A folder stands for "
                    "its .esat and .xlsx files. One line per file: imported, updated, already "
                    "imported, conflict (listed, never applied) or rejected with the reason. "
                    "Exit 2 when any file was rejected.",
        epilog="Example: esat merge central.esat inbox/ late/LX_esps-2009_baseline_2010-11_r2.esat")
    merge.add_argument("file", type=Path, metavar="CENTRAL")
    merge.add_argument("inputs", type=Path, nargs="+", metavar="FILE_OR_FOLDER")
    merge.add_argument("--json", action="store_true", help="print a JSON list, one per file")

    history = command(
        "history", help="list what a central database received from a unit",
        description="List a unit's submissions in a central database and what became of "
                    "each (current, superseded, conflict, set aside), with provenance; or "
                    "every open conflict with --conflicts.",
        epilog="Example: esat history central.esat --unit LX")
    history.add_argument("file", type=Path, metavar="CENTRAL")
    history.add_argument("--unit", metavar="CODE", help="the unit's code")
    history.add_argument("--conflicts", action="store_true", help="list open conflicts")
    history.add_argument("--show", metavar="ID",
                         help="print the content of one received submission as JSON")
    history.add_argument("--json", action="store_true", help="print JSON")

    resolve = command(
        "resolve", help="settle a merge conflict",
        description="Settle a conflict listed by 'esat merge' or 'esat history': keep the "
                    "incoming submission (it replaces the unit's current content) or keep "
                    "the current one (the incoming is set aside). The choice is recorded.",
        epilog="Example: esat resolve central.esat 3f2a9c1e --keep incoming")
    resolve.add_argument("file", type=Path, metavar="CENTRAL")
    resolve.add_argument("id", metavar="ID", help="the conflict's id (its first characters)")
    resolve.add_argument("--keep", required=True, choices=("incoming", "current"))
    resolve.add_argument("--json", action="store_true", help="print JSON")

    feedback = command(
        "feedback", help="write a feedback file for a unit from the central database",
        description="Write the coordinators' moderation of a unit's assessments (assessor "
                    "ratings, comments, requests for further evidence, exemption decisions, "
                    "level validations) to a feedback file the unit takes in with "
                    "'esat import-feedback'.",
        epilog="Example: esat feedback central.esat --unit LX lx-feedback.esat")
    feedback.add_argument("file", type=Path, metavar="CENTRAL")
    feedback.add_argument("--unit", required=True, metavar="CODE")
    feedback.add_argument("out", type=Path, metavar="OUT", help="the feedback file to write")

    import_feedback = command(
        "import-feedback", help="take a feedback file into the unit's file",
        description="Take the coordinators' feedback into the unit's file; it replaces "
                    "earlier feedback on that assessment. The unit cannot edit it.",
        epilog="Example: esat import-feedback lx-feedback.esat --into lambeth.esat")
    import_feedback.add_argument("feedback", type=Path, metavar="FEEDBACK")
    import_feedback.add_argument("--into", type=Path, required=True, metavar="UNITFILE",
                                 dest="file")

    search = command(
        "search", help="search the units' evidence, narratives and actions",
        description="Full-text search over every unit's narratives, evidence and actions in "
                    "a central database. Every word must appear; end a word with * for a "
                    "prefix.",
        epilog='Example: esat search central.esat "hate crime"')
    search.add_argument("file", type=Path, metavar="CENTRAL")
    search.add_argument("words", metavar="WORDS")
    search.add_argument("--limit", type=int, default=50, metavar="N",
                        help="show at most N matches (1 to 100,000; default 50)")
    search.add_argument("--json", action="store_true", help="print JSON")

    moderate = command(
        "moderate", help="rate, comment, ask for evidence, decide an exemption",
        description="Moderate one indicator of a unit's assessment in the central database. "
                    "Each step is audited.",
        epilog='Example: esat moderate central.esat --unit LX --item 3B --rating fairly '
               '--comment "Minutes show the review took place"')
    moderate.add_argument("file", type=Path, metavar="CENTRAL")
    moderate.add_argument("--unit", required=True, metavar="CODE")
    moderate.add_argument("--item", required=True, metavar="CODE", help="indicator, e.g. 3B")
    moderate.add_argument("--period", help="the financial year, when the unit has several")
    moderate.add_argument("--rating", help="assessor rating: a scale id (e.g. fairly) or label")
    moderate.add_argument("--comment", help="moderation comment")
    moderate.add_argument("--further-evidence", metavar="NOTE",
                          help="ask the unit for further evidence, saying what")
    moderate.add_argument("--grant", metavar="REASON", help="grant the exemption")
    moderate.add_argument("--refuse", metavar="REASON", help="refuse the exemption")

    sample = command(
        "sample", help="draw a dip sample of a unit's indicators",
        description="Draw a reproducible random sample of a unit's required indicators for "
                    "checking; the seed and size are recorded.",
        epilog="Example: esat sample central.esat --unit LX --size 5")
    sample.add_argument("file", type=Path, metavar="CENTRAL")
    sample.add_argument("--unit", required=True, metavar="CODE")
    sample.add_argument("--period")
    sample.add_argument("--size", type=int, required=True)
    sample.add_argument("--seed", type=int, help="repeat an earlier draw")
    sample.add_argument("--json", action="store_true", help="print JSON")

    agreement = command(
        "agreement", help="agreement between self and assessor ratings",
        description="Exact agreement, agreement on satisfactory versus not, and linear "
                    "weighted kappa between units' own and assessors' ratings.",
        epilog="Example: esat agreement central.esat --by area")
    agreement.add_argument("file", type=Path, metavar="CENTRAL")
    agreement.add_argument("--by", choices=("unit", "area", "organisation"), default="unit")
    agreement.add_argument("--json", action="store_true", help="print JSON")

    target = command(
        "target", help="set or list the KPI target per financial year",
        description="Set the organisation's KPI target (the share of assessed units meeting "
                    "the baseline) for a financial year, or list the targets.",
        epilog="Example: esat target central.esat --period 2010/11 --percent 80")
    target.add_argument("file", type=Path, metavar="CENTRAL")
    target.add_argument("--period")
    target.add_argument("--percent", type=int)
    target.add_argument("--json", action="store_true", help="print JSON")

    gui = command(
        "gui", help="start the desktop app",
        description="Start the desktop app, optionally opening FILE.",
        epilog="Example: esat gui lambeth.esat")
    gui.add_argument("file", type=Path, metavar="FILE", nargs="?")
    gui.add_argument("--demo", action="store_true", help="open the demo assessment")
    return parser


def main(argv: Sequence[str] | None = None, *, paths: AppPaths | None = None,
         out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    paths = paths or AppPaths.from_environment()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=_command_named(argv))
    try:
        with contextlib.redirect_stdout(out):     # --help and --version print here
            args = parser.parse_args(argv)
    except UsageError as exc:
        parser.print_usage(err)
        print(exc, file=err)
        return EXIT_USAGE
    except SystemExit as exc:        # --help and --version
        return int(exc.code or 0)
    if args.self_test:
        from .selftest import run_self_test
        return run_self_test(paths=paths, out=out)
    catalog = Catalog(paths.framework_folders())
    command = args.command or "gui"
    try:
        return COMMANDS[command](args, paths=paths, catalog=catalog, out=out, err=err)
    except UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except InvalidFileError as exc:
        print(f"esat: {shown_path(str(exc))}", file=err)
        return EXIT_INVALID_FILE
    except EsatError as exc:
        print(f"esat: {_with_file(args, exc)}", file=err)
        return EXIT_USAGE
    except sqlite3.Error as exc:
        print(f"esat: {shown_path(_file_of(args))}: the file could not be read or "
              f"written ({exc})", file=err)
        return EXIT_INVALID_FILE
    except UnicodeDecodeError:       # SQLite's message about a damaged file quoted its bytes
        print(f"esat: {shown_path(_file_of(args))}: the file could not be read (it is damaged: "
              "it holds bytes that are not text where text belongs)", file=err)
        return EXIT_INVALID_FILE
    except KeyboardInterrupt:
        print("esat: interrupted", file=err)
        return 130
    except BrokenPipeError:          # output piped into head, less, ...
        return EXIT_OK
    except Exception:  # a bug: keep the details, show one line
        log = paths.write_crash_log(traceback.format_exc())
        print(f"esat: internal error; details were written to {log}", file=err)
        return 70


def _file_of(args: argparse.Namespace) -> Path | str:
    """The .esat file a command works on (``--into`` for import-xlsx)."""
    return getattr(args, "file", None) or getattr(args, "into", None) or "(no file)"


def _with_file(args: argparse.Namespace, exc: EsatError) -> str:
    """The message on one line (control characters escaped, wherever the core put a name),
    starting with the file's name."""
    path = _file_of(args)
    message = shown_path(str(exc))
    if not message.startswith(shown_path(path)):
        return f"{shown_path(path)}: {message}"
    return message


def open_store(path: Path, *, paths: AppPaths, err: TextIO, read_only: bool = True) -> Store:
    """Open a file for a command; says once, on stderr, when an interrupted save was undone."""
    from .fileformat import RECOVERED_NOTE
    store = Store.open(path, actor=paths.user_name(), read_only=read_only,
                       verified=paths.verified_files())
    if store.recovered:
        print(f"esat: {shown_path(path)}: {RECOVERED_NOTE}", file=err)
    _refuse_feedback(store)
    return store


def _refuse_feedback(store: Store) -> None:
    """A feedback file holds the coordinators' records of a unit, not the unit's own ratings:
    a score, a summary or a report of it alone would be made up of half the figures."""
    if store.role == "feedback":
        store.close()
        raise EsatError(f"{shown_path(store.path)}: is a feedback file: it holds the "
                        "coordinators' records of a unit's assessment, not the unit's own "
                        "ratings, so it has no score, summary or report of its own. Take it "
                        "into the unit's file with 'esat import-feedback' and use that file")


def cmd_new(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    framework = catalog.get(args.framework)
    if framework.scope == "single_stage" and not args.phase:
        phases = ", ".join(stage.id for stage in framework.stages)
        raise UsageError(f"esat new: --phase is required for {framework.key} ({phases})")
    path: Path = args.file
    if path.exists():
        raise EsatError(f"{path}: already exists; choose another name")
    if not path.parent.exists():
        raise EsatError(f"{path}: the folder {path.parent} does not exist")
    store = Store.create(path, actor=paths.user_name())
    try:
        assessment = store.create_assessment(
            framework, stage=args.phase, unit_code=args.unit_code, unit_name=args.unit_name,
            unit_type=args.unit_type, area=args.area, period=args.period,
            equality_lead=args.equality_lead, smt_lead=args.smt_lead)
    except EsatError:
        store.close()
        path.unlink(missing_ok=True)
        raise
    store.close()
    stage = f" {framework.stage(assessment.stage).title}" if assessment.stage else ""
    print(f"Created {shown_path(path)}: {assessment.unit.code} {assessment.unit.name}, "
          f"{framework.abbreviation} {framework.version}{stage}", file=out)
    return EXIT_OK


def cmd_score(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .summary import assessment_rows, format_table
    with open_store(args.file, paths=paths, err=err) as store:
        rows = assessment_rows(store)
    if args.json:
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif not rows:
        print(f"{shown_path(args.file)}: holds no assessments", file=out)
    else:
        out.write(format_table(rows))
    return EXIT_OK


def cmd_check(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .checks import check_file
    name = shown_path(args.file)
    problems = check_file(args.file, note=lambda text: print(f"esat: {name}: {text}", file=err))
    if not problems:
        print(f"{name}: valid", file=out)
        return EXIT_OK
    for problem in problems:
        print(f"{name}: {problem}", file=out)
    print(f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found",
          file=err)
    return EXIT_INVALID_FILE


def cmd_frameworks(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    frameworks = catalog.all()
    if args.json:
        json.dump([{"key": f.key, "id": f.id, "version": f.version, "title": f.title,
                    "stage_label": f.label("stage"),
                    "stages": [{"id": s.id, "title": s.title,
                                "items": sum(1 for i in f.items if i.stage == s.id)}
                               for s in f.stages]}
                   for f in frameworks], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    for framework in frameworks:
        print(f"{framework.key}  {framework.title} ({framework.abbreviation} {framework.version})",
              file=out)
        for stage in framework.stages:
            count = sum(1 for item in framework.items if item.stage == stage.id)
            wordings = sorted({i.wording for i in framework.items if i.stage == stage.id})
            print(f"    {framework.label('stage').lower()} {stage.id:<12} {stage.title} "
                  f"({count} {framework.label('items').lower()}, {'/'.join(wordings)} wording)",
                  file=out)
    return EXIT_OK


def cmd_show(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .summary import describe_assessment
    with open_store(args.file, paths=paths, err=err) as store:
        assessments = store.assessments()
        if not assessments:
            print(f"{shown_path(args.file)}: holds no assessments", file=out)
        for assessment in assessments:
            out.write(describe_assessment(store, assessment))
    return EXIT_OK


def cmd_demo(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    target = write_demo(args.file, catalog) if args.file else paths.demo_file(catalog, fresh=True)
    print(f"Wrote the demo assessment to {shown_path(target)}", file=out)
    return EXIT_OK


def cmd_gui(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    file = getattr(args, "file", None)
    if getattr(args, "demo", False):
        file = paths.demo_file(catalog)
    from .gui.app import run_app      # imported only here: the core stays Qt-free
    return run_app(paths=paths, catalog=catalog, file=file)


def cmd_export(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .excel import export_assessment     # openpyxl is loaded only when needed
    target: Path = args.xlsx
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"esat export: {target}: the workbook's name must end in .xlsx")
    with open_store(args.file, paths=paths, err=err) as store:
        if store.role == "central":
            from .excel.central_export import export_central
            export_central(store, target)
            print(f"Wrote {shown_path(target)}: the central workbook of "
                  f"{len(store.assessments())} assessments (units by area, section scores, "
                  "KPI by area, units x indicators, agreement)", file=out)
            return EXIT_OK
        assessment = store.only_assessment()
        export_assessment(store, assessment.uuid, target)
    print(f"Wrote {shown_path(target)}: {assessment.unit.code} {assessment.unit.name}, "
          f"{assessment.framework_key} {assessment.stage or 'all levels'}, "
          f"revision {assessment.revision}", file=out)
    return EXIT_OK


def cmd_template(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .excel import write_template
    framework = catalog.get(args.framework)
    if framework.scope == "single_stage" and not args.phase:
        phases = ", ".join(stage.id for stage in framework.stages)
        raise UsageError(f"esat template: --phase is required for {framework.key} ({phases})")
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"esat template: {args.out}: the workbook's name must end in .xlsx")
    write_template(framework, args.out, stage=args.phase, unit_code=args.unit_code,
                   unit_name=args.unit_name, unit_type=args.unit_type, area=args.area,
                   period=args.period)
    print(f"Wrote the blank workbook {shown_path(args.out)} for {args.unit_code.upper()} {args.unit_name}, "
          f"{framework.key} {args.phase or 'all levels'}", file=out)
    return EXIT_OK


def cmd_import_xlsx(args, *, paths: AppPaths, catalog: Catalog, out: TextIO,
                    err: TextIO) -> int:
    with _writing(args.into, "Nothing was imported"):
        return _import_xlsx(args, paths=paths, catalog=catalog, out=out, err=err)


def _import_xlsx(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .excel import WorkbookProblems, apply_plan, read_workbook
    into: Path = args.into
    overrides = {key: getattr(args, key) for key in ("framework", "phase", "unit_code",
                                                     "unit_name", "unit_type", "area",
                                                     "period")}
    defaults = {}
    if into.exists() or into.is_symlink():
        with open_store(into, paths=paths, err=err) as store:
            found = store.assessments()
            if len(found) == 1:
                a = found[0]
                defaults = {"framework": store.framework_of(a), "phase": a.stage,
                            "unit_code": a.unit.code, "unit_name": a.unit.name,
                            "unit_type": a.unit.unit_type, "area": a.unit.area,
                            "period": a.period}
    plan = read_workbook(args.workbook, catalog, overrides=overrides, defaults=defaults)
    workbook = shown_path(args.workbook)
    for problem in plan.problems:
        print(f"{workbook}: {problem}", file=err)
    if plan.problems and not args.skip_bad_rows:
        print(f"esat: {WorkbookProblems(args.workbook, plan.problems)}; use --skip-bad-rows "
              "to import the other rows", file=err)
        return EXIT_INVALID_FILE
    result = apply_plan(plan, into, actor=paths.user_name(), skip_bad_rows=args.skip_bad_rows,
                        blank_clears=args.blank_clears)
    print(f"Imported {workbook} into {shown_path(into)}{' (new file)' if result.created else ''}: "
          f"{plan.unit.code} {plan.unit.name}, {plan.framework.key} "
          f"{plan.stage or 'all levels'}; {result.describe()}", file=out)
    if args.list_changes:
        for change in result.changes:
            print(f"  {change}", file=out)
    return EXIT_OK


def cmd_report(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from datetime import date

    from .reports.making import Request, make_report, write_report
    from .store import check_period
    if args.pdf is None and args.html is None:
        raise UsageError("esat report: say what to write with --pdf OUT and/or --html OUT")
    for option, target, suffixes in (("--pdf", args.pdf, (".pdf",)),
                                     ("--html", args.html, (".html", ".htm"))):
        if target is None:
            continue
        if target.suffix.lower() not in suffixes:
            raise UsageError(f"esat report: {target}: the {option} file's name must end in "
                             f"{suffixes[0]}")
        if not target.parent.exists():
            raise UsageError(f"esat report: {target}: the folder {target.parent} does not exist")
        if target.exists() and args.file.exists() and target.resolve() == args.file.resolve():
            raise UsageError(f"esat report: {target}: is the file being reported on; "
                             "choose another name")
    if args.pdf is not None and args.html is not None and args.pdf.resolve() == args.html.resolve():
        raise UsageError("esat report: --pdf and --html name the same file")
    if args.target is not None and args.no_target:
        raise UsageError("esat report: give --target or --no-target, not both")
    target = _target_option("report", args.target)
    year = check_period(args.year) if args.year else None
    request = Request(unit=args.unit, area=args.area, target=target, financial_year=year,
                      marking=args.marking, title=args.title, author=args.author,
                      approver=args.approver, without_target=args.no_target)
    with open_store(args.file, paths=paths, err=err) as store:
        produced_on = date.today().isoformat()
        if args.invariant:
            stamps = [a.updated_at for a in store.assessments()]
            produced_on = max(stamps, default="2000-01-01")[:10]
        report = make_report(store, request, produced_on=produced_on,
                             html_name=args.html.name if args.html is not None else None)
    try:
        written = write_report(report, pdf=args.pdf, html=args.html, invariant=args.invariant)
    except OSError as exc:
        where = exc.filename or args.pdf or args.html
        raise EsatError(f"{where}: could not be written ({exc.strerror or exc})") from None
    print(f"Wrote {' and '.join(str(p) for p in written)}: {report.title}", file=out)
    return EXIT_OK


def _target_option(command: str, text: str | None):
    """``--target PERCENT`` as a fraction of 1 (None when not given)."""
    from fractions import Fraction
    if text is None:
        return None
    try:
        target = Fraction(text.strip().rstrip("%")) / 100
    except (ValueError, ZeroDivisionError):
        target = None
    if target is None or not 0 <= target <= 1:
        raise UsageError(f"esat {command}: --target {text!r} must be a percent from 0 to 100, "
                         "e.g. 80")
    return target


def cmd_figures(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from . import figures
    from .figures_text import figures_text
    from .scope import choose, scored
    from .store import check_period
    target = _target_option("figures", args.target)
    if args.top < 1:
        raise UsageError(f"esat figures: --top {args.top} must be 1 or more")
    year = check_period(args.year) if args.year else None
    with _central(args, paths, read_only=True) as central:
        scope = choose(central, area=args.area, year=year, target=target)
        results = scored(central, scope)
    groups = figures.overview(results, target=scope.target.fraction,
                              financial_year=scope.financial_year, top=args.top)
    if args.json:
        _print_json({"file": str(args.file), "financial_year": scope.financial_year,
                     "area": scope.area, "target": scope.target.as_dict(),
                     "target_words": scope.target.words(scope.financial_year),
                     "counted": scope.as_dict(), "counted_words": scope.counted_words(),
                     "groups": [g.as_dict() for g in groups]}, out)
    else:
        out.write(figures_text(args.file, scope, groups))
    return EXIT_OK


@contextlib.contextmanager
def _writing(path: Path, nothing_done: str = "Nothing was changed"):
    """Hold the file's lock while a command writes it: the one lock rule (esat/lockfile.py)
    the app and the core follow, so the app cannot open the file for editing meanwhile."""
    from .lockfile import FileLock
    path = Path(path)
    if not path.parent.is_dir():
        raise EsatError(f"{shown_path(path)}: the folder {shown_path(path.parent)} does not exist")
    lock = FileLock(path)
    if not lock.acquire():
        raise EsatError(f"{shown_path(path)}: is open in the ESAT app or being written "
                        f"({lock.holder()}); close it there first. {nothing_done}")
    try:
        yield
    finally:
        lock.release()


def _print_json(value, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def cmd_sign_off(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from datetime import date
    with _writing(args.file), Store.open(args.file, actor=paths.user_name(),
                                            verified=paths.verified_files()) as store:
        a = store.only_assessment()
        signed_on = args.date or date.today().isoformat()
        store.sign_off(a.uuid, name=args.name, role=args.role, signed_on=signed_on)
    print(f"Signed off {shown_path(args.file)}: {a.unit.code} revision {a.revision} by {args.name.strip()} "
          f"({args.role.strip()}) on {signed_on}", file=out)
    return EXIT_OK


def cmd_reopen(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    with _writing(args.file), Store.open(args.file, actor=paths.user_name(),
                                            verified=paths.verified_files()) as store:
        a = store.only_assessment()
        revision = store.reopen(a.uuid)
    print(f"Reopened {shown_path(args.file)}: {a.unit.code} is now at revision {revision} (draft)", file=out)
    return EXIT_OK


def cmd_submit(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    with _writing(args.file), Store.open(args.file, actor=paths.user_name(),
                                            verified=paths.verified_files()) as store:
        a = store.only_assessment()
        target = store.export_submission(a.uuid, args.to)
        sub = store.submissions(a.uuid)[-1]
    if args.json:
        _print_json({"path": str(target), "submission_uuid": sub.uuid, "revision": sub.revision,
                     "supersedes_uuid": sub.supersedes_uuid, "sha256": sub.sha256}, out)
    else:
        print(target, file=out)
    return EXIT_OK


def cmd_merge(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .central.merge import REJECTED, merge_files, open_central
    with _writing(args.file), open_central(args.file, actor=paths.user_name(),
                                                   verified=paths.verified_files()) as central:
        outcomes = merge_files(central, args.inputs, catalog)
    if args.json:
        _print_json([o.as_dict() for o in outcomes], out)
    else:
        for outcome in outcomes:
            print(outcome.line(), file=out)
        if not outcomes:
            print(f"{shown_path(args.file)}: no .esat or .xlsx files to merge", file=out)
    return EXIT_INVALID_FILE if any(o.status == REJECTED for o in outcomes) else EXIT_OK


def _central(args, paths: AppPaths, *, read_only: bool) -> Store:
    store = Store.open(args.file, actor=paths.user_name(), read_only=read_only,
                       verified=paths.verified_files())
    if store.role != "central":
        role = store.role
        store.close()
        raise EsatError(f"{shown_path(args.file)}: is a {role} file, not a central database")
    return store


def cmd_history(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .central.history import STATES, conflicts, history, received_content
    if not args.unit and not args.conflicts and not args.show:
        raise UsageError("esat history: give --unit CODE, --conflicts or --show ID")
    with _central(args, paths, read_only=True) as central:
        if args.show:
            _print_json(received_content(central, args.show), out)
            return EXIT_OK
        rows = conflicts(central) if args.conflicts else history(central, args.unit)
    if args.json:
        _print_json(rows, out)
        return EXIT_OK
    if not rows:
        print(f"{shown_path(args.file)}: " + ("no open conflicts" if args.conflicts else
                                  f"nothing received from {args.unit.upper()}"), file=out)
    for row in rows:
        if args.conflicts:
            print(f"{row['uuid'][:8]}  {row['unit_code']} revision {row['revision']}  "
                  f"{row['source_name']}  {row['conflict_reason']}", file=out)
            continue
        extra = f" ({row['conflict_reason']})" if row["conflict_reason"] else ""
        resolved = f", resolved by {row['resolved_by']}" if row["resolved_by"] else ""
        print(f"{row['uuid'][:8]}  {row['merged_at']}  revision {row['revision']}  "
              f"{STATES[row['state']]}{extra}{resolved}  from {row['source_name']} "
              f"(sha256 {row['source_sha256'][:12]}, merged by {row['merged_by']})", file=out)
    return EXIT_OK


def cmd_resolve(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .central.history import resolve
    with _writing(args.file), _central(args, paths, read_only=False) as central:
        result = resolve(central, args.id, keep=args.keep)
    if args.json:
        _print_json(result, out)
    else:
        print(f"Resolved {result['uuid'][:8]}: the incoming submission is "
              f"{'now current' if result['state'] == 'current' else 'set aside'}", file=out)
    return EXIT_OK


def cmd_feedback(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .feedback import write_feedback
    with _central(args, paths, read_only=True) as central:
        target = write_feedback(central, args.unit, args.out)
    print(f"Wrote the feedback for {args.unit.upper()} to {shown_path(target)}", file=out)
    return EXIT_OK


def cmd_import_feedback(args, *, paths: AppPaths, catalog: Catalog, out: TextIO,
                        err: TextIO) -> int:
    from .feedback import import_feedback
    with _writing(args.file), Store.open(args.file, actor=paths.user_name(),
                                            verified=paths.verified_files()) as store:
        result = import_feedback(args.feedback, store)
    several = len(result.assessment_uuids)
    print(f"Took the feedback into {shown_path(args.file)}: {result.unit_code}"
          f"{f' ({several} assessments)' if several > 1 else ''}, {result.records} "
          f"coordinator record{'s' if result.records != 1 else ''}, further evidence asked "
          f"for on {result.further_evidence} indicator{'s' if result.further_evidence != 1 else ''}",
          file=out)
    return EXIT_OK


def cmd_search(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .search import matches_text, search
    if not 1 <= args.limit <= 100_000:        # SQLite's LIMIT: -1 is none, 2**63 overflows
        raise UsageError(f"esat search: --limit {args.limit} must be from 1 to 100,000")
    with _central(args, paths, read_only=True) as central:
        found = search(central.db.conn, args.words, limit=args.limit)
    if args.json:
        _print_json([h._asdict() for h in found.hits], out)
        return EXIT_OK
    if not found.hits:
        print(f"{shown_path(args.file)}: nothing found for {args.words!r}", file=out)
    for hit in found.hits:
        print(f"{hit.unit_code:<6} {hit.item_code or '-':<5} {hit.kind:<9} "
              f"{' '.join(hit.snippet.split())}", file=out)
    if found.total > len(found.hits) or not found.exact:
        print(matches_text(found), file=out)
    return EXIT_OK


def _unit_assessment(central: Store, code: str, period: str | None):
    code = (code or "").strip().upper()
    found = [a for a in central.assessments() if a.unit.code == code
             and (period is None or a.period == period)]
    if not found:
        raise EsatError(f"{central.path}: holds no assessment of unit {code}"
                        + (f" for {period}" if period else ""))
    if len(found) > 1:
        raise UsageError(f"esat: {code} has {len(found)} assessments; choose one with --period")
    return found[0]


def _scale_id(framework, text: str) -> str:
    wanted = text.strip().casefold()
    for point in framework.scale:
        if wanted in (point.id.casefold(), point.label.casefold()):
            return point.id
    known = ", ".join(p.id for p in framework.scale)
    raise UsageError(f"esat moderate: rating {text!r} is not on the scale ({known})")


def cmd_moderate(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .moderation import Moderation
    if args.grant is not None and args.refuse is not None:
        raise UsageError("esat moderate: give --grant or --refuse, not both")
    if all(v is None for v in (args.rating, args.comment, args.further_evidence, args.grant,
                               args.refuse)):
        raise UsageError("esat moderate: nothing to do; give --rating, --comment, "
                         "--further-evidence, --grant or --refuse")
    with _writing(args.file), _central(args, paths, read_only=False) as central:
        a = _unit_assessment(central, args.unit, args.period)
        moderation = Moderation(central)
        item = args.item.strip().upper()
        with central.db.atomic():
            if args.rating is not None:
                moderation.rate(a.uuid, item, _scale_id(central.framework_of(a), args.rating))
            if args.comment is not None:
                moderation.comment(a.uuid, item, args.comment)
            if args.further_evidence is not None:
                moderation.ask_further_evidence(a.uuid, item, args.further_evidence)
            if args.grant is not None:
                moderation.grant_exemption(a.uuid, item, args.grant)
            if args.refuse is not None:
                moderation.refuse_exemption(a.uuid, item, args.refuse)
        record = moderation.records(a.uuid)[item]
    print(f"Moderated {a.unit.code} {item}: assessor rating {record.assessor_rating or 'none'}"
          + (f", comment {record.comment!r}" if record.comment else "")
          + (", further evidence asked for" if record.further_evidence else "")
          + ({True: ", exemption granted", False: ", exemption refused"}.get(
              record.exemption_decision, "")), file=out)
    return EXIT_OK


def cmd_sample(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .moderation import Moderation
    with _writing(args.file), _central(args, paths, read_only=False) as central:
        a = _unit_assessment(central, args.unit, args.period)
        drawn = Moderation(central).draw_sample(a.uuid, args.size, seed=args.seed)
    if args.json:
        _print_json({"unit_code": a.unit.code, "seed": drawn.seed, "size": drawn.size,
                     "items": list(drawn.item_codes)}, out)
    else:
        print(f"Dip sample of {a.unit.code} (seed {drawn.seed}, size {drawn.size}): "
              f"{', '.join(drawn.item_codes)}", file=out)
    return EXIT_OK


def cmd_agreement(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .moderation import agreement
    with _central(args, paths, read_only=True) as central:
        rows = agreement(central, by=args.by)
    if args.json:
        _print_json([r.as_dict() for r in rows], out)
        return EXIT_OK
    for row in map(lambda r: r.as_dict(), rows):
        def show(value, suffix="%"):
            return "n/a" if value is None else f"{value}{suffix}"
        print(f"{row['name']:<16} {row['framework']:<10} pairs {row['pairs']:<4} "
              f"exact {show(row['exact_percent'])}  satisfactory "
              f"{show(row['satisfactory_percent'])}  weighted kappa "
              f"{show(row['weighted_kappa'], '')}", file=out)
    return EXIT_OK


def cmd_target(args, *, paths: AppPaths, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    from .moderation import Moderation
    if (args.period is None) != (args.percent is None):
        raise UsageError("esat target: give both --period and --percent to set a target")
    read_only = args.period is None
    with (contextlib.nullcontext() if read_only else _writing(args.file)), \
            _central(args, paths, read_only=read_only) as central:
        moderation = Moderation(central)
        if not read_only:
            moderation.set_kpi_target(args.period, args.percent)
        targets = moderation.kpi_targets()
    if args.json:
        _print_json(targets, out)
    else:
        for period, percent in targets.items():
            print(f"{period}  {percent}%", file=out)
        if not targets:
            print(f"{shown_path(args.file)}: no KPI targets set", file=out)
    return EXIT_OK


COMMANDS = {"new": cmd_new, "score": cmd_score, "check": cmd_check,
            "frameworks": cmd_frameworks, "show": cmd_show, "demo": cmd_demo, "gui": cmd_gui,
            "export": cmd_export, "template": cmd_template, "import-xlsx": cmd_import_xlsx,
            "sign-off": cmd_sign_off, "reopen": cmd_reopen, "submit": cmd_submit,
            "merge": cmd_merge, "history": cmd_history, "resolve": cmd_resolve,
            "feedback": cmd_feedback, "import-feedback": cmd_import_feedback,
            "search": cmd_search, "moderate": cmd_moderate, "sample": cmd_sample,
            "agreement": cmd_agreement, "target": cmd_target,
            "report": cmd_report, "figures": cmd_figures}


def _command_named(argv: list[str]) -> str | None:
    """The command ``argv`` runs when that is plain from its first word (no args: the app)."""
    if not argv:
        return "gui"
    return argv[0] if argv[0] in COMMANDS else None


def _entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _entry()
