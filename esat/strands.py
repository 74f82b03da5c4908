"""The six equality strands that evidence and actions can be tagged with."""

from __future__ import annotations

STRANDS: tuple[tuple[str, str], ...] = (
    ("race", "Race"),
    ("gender", "Gender"),
    ("disability", "Disability"),
    ("age", "Age"),
    ("sexual_orientation", "Sexual orientation"),
    ("religion_belief", "Religion or belief"),
)

STRAND_IDS = tuple(strand_id for strand_id, _ in STRANDS)


def strand_label(strand_id: str) -> str:
    return dict(STRANDS).get(strand_id, strand_id)


def strand_for_label(text: str) -> str | None:
    """The strand id whose id or label matches ``text`` (any case)."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    for strand_id, label in STRANDS:
        if wanted in (strand_id.replace("_", " "), label.casefold()):
            return strand_id
    return None
