"""Bundled data is found from a checkout and from an installed wheel, by one resolver."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from esat import bundled

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_resolves_to_the_top_level_files():
    assert bundled.bundled_root() == ROOT
    assert bundled.schema_sql_path() == ROOT / "schema.sql"
    assert (bundled.frameworks_dir() / "esps-2009.json").is_file()
    assert (bundled.demo_dir() / "demo.json").is_file()


def test_an_installed_wheel_carries_and_finds_its_data(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(wheels), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("esat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("esat/_bundled/schema.sql", "esat/_bundled/resources/frameworks/esps-2009.json",
                   "esat/_bundled/resources/frameworks/eslg-2007.json",
                   "esat/_bundled/resources/demo/demo.json", "esat/_bundled/ui/indicator_page.ui",
                   "esat/gui/forms/ui_indicator_page.py", "esat/store.py"):
        assert needed in names, needed
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    code = (
        "import esat.bundled as b, esat.catalog as c, esat.demo as d, pathlib, sys\n"
        "root = b.bundled_root()\n"
        f"assert str(root).startswith({str(target)!r}), root\n"
        "cat = c.Catalog([b.frameworks_dir()])\n"
        "assert cat.keys() == ['eslg-2007', 'esps-2009'], cat.keys()\n"
        f"d.build_demo(pathlib.Path({str(tmp_path / 'demo.esat')!r}), cat)\n"
        "print('ok', root)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")
    assert (tmp_path / "demo.esat").stat().st_size > 0
