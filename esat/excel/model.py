"""What reading a workbook produces, and the errors Excel exchange raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EsatError, InvalidFileError
from ..framework import Framework


class MissingDetailsError(EsatError):
    """A workbook that does not say which framework, phase or unit it is for.

    ``missing`` lists the options (framework, phase, unit_code, unit_name,
    unit_type) the caller must supply, e.g. from the command line or a dialog.
    """

    def __init__(self, path: Path, missing: list[str]):
        self.path = Path(path)
        self.missing = missing
        options = ", ".join("--" + name.replace("_", "-") for name in missing)
        what = ", ".join(m.replace("_", " ") for m in missing)
        extra = " (and --phase, if the framework has phases)" if missing[0] == "framework" else ""
        super().__init__(f"{self.path}: does not say its {what} (no Summary sheet gives "
                         f"{'them' if len(missing) > 1 else 'it'}); supply {options}{extra}")


class WorkbookProblems(InvalidFileError):
    """A workbook with rows that cannot be used, imported without skipping them."""

    def __init__(self, path: Path, problems: list["RowProblem"]):
        self.problems = problems
        count = len(problems)
        super().__init__(path, f"{count} row problem{'s' if count != 1 else ''}; nothing was "
                               "imported (fix them, or accept skipping those rows)")


@dataclass(frozen=True)
class RowProblem:
    """A cell or row of a workbook that cannot be used."""

    sheet: str
    row: int
    column: str | None        # column letter, or None for the whole row
    message: str

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet}!{self.row}:{self.row}"

    def __str__(self) -> str:
        return f"{self.ref}: {self.message}"


@dataclass(frozen=True)
class PlanUnit:
    code: str
    name: str
    unit_type: str
    area: str = ""
    period: str = ""


@dataclass
class PlanIndicator:
    """One usable row of the Indicators sheet; ``None`` fields were not in the workbook."""

    row: int
    code: str
    self_rating: str | None = None          # scale point id, or None for blank
    assessor_rating: str | None = None      # only applied when given
    assessor_name: str = ""
    narrative: str | None = None
    exempt: bool | None = None
    exemption_reason: str = ""
    decision: bool | None = None            # True granted, False refused, None: leave as is
    decision_reason: str = ""
    strands: tuple[str, ...] | None = None
    blank: frozenset[str] = frozenset()     # columns whose cell is blank on this row


@dataclass
class PlanEvidence:
    row: int
    code: str
    kind: str                                # note, file or link
    title: str
    text: str                                # note text or link address
    file_name: str = ""
    size: int | None = None
    sha256: str = ""
    strands: tuple[str, ...] | None = None   # None: the sheet has no Strands column


@dataclass
class PlanAction:
    row: int
    code: str | None
    description: str
    owner: str = ""
    due_on: str = ""
    status: str = "open"
    strands: tuple[str, ...] | None = None


@dataclass
class ImportPlan:
    """A checked, parsed workbook, ready to apply; reading it wrote nothing.

    ``problems`` lists every row that cannot be used; those rows are left out
    of ``indicators``, ``evidence_items`` and ``action_items``. ``ratings``,
    ``narratives``, ``exemptions``, ``evidence`` and ``actions`` are counts
    for a preview. Which columns the
    Indicators sheet has is in ``columns``: an absent column changes nothing.
    """

    source: Path
    framework: Framework
    stage: str | None
    unit: PlanUnit
    kind: str                                # "export", "template" or "legacy"
    details: dict[str, object] = field(default_factory=dict)
    assessment_uuid: str | None = None
    revision: int | None = None
    columns: frozenset[str] = frozenset()
    indicators: list[PlanIndicator] = field(default_factory=list)
    evidence_items: list[PlanEvidence] = field(default_factory=list)
    action_items: list[PlanAction] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    bad_rows: int = 0

    # counts for a preview
    @property
    def ratings(self) -> int:
        return sum(1 for i in self.indicators if i.self_rating is not None)

    @property
    def assessor_ratings(self) -> int:
        return sum(1 for i in self.indicators if i.assessor_rating is not None)

    @property
    def narratives(self) -> int:
        return sum(1 for i in self.indicators if i.narrative)

    @property
    def exemptions(self) -> int:
        return sum(1 for i in self.indicators if i.exempt)

    @property
    def evidence(self) -> int:
        return len(self.evidence_items)

    @property
    def actions(self) -> int:
        return len(self.action_items)

    def describe(self) -> str:
        """One line for a preview: who, what, and how much."""
        stage = (self.framework.stage(self.stage).title if self.stage
                 else f"all {self.framework.label('stages').lower()}")
        return (f"{self.unit.code} {self.unit.name}, {self.framework.abbreviation} "
                f"{self.framework.version} {stage}{', ' + self.unit.period if self.unit.period else ''}: "
                f"{self.ratings} rating{'s' if self.ratings != 1 else ''}, "
                f"{self.narratives} narrative{'s' if self.narratives != 1 else ''}, "
                f"{self.exemptions} exemption request{'s' if self.exemptions != 1 else ''}, "
                f"{self.evidence} evidence item{'s' if self.evidence != 1 else ''}, "
                f"{self.actions} action{'s' if self.actions != 1 else ''}"
                + (f"; {self.coordinator_entries} coordinator "
                   f"entr{'ies' if self.coordinator_entries != 1 else 'y'} (assessor ratings, "
                   "exemption decisions) will be ignored: they are made in the central database"
                   if self.coordinator_entries else ""))

    @property
    def coordinator_entries(self) -> int:
        """Assessor ratings and exemption decisions: a unit's file takes none of them."""
        return sum((i.assessor_rating is not None) + (i.decision is not None)
                   for i in self.indicators)


