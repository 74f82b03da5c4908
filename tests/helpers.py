"""Test helpers: synthetic frameworks of any size."""

from __future__ import annotations

import json

from esat.framework import parse_framework


def synthetic_framework(n_items: int, *, sections: int = 1, threshold: int = 50,
                        method: str = "percent_met", stages: int = 1):
    """A small valid framework with ``n_items`` items per stage."""
    data = {
        "format": 1, "id": "synthetic", "version": "1", "title": "Synthetic",
        "abbreviation": "SYN",
        "labels": {"stage": "Phase", "section": "Section", "item": "Indicator"},
        "assessment_scope": "single_stage" if method == "percent_met" else "all_stages",
        "scoring": {"method": method, "threshold_percent": threshold},
        "scale": [{"id": "no", "label": "No", "met": False},
                  {"id": "yes", "label": "Yes", "met": True}],
        "unit_types": [{"id": "borough", "label": "Borough"},
                       {"id": "specialist", "label": "Specialist"}],
        "stages": [{"id": f"s{s}", "title": f"Stage {s}"} for s in range(1, stages + 1)],
        "sections": [{"id": f"sec{k}", "title": f"Section {k}"} for k in range(1, sections + 1)],
        "items": [{"code": f"{i}S{s}", "stage": f"s{s}", "section": f"sec{(i % sections) + 1}",
                   "text": f"Item {i}", "wording": "official"}
                  for s in range(1, stages + 1) for i in range(1, n_items + 1)],
        "exemptions": [{"unit_type": "borough", "codes": ["1S1"], "reason": "Corporate"}],
    }
    return parse_framework(json.dumps(data), source="synthetic.json")


def build_south_east(path, esps, *, rows, assessor: bool = True, clock=None, markings=None):
    """A file holding the six South East boroughs of the 2011 review, rated as published.

    ``rows`` are the reference rows (``read_tsv("esps_se_area_2011_ratings.tsv")``);
    with ``assessor`` the ratings are the coordinator's, else the units' own.
    ``markings`` gives some units a protective marking of their own (by code).
    """
    from esat.store import Store
    labels = {point.label: point.id for point in esps.scale}
    options = {"clock": clock} if clock is not None else {}
    with Store.create(path, actor="DCFD adviser", **options) as store:
        made = {}
        for row in rows:
            code = row["unit_code"]
            if code not in made:
                made[code] = store.create_assessment(
                    esps, stage="baseline", unit_code=code, unit_name=row["unit_name"],
                    unit_type="borough", area="South East", period="2010/11")
                marking = (markings or {}).get(code, "Not Protectively Marked")
                store.set_details(made[code].uuid, protective_marking=marking,
                                  publication_scheme=True)
            if not assessor:
                store.set_self_rating(made[code].uuid, row["indicator"], labels[row["rating"]])
        if assessor:                    # the coordinators' ratings live in a central database
            as_central(store)
            for row in rows:
                store.set_assessor_rating(made[row["unit_code"]].uuid, row["indicator"],
                                          labels[row["rating"]], assessor_name="DCFD adviser")
    return path


def as_central(store) -> None:
    """Make a built unit file stand for a central database holding that unit's content,
    as a merge would leave it, so that coordinator fields can be set on it in a test."""
    with store.db.atomic():
        store.db.execute("UPDATE meta SET value = 'central' WHERE key = 'role'")
