"""``python -m taco_judge ...``: the same as ``taco-judge ...``."""

import sys

from taco_judge.cli import main

sys.exit(main())
