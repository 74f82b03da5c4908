"""Full-text search over the units' words in a central database (SQLite FTS5).

Narratives, evidence (titles, note text, link addresses, file names) and
improvement actions of every current assessment are in ``search_index``.
Connections run with ``trusted_schema=OFF``, under which an FTS index kept by
triggers fails ("unsafe use of virtual table"); so the index is kept by the
write path instead. In a central database the only way unit content comes in
is the merge, and the merge calls :func:`index_assessment` in the same
transaction as it writes the content.
"""

from __future__ import annotations

import re
import sqlite3
from typing import NamedTuple


class Hit(NamedTuple):
    unit_code: str
    item_code: str          # empty for a general action
    kind: str               # narrative, note, link, file or action
    snippet: str
    assessment_uuid: str
    source_uuid: str        # the response, evidence item or action


# An assessment's pieces have the FTS rowids from its own rowid in `assessments` times
# this, upwards: deleting them is a rowid range, not a scan of the whole index.
ROWIDS_PER_ASSESSMENT = 1_000_000


def index_assessment(conn: sqlite3.Connection, assessment_uuid: str) -> None:
    """Make the index hold exactly the assessment's current words."""
    found = conn.execute("SELECT a.rowid, u.code FROM assessments a JOIN units u "
                         "ON u.uuid = a.unit_uuid WHERE a.uuid = ?", [assessment_uuid]).fetchone()
    if found is None:
        return
    first = found[0] * ROWIDS_PER_ASSESSMENT
    conn.execute("DELETE FROM search_index WHERE rowid BETWEEN ? AND ?",
                 [first, first + ROWIDS_PER_ASSESSMENT - 1])
    code = found[1:]
    rows = []
    for uuid, item, text in conn.execute(
            "SELECT uuid, item_code, narrative FROM responses WHERE assessment_uuid = ? "
            "AND narrative <> ''", [assessment_uuid]):
        rows.append((text, code[0], item, "narrative", assessment_uuid, uuid))
    for uuid, item, kind, title, body, file_name in conn.execute(
            "SELECT uuid, item_code, kind, title, body, file_name FROM evidence "
            "WHERE assessment_uuid = ?", [assessment_uuid]):
        text = "\n".join(part for part in (title, body, file_name) if part)
        rows.append((text, code[0], item, kind, assessment_uuid, uuid))
    for uuid, item, description, owner in conn.execute(
            "SELECT uuid, item_code, description, owner FROM actions WHERE assessment_uuid = ?",
            [assessment_uuid]):
        rows.append((f"{description}\n{owner}".strip(), code[0], item or "", "action",
                     assessment_uuid, uuid))
    if len(rows) >= ROWIDS_PER_ASSESSMENT:
        raise ValueError(f"assessment {assessment_uuid} has too many pieces of text to index")
    conn.executemany("INSERT INTO search_index (rowid, text, unit_code, item_code, kind, "
                     "assessment_uuid, source_uuid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(first + n, *row) for n, row in enumerate(rows)])


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query: every word must appear (prefixes allowed with *).

    Each word is quoted, so FTS5 syntax in the input (NEAR, column filters,
    quotes) is searched for as text and can never make the query fail.
    """
    terms = []
    for word in re.findall(r"[\w*]+", words or "", flags=re.UNICODE):
        prefix = word.endswith("*")
        word = word.strip("*")
        if word.strip("_"):       # FTS5 reads "_" as a separator: "_" alone is no word
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " AND ".join(dict.fromkeys(terms))    # a word said twice is asked for once


class Found(NamedTuple):
    hits: list[Hit]
    total: int              # the matches, of which ``hits`` are the first; see ``exact``
    ranked: bool            # best first (bm25); False: too many to rank, in file order
    exact: bool = True      # False: ``total`` is a floor ("more than RANK_AT_MOST")


# Ranking (bm25) costs time in proportion to the matches: above this many, the first
# matches are shown in file order and the total invites more words. Counting stops one
# past it: how many more there are costs time too, and would change nothing shown.
RANK_AT_MOST = 1500


def search(conn: sqlite3.Connection, words: str, *, limit: int = 50) -> Found:
    """Matches of every word; best first when there are few enough to rank quickly.

    Two FTS5 queries, each bounded: the matches counted up to one past
    :data:`RANK_AT_MOST`, then the hits chosen (``ORDER BY rank LIMIT``, which
    FTS5 does itself, or the first in file order) with snippets made for those
    rows only. Short prefixes (up to 3 characters) read the index's prefix
    lists (migration ``0003_search_prefixes``).
    """
    query = fts_query(words)
    if not query:
        return Found([], 0, True)
    counted = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)",
        [query, RANK_AT_MOST + 1]).fetchone()[0]
    ranked = counted <= RANK_AT_MOST
    if not counted:
        return Found([], 0, True)
    hits = [Hit(*row) for row in conn.execute(
        "SELECT unit_code, item_code, kind, snippet(search_index, 0, '[', ']', '…', 12), "
        "assessment_uuid, source_uuid FROM search_index WHERE search_index MATCH ? "
        + ("ORDER BY rank " if ranked else "") + "LIMIT ?", [query, int(limit)]).fetchall()]
    return (Found(hits, counted, True) if ranked
            else Found(hits, RANK_AT_MOST, False, exact=False))


def matches_text(found: Found) -> str:
    """How many matches there are, as the search panel and ``esat search`` say it."""
    shown = len(found.hits)
    if not found.exact:
        return (f"{shown} of more than {found.total:,} matches (too many to rank: add words "
                "to narrow them)")
    if found.total > shown:
        return f"{shown} of {found.total:,} matches"
    return "no matches" if not shown else f"{shown} match{'es' if shown != 1 else ''}"
