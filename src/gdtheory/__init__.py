"""gdtheory: the shared package of the companion book on gradient-descent dynamics.

Chapters use :func:`start_chapter` and :func:`check` (the claims ledger),
:func:`export` (citable figures) and the numerical modules named for the
mathematics they compute.
"""

from .claims import ClaimFailed, Ledger, active_ledger, check, start_chapter
from .figures import export, use_style

__all__ = [
    "ClaimFailed",
    "Ledger",
    "active_ledger",
    "check",
    "start_chapter",
    "export",
    "use_style",
]
__version__ = "0.1.0"
