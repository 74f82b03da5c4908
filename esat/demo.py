"""The bundled demo assessment, built by code from ``resources/demo``.

Building it through the ordinary :class:`~esat.store.Store` API means the demo
always matches the current schema and passes every check.
"""

from __future__ import annotations

import json
from pathlib import Path

from .bundled import demo_dir
from .catalog import Catalog
from .errors import EsatError
from .records import Assessment
from .store import Store

DEMO_ACTOR = "ESAT demo"


def build_demo(target: Path, catalog: Catalog, source: Path | None = None) -> Path:
    """Write the demo assessment to ``target`` (which must not exist yet)."""
    source = source or demo_dir()
    data = json.loads((source / "demo.json").read_text(encoding="utf-8"))
    framework = catalog.get(data["framework"])
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    with Store.create(partial, actor=DEMO_ACTOR) as store:
        unit, people, doc = data["unit"], data["people"], data["document_control"]
        assessment = store.create_assessment(
            framework, stage=data["phase"], unit_code=unit["code"], unit_name=unit["name"],
            unit_type=unit["type"], area=unit["area"], period=data["period"],
            equality_lead=people["equality_lead"], smt_lead=people["smt_lead"])
        store.set_details(
            assessment.uuid, protective_marking=doc["protective_marking"],
            publication_scheme=doc["publication_scheme"], title=doc["title"],
            summary=doc["summary"], author=doc["author"], approver=doc["approver"],
            owning_unit=doc["owning_unit"], created_on=doc["created"], review_on=doc["review"])
        for response in data["responses"]:
            _add_response(store, assessment, response, source)
    partial.replace(target)
    return target


def _add_response(store: Store, assessment: Assessment, response: dict, source: Path) -> None:
    code = response["code"]
    if response.get("narrative"):
        store.set_narrative(assessment.uuid, code, response["narrative"])
    if response.get("self_rating"):
        store.set_self_rating(assessment.uuid, code, response["self_rating"])
    if response.get("strands"):
        store.set_item_strands(assessment.uuid, code, response["strands"])
    for item in response.get("evidence", []):
        if item["kind"] == "note":
            store.add_note(assessment.uuid, code, item["title"], item["text"])
        elif item["kind"] == "link":
            store.add_link(assessment.uuid, code, item["title"], item["url"])
        else:
            store.attach_file(assessment.uuid, code, source / item["path"], title=item["title"])
    for action in response.get("actions", []):
        store.add_action(assessment.uuid, code, action["description"], owner=action["owner"],
                         due_on=action["due"], status=action["status"],
                         strands=action.get("strands", ()))


def is_demo_file(path: Path) -> bool:
    """True when ``path`` is an ESAT file that ESAT wrote as the demo."""
    try:
        with Store.open(path, actor=DEMO_ACTOR, read_only=True) as store:
            return store.meta("created_by") == DEMO_ACTOR
    except EsatError:
        return False


def write_demo(target: Path, catalog: Catalog) -> Path:
    """Write a fresh demo to ``target``, replacing only an earlier demo there."""
    target = Path(target)
    if target.exists():
        if not is_demo_file(target):
            raise EsatError(f"{target}: already exists and is not an ESAT demo; "
                            "it has been left alone (choose another name)")
        replaced = target.with_name(f".{target.name}.replaced")
        target.replace(replaced)
        try:
            build_demo(target, catalog)
        except BaseException:
            replaced.replace(target)
            raise
        replaced.unlink()
        return target
    return build_demo(target, catalog)
