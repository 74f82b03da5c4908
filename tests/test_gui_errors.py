"""Errors reaching the top level are logged and shown with the log's path."""

from __future__ import annotations

import sys

from esat.errors import ValidationError
from esat.gui import errorhook
from gui_helpers import Messages


def test_an_unexpected_error_is_logged_and_shown(qapp, paths, monkeypatch):
    messages = Messages(monkeypatch)
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        errorhook.report_exception(paths, exc)
    log = paths.log_dir / "esat-errors.log"
    assert "RuntimeError: disk on fire" in log.read_text()
    assert "Traceback" in log.read_text()
    (title, text) = messages.shown[-1]
    assert title == "ESAT: unexpected error"
    assert str(log) in text and "disk on fire" in text


def test_user_errors_are_shown_without_a_log(qapp, paths, monkeypatch):
    messages = Messages(monkeypatch)
    errorhook.report_exception(paths, ValidationError("x.esat: rating 'great' is not on the scale"))
    assert messages.shown == [("ESAT", "x.esat: rating 'great' is not on the scale")]
    assert not (paths.log_dir / "esat-errors.log").exists()


def test_install_routes_uncaught_exceptions(qapp, paths, monkeypatch):
    messages = Messages(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errorhook.install(paths)
    try:
        raise KeyError("missing")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert "KeyError" in (paths.log_dir / "esat-errors.log").read_text()
    assert messages.shown[-1][0] == "ESAT: unexpected error"
