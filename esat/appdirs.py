"""Where ESAT keeps its settings, logs, added frameworks and the demo.

Decided once in ``main()`` and passed down. The platform's usual places come
from platformdirs; the ``ESAT_HOME`` environment variable points everything at
one folder instead (tests and portable installs use it).
"""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

import getpass
import os
from datetime import datetime
from pathlib import Path

from typing import NamedTuple

from .bundled import frameworks_dir
from .catalog import Catalog
from .demo import is_demo_file, write_demo
from .fileformat import check_header, read_header
from .errors import InvalidFileError

HOME_VARIABLE = "ESAT_HOME"
USER_VARIABLE = "ESAT_USER"
DEMO_NAME = "Zenith Vale demo.esat"


class AppPaths(NamedTuple):
    config_dir: Path
    data_dir: Path
    log_dir: Path
    user: str

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> "AppPaths":
        environ = dict(os.environ if environ is None else environ)
        user = environ.get(USER_VARIABLE) or _login_name()
        home = environ.get(HOME_VARIABLE)
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "logs", user)
        import platformdirs
        dirs = platformdirs.PlatformDirs("ESAT", appauthor=False)
        return cls(Path(dirs.user_config_dir), Path(dirs.user_data_dir),
                   Path(dirs.user_log_dir), user)

    def user_name(self) -> str:
        """Who is recorded in the audit log for changes made here."""
        return self.user

    def framework_folders(self) -> list[Path]:
        """Bundled frameworks first; ones a coordinator adds override them."""
        return [frameworks_dir(), self.data_dir / "frameworks"]

    def demo_file(self, catalog: Catalog, *, fresh: bool = False) -> Path:
        """The demo in the data folder, built when missing, unusable or ``fresh`` is asked."""
        target = self.data_dir / DEMO_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        if fresh or not _usable(target):
            if target.exists() and not is_demo_file(target):
                target.unlink()          # an unreadable leftover of our own demo
            return write_demo(target, catalog)
        return target

    def verified_files(self) -> "VerifiedFiles":
        """The ledger of files this computer checked in full or wrote (esat/verified.py)."""
        from .verified import VerifiedFiles
        return VerifiedFiles(self.data_dir / "verified-files.json")

    def write_crash_log(self, text: str) -> Path:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        path = self.log_dir / "esat-errors.log"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        return path


def _usable(path: Path) -> bool:
    try:
        check_header(path, read_header(path))
    except InvalidFileError:
        return False
    return True


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on this system
        return "unknown"
