"""Compile the Designer forms in ui/*.ui into esat/gui/forms/ui_*.py.

Each compiled form starts with a line naming its source and the source's
SHA-256, so a test can tell when a form is out of date with its .ui file.
Run through `make forms`.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "ui"
TARGET = ROOT / "esat" / "gui" / "forms"
HEADER = "# Compiled from ui/{name} sha256={digest}; edit the .ui and run `make forms`.\n"


def compiled_path(source: Path) -> Path:
    return TARGET / f"ui_{source.stem}.py"


def source_digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


IMPORT = re.compile(r"^from (PySide6\.\w+) import \(([^)]*)\)\n", re.M)


def trim_imports(code: str) -> str:
    """Keep only the Qt names a compiled form uses.

    uic imports some thirty classes per form; the binding builds each class (and
    its enums) on first import, which costs start-up time for classes never used.
    """
    body = IMPORT.sub("", code)

    def keep(match: re.Match) -> str:
        names = [n.strip() for n in match.group(2).replace("\n", " ").split(",") if n.strip()]
        used = [n for n in names if re.search(rf"\b{n}\b", body)]
        return f"from {match.group(1)} import ({', '.join(used)})\n" if used else ""

    return IMPORT.sub(keep, code)


def compile_form(source: Path, uic: str) -> Path:
    result = subprocess.run([uic, "--from-imports", str(source)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{source}: pyside6-uic failed: {result.stderr.strip()}")
    target = compiled_path(source)
    target.write_text(HEADER.format(name=source.name, digest=source_digest(source))
                      + trim_imports(result.stdout), encoding="utf-8")
    return target


def main() -> int:
    uic = str(Path(sys.executable).with_name("pyside6-uic"))
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "__init__.py").write_text('"""Compiled Designer forms (see packaging/compile_forms.py)."""\n')
    for source in sorted(SOURCES.glob("*.ui")):
        print(f"compiled {compile_form(source, uic).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
