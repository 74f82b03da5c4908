"""Help ▸ User Guide: the bundled HTML guide, read offline in a QTextBrowser.

The meaning of each rating level is not written twice: the guide's scale
tables are made from the bundled guidance (``esat.guidance``), as the
indicator page's tooltips and line beneath the scale are.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..catalog import Catalog
from ..guidance import Meanings


def scale_tables(catalog: Catalog, meanings: Meanings) -> str:
    parts = []
    for framework in catalog.all():
        rows = "".join(
            f"<tr><td><b>{html.escape(p.label)}</b></td>"
            f"<td>{'counts as met' if p.met else 'not met'}</td>"
            f"<td>{html.escape(meanings.of(framework, p))}</td></tr>" for p in framework.scale)
        parts.append(f"<h3>{html.escape(framework.title)} ({html.escape(framework.abbreviation)} "
                     f"{html.escape(framework.version)})</h3>"
                     "<table border='1' cellpadding='4' cellspacing='0'>"
                     f"<tr><th>Rating</th><th>Score</th><th>What it means</th></tr>{rows}</table>")
    return "\n".join(parts)


def guide_html(guide: Path, catalog: Catalog, meanings: Meanings) -> str:
    return guide.read_text(encoding="utf-8").replace("<!-- SCALES -->",
                                                     scale_tables(catalog, meanings))


class UserGuide(QDialog):
    """A window beside the main one (not modal): the guide, with links inside it."""

    def __init__(self, parent: QWidget | None, *, guide: Path, catalog: Catalog, meanings: Meanings):
        super().__init__(parent)
        self.setWindowTitle("ESAT User Guide")
        self.setAccessibleName("ESAT User Guide")
        self.resize(760, 640)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User Guide text")
        self.browser.setOpenLinks(False)            # every link is handled in _anchor
        self.browser.anchorClicked.connect(self._anchor)
        self.browser.setHtml(guide_html(guide, catalog, meanings))
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)          # a page outside the guide: the browser
        elif url.fragment():
            self.browser.scrollToAnchor(url.fragment())
