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


def as_central(store) -> None:
    """Make a built unit file stand for a central database holding that unit's content,
    as a merge would leave it, so that coordinator fields can be set on it in a test."""
    with store.db.atomic():
        store.db.execute("UPDATE meta SET value = 'central' WHERE key = 'role'")
