"""How the file grows while a long narrative is typed with pauses (the audit log).

    .venv/bin/python bench/audit_growth.py [--length 20000] [--every 50]

Types a narrative of --length characters into one indicator through the Store
API, saving after every --every characters as the app's autosave does after a
pause, and measures in the same run:

- the floor: the file after the finished text is saved once;
- one sitting: the same text saved at every pause in one open file (the app's
  case): consecutive edits of one field are one audit row (before, after), so
  the file should be within about 2x the floor and grow linearly with the text;
- for reference, a new sitting per pause (each save in a freshly opened file):
  one audit row per save, each holding the whole text before and after, so the
  file grows with the square of the text.

Sizes are also printed at each quarter of the text, as a ratio to the text typed
so far: a ratio that stays flat is linear growth. Prints figures and ratios; it
is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esat.bundled import frameworks_dir  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.store import Store  # noqa: E402

WORDS = ("the unit consults its independent advisory group every quarter and records "
         "what changed as a result of the community's advice ").split()


def text_of(length: int) -> str:
    out, index = [], 0
    while sum(map(len, out)) < length:
        out.append(WORDS[index % len(WORDS)] + " ")
        index += 1
    return "".join(out)[:length]


def new_file(path: Path, catalog: Catalog) -> str:
    with Store.create(path, actor="Bench") as store:
        a = store.create_assessment(catalog.get("esps-2009"), stage="baseline", unit_code="LX",
                                    unit_name="Lambeth", unit_type="borough")
        return a.uuid


def size(path: Path) -> int:
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=20000)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--reference", action=argparse.BooleanOptionalAction, default=True,
                        help="also run the new-sitting-per-pause reference (slower)")
    args = parser.parse_args()
    catalog = Catalog([frameworks_dir()])
    text = text_of(args.length)
    pauses = list(range(args.every, args.length + 1, args.every))
    if not pauses or pauses[-1] != args.length:
        pauses.append(args.length)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        floor_path = folder / "floor.esat"
        uuid = new_file(floor_path, catalog)
        empty = size(floor_path)
        with Store.open(floor_path, actor="Bench") as store:
            store.set_narrative(uuid, "1B", text)
        floor = size(floor_path) - empty

        sitting_path = folder / "sitting.esat"
        uuid = new_file(sitting_path, catalog)
        quarters = {pauses[max(0, len(pauses) * q // 4 - 1)] for q in (1, 2, 3, 4)}
        growth = []
        with Store.open(sitting_path, actor="Bench") as store:
            for end in pauses:
                store.set_narrative(uuid, "1B", text[:end])
                if end in quarters:
                    growth.append((end, size(sitting_path) - empty))
            audit_rows = sum(1 for e in store.audit(uuid) if e.field == "narrative")
        sitting = size(sitting_path) - empty

        print(f"narrative of {args.length} characters, saved at {len(pauses)} pauses "
              f"(every {args.every} characters)")
        print(f"  floor (saved once):          {floor:>12,} bytes")
        print(f"  one sitting (the app):       {sitting:>12,} bytes  = {sitting / floor:6.2f}x the floor"
              f"  ({audit_rows} audit row{'s' if audit_rows != 1 else ''} for the narrative)")
        print("  growth while typing (bytes added per character typed; flat = linear):")
        for end, grown in growth:
            print(f"    {end:>7,} characters: {grown:>12,} bytes  {grown / end:6.2f} per character")
        if args.reference:
            ref_path = folder / "reference.esat"
            uuid = new_file(ref_path, catalog)
            for end in pauses:
                with Store.open(ref_path, actor="Bench") as store:    # a new sitting per save
                    store.set_narrative(uuid, "1B", text[:end])
            reference = size(ref_path) - empty
            print(f"  reference, a new sitting per pause: {reference:>12,} bytes "
                  f"= {reference / floor:6.2f}x the floor (quadratic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
