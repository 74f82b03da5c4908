"""Moderation in the central database: the coordinators' side of every item.

Assessor ratings with a comment, requests for further evidence and exemption
decisions live in the ``moderation`` table, apart from the unit's fields, and
are written only in a central database, each step through the store's audited
write path (one audit row per changed field, with the old value, so the app
can undo it). Dip samples are drawn reproducibly and recorded with their seed
and size; the KPI target of each financial year is kept here too.

Agreement between self and assessor ratings (over every item that has both):
exact agreement, agreement on satisfactory versus not, and Cohen's weighted
kappa with linear weights over the framework's ordered scale.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
from collections import defaultdict
from fractions import Fraction
from typing import Any, Iterable, NamedTuple

from .errors import EsatError, ValidationError
from .records import Assessment
from .scoring import ItemState
from .store import Store, check_period
from .submission import item_digests


class ModerationRecord(NamedTuple):
    item_code: str
    assessor_rating: str | None
    assessor_name: str
    assessor_rated_at: str | None
    comment: str
    further_evidence: bool
    exemption_decision: bool | None
    exemption_reason: str
    decided_by: str
    look_again: bool            # the unit's content of the item changed since it was rated


class DipSample(NamedTuple):
    assessment_uuid: str
    seed: int
    size: int
    item_codes: tuple[str, ...]
    drawn_by: str
    drawn_at: str


class Agreement(NamedTuple):
    scope: str                  # unit, area or organisation
    name: str                   # the unit's code, the area's name, or "Organisation"
    framework: str              # framework key: scales differ between frameworks
    pairs: int                  # items with both a self and an assessor rating
    exact: Fraction | None
    satisfactory: Fraction | None
    kappa: float | None         # linear weighted kappa; None when undefined

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "name": self.name, "framework": self.framework,
                "pairs": self.pairs, "exact_percent": _pct(self.exact),
                "satisfactory_percent": _pct(self.satisfactory),
                "weighted_kappa": None if self.kappa is None else round(self.kappa, 3)}


def _pct(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


class Moderation:
    """The coordinators' moderation of a central database's assessments."""

    def __init__(self, store: Store):
        self.store = store

    # -- one item ----------------------------------------------------------------

    def rate(self, assessment_uuid: str, code: str, rating: str | None, *,
             comment: str | None = None, assessor: str | None = None) -> None:
        """Set (or with None clear) the assessor rating, with an optional comment."""
        with self.store.db.atomic():
            self.store.set_assessor_rating(assessment_uuid, code, rating, assessor)
            if comment is not None:
                self.comment(assessment_uuid, code, comment)

    def comment(self, assessment_uuid: str, code: str, text: str) -> None:
        with self.store.db.atomic():
            a = self.store._coordinator_editable(assessment_uuid)
            self.store._set_moderation(a, code, {"comment": (text or "").strip()})

    def ask_further_evidence(self, assessment_uuid: str, code: str, note: str) -> None:
        """Ask the unit for more evidence on an item; the note says what is wanted."""
        note = (note or "").strip()
        if not note:
            raise ValidationError(f"{code}: say what further evidence is wanted")
        with self.store.db.atomic():
            a = self.store._coordinator_editable(assessment_uuid)
            self.store._set_moderation(a, code, {"further_evidence": 1, "comment": note})

    def evidence_received(self, assessment_uuid: str, code: str) -> None:
        with self.store.db.atomic():
            a = self.store._coordinator_editable(assessment_uuid)
            self.store._set_moderation(a, code, {"further_evidence": 0})

    def grant_exemption(self, assessment_uuid: str, code: str, reason: str) -> None:
        self.store.decide_exemption(assessment_uuid, code, True, reason)

    def refuse_exemption(self, assessment_uuid: str, code: str, reason: str) -> None:
        if not (reason or "").strip():
            raise ValidationError(f"{code}: a refused exemption needs a reason")
        self.store.decide_exemption(assessment_uuid, code, False, reason)

    # -- undo: what the app keeps before a step, and puts back ---------------------------

    _FIELDS = ("assessor_rating", "assessor_name", "assessor_rated_at", "comment",
               "further_evidence", "exemption_decision", "exemption_reason", "decided_by",
               "decided_at", "evidence_digest")

    def snapshot(self, assessment_uuid: str, code: str) -> dict[str, Any] | None:
        """The coordinators' record of an item as it is (None: no record yet)."""
        cursor = self.store.db.execute(
            f"SELECT {', '.join(self._FIELDS)} FROM moderation WHERE assessment_uuid = ? "
            "AND item_code = ?", [assessment_uuid, code])
        row = cursor.fetchone()
        return None if row is None else dict(zip(self._FIELDS, row))

    def restore(self, assessment_uuid: str, code: str, snapshot: dict[str, Any] | None) -> None:
        """Put an item's record back as :meth:`snapshot` gave it (the app's undo); audited."""
        store = self.store
        with store.db.atomic():
            a = store._coordinator_editable(assessment_uuid)
            row = store.db.execute("SELECT uuid FROM moderation WHERE assessment_uuid = ? "
                                   "AND item_code = ?", [assessment_uuid, code]).fetchone()
            if snapshot is None:
                if row is not None:
                    store._delete("moderation", row[0], assessment_uuid)
                return
            values = {k: snapshot[k] for k in self._FIELDS}
            if (values["assessor_rating"] is not None and values["evidence_digest"]
                    and values["evidence_digest"] != store._item_digest(assessment_uuid, code)):
                # the rating put back was given on content a merge has changed since: it
                # keeps no digest, so it is to be looked at again whatever comes next
                # (a digest written now would pass for one computed now: see look_again)
                values["evidence_digest"] = ""
            store._set_moderation(a, code, values)

    def records(self, assessment_uuid: str) -> dict[str, ModerationRecord]:
        return self.all_records(assessment_uuid).get(assessment_uuid, {})

    def all_records(self, assessment_uuid: str | None = None
                    ) -> dict[str, dict[str, ModerationRecord]]:
        """:meth:`records` of one assessment, or (None) of every one, by assessment uuid."""
        conn = self.store.db.conn
        again = look_again(conn, assessment_uuid)
        where, params = ("WHERE assessment_uuid = ? ", [assessment_uuid]) \
            if assessment_uuid is not None else ("", [])
        out: dict[str, dict[str, ModerationRecord]] = {}
        for row in conn.execute(
                "SELECT assessment_uuid, item_code, assessor_rating, assessor_name, "
                "assessor_rated_at, comment, further_evidence, exemption_decision, "
                f"exemption_reason, decided_by FROM moderation {where}"
                "ORDER BY assessment_uuid, item_code", params):
            out.setdefault(row[0], {})[row[1]] = ModerationRecord(
                row[1], row[2], row[3], row[4], row[5], bool(row[6]),
                None if row[7] is None else bool(row[7]), row[8], row[9],
                row[1] in again.get(row[0], ()))
        return out

    # -- dip sampling --------------------------------------------------------------

    def draw_sample(self, assessment_uuid: str, size: int, *, seed: int | None = None) -> DipSample:
        """Draw ``size`` required items at random, recording the seed and size.

        The same seed and size over the same assessment always draw the same items.
        """
        if size < 1:
            raise ValidationError("a dip sample needs at least one item")
        seed = secrets.randbelow(2 ** 31) if seed is None else int(seed)
        for name, value in (("size", size), ("seed", seed)):     # what SQLite can keep
            if not -2 ** 63 <= value < 2 ** 63:
                raise ValidationError(f"a dip sample's {name} {value} is too big a number")
        with self.store.db.atomic():
            self.store._coordinator_editable(assessment_uuid)
            codes = sample_items(self.store, assessment_uuid, size, seed)
            self.store._insert("dip_samples", {
                "assessment_uuid": assessment_uuid, "seed": seed, "size": size,
                "item_codes": json.dumps(list(codes)), "drawn_by": self.store.actor},
                assessment_uuid)
        return self.samples(assessment_uuid)[-1]

    def samples(self, assessment_uuid: str) -> list[DipSample]:
        return [DipSample(a, seed, size, tuple(json.loads(codes)), by, at)
                for a, seed, size, codes, by, at in self.store.db.execute(
                    "SELECT assessment_uuid, seed, size, item_codes, drawn_by, created_at "
                    "FROM dip_samples WHERE assessment_uuid = ? ORDER BY created_at, rowid",
                    [assessment_uuid]).fetchall()]

    # -- the organisation's KPI target (rule 6) --------------------------------------

    def set_kpi_target(self, period: str, percent: int) -> None:
        period = check_period(period)
        if not period:
            raise ValidationError("a KPI target needs a financial year such as 2010/11")
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise ValidationError(f"a KPI target is a whole percent from 0 to 100, not {percent!r}")
        store = self.store
        with store.db.atomic():
            store._writable()
            if store.role != "central":
                raise EsatError(f"{store.path}: KPI targets are set in the central database")
            row = store.db.execute("SELECT uuid FROM kpi_targets WHERE period = ?",
                                   [period]).fetchone()
            values = {"target_percent": percent, "set_by": store.actor}
            if row:
                store._update("kpi_targets", row[0], values, None)
            else:
                store._insert("kpi_targets", {"period": period, **values}, None)

    def kpi_targets(self) -> dict[str, int]:
        """Target percent by financial year."""
        return dict(self.store.db.execute(
            "SELECT period, target_percent FROM kpi_targets ORDER BY period").fetchall())

    def kpi_target(self, period: str) -> "KpiTarget | None":
        """The target kept for one financial year, with who set it and when; None when none."""
        row = self.store.db.execute(
            "SELECT period, target_percent, set_by, updated_at FROM kpi_targets "
            "WHERE period = ?", [period]).fetchone()
        return None if row is None else KpiTarget(*row)


