"""Errors that reach the top level are logged to a file and shown with the log's path."""

from __future__ import annotations

import sys
import traceback
from typing import Callable

from PySide6.QtWidgets import QApplication

from ..appdirs import AppPaths
from ..errors import EsatError
from .messages import message_box, problem


def report_exception(paths: AppPaths, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox       # not needed until something goes wrong
    if isinstance(exc, EsatError):
        box = message_box(QMessageBox.Warning, "ESAT", problem(exc), QMessageBox.Ok,
                          QApplication.activeWindow())
        box.setAccessibleName("ESAT problem")
        box.exec()
        return
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log = paths.write_crash_log(text)
    box = message_box(QMessageBox.Critical, "ESAT: unexpected error",
                      f"Something went wrong inside ESAT: {problem(exc)}\n\nYour work saved so far is "
                      f"safe in its file. The details were written to:\n{log}\n\nPlease send "
                      "that file to your ESAT support contact.",
                      QMessageBox.Ok, QApplication.activeWindow())
    box.setAccessibleName("Unexpected error")
    box.exec()


def install(paths: AppPaths) -> Callable:
    previous = sys.excepthook

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, value, tb)
            return
        report_exception(paths, value.with_traceback(tb))

    sys.excepthook = hook
    return previous
