"""``python -m gdtheory`` is the ``gdtheory`` command."""

import sys

from .cli import main

sys.exit(main())
