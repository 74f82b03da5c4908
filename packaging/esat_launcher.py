"""The built program's entry point (packaging/esat.spec): the same as the ``esat`` command."""

import sys

from esat.cli import main

if __name__ == "__main__":
    sys.exit(main())