class KpiTarget(NamedTuple):
    """The organisation's KPI target for one financial year, as the central database keeps it."""

    period: str
    percent: int
    set_by: str
    set_at: str                 # when it was last set (UTC timestamp)

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.percent, 100)


def sample_items(store: Store, assessment_uuid: str, size: int, seed: int) -> tuple[str, ...]:
    """The dip sample that ``seed`` and ``size`` draw from the required items."""
    result = store.score(assessment_uuid)
    required = sorted(r.item.code for r in result.items if r.required)
    chosen = random.Random(seed).sample(required, min(size, len(required)))
    return tuple(chosen)


def ratings_to_look_at(conn: sqlite3.Connection, assessment_uuid: str) -> list[str]:
    """Items whose assessor rating was given on content the unit has changed since."""
    return sorted(look_again(conn, assessment_uuid).get(assessment_uuid, ()))


def look_again(conn: sqlite3.Connection, assessment_uuid: str | None = None
               ) -> dict[str, set[str]]:
    """The items of one assessment, or (None) of every one, whose assessor rating was
    given on content the unit has changed since, by assessment uuid.

    A rating keeps the digest of the unit's content of the item when it was given
    (``evidence_digest``, :func:`esat.submission.item_digest`); it is to be looked
    at again when the content's digest now differs. An empty digest (a rating from
    before digests were kept, or one put back by an undo after the content changed)
    always differs.

    Hashing every rated item costs most of reading a big central database, so in
    a central database the digest is computed only where the content may have
    changed since the rating. There a unit's content changes only by a merge or a
    conflict resolved (:mod:`esat.central.merge`, :mod:`esat.central.history`),
    and each of those writes an audit-log row about a received submission of the
    assessment, in the same transaction. Audit-log ids only grow (AUTOINCREMENT),
    whatever the computers' clocks say. So a digest last written (by a rating, in
    an audit-log row of the same transaction) after the assessment's latest such
    row was computed from the content as it still is, and equals its digest now.
    :meth:`Moderation.restore` keeps that true: it never writes back a digest of
    content that has changed since. Anywhere else (a unit's file, whose content the
    unit edits; a rating or assessment with no such rows) every digest is computed.
    """
    where, params = ("AND assessment_uuid = ? ", [assessment_uuid]) \
        if assessment_uuid is not None else ("", [])
    role = conn.execute("SELECT value FROM meta WHERE key = 'role'").fetchone()
    if role is not None and role[0] == "central":
        # only the ratings not known to be fresh: no digest, or none written after the
        # assessment's latest received submission (or no such row to compare with)
        rated = conn.execute(
            "WITH changed AS (SELECT assessment_uuid, MAX(id) AS at FROM audit_log "
            f"    WHERE entity = 'received_submissions' {where}GROUP BY assessment_uuid), "
            "written AS (SELECT entity_uuid, MAX(id) AS at FROM audit_log "
            "    WHERE entity = 'moderation' AND (action = 'insert' OR field = 'evidence_digest') "
            f"    {where}GROUP BY entity_uuid) "
            "SELECT m.assessment_uuid, m.item_code, m.evidence_digest FROM moderation m "
            "LEFT JOIN changed c ON c.assessment_uuid = m.assessment_uuid "
            "LEFT JOIN written w ON w.entity_uuid = m.uuid "
            f"WHERE m.assessor_rating IS NOT NULL {where.replace('assessment_uuid', 'm.assessment_uuid')}"
            "AND NOT (m.evidence_digest <> '' AND c.at IS NOT NULL AND w.at IS NOT NULL "
            "AND w.at > c.at)", params * 3).fetchall()
    else:
        rated = conn.execute(
            "SELECT assessment_uuid, item_code, evidence_digest FROM moderation "
            f"WHERE assessor_rating IS NOT NULL {where}", params).fetchall()
    out: dict[str, set[str]] = {}
    to_hash: dict[str, list[tuple[str, str]]] = {}
    for a_uuid, code, stored in rated:
        if not stored:
            out.setdefault(a_uuid, set()).add(code)
        else:
            to_hash.setdefault(a_uuid, []).append((code, stored))
    for a_uuid, items in to_hash.items():
        now = item_digests(conn, a_uuid, [code for code, _ in items])
        changed_codes = {code for code, stored in items if stored != now[code]}
        if changed_codes:
            out.setdefault(a_uuid, set()).update(changed_codes)
    return out


