"""The coordinators' overview of a central database: one row per current assessment
(Qt-free; the app's units table, and anything else that lists units, reads these).

Each row is ``esat score --json``'s row (:func:`esat.summary.score_row`) plus:

- ``last_submission``: when the current submission was merged (None when the
  content did not come by a merge);
- ``agreement_pairs``, ``agreement_exact_percent``, ``agreement_kappa``: the
  unit's agreement between self and assessor ratings (:func:`esat.moderation.agreement`);
- ``moderation_state``: one of :data:`MODERATION_STATES`, by :func:`moderation_state`.
"""

from __future__ import annotations

from typing import Any

from ..moderation import Moderation, ModerationRecord, agreement
from ..scoring import Score
from ..store import Store
from ..summary import score_row

NOT_STARTED, IN_PROGRESS, FURTHER_EVIDENCE, DONE = (
    "not started", "in progress", "further evidence requested", "done")
MODERATION_STATES = (NOT_STARTED, IN_PROGRESS, FURTHER_EVIDENCE, DONE)


def moderation_state(score: Score, records: dict[str, ModerationRecord]) -> str:
    """Where the moderation of one assessment stands.

    - further evidence requested: at least one item waits for evidence asked for;
    - done: every required item has an assessor rating that need not be looked at again;
    - not started: no item has a coordinator's record yet;
    - in progress: anything between.
    """
    if any(r.further_evidence for r in records.values()):
        return FURTHER_EVIDENCE
    if not records:
        return NOT_STARTED
    required = [r.item.code for r in score.items if r.required]
    if required and all(code in records and records[code].assessor_rating is not None
                        and not records[code].look_again for code in required):
        return DONE
    return IN_PROGRESS


def unit_rows(store: Store) -> list[dict[str, Any]]:
    """One row per assessment the central database holds, in the store's order."""
    moderation = Moderation(store)
    agreed = {(a.name, a.framework): a for a in agreement(store, by="unit")}
    merged = dict(store.db.execute(
        "SELECT assessment_uuid, MAX(merged_at) FROM received_submissions "
        "WHERE state = 'current' GROUP BY assessment_uuid").fetchall())
    rows = []
    for assessment in store.assessments():
        score = store.score(assessment.uuid)
        row = score_row(store, assessment, score)
        a = agreed.get((assessment.unit.code, score.framework.key))
        row["agreement_pairs"] = a.pairs if a else 0
        row["agreement_exact_percent"] = a.as_dict()["exact_percent"] if a else None
        row["agreement_kappa"] = a.as_dict()["weighted_kappa"] if a else None
        row["last_submission"] = merged.get(assessment.uuid)
        row["moderation_state"] = moderation_state(score, moderation.records(assessment.uuid))
        rows.append(row)
    return rows
