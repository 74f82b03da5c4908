"""``esat check``, and the value checks every open makes: one set of rules, so they agree.

:func:`check_file` lists every problem a file has without changing it.
:func:`domain_problems` is the part that looks at the values themselves (a
rating on the framework's scale, a known stage, a date that is a date, text
that is text and valid UTF-8, ...); :meth:`esat.store.Store.open` refuses a
file it finds anything in, naming the table, the row and the problem, so no
command ever stumbles on a value later.
"""

from __future__ import annotations

import hashlib
import operator
import re
import sqlite3
from pathlib import Path
from typing import Callable

from . import fileformat
from .errors import FrameworkError, InvalidFileError, ValidationError, shown_quoted
from .framework import Framework, parse_framework
from .store import ACTION_STATUSES, EVIDENCE_KINDS, PERIOD, ROLES, check_date
from .strands import STRAND_IDS

MAX_PROBLEMS = 200
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_file(path: Path, *, note: Callable[[str], None] | None = None) -> list[str]:
    """Problems found in ``path``; an empty list means the file is valid.

    The file is opened read-only: checking never changes it, except that a save
    interrupted by a crash is rolled back first (as every open does); ``note``
    is told when that happens.
    """
    path = Path(path)
    try:
        header, recovered = fileformat.checked_header(path)
        if recovered and note is not None:
            note(fileformat.RECOVERED_NOTE)
        if header.wal:
            return [fileformat.WAL_REFUSED]
        conn = fileformat.connect(path, read_only=True)
    except InvalidFileError as exc:
        return [exc.problem]
    conn.text_factory = fileformat.lenient_text      # invalid UTF-8 is reported, not raised
    try:
        return _check_open(conn, header.user_version)
    except sqlite3.DatabaseError as exc:
        return [f"is damaged ({exc})"]
    except UnicodeDecodeError:          # SQLite's own message quoted damaged bytes
        return ["is damaged (its structure holds bytes that are not text where text belongs)"]
    finally:
        conn.close()


def _check_open(conn: sqlite3.Connection, version: int) -> list[str]:
    schema = fileformat.schema_problems(conn, version)
    if schema:            # nothing ESAT did not create is read, let alone run
        return schema
    integrity = fileformat.integrity_check(conn, read_only=True)
    if integrity:
        return [f"is damaged: {line}" for line in integrity[:20]]
    return domain_problems(conn)


class Memo:
    """What checking many files in a row (a merge) need not work out again for each file.

    - ``frameworks``: definitions already parsed, by SHA-256. A file's
      definition is still compared with the one parsed, character for
      character, before the parsed one is used (a string comparison instead
      of hashing and parsing it again).
    - ``columns``: the typed columns of each schema version. Only for files
      whose schema was first found to be exactly ESAT's (what every open does
      before the value checks), so the version says what the tables are.

    A definition is kept only once it matched its hash and parsed, so what is
    kept was sound whatever else its file held.
    """

    def __init__(self) -> None:
        self.frameworks: dict[str, tuple[str, Framework]] = {}
        self.columns: dict[int, dict[str, list[tuple[str, str]]]] = {}


def refuse_out_of_domain(path: Path, conn: sqlite3.Connection, memo: Memo | None = None
                         ) -> dict[tuple[str, str], Framework]:
    """Raise :class:`InvalidFileError` naming the first value out of its domain.

    Returns the file's framework definitions, parsed and checked. ``memo``
    (see :class:`Memo`) only for a file whose schema was found exactly ESAT's.
    """
    frameworks: dict[tuple[str, str], Framework] = {}
    try:
        problems = domain_problems(conn, limit=5, frameworks=frameworks, memo=memo)
    except sqlite3.DatabaseError as exc:
        raise InvalidFileError(path, f"is damaged ({exc})") from None
    except UnicodeDecodeError:
        raise InvalidFileError(path, "is damaged (it holds bytes that are not text where "
                                     "text belongs)") from None
    if problems:
        more = "" if len(problems) == 1 else \
            f" (and more problems; 'esat check {path.name}' lists them all)"
        raise InvalidFileError(path, f"{problems[0]}{more}; the file was not changed")
    return frameworks


# -- values ------------------------------------------------------------------------

_AFFINITY = (("INT", "integer"), ("CHAR", "text"), ("CLOB", "text"), ("TEXT", "text"),
             ("BLOB", "blob"))


def _storage_class(declared: str) -> str | None:
    declared = declared.upper()
    for word, kind in _AFFINITY:
        if word in declared:
            return kind
    return None


