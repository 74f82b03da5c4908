"""Write through the core API until killed; print ``COMMITTED <i>`` after each write returns.

Used by tests/test_crash_recovery.py. Counting from the second argument, write ``i`` sets the narrative of item
``codes[i % n]`` to ``v<i>`` (with a long tail, so transactions span pages);
every fifth write also attaches a file, every seventh adds and removes a note.
"""

import sys
from pathlib import Path

from esat.store import Store


def main() -> None:
    path = Path(sys.argv[1])
    store = Store.open(path, actor="writer")
    a = store.only_assessment()
    framework = store.framework_of(a)
    codes = [item.code for item in framework.items_for(a.stage)]
    print("READY", flush=True)
    i = int(sys.argv[2]) if len(sys.argv) > 2 else 0      # each run counts on from here
    while True:
        code = codes[i % len(codes)]
        store.set_narrative(a.uuid, code, f"v{i} " + "x" * (i % 5000))
        if i % 5 == 0:
            store.attach_bytes(a.uuid, code, f"file {i}".encode() * 2000, file_name=f"f{i}.txt")
        if i % 7 == 0:
            note = store.add_note(a.uuid, code, f"note {i}", "text " * 500)
            store.remove_evidence(note)
        print(f"COMMITTED {i} {code}", flush=True)
        i += 1


if __name__ == "__main__":
    main()
