"""ESAT: the Equality Self-Assessment Tool.

The package splits into a Qt-free core and the desktop app (``esat.gui``).
The core never imports PySide6:

- :mod:`esat.framework` and :mod:`esat.catalog`: framework definitions as data
- :mod:`esat.scoring`: the scoring rules
- :mod:`esat.fileformat`: the ``.esat`` SQLite application file
- :mod:`esat.store`: the API to create and edit assessments in a file
- :mod:`esat.demo`: the bundled demo assessment
- :mod:`esat.cli`: the command line

Importing the package has no side effects.
"""

__version__ = "0.1.0"
