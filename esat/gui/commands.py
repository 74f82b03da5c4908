"""Undoable changes. Each command runs its writes through the view's task queue."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ..store import Store

Job = Callable[[Store, dict], Any]
NARRATIVE_MERGE_ID = 1


class StoreCommand(QUndoCommand):
    """A change with a write to do it and a write to undo it.

    ``state`` is shared by both jobs (e.g. a removed item kept for undo); the jobs
    run in order on the worker thread, so each sees what the previous one left.
    """

    def __init__(self, view, text: str, code: str | None, do: Job, undo: Job, *,
                 applied: bool = False):
        super().__init__(text)
        self.view = view
        self.code = code
        self._do = do
        self._undo = undo
        self.state: dict = {}
        self._skip_next_redo = applied

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self.view.write(lambda store: self._do(store, self.state), self.code)

    def undo(self) -> None:
        self.view.write(lambda store: self._undo(store, self.state), self.code)


class NarrativeCommand(QUndoCommand):
    """Typing in a narrative; consecutive saves of one item merge into one undo step."""

    def __init__(self, view, code: str, old: str, new: str):
        super().__init__(f"Edit narrative of {code}")
        self.view, self.code, self.old, self.new = view, code, old, new
        self._first = True

    def id(self) -> int:
        return NARRATIVE_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NarrativeCommand) or other.code != self.code:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        # the first time, the editor already shows the text; after an undo it must be put back
        self.view.write_narrative(self.code, self.new, show=not self._first)
        self._first = False

    def undo(self) -> None:
        self.view.write_narrative(self.code, self.old, show=True)
