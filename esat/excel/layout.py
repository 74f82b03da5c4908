"""The layout of an ESAT workbook: sheet names, columns and the words in them.

One place for what export writes and import reads (see ``docs/excel.md``).
Header names are matched on import case-insensitively, with a few aliases.
Text too long for one cell continues in ``<header> (continued 2)``, ... columns
at the right-hand end of the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass


# Version of this workbook layout, kept in the hidden sheet. Import refuses newer ones.
FORMAT_VERSION = 1

SUMMARY = "Summary"
INDICATORS = "Indicators"
EVIDENCE = "Evidence"
ACTIONS = "Actions"
META = "_esat"            # hidden: format version, ids, and the drop-down lists

YES, NO = "Yes", "No"
GRANTED, REFUSED = "Granted", "Refused"

EVIDENCE_KINDS = (("note", "Note"), ("file", "File"), ("link", "Link"))

# Defined names of the drop-down lists (ranges on the hidden sheet).
LIST_RATINGS = "esat_ratings"
LIST_YES_NO = "esat_yes_no"
LIST_DECISIONS = "esat_decisions"
LIST_KINDS = "esat_evidence_kinds"
LIST_STATUSES = "esat_action_statuses"

# Rows of a template's Evidence and Actions sheets that carry drop-downs.
TEMPLATE_ROWS = 500


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    choices: str | None = None   # defined name of a drop-down list
    key: str = ""                # what import reads it as; empty: export only
    aliases: tuple[str, ...] = ()
    prompt: str = ""             # input message shown when the cell is selected

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


STRANDS_PROMPT = ("Equality strands, separated by commas: Race, Gender, Disability, Age, "
                  "Sexual orientation, Religion or belief")


def indicator_columns(stage_label: str) -> tuple[Column, ...]:
    """Columns of the Indicators sheet; ``stage_label`` is the framework's word (Phase, Level)."""
    return (
        Column("Code", 9, key="code"),
        Column("Section", 22),
        Column(stage_label, 16),
        Column("Indicator", 55),
        Column("Wording", 10),
        Column("Exempt", 9, choices=LIST_YES_NO, key="exempt",
               prompt="Yes to ask to be exempt from this indicator (give the reason)"),
        Column("Exemption reason", 30, key="exemption_reason",
               aliases=("reason",)),
        Column("Exemption decision", 12, choices=LIST_DECISIONS, key="decision",
               prompt="For the coordinator: Granted or Refused"),
        Column("Decision reason", 30, key="decision_reason"),
        Column("Self rating", 24, choices=LIST_RATINGS, key="self_rating",
               aliases=("rating", "self-rating", "unit rating"),
               prompt="The unit's own rating: choose from the list"),
        Column("Assessor rating", 24, choices=LIST_RATINGS, key="assessor_rating",
               prompt="For the coordinator: the assessor's rating"),
        Column("Assessor", 18, key="assessor_name", aliases=("assessor name",)),
        Column("Rating used", 30),
        Column("Evidence summary", 32),
        Column("Strands", 24, key="strands", aliases=("strand",),
               prompt=STRANDS_PROMPT),
        Column("Actions", 32),
        Column("Narrative", 70, key="narrative"),
    )


EVIDENCE_COLUMNS = (
    Column("Code", 9, key="code", aliases=("indicator", "indicator code", "criterion")),
    Column("Kind", 8, choices=LIST_KINDS, key="kind", aliases=("type",),
           prompt="Note, File or Link"),
    Column("Title", 36, key="title"),
    Column("Text or link", 60, key="text",
           aliases=("text", "link", "url", "address", "note")),
    Column("File name", 28, key="file_name", aliases=("attachment", "file")),
    Column("Size (bytes)", 12, key="size", aliases=("size",)),
    Column("SHA-256", 20, key="sha256", aliases=("sha256", "sha 256", "hash")),
    Column("Strands", 24, key="strands", aliases=("strand",), prompt=STRANDS_PROMPT),
)

ACTION_COLUMNS = (
    Column("Code", 9, key="code", aliases=("indicator", "indicator code", "criterion")),
    Column("Description", 60, key="description", aliases=("action",)),
    Column("Owner", 22, key="owner"),
    Column("Due date", 12, key="due_on", aliases=("due", "due on")),
    Column("Status", 12, choices=LIST_STATUSES, key="status",
           prompt="Open, In progress, Done or Dropped"),
    Column("Strands", 24, key="strands", aliases=("strand",), prompt=STRANDS_PROMPT),
)

SUMMARY_COLUMNS = (Column("Field", 28), Column("Value", 70))

# Summary fields import reads (normalised field name → key); the rest are for people.
SUMMARY_FIELDS = {
    "unit code": "unit_code", "unit name": "unit_name", "unit type": "unit_type",
    "area": "area", "area or directorate": "area", "framework": "framework",
    "phase": "stage", "level": "stage", "stage": "stage", "period": "period",
    "equality lead": "equality_lead", "smt lead": "smt_lead",
    "protective marking": "protective_marking", "publication scheme": "publication_scheme",
    "title": "title", "version": "version_label", "summary": "summary", "author": "author",
    "approver": "approver", "owning unit": "owning_unit", "created on": "created_on",
    "created": "created_on", "review on": "review_on", "review": "review_on",
}

# The document-control and people fields import passes to Store.set_details.
DETAIL_KEYS = ("equality_lead", "smt_lead", "protective_marking", "publication_scheme", "title",
               "version_label", "summary", "author", "approver", "owning_unit", "created_on",
               "review_on")


def normalise(header: object) -> str:
    """A header or field name as compared on import: any case, single spaces."""
    if header is None:
        return ""
    return " ".join(str(header).replace("\u00a0", " ").split()).casefold().rstrip(":*").strip()


def continued(header: str, number: int) -> str:
    """Header of the ``number``-th continuation column of a long-text column (2, 3, ...)."""
    return f"{header} (continued {number})"