# -- agreement ---------------------------------------------------------------------

def agreement_of(pairs: Iterable[tuple[int, int, bool, bool]], points: int) -> tuple[
        int, Fraction | None, Fraction | None, float | None]:
    """Agreement over (self index, assessor index, self met, assessor met) pairs on an
    ordered scale of ``points``: count, exact share, satisfactory share, weighted kappa."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return 0, None, None, None
    exact = Fraction(sum(1 for s, a, _, _ in pairs if s == a), n)
    satisfactory = Fraction(sum(1 for _, _, sm, am in pairs if sm == am), n)
    if points < 2:
        return n, exact, satisfactory, None
    rows = [0] * points
    cols = [0] * points
    observed = 0.0
    for s, a, _, _ in pairs:
        rows[s] += 1
        cols[a] += 1
        observed += abs(s - a) / (points - 1)
    expected = sum(rows[i] * cols[j] * abs(i - j) / (points - 1)
                   for i in range(points) for j in range(points)) / n
    if expected == 0:
        return n, exact, satisfactory, None          # one category only: kappa undefined
    return n, exact, satisfactory, 1 - observed / expected


def agreement(store: Store, *, by: str = "unit", assessments: list[Assessment] | None = None,
              states: dict[str, dict[str, ItemState]] | None = None) -> list[Agreement]:
    """Agreement per unit, per area or for the organisation, per framework.

    ``assessments`` and ``states`` (as :meth:`Store._all_item_states` gives them) when
    the caller has read them already; by default they are read here."""
    if by not in ("unit", "area", "organisation"):
        raise ValidationError(f"agreement is by unit, area or organisation, not {by!r}")
    assessments = store.assessments() if assessments is None else assessments
    states = store._all_item_states() if states is None else states
    groups: dict[tuple[str, str], list[tuple[int, int, bool, bool]]] = defaultdict(list)
    points: dict[str, int] = {}
    for assessment in assessments:
        framework = store.framework_of(assessment)
        index = {p.id: i for i, p in enumerate(framework.scale)}
        met = {p.id: p.met for p in framework.scale}
        points[framework.key] = len(framework.scale)
        name = _group_name(assessment, by)
        bucket = groups[(name, framework.key)]
        for state in states.get(assessment.uuid, {}).values():   # both ratings, no more
            s, a = state.self_rating, state.assessor_rating
            if s in index and a in index:
                bucket.append((index[s], index[a], met[s], met[a]))
    out = []
    for (name, key), pairs in sorted(groups.items()):
        n, exact, sat, kappa = agreement_of(pairs, points[key])
        out.append(Agreement(by, name, key, n, exact, sat, kappa))
    return out


def _group_name(assessment: Assessment, by: str) -> str:
    if by == "unit":
        return assessment.unit.code
    if by == "area":
        return assessment.unit.area or "(no area)"
    return "Organisation"
