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
        "export", help="export a unit's assessment to an Excel workbook",
        description="Write the assessment in a unit file to an Excel workbook: Summary, "
                    "Indicators, Evidence and Actions sheets (see docs/excel.md).",
        epilog="Example: esat export lambeth.esat --xlsx lambeth.xlsx")
    export.add_argument("file", type=Path, metavar="FILE", help="the unit's .esat file")
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
    add_unit_options(import_xlsx, required=False)

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
    catalog = Catalog(paths.framework_folders())
    command = args.command or "gui"
    try:
        return COMMANDS[command](args, paths=paths, catalog=catalog, out=out, err=err)
    except UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except InvalidFileError as exc:
        print(f"esat: {exc}", file=err)
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
    path = _file_of(args)
    message = str(exc)
    if not message.startswith(shown_path(path)):
        return f"{shown_path(path)}: {message}"
    return message


def open_store(path: Path, *, paths: AppPaths, err: TextIO, read_only: bool = True) -> Store:
    """Open a file for a command; says once, on stderr, when an interrupted save was undone."""
    from .fileformat import RECOVERED_NOTE
    store = Store.open(path, actor=paths.user_name(), read_only=read_only)
    if store.recovered:
        print(f"esat: {shown_path(path)}: {RECOVERED_NOTE}", file=err)
    return store


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
    from .lockfile import FileLock
    into: Path = args.into
    lock = FileLock(into)
    if not lock.acquire():
        raise EsatError(f"{shown_path(into)}: is open in the ESAT app or being written "
                        f"({lock.holder()}); close it there first. Nothing was imported")
    try:
        return _import_xlsx(args, paths=paths, catalog=catalog, out=out, err=err)
    finally:
        lock.release()


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
    result = apply_plan(plan, into, actor=paths.user_name(), skip_bad_rows=args.skip_bad_rows)
    print(f"Imported {workbook} into {shown_path(into)}{' (new file)' if result.created else ''}: "
          f"{plan.unit.code} {plan.unit.name}, {plan.framework.key} "
          f"{plan.stage or 'all levels'}; {result.describe()}", file=out)
    return EXIT_OK


COMMANDS = {"new": cmd_new, "score": cmd_score, "check": cmd_check,
            "frameworks": cmd_frameworks, "show": cmd_show, "demo": cmd_demo, "gui": cmd_gui,
            "export": cmd_export, "template": cmd_template, "import-xlsx": cmd_import_xlsx}


def _command_named(argv: list[str]) -> str | None:
    """The command ``argv`` runs when that is plain from its first word (no args: the app)."""
    if not argv:
        return "gui"
    return argv[0] if argv[0] in COMMANDS else None


def _entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _entry()
