"""`python -m klpsh`: the same as the `klpsh` command."""

import sys

from klpsh.cli import main

sys.exit(main())
