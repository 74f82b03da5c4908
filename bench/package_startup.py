"""Start-up of the built program against a bare PySide6 window built the same way.

    .venv/bin/python bench/package_startup.py [--runs 7] [--drop-caches]
    (make bench-package; needs the [package] extra)

Builds, with packaging/esat.spec and the same settings as `make package`, two
one-folder programs in build/bench-package/:
- ``bare``: a QMainWindow and nothing else (bench/startup.py's bare window), no
  ESAT code or data;
- ``esat-shown``: the whole of ESAT, entered through ``esat gui --demo``, told
  to print "shown" and quit once the demo is on screen (bench/startup.py's
  ESAT script): the shipped program plus those few lines.
Then starts each in turn and times process start to "shown", interleaved, and
prints the medians and their ratio. The first start after the build is printed
apart: the closest to a cold start this can do without --drop-caches, which
(as root, on Linux) empties the page cache before every start for truly cold
figures, and slows the whole machine while it runs.
Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BARE, ESAT  # noqa: E402  (the same two programs as the source benchmark)

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench-package"


def build(name: str, code: str, *extra: str) -> Path:
    script = WORK / f"{name}.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(code, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(WORK / "dist"), "--workpath", str(WORK / "work"),
                    str(ROOT / "packaging" / "esat.spec"), "--", "--entry", str(script),
                    "--name", name, *extra], check=True, cwd=ROOT)
    program = WORK / "dist" / name / name
    size = sum(p.stat().st_size for p in program.parent.rglob("*")
               if p.is_file() and not p.is_symlink())
    print(f"built {name:<11} in {time.perf_counter() - started:5.1f} s: {size / 2**20:5.1f} MB")
    return program


def drop_caches() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def time_to_shown(program: Path, env: dict, cold: bool) -> float:
    if cold:
        drop_caches()
    start = time.perf_counter()
    child = subprocess.Popen([str(program)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, errors = child.communicate()
    if line.strip() != "shown":
        raise SystemExit(f"{program} did not show its window (exit {child.returncode}): "
                         f"{errors.strip()[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drop-caches", action="store_true",
                        help="empty the page cache before every start (root, Linux only)")
    args = parser.parse_args()
    bare = build("bare", BARE, "--without-esat")
    esat = build("esat-shown", ESAT)
    home = tempfile.mkdtemp(prefix="esat-bench-")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(ESAT_HOME=home)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    subprocess.run([str(esat), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    first_bare, first_esat = time_to_shown(bare, env, False), time_to_shown(esat, env, False)
    bares, esats = [], []
    for _ in range(args.runs):                   # interleaved, so both see the same machine
        bares.append(time_to_shown(bare, env, args.drop_caches))
        esats.append(time_to_shown(esat, env, args.drop_caches))
    bare_median, esat_median = statistics.median(bares), statistics.median(esats)
    kind = "cold: page cache emptied" if args.drop_caches else "warm"
    print(f"first start after the build:  bare {first_bare * 1000:6.1f} ms, "
          f"ESAT {first_esat * 1000:6.1f} ms ({first_esat / first_bare:.2f}x)")
    print(f"bare window shown ({kind}):  median {bare_median * 1000:6.1f} ms over {args.runs} runs")
    print(f"ESAT demo shown ({kind}):    median {esat_median * 1000:6.1f} ms over {args.runs} runs")
    print(f"built program start-up ratio: {esat_median / bare_median:.2f}x the bare window "
          f"(fastest runs: {min(esats) / min(bares):.2f}x; target 1.50x, as from source)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
