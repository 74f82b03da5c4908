"""Undoable changes. Each command runs its writes through the document's worker.

A command's ``do`` job captures, inside the same background job, the value it
replaces (into ``state``); its ``undo`` job puts that value back. Jobs run in
order on one worker, so the value captured is the one the user saw before the
step, even when earlier writes were still queued when the step was taken.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ..store import Store

Job = Callable[[Store, dict], Any]
NARRATIVE_MERGE_ID = 1


class StoreCommand(QUndoCommand):
    """A change with a write to do it and a write to undo it.

    ``state`` is shared by both jobs (the value replaced, a removed item kept for
    undo); the jobs run in order on the worker thread, so each sees what the
    previous one left.
    """

    def __init__(self, document, text: str, code: str | None, do: Job, undo: Job,
                 on_done: Callable[[Any], None] | None = None):
        super().__init__(text)
        self.document = document
        self.code = code
        self._do = do
        self._undo = undo
        self._on_done = on_done
        self.state: dict = {}

    def redo(self) -> None:
        self.document.write(lambda store: self._do(store, self.state), on_done=self._on_done)

    def undo(self) -> None:
        self.document.write(lambda store: self._undo(store, self.state), on_done=self._on_done)


def captured(read: Callable[[Store], Any], write: Callable[[Store, Any], None],
             new: Any) -> tuple[Job, Job]:
    """``do``/``undo`` jobs for a field: ``read`` the value it replaces, ``write`` a value."""

    def do(store: Store, state: dict) -> None:
        state["old"] = read(store)
        write(store, new)

    def undo(store: Store, state: dict) -> None:
        if "old" in state:
            write(store, state["old"])

    return do, undo


class NarrativeCommand(QUndoCommand):
    """Typing in a narrative; consecutive saves of one item merge into one undo step.

    The text it replaces is read by the first save's job; undo writes it back.
    """

    def __init__(self, view, code: str, new: str):
        super().__init__(f"Edit narrative of {code}")
        self.view, self.code, self.new = view, code, new
        self.state: dict = {}
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
        self.view.write_narrative(self.code, self.new, self.state, show=not self._first)
        self._first = False

    def undo(self) -> None:
        self.view.write_narrative(self.code, None, self.state, show=True)
