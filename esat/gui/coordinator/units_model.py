"""The units table: a Qt model over the core's rows (:func:`esat.central.overview.unit_rows`)
and a sort/filter proxy. Every figure shown is the core's; the model only formats it."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from ..messages import plain_tooltip


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
_TEXT_ROLES = (Qt.DisplayRole, Qt.AccessibleTextRole)
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
    """The rows in the order of the column sorted by (:meth:`sort`; the proxy sorts nothing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.texts: list[tuple[str, ...]] = []       # formatted once per row, not per paint
        self.keys: list[tuple] = []
        self._given = Prepared([], [], [])           # as read: the order sorting starts from
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[dict] | Prepared) -> None:
        self._given = rows if isinstance(rows, Prepared) else prepare(rows)
        self.beginResetModel()
        self.rows, self.texts, self.keys = self._ordered()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """Sort by a column's keys, in Python: a stable sort of the rows as read, as the
        proxy would (with no call from C++ into Python per comparison)."""
        self.sorted_by = None if column < 0 else (column, order)
        self.layoutAboutToBeChanged.emit()
        before = {id(row): n for n, row in enumerate(self.rows)}
        self.rows, self.texts, self.keys = self._ordered()
        moved = {before[id(row)]: n for n, row in enumerate(self.rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(moved[i.row()], i.column()) if i.row() in moved else QModelIndex()
                  for i in old])
        self.layoutChanged.emit()

    def _ordered(self) -> Prepared:
        given = self._given
        if self.sorted_by is None:
            return Prepared(list(given.rows), list(given.texts), list(given.keys))
        column, order = self.sorted_by
        keys = given.keys
        ranks = sorted(range(len(keys)), key=lambda n: keys[n][column],
                       reverse=order == Qt.DescendingOrder)
        return Prepared([given.rows[n] for n in ranks], [given.texts[n] for n in ranks],
                        [keys[n] for n in ranks])

    # -- refreshing in place (after an import or a moderation step) ---------------------
    # A reset lays out and filters every row again and loses the selection; in place,
    # only what changed moves.

    def update_rows(self, rows: Prepared) -> Prepared:
        """Bring the rows present to ``rows`` (matched by assessment): rows gone are
        removed, changed rows replaced in place (and sorted again when a sort key changed).
        Returns the rows not here yet, in order, for :meth:`append_rows` (a few at a time:
        each addition is laid out and filtered by the proxy)."""
        wanted = {row["assessment_uuid"]: n for n, row in enumerate(rows.rows)}
        gone = [n for n, row in enumerate(self.rows) if row["assessment_uuid"] not in wanted]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self.rows[first:last + 1], self.texts[first:last + 1], self.keys[first:last + 1]
            self.endRemoveRows()
        changed, present, resort = [], set(), False
        column = self.sorted_by[0] if self.sorted_by else None
        for n, row in enumerate(self.rows):
            m = wanted[row["assessment_uuid"]]
            present.add(m)
            if row != rows.rows[m] or self.texts[n] != rows.texts[m]:
                resort = resort or (column is not None and self.keys[n][column] != rows.keys[m][column])
                self.rows[n], self.texts[n], self.keys[n] = rows.rows[m], rows.texts[m], rows.keys[m]
                changed.append(n)
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self._given_again()
        if resort:
            self.sort(*self.sorted_by)
        new = [m for m in range(len(rows.rows)) if m not in present]
        return Prepared([rows.rows[m] for m in new], [rows.texts[m] for m in new],
                        [rows.keys[m] for m in new])

    def append_rows(self, rows: Prepared) -> None:
        """Add rows (after those as read), then put them in their sorted places."""
        if not rows.rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows.rows) - 1)
        self.rows.extend(rows.rows)
        self.texts.extend(rows.texts)
        self.keys.extend(rows.keys)
        self.endInsertRows()
        given = self._given
        self._given = Prepared(given.rows + list(rows.rows), given.texts + list(rows.texts),
                               given.keys + list(rows.keys))
        if self.sorted_by is not None:
            self.sort(*self.sorted_by)

    def _given_again(self) -> None:
        """The rows as read, after rows were removed or replaced: their order as read."""
        current = {row["assessment_uuid"]: n for n, row in enumerate(self.rows)}
        order = [current[row["assessment_uuid"]] for row in self._given.rows
                 if row["assessment_uuid"] in current]
        self._given = Prepared([self.rows[n] for n in order], [self.texts[n] for n in order],
                               [self.keys[n] for n in order])

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
        if role == Qt.ToolTipRole:          # a unit's name as written, never as HTML
            return plain_tooltip(self.texts[index.row()][index.column()])
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """The rows are sorted by the model (:meth:`UnitsModel.sort`): a proxy sort calls
        into Python twice per comparison, a tenth of a second over 1,000 rows."""
        self.sourceModel().sort(column, order)
