"""``python -m esat``: the same as the ``esat`` command."""

import sys

from esat.cli import main

sys.exit(main())
