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

from typing import Any, NamedTuple

from ..moderation import agreement, look_again
from .dashboard import Scored, scored
from ..scoring import Score
from ..store import Store
from ..summary import score_row

NOT_STARTED, IN_PROGRESS, FURTHER_EVIDENCE, DONE = (
    "not started", "in progress", "further evidence requested", "done")
MODERATION_STATES = (NOT_STARTED, IN_PROGRESS, FURTHER_EVIDENCE, DONE)


class ModerationFacts(NamedTuple):
    """What the moderation state of one assessment depends on."""

    records: int                 # items with a coordinator's record
    further_evidence: bool       # at least one item waits for further evidence
    settled: frozenset[str]      # items with an assessor rating not to be looked at again


def moderation_facts(store: Store) -> dict[str, ModerationFacts]:
    """:class:`ModerationFacts` of every assessment with a coordinator's record, by uuid:
    one read of the moderation table and the look-again check (:func:`look_again`)."""
    again = look_again(store.db.conn)
    found: dict[str, tuple[int, bool, set[str]]] = {}
    for a_uuid, code, rated, further in store.db.execute(
            "SELECT assessment_uuid, item_code, assessor_rating IS NOT NULL, further_evidence "
            "FROM moderation"):
        count, any_further, settled = found.get(a_uuid) or (0, False, set())
        if rated and code not in again.get(a_uuid, ()):
            settled.add(code)
        found[a_uuid] = (count + 1, any_further or bool(further), settled)
    return {a_uuid: ModerationFacts(count, further, frozenset(settled))
            for a_uuid, (count, further, settled) in found.items()}


def moderation_state(score: Score, facts: ModerationFacts | None) -> str:
    """Where the moderation of one assessment stands.

    - further evidence requested: at least one item waits for evidence asked for;
    - done: every required item has an assessor rating that need not be looked at again;
    - not started: no item has a coordinator's record yet;
    - in progress: anything between.
    """
    if facts is not None and facts.further_evidence:
        return FURTHER_EVIDENCE
    if facts is None or not facts.records:
        return NOT_STARTED
    required = [r.item.code for r in score.items if r.required]
    if required and all(code in facts.settled for code in required):
        return DONE
    return IN_PROGRESS


class Overview(NamedTuple):
    """What one read of a central database gives: the units table's rows, and every
    assessment with its score for the dashboard and heat map (:func:`dashboard.scored`)."""

    rows: list[dict[str, Any]]
    scored: list[Scored]


def read_overview(store: Store) -> Overview:
    """One read of the whole database: the item states once for the scores and the
    agreement, the moderation table (with the look-again check) once for the states."""
    assessments = store.assessments()
    states = store._all_item_states()
    scores = store.scores(assessments, states)
    agreed = {(a.name, a.framework): a
              for a in agreement(store, by="unit", assessments=assessments, states=states)}
    facts = moderation_facts(store)
    merged = dict(store.db.execute(
        "SELECT assessment_uuid, MAX(merged_at) FROM received_submissions "
        "WHERE state = 'current' GROUP BY assessment_uuid").fetchall())
    rows = []
    for assessment in assessments:
        score = scores[assessment.uuid]
        row = score_row(store, assessment, score)
        a = agreed.get((assessment.unit.code, score.framework.key))
        shown = a.as_dict() if a else {}
        row["agreement_pairs"] = a.pairs if a else 0
        row["agreement_exact_percent"] = shown.get("exact_percent")
        row["agreement_kappa"] = shown.get("weighted_kappa")
        row["last_submission"] = merged.get(assessment.uuid)
        row["moderation_state"] = moderation_state(score, facts.get(assessment.uuid))
        rows.append(row)
    return Overview(rows, [Scored(a, scores[a.uuid]) for a in assessments])


def unit_rows(store: Store) -> list[dict[str, Any]]:
    """One row per assessment the central database holds, in the store's order."""
    return read_overview(store).rows


class ReadCache:
    """Every assessment's score from the latest read of one open database (the
    units table's :class:`Overview`, or :func:`scored`), kept while the file is
    unchanged, so the dashboard and heat map shown after the units table need not
    score every assessment again.

    Unchanged means: no change by this connection (``total_changes``) and none
    committed by any other (``PRAGMA data_version``). Use it from the thread of
    the store's connection only (the app: the file's worker).
    """

    def __init__(self):
        self._revision: tuple[int, int] | None = None
        self._scored: list[Scored] | None = None

    @staticmethod
    def revision(store: Store) -> tuple[int, int]:
        conn = store.db.conn
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

    def overview(self, store: Store) -> Overview:
        """A fresh read, kept for :meth:`scored`."""
        revision = self.revision(store)
        overview = read_overview(store)
        self._revision, self._scored = revision, overview.scored
        return overview

    def scored(self, store: Store) -> list[Scored]:
        """Every assessment with its score: the kept read's while the file is unchanged."""
        revision = self.revision(store)
        if self._scored is None or self._revision != revision:
            self._revision, self._scored = revision, scored(store)
        return self._scored
