"""Shared fixtures. Qt runs offscreen; ESAT's folders point at a temporary home."""

from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from esat.appdirs import AppPaths  # noqa: E402
from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.store import Store  # noqa: E402

DATA = Path(__file__).parent / "data"
SHARED_DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"


def fingerprint(path: Path) -> tuple[str, int, int]:
    """Content hash, modification time and size: equal means the file was not touched."""
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def mark_as_newer(path: Path, version: int) -> None:
    """Stamp ``path`` with a schema version from a newer ESAT than this one."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {int(version)}")
    conn.commit()
    conn.close()


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


class StepClock:
    """A clock that moves one second per call, for predictable timestamps."""

    def __init__(self, start: datetime = datetime(2011, 2, 15, 9, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(autouse=True)
def esat_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "esat-home"
    monkeypatch.setenv("ESAT_HOME", str(home))
    monkeypatch.setenv("ESAT_USER", "Test User")
    return home


@pytest.fixture
def paths(esat_home) -> AppPaths:
    return AppPaths.from_environment()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog([frameworks_dir()])


@pytest.fixture(scope="session")
def esps(catalog):
    return catalog.get("esps-2009")


@pytest.fixture(scope="session")
def eslg(catalog):
    return catalog.get("eslg-2007")


@pytest.fixture
def store(tmp_path):
    """A fresh, empty assessment file (the sqlite-utils ``fresh_db`` idea, on disk)."""
    with Store.create(tmp_path / "unit.esat", actor="Test User", clock=StepClock()) as fresh:
        yield fresh


@pytest.fixture
def borough(store, esps):
    """A draft ESPS Baseline assessment for a borough."""
    return store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                   unit_type="borough", area="South East", period="2010/11")
