"""`python -m mathteam …` runs the command line, for environments where the script is not on PATH."""

import sys

from mathteam.cli import main

sys.exit(main())
