"""Draw resources/icons/esat.svg into the icon files the build and the desktop need.

    .venv/bin/python packaging/make_icons.py      (make icons; needs the [package] extra)

Writes, next to the SVG:
- esat.png (256 px): the window icon, and the Linux desktop and document icon;
- esat.ico (16 to 256 px): the Windows program icon (packaging/esat.spec);
- esat.icns (16 to 1024 px): the macOS program and document icon.
Qt's SVG renderer draws each size; Pillow writes the .ico and .icns containers.
The outputs are committed, so that building needs neither step.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "esat.svg"


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    app = QGuiApplication(["make_icons", "-platform", "offscreen"])  # noqa: F841 (QPainter needs it)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a drawable SVG")
    images = {size: render(renderer, size) for size in (16, 24, 32, 48, 64, 128, 256, 512, 1024)}
    images[256].save(ICONS / "esat.png", optimize=True)
    images[256].save(ICONS / "esat.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)],
                     append_images=[images[s] for s in (16, 24, 32, 48, 64, 128)])
    images[1024].save(ICONS / "esat.icns",
                      append_images=[images[s] for s in (16, 32, 64, 128, 256, 512)])
    for name in ("esat.png", "esat.ico", "esat.icns"):
        print(f"wrote {ICONS / name} ({(ICONS / name).stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
