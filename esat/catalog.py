"""The frameworks ESAT knows: the bundled ones, and any a coordinator adds.

A :class:`Catalog` reads every ``*.json`` in the folders it is given, later
folders overriding earlier ones for the same framework key, so a coordinator
can load official wording without changing the program.
"""

from __future__ import annotations

from pathlib import Path

from .errors import EsatError
from .framework import Framework, load_framework_file


class Catalog:
    def __init__(self, folders: list[Path]):
        self._folders = [Path(folder) for folder in folders]
        self._frameworks: dict[str, Framework] | None = None

    def _load(self) -> dict[str, Framework]:
        if self._frameworks is None:
            found: dict[str, Framework] = {}
            for folder in self._folders:
                if not folder.is_dir():
                    continue
                for path in sorted(folder.glob("*.json")):
                    framework = load_framework_file(path)
                    found[framework.key] = framework
            self._frameworks = found
        return self._frameworks

    def all(self) -> list[Framework]:
        return sorted(self._load().values(), key=lambda f: f.key)

    def keys(self) -> list[str]:
        return [framework.key for framework in self.all()]

    def get(self, key: str) -> Framework:
        """The framework named ``<id>-<version>`` (or a bare id when only one version exists)."""
        frameworks = self._load()
        if key in frameworks:
            return frameworks[key]
        versions = [f for f in frameworks.values() if f.id == key]
        if len(versions) == 1:
            return versions[0]
        known = ", ".join(sorted(frameworks)) or "none"
        raise EsatError(f"unknown framework {key!r} (known: {known})")

    def find(self, framework_id: str, version: str) -> Framework | None:
        return self._load().get(f"{framework_id}-{version}")
