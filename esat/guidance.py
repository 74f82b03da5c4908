"""Guidance shown beside the standards: what each rating level means.

The wording is the project's own (``resources/help/scale-meanings.json``), kept
apart from the framework definitions: a file keeps the definition it was made
under, and changing guidance must not change a framework. A framework may still
carry its own ``meaning`` for a scale point; that one wins.
"""

from __future__ import annotations

import json
from pathlib import Path

from .framework import Framework, ScalePoint


class Meanings:
    def __init__(self, by_framework: dict[str, dict[str, str]]):
        self._by_framework = by_framework

    @classmethod
    def load(cls, path: Path) -> "Meanings":
        """Read the guidance file; a missing or unreadable one gives no meanings, not an error."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls({})
        if not isinstance(data, dict):
            return cls({})
        return cls({key: {k: v for k, v in value.items() if isinstance(v, str)}
                    for key, value in data.items() if isinstance(value, dict)})

    def of(self, framework: Framework, point: ScalePoint) -> str:
        return point.meaning or self._by_framework.get(framework.id, {}).get(point.id, "")

    def for_scale(self, framework: Framework) -> dict[str, str]:
        return {point.id: self.of(framework, point) for point in framework.scale}