def type_problems(conn: sqlite3.Connection, limit: int = MAX_PROBLEMS,
                  memo: Memo | None = None) -> list[str]:
    """Each value whose type is not its column's, and each text that is not valid UTF-8.

    A sound file (what nearly every file is) costs a few queries for the whole
    file (see :func:`_all_sound`). Only when something is wrong are the
    tables gone through again, column by column and row by row, to name each
    problem. ``memo``: see :class:`Memo`.
    """
    if memo is None:
        typed = _typed_columns(conn)
    else:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        typed = memo.columns.get(version)
        if typed is None:
            typed = memo.columns[version] = _typed_columns(conn)
    if _all_sound(conn, typed):
        return []
    wrong = _tables_with_wrong_types(conn, typed)
    problems: list[str] = []
    for table, columns in typed.items():
        if table in wrong:
            for name, kind in columns:
                for rowid, found in conn.execute(
                        f'SELECT rowid, typeof("{name}") FROM "{table}" '
                        f'WHERE typeof("{name}") NOT IN (?, \'null\') LIMIT ?', [kind, limit]):
                    problems.append(f"table {table}, row {rowid}: {name} holds {_a(found)} "
                                    f"value, not {_a(kind)}")
        texts = [name for name, kind in columns if kind == "text"]
        if texts:
            problems.extend(_utf8_problems(conn, table, texts, limit))
        if len(problems) >= limit:
            return problems[:limit]
    return problems


def _typed_columns(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """Each table's columns with a declared storage class, in one query."""
    typed: dict[str, list[tuple[str, str]]] = {}
    for table, name, declared in conn.execute(
            "SELECT m.name, p.name, p.type FROM sqlite_schema m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"):
        kind = _storage_class(declared)
        if kind is not None:
            typed.setdefault(table, []).append((name, kind))
    return typed


def _tables_with_wrong_types(conn: sqlite3.Connection,
                             typed: dict[str, list[tuple[str, str]]]) -> set[str]:
    """The tables holding a value of another type than its column's (one query)."""
    if not typed:
        return set()
    parts = []
    for index, (table, columns) in enumerate(typed.items()):
        wrong = " OR ".join(f"typeof(\"{name}\") NOT IN ('{kind}', 'null')"
                            for name, kind in columns)
        parts.append(f'SELECT {index} WHERE EXISTS (SELECT 1 FROM "{table}" WHERE {wrong})')
    tables = list(typed)
    return {tables[index] for (index,) in conn.execute(" UNION ALL ".join(parts))}


def _all_sound(conn: sqlite3.Connection, typed: dict[str, list[tuple[str, str]]],
               batch: int = 4096) -> bool:
    """Whether every value has its column's type (or is NULL) and every text is valid UTF-8.

    One query lists the tables that hold rows; one more reads, for each of
    their rows, whether a value has another type than its column's and the
    row's text values as bytes, joined by a newline. The bytes are decoded a
    few thousand rows at a time: a newline cannot complete or continue a
    multi-byte sequence, so the joined bytes are valid UTF-8 exactly when
    every value is.
    """
    tables = list(typed)
    if not tables:
        return True
    filled = conn.execute(" UNION ALL ".join(
        f'SELECT {index} WHERE EXISTS (SELECT 1 FROM "{table}")'
        for index, table in enumerate(tables))).fetchall()
    selects = []
    for (index,) in filled:
        columns = typed[tables[index]]
        texts = [f'coalesce("{name}", \'\')' for name, kind in columns if kind == "text"]
        joined = f"CAST({' || char(10) || '.join(texts)} AS BLOB)" if texts else "NULL"
        wrong = " OR ".join(f"typeof(\"{name}\") NOT IN ('{kind}', 'null')"
                            for name, kind in columns)
        selects.append(f'SELECT {joined}, {wrong} FROM "{tables[index]}"')
    if not selects:
        return True
    cursor = conn.execute(" UNION ALL ".join(selects))
    text, wrongly_typed = operator.itemgetter(0), operator.itemgetter(1)
    try:
        while rows := cursor.fetchmany(batch):
            if any(map(wrongly_typed, rows)):
                return False
            b"\n".join(filter(None, map(text, rows))).decode("utf-8")
    except UnicodeDecodeError:
        return False
    finally:
        cursor.close()
    return True


def _utf8_problems(conn: sqlite3.Connection, table: str, columns: list[str],
                   limit: int) -> list[str]:
    problems = []
    selected = ", ".join(f'CAST("{name}" AS BLOB)' for name in columns)
    for row in conn.execute(f'SELECT rowid, {selected} FROM "{table}"'):
        for name, raw in zip(columns, row[1:]):
            if raw is None:
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"table {table}, row {row[0]}: {name} is not valid UTF-8 text")
                if len(problems) >= limit:
                    return problems
    return problems


