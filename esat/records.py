"""Plain records read back from an assessment file (immutable snapshots)."""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

from typing import NamedTuple

from .scoring import ItemState


class Unit(NamedTuple):
    uuid: str
    code: str
    name: str
    unit_type: str
    area: str


class Assessment(NamedTuple):
    uuid: str
    unit: Unit
    framework_id: str
    framework_version: str
    stage: str | None
    period: str
    revision: int
    status: str
    equality_lead: str
    smt_lead: str
    protective_marking: str
    publication_scheme: bool
    title: str
    version_label: str
    summary: str
    author: str
    approver: str
    owning_unit: str
    created_on: str
    review_on: str
    created_at: str
    updated_at: str

    @property
    def framework_key(self) -> str:
        return f"{self.framework_id}-{self.framework_version}"

    @property
    def signed_off(self) -> bool:
        return self.status == "signed_off"


class Response(NamedTuple):
    uuid: str
    item_code: str
    self_rating: str | None
    assessor_rating: str | None
    assessor_name: str
    assessor_rated_at: str | None
    narrative: str
    unit_exempt: bool
    unit_exemption_reason: str
    coord_exempt: bool | None
    coord_exemption_reason: str
    strands: tuple[str, ...]
    updated_at: str

    def state(self) -> ItemState:
        return ItemState(self.self_rating, self.assessor_rating, self.coord_exempt,
                         self.coord_exemption_reason)


class Evidence(NamedTuple):
    uuid: str
    item_code: str
    kind: str                 # note, file or link
    title: str
    body: str                 # note text or link address
    blob_sha256: str | None
    file_name: str
    size: int | None
    position: int
    strands: tuple[str, ...]
    has_body: bool = False    # the file's content is in this assessment file


class Action(NamedTuple):
    uuid: str
    item_code: str | None
    description: str
    owner: str
    due_on: str
    status: str
    strands: tuple[str, ...]


class SignOff(NamedTuple):
    revision: int
    name: str
    role: str
    signed_on: str


class LevelValidation(NamedTuple):
    stage: str
    validated_by: str
    validated_on: str
    method: str
    note: str


class Submission(NamedTuple):
    uuid: str
    revision: int
    supersedes_uuid: str | None
    file_name: str
    created_at: str
    sha256: str = ""          # of the submitted content (esat/submission.py)


class AuditEntry(NamedTuple):
    at: str
    actor: str
    entity: str
    entity_uuid: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
