"""Opening an attached file in the system viewer, the one way the unit view and the
coordinator's moderation page both do it (esat/attachments.py does the checking).

Two steps so the bytes can be read wherever the caller reads its file (the unit
view's reader, the central database's worker): :meth:`AttachmentOpener.fingerprint`
refuses an entry whose content is absent or whose hash is not a SHA-256 hash before
anything is read; :meth:`AttachmentOpener.show` checks the bytes against the hash,
writes them under a safe base name in a private folder made for this run
(:class:`esat.attachments.OpenedCopies`) and opens that copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from ..attachments import OpenedCopies, check_sha256
from ..errors import EsatError
from ..records import Evidence
from .messages import problem, show_error

TITLE = "Cannot open"


class AttachmentOpener:
    """``folder``: one of ESAT's own folders; the private run folder is made in it on first use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._copies: OpenedCopies | None = None

    def fingerprint(self, parent: QWidget | None, entry: Evidence) -> str | None:
        """The entry's checked hash to read the bytes by, or None after saying why not."""
        if not entry.has_body:
            show_error(parent, TITLE,
                       f"{entry.file_name}: this assessment holds only the file's name and "
                       "fingerprint, not the file itself. Attach the file again to keep it here.")
            return None
        try:
            return check_sha256(entry.blob_sha256)
        except EsatError as exc:
            show_error(parent, TITLE, problem(exc))
            return None

    def show(self, parent: QWidget | None, entry: Evidence, data: bytes) -> Path | None:
        """Write the verified bytes and open the copy; None (after a message) when refused."""
        if self._copies is None:
            self._copies = OpenedCopies(self.folder)
        try:
            target = self._copies.write(entry.blob_sha256, entry.file_name, data)
        except EsatError as exc:
            show_error(parent, TITLE, problem(exc))
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    @staticmethod
    def failed(parent: QWidget | None, exc: BaseException) -> None:
        """A read that failed (a missing blob, an unreadable file): said, not raised."""
        show_error(parent, TITLE, problem(exc))
