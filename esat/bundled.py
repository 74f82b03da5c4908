"""Find the data files ESAT ships with (schema, frameworks, demo, forms).

One resolver serves both a source checkout (the files sit at the top level of
the repository) and an installed wheel (the build copies them into
``esat/_bundled``).
"""

from __future__ import annotations

from pathlib import Path


def bundled_root() -> Path:
    """The folder holding ``schema.sql`` and ``resources/``."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_bundled"
    if (installed / "schema.sql").is_file():
        return installed
    checkout = package_dir.parent
    if (checkout / "schema.sql").is_file():
        return checkout
    raise FileNotFoundError(
        f"ESAT's bundled data is missing: looked in {installed} and {checkout}"
    )


def schema_sql_path() -> Path:
    return bundled_root() / "schema.sql"


def resources_dir() -> Path:
    return bundled_root() / "resources"


def frameworks_dir() -> Path:
    return resources_dir() / "frameworks"


def demo_dir() -> Path:
    return resources_dir() / "demo"


def icon_path() -> Path:
    """ESAT's icon as a PNG (resources/icons; .ico and .icns beside it for the builds)."""
    return resources_dir() / "icons" / "esat.png"


def help_dir() -> Path:
    """The User Guide (HTML, read offline in the app)."""
    return resources_dir() / "help"


def ui_dir() -> Path:
    """The Designer sources of the app's forms (compiled into esat/gui/forms)."""
    return bundled_root() / "ui"