def domain_problems(conn: sqlite3.Connection, limit: int = MAX_PROBLEMS,
                    frameworks: dict[tuple[str, str], Framework] | None = None,
                    memo: Memo | None = None) -> list[str]:
    """Every value out of its domain, named by table and row; empty when all are sound.

    ``frameworks``, when given, receives the framework definitions parsed on
    the way (the store keeps them, so they are not parsed twice). ``memo``
    (see :class:`Memo`) only for a file whose schema was found exactly ESAT's.
    """
    problems = type_problems(conn, limit, memo)
    if problems:          # the checks below rely on types being right
        return problems
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"table {table}, row {rowid}: refers to a missing {parent} record")
        if len(problems) >= limit:
            return problems
    if conn.execute("SELECT value FROM meta WHERE key = 'file_uuid'").fetchone() is None:
        problems.append("has no file uuid in its meta table")
    file_version = conn.execute("PRAGMA user_version").fetchone()[0]
    role = conn.execute("SELECT value FROM meta WHERE key = 'role'").fetchone()
    if file_version >= 2 and (role is None or role[0] not in ROLES):
        problems.append("has no known role in its meta table "
                        f"({shown_quoted(role[0], 40) if role else 'none'})")

    frameworks = {} if frameworks is None else frameworks
    unusable: set[tuple[str, str]] = set()       # in the file, but not a valid definition
    for rowid, fid, version, definition, sha in conn.execute(
            "SELECT rowid, framework_id, version, definition, sha256 FROM frameworks"):
        where = f"table frameworks, row {rowid} ({shown_quoted(f'{fid}-{version}', 60)})"
        known = memo.frameworks.get(sha) if memo is not None else None
        if known is not None and known[0] == definition:   # the same text, parsed before
            frameworks[(fid, version)] = known[1]
            continue
        matches = hashlib.sha256(definition.encode("utf-8")).hexdigest() == sha
        if not matches:
            problems.append(f"{where}: definition does not match its checksum")
        try:
            frameworks[(fid, version)] = parse_framework(definition, source=f"{fid}-{version}")
        except FrameworkError as exc:
            problems.append(f"{where}: the framework definition {exc.problem}")
            unusable.add((fid, version))
            continue
        if matches and memo is not None:
            memo.frameworks[sha] = (definition, frameworks[(fid, version)])

    for rowid, a_uuid, fid, version, stage, period, revision, unit_type in conn.execute(
            "SELECT a.rowid, a.uuid, a.framework_id, a.framework_version, a.stage, a.period, "
            "a.revision, u.unit_type FROM assessments a JOIN units u ON u.uuid = a.unit_uuid"):
        where = f"table assessments, row {rowid}"
        if revision < 1:
            problems.append(f"{where}: revision {revision} is not 1 or more")
        framework = frameworks.get((fid, version))
        if framework is None and (fid, version) in unusable:
            continue                         # said above, with the definition's problem
        if framework is None:
            problems.append(f"{where}: framework {shown_quoted(f'{fid}-{version}', 40)} "
                            "is not in the file")
            continue
        problems.extend(_check_assessment(conn, where, a_uuid, framework, stage, period,
                                          unit_type, file_version))
        if len(problems) >= limit:
            return problems[:limit]

    for rowid, sha, size, data in conn.execute("SELECT rowid, sha256, size, data FROM blobs"):
        if not SHA256.match(sha):
            problems.append(f"table blobs, row {rowid}: {shown_quoted(sha, 70)} is not a "
                            "SHA-256 hash")
        elif hashlib.sha256(data).hexdigest() != sha or len(data) != size:
            problems.append(f"table blobs, row {rowid}: attachment {sha[:12]}: content does not "
                            "match its checksum")
    for rowid, kind, sha, file_name in conn.execute(
            "SELECT rowid, kind, blob_sha256, file_name FROM evidence"):
        if kind not in EVIDENCE_KINDS:
            problems.append(f"table evidence, row {rowid}: kind {shown_quoted(kind)} is unknown")
        elif kind == "file" and not SHA256.match(sha or ""):
            problems.append(f"table evidence, row {rowid}: {shown_quoted(sha, 70)} is not a "
                            "SHA-256 hash")
        elif kind == "file" and not (file_name or "").strip():
            problems.append(f"table evidence, row {rowid}: a file item has no file name")
    for rowid, evidence_uuid, size in conn.execute(
            "SELECT e.rowid, e.uuid, e.file_size FROM evidence e "
            "JOIN blobs b ON b.sha256 = e.blob_sha256 WHERE e.file_size IS NOT b.size"):
        problems.append(f"table evidence, row {rowid}: recorded size {size} differs from "
                        f"its attached file")
    return problems[:limit]


