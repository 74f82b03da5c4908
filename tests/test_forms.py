"""Compiled Designer forms must match their .ui sources (run `make forms` after editing one)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from esat.bundled import ui_dir

ROOT = Path(__file__).resolve().parents[1]
UI = sorted(ui_dir().glob("*.ui"))
FORMS = ROOT / "esat" / "gui" / "forms"
HEADER = re.compile(r"^# Compiled from ui/(?P<name>\S+) sha256=(?P<digest>[0-9a-f]{64});")


def test_there_are_forms():
    assert len(UI) >= 6


@pytest.mark.parametrize("source", UI, ids=[p.name for p in UI])
def test_compiled_form_is_up_to_date(source):
    compiled = FORMS / f"ui_{source.stem}.py"
    assert compiled.is_file(), f"{compiled.name} is missing: run `make forms`"
    match = HEADER.match(compiled.read_text(encoding="utf-8").splitlines()[0])
    assert match and match["name"] == source.name, f"{compiled.name} has no source header"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert match["digest"] == digest, (
        f"{compiled.name} is older than {source.name}: run `make forms`")


def test_no_compiled_form_without_a_source():
    sources = {f"ui_{p.stem}.py" for p in UI}
    compiled = {p.name for p in FORMS.glob("ui_*.py")}
    assert compiled == sources
