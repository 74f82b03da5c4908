"""The core (domain, storage, scoring, command line) must not load Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import esat

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(esat.__path__, prefix="esat.")
    if m.name.split(".")[1] not in ("gui", "__main__"))


def test_core_module_list_is_not_empty():
    assert {"esat.store", "esat.scoring", "esat.fileformat", "esat.cli", "esat.snapshot",
            "esat.figures", "esat.reports.pdf", "esat.reports.html", "esat.central.merge",
            "esat.moderation", "esat.excel.reader"} <= set(CORE_MODULES)


def test_importing_the_core_does_not_load_pyside6():
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"Qt loaded by the core: {result.stdout} {result.stderr}"


def test_importing_the_core_has_no_side_effects(tmp_path):
    code = (
        "import os, sys\n"
        f"os.chdir({str(tmp_path)!r})\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    __import__(name)\n"
    )
    env_home = tmp_path / "home"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"ESAT_HOME": str(env_home), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []          # nothing written, not even ESAT_HOME
