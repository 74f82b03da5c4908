"""Settings and recent files, in an INI file in ESAT's config folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 10


class Settings:
    def __init__(self, config_dir: Path):
        config_dir.mkdir(parents=True, exist_ok=True)
        self.path = config_dir / "esat.ini"
        self._qs = QSettings(str(self.path), QSettings.IniFormat)

    def recent_files(self) -> list[Path]:
        value = self._qs.value("recent/files", [])
        if isinstance(value, str):
            value = [value]
        return [Path(p) for p in (value or [])]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        files = [p for p in self.recent_files() if p != path]
        # written by Qt's own sync from the event loop, not here: opening a file
        # should not wait for the settings file
        self._qs.setValue("recent/files", [str(p) for p in [path, *files][:MAX_RECENT]])

    def value(self, key: str, default=None):
        return self._qs.value(key, default)

    def set_value(self, key: str, value) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()
