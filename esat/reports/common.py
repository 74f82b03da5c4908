"""What every report shares: its document-control details and small wordings."""

from __future__ import annotations

from typing import NamedTuple

from ..framework import Framework
from ..records import Assessment
from . import model

NOT_SET = "not set"


class Details(NamedTuple):
    """A report's document control (as in the source reports' header table)."""

    protective_marking: str
    publication_scheme: bool
    title: str
    version: str
    summary: str
    author: str
    approver: str
    owning_unit: str
    created_on: str
    review_on: str

    @classmethod
    def of(cls, assessment: Assessment) -> "Details":
        """A unit's own document control, as the unit filled it in."""
        return cls(assessment.protective_marking, assessment.publication_scheme,
                   assessment.title, assessment.version_label, assessment.summary,
                   assessment.author, assessment.approver, assessment.owning_unit,
                   assessment.created_on, assessment.review_on)

    def block(self) -> model.KeyValues:
        return model.KeyValues("Document control", (
            ("Protective marking", self.protective_marking or NOT_SET),
            ("Suitable for Publication Scheme? Y/N", "Y" if self.publication_scheme else "N"),
            ("Title & version", " ".join(p for p in (self.title, self.version) if p) or NOT_SET),
            ("Summary", self.summary or NOT_SET),
            ("Author(s)", self.author or NOT_SET),
            ("Quality assured or approved by", self.approver or NOT_SET),
            ("Creating / owning unit", self.owning_unit or NOT_SET),
            ("Date created", self.created_on or NOT_SET),
            ("Review date", self.review_on or NOT_SET),
        ))


def percent(value: int | None) -> str:
    return "n/a" if value is None else f"{value}%"


def threshold_percent(framework: Framework) -> int | None:
    if framework.threshold is None:
        return None
    from ..scoring import round_half_up_percent
    return round_half_up_percent(framework.threshold)


def accessible_note(html_name: str | None) -> str:
    """What the PDF says about its accessible twin."""
    where = (f"the file {html_name}, written with this PDF" if html_name
             else "made with the command: esat report FILE --html OUT")
    return ("An accessible version of this report (HTML, with headings, table headers and a "
            f"text alternative for every chart, for screen readers) is {where}; "
            "or ask the report's author for it.")


def codes(items) -> str:
    """Item results or items as a code list: "6B, 8B" ("none" when empty)."""
    out = [getattr(getattr(i, "item", i), "code") for i in items]
    return ", ".join(out) if out else "none"