@dataclass(frozen=True)
class PlanChange:
    """One field an import changes: where, what, the value before and after (as shown).

    ``revert`` is the store call that puts the old value back, as (method, args);
    :func:`esat.excel.apply.undo_import` runs them in reverse order.
    """

    code: str                     # indicator code, "" for the assessment's details
    what: str                     # "self rating", "narrative", "evidence added", ...
    old: str
    new: str
    revert: tuple = ()

    def __str__(self) -> str:
        where = f"{self.code} " if self.code else ""
        return f"{where}{self.what}: {self.old} → {self.new}"


@dataclass(frozen=True)
class ImportResult:
    path: Path
    assessment_uuid: str
    created: bool                 # the unit file was created by this import
    ratings: int                  # self ratings set or changed
    assessor_ratings: int         # coordinator entries (assessor ratings, exemption
                                  # decisions) ignored: a unit's file takes none
    narratives: int               # narratives set or changed
    exemptions: int               # exemption requests made or withdrawn
    evidence_added: int
    evidence_kept: int            # identical items already in the file
    actions_added: int
    actions_updated: int
    rows_skipped: int
    changes: tuple[PlanChange, ...] = ()
    exemptions_requested: int = 0
    exemptions_withdrawn: int = 0
    narratives_cleared: int = 0
    ratings_cleared: int = 0
    other: int = 0                # strands, decisions and details changed

    def counts(self) -> str:
        """The preview's summary line: every change counted, clearing said apart."""
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'s' if count != 1 else ''}"
        parts = [n(self.ratings - self.ratings_cleared, "rating") + " set",
                 n(self.ratings_cleared, "rating") + " cleared",
                 n(self.narratives - self.narratives_cleared, "narrative") + " set",
                 n(self.narratives_cleared, "narrative") + " cleared",
                 n(self.exemptions_requested, "exemption request") + " made",
                 n(self.exemptions_withdrawn, "exemption request") + " withdrawn",
                 n(self.evidence_added, "evidence item") + " added",
                 n(self.actions_added, "action") + " added",
                 n(self.actions_updated, "action") + " updated"]
        if self.assessor_ratings:
            parts.append(f"{self.assessor_ratings} coordinator "
                         f"entr{'ies' if self.assessor_ratings != 1 else 'y'} ignored")
        if self.other:
            parts.append(n(self.other, "other change"))
        return ", ".join(parts)

    def describe(self) -> str:
        return (f"{self.ratings} rating{'s' if self.ratings != 1 else ''} and "
                f"{self.narratives} narrative{'s' if self.narratives != 1 else ''} set, "
                f"{self.exemptions} exemption change{'s' if self.exemptions != 1 else ''}, "
                f"{self.evidence_added} evidence item{'s' if self.evidence_added != 1 else ''} added "
                f"({self.evidence_kept} already there), {self.actions_added} "
                f"action{'s' if self.actions_added != 1 else ''} added, {self.actions_updated} updated"
                + (f"; {self.rows_skipped} row{'s' if self.rows_skipped != 1 else ''} skipped"
                   if self.rows_skipped else "")
                + (f"; {self.assessor_ratings} coordinator "
                   f"entr{'ies' if self.assessor_ratings != 1 else 'y'} (assessor ratings, "
                   "exemption decisions) ignored: they are made in the central database"
                   if self.assessor_ratings else ""))