def _check_assessment(conn: sqlite3.Connection, where: str, a_uuid: str, framework: Framework,
                      stage: str | None, period: str, unit_type: str,
                      version: int) -> list[str]:
    problems = []
    try:
        if framework.scope != "all_stages":
            framework.stage(stage or "")
        codes = {item.code for item in framework.items_for(stage)}
    except KeyError:
        return [f"{where}: {shown_quoted(stage)} is not a "
                f"{framework.label('stage').lower()} of {framework.key}"]
    if unit_type not in {t.id for t in framework.unit_types}:
        problems.append(f"{where}: unit type {shown_quoted(unit_type)} is unknown to "
                        f"{framework.key}")
    if period and not PERIOD.match(period):
        problems.append(f"{where}: period {shown_quoted(period)} is not a financial year")
    scale = {point.id for point in framework.scale}
    if version < 2:        # coordinator fields were columns of responses
        sql = ("SELECT 'responses', rowid, item_code, self_rating, assessor_rating, unit_exempt, "
               "unit_exemption_reason, coord_exempt, coord_exemption_reason FROM responses "
               "WHERE assessment_uuid = ?")
        params = [a_uuid]
    else:
        sql = ("SELECT 'responses', r.rowid, r.item_code, r.self_rating, NULL, r.unit_exempt, "
               "r.unit_exemption_reason, NULL, '' FROM responses r WHERE r.assessment_uuid = ? "
               "UNION ALL SELECT 'moderation', m.rowid, m.item_code, NULL, m.assessor_rating, 0, "
               "'', m.exemption_decision, m.exemption_reason FROM moderation m "
               "WHERE m.assessment_uuid = ?")
        params = [a_uuid, a_uuid]
    for table, rowid, code, self_r, assessor_r, u_ex, u_reason, c_ex, c_reason in conn.execute(
            sql, params):
        at = f"table {table}, row {rowid}"
        if code not in codes:
            problems.append(f"{at}: item {shown_quoted(code)} is not an item of the assessment")
        for label, rating in (("self rating", self_r), ("assessor rating", assessor_r)):
            if rating is not None and rating not in scale:
                problems.append(f"{at} ({shown_quoted(code, 20)}): {label} "
                                f"{shown_quoted(rating)} is not on the scale")
        if u_ex and not u_reason.strip():
            problems.append(f"{at} ({shown_quoted(code, 20)}): exemption requested without "
                            "a reason")
        if c_ex and not c_reason.strip():
            problems.append(f"{at} ({shown_quoted(code, 20)}): exemption granted without "
                            "a reason")
    for rowid, code in conn.execute(
            "SELECT rowid, item_code FROM evidence WHERE assessment_uuid = ?", [a_uuid]):
        if code not in codes:
            problems.append(f"table evidence, row {rowid}: item {shown_quoted(code)} is not an "
                            "item of the assessment")
    for rowid, code, status, due in conn.execute(
            "SELECT rowid, item_code, status, due_on FROM actions WHERE assessment_uuid = ?",
            [a_uuid]):
        at = f"table actions, row {rowid}"
        if code is not None and code not in codes:
            problems.append(f"{at}: item {shown_quoted(code)} is not an item of the assessment")
        if status not in ACTION_STATUSES:
            problems.append(f"{at}: status {shown_quoted(status)} is unknown")
        try:
            check_date(due, "due date")
        except ValidationError as exc:
            problems.append(f"{at}: {exc}")
    for rowid, strand, in conn.execute(
            "SELECT rowid, strand FROM strand_tags WHERE assessment_uuid = ?", [a_uuid]):
        if strand not in STRAND_IDS:
            problems.append(f"table strand_tags, row {rowid}: equality strand "
                            f"{shown_quoted(strand)} is unknown")
    return problems


def _a(kind: str) -> str:
    return {"integer": "an integer", "real": "a number", "text": "a text", "blob": "a blob",
            "null": "an empty (NULL)"}.get(kind, kind)
