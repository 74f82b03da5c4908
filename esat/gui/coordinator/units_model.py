"""The units table: a Qt model over the core's rows (:func:`esat.central.overview.unit_rows`)
and a sort/filter proxy. Every figure shown is the core's; the model only formats it."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt


def _percent(value) -> str:
    return "n/a" if value is None else f"{value}%"


def _baseline(row: dict) -> str:
    if "level_attained" in row:
        level = row["level_attained"]
        return f"level {level} attained" if level else "level 0"
    return "meets baseline" if row["meets_baseline"] else "does not meet baseline"


def _agreement(row: dict) -> str:
    if not row["agreement_pairs"]:
        return "no pairs yet"
    kappa = "n/a" if row["agreement_kappa"] is None else f"{row['agreement_kappa']:.2f}"
    return f"{row['agreement_exact_percent']}% exact, kappa {kappa} ({row['agreement_pairs']})"


class Column(NamedTuple):
    title: str
    text: Callable[[dict], str]
    key: Callable[[dict], Any]          # what sorting compares


COLUMNS = (
    Column("Unit", lambda r: r["unit_code"], lambda r: r["unit_code"]),
    Column("Name", lambda r: r["unit_name"], lambda r: r["unit_name"]),
    Column("Area", lambda r: r["area"] or "", lambda r: r["area"] or ""),
    Column("Type", lambda r: r["unit_type"], lambda r: r["unit_type"]),
    Column("Framework", lambda r: r["framework"], lambda r: r["framework"]),
    Column("Phase", lambda r: r["phase_title"] or "all levels", lambda r: r["phase_title"] or ""),
    Column("Period", lambda r: r["period"] or "", lambda r: r["period"] or ""),
    Column("Revision", lambda r: str(r["revision"]), lambda r: r["revision"]),
    Column("Score", lambda r: _percent(r["score_percent"]),
           lambda r: -1 if r["score_percent"] is None else r["score_percent"]),
    Column("Sections", lambda r: "; ".join(f"{name} {_percent(p)}"
                                           for name, p in r["sections"].items()),
           lambda r: " ".join(f"{-1 if p is None else p:04d}" for p in r["sections"].values())),
    Column("Baseline / level", _baseline, _baseline),
    Column("Last submission", lambda r: (r["last_submission"] or "")[:16].replace("T", " "),
           lambda r: r["last_submission"] or ""),
    Column("Agreement", _agreement,
           lambda r: -1 if r["agreement_exact_percent"] is None else r["agreement_exact_percent"]),
    Column("Moderation", lambda r: r["moderation_state"], lambda r: r["moderation_state"]),
)

# the filters: name shown, the row's value
FILTERS = (
    ("Area", lambda r: r["area"] or "(no area)"),
    ("Type", lambda r: r["unit_type"]),
    ("Framework", lambda r: r["framework"]),
    ("Phase", lambda r: r["phase_title"] or "all levels"),
    ("Period", lambda r: r["period"] or "(no period)"),
    ("Moderation", lambda r: r["moderation_state"]),
)

ROW_ROLE = Qt.UserRole + 1
_TEXT_ROLES = (Qt.DisplayRole, Qt.AccessibleTextRole, Qt.ToolTipRole)
SORT_ROLE = Qt.UserRole + 2


class Prepared(NamedTuple):
    """Rows with their cell texts and sort keys, formatted once (on the worker: plain Python)."""

    rows: list[dict]
    texts: list[tuple[str, ...]]
    keys: list[tuple]


def prepare(rows: list[dict]) -> Prepared:
    return Prepared(list(rows), [tuple(c.text(r) for c in COLUMNS) for r in rows],
                    [tuple(c.key(r) for c in COLUMNS) for r in rows])


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Ascending numbers as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


class UnitsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.texts: list[tuple[str, ...]] = []       # formatted once per row, not per paint
        self.keys: list[tuple] = []

    def set_rows(self, rows: list[dict] | Prepared) -> None:
        prepared = rows if isinstance(rows, Prepared) else prepare(rows)
        self.beginResetModel()
        self.rows, self.texts, self.keys = (list(part) for part in prepared)   # ours to change
        self.endResetModel()

    # -- refreshing in place (after an import or a moderation step) ---------------------
    # A reset makes the sort/filter proxy sort every row again, calling data() from C++
    # for each comparison: over 100 ms at 2,000 rows. In place, only what changed moves.

    def update_rows(self, rows: Prepared) -> Prepared:
        """Bring the rows present to ``rows`` (matched by assessment): rows gone are
        removed, changed rows replaced in place. Returns the rows not here yet, in order,
        for :meth:`append_rows` (a few at a time, so the proxy sorts a few at a time)."""
        wanted = {row["assessment_uuid"]: n for n, row in enumerate(rows.rows)}
        gone = [n for n, row in enumerate(self.rows) if row["assessment_uuid"] not in wanted]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self.rows[first:last + 1], self.texts[first:last + 1], self.keys[first:last + 1]
            self.endRemoveRows()
        changed, present = [], set()
        for n, row in enumerate(self.rows):
            m = wanted[row["assessment_uuid"]]
            present.add(m)
            if row != rows.rows[m] or self.texts[n] != rows.texts[m]:
                self.rows[n], self.texts[n], self.keys[n] = rows.rows[m], rows.texts[m], rows.keys[m]
                changed.append(n)
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        new = [m for m in range(len(rows.rows)) if m not in present]
        return Prepared([rows.rows[m] for m in new], [rows.texts[m] for m in new],
                        [rows.keys[m] for m in new])

    def append_rows(self, rows: Prepared) -> None:
        if rows.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows.rows) - 1)
            self.rows.extend(rows.rows)
            self.texts.extend(rows.texts)
            self.keys.extend(rows.keys)
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index, role=Qt.DisplayRole):
        if role in _TEXT_ROLES:
            return self.texts[index.row()][index.column()]
        if role == SORT_ROLE:
            return self.keys[index.row()][index.column()]
        if role == ROW_ROLE:
            return self.rows[index.row()]
        return None


class UnitsFilter(QSortFilterProxyModel):
    """Filters (exact values per :data:`FILTERS`) and a search box over every column's text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chosen: dict[str, str] = {}
        self.words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filters(self, chosen: dict[str, str]) -> None:
        """Every filter at once (one pass over the rows)."""
        self.beginFilterChange()
        self.chosen = {k: v for k, v in chosen.items() if v}
        self.endFilterChange()

    def set_filter(self, name: str, value: str | None) -> None:
        self.beginFilterChange()
        if value:
            self.chosen[name] = value
        else:
            self.chosen.pop(name, None)
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.casefold().split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not self.chosen and not self.words:
            return True
        model = self.sourceModel()
        row = model.rows[source_row]
        for name, value_of in FILTERS:
            if name in self.chosen and value_of(row) != self.chosen[name]:
                return False
        if self.words:
            text = " ".join(model.texts[source_row]).casefold()
            return all(word in text for word in self.words)
        return True

    # Sorting compares the SORT_ROLE values (ints and strings) in C++: no Python per comparison.
