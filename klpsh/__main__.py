"""`python -m klpsh`: the same as the `klpsh` command."""

import sys

from klpsh.entry import main

sys.exit(main())
