"""Coordinator mode's central database: intake of units' files, the merge rules,
history and conflicts (Qt-free).

- ``intake``: copy an incoming file aside, check it, open it read-only.
- ``merge``: the merge rules; one transaction per file.
- ``history``: what was received from a unit and what became of it; resolving conflicts.
"""
