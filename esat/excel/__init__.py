"""Excel exchange: export an assessment, write a fillable template, import a workbook.

Built on openpyxl (write-only mode to export, read-only mode to import) and
free of Qt, so the command line and the desktop app share it. The layout of
the workbook and the import rules are in ``docs/excel.md``.

For the app:

- :func:`export_assessment` (store, uuid, target, progress=, cancelled=) → Path
- :func:`write_template` (framework, target, stage=, unit_code=, ...) → Path
- :func:`read_workbook` (path, catalog, overrides=) → :class:`ImportPlan`
  (checks safety and parses; writes nothing; ``plan.problems`` lists rows that
  cannot be used)
- :func:`apply_plan` (plan, into, actor=, skip_bad_rows=) → :class:`ImportResult`
  (all or nothing)
"""

from .apply import apply_plan, apply_to_store, preview_plan, undo_import
from .export import export_assessment, write_template
from ..errors import Cancelled
from .model import (ImportPlan, ImportResult, MissingDetailsError, PlanAction,
                    PlanEvidence, PlanIndicator, PlanUnit, RowProblem, WorkbookProblems)
from .reader import read_workbook
from .safety import check_package

__all__ = ["export_assessment", "write_template", "read_workbook", "apply_plan", "apply_to_store",
           "preview_plan", "undo_import", "Cancelled",
           "ImportPlan", "ImportResult", "RowProblem", "MissingDetailsError", "WorkbookProblems",
           "PlanUnit", "PlanIndicator", "PlanEvidence", "PlanAction", "check_package"]
