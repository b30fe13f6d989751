"""gdtheory: the shared package of the companion book on gradient-descent dynamics.

The chapter-facing API (the claims ledger, citable figures, glue helpers) is loaded lazily, so
``import gdtheory.core.<module>`` or ``gdtheory.models.<module>`` loads numpy/scipy only, never
matplotlib or the book machinery.

Layers (arrows point to what a layer may import; a test enforces them)::

    cli -> pipeline -> record            the command, the build, what an execution writes
    papers/<id> -> models -> core        one paper's statements, model families, shared maths
    papers/<id> -> data
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "ClaimFailed": "gdtheory.record.ledger",
    "Ledger": "gdtheory.record.ledger",
    "active_ledger": "gdtheory.record.ledger",
    "check": "gdtheory.record.ledger",
    "check_z": "gdtheory.record.ledger",
    "start_chapter": "gdtheory.record.ledger",
    "export": "gdtheory.record.figures",
    "use_style": "gdtheory.record.figures",
    "glue_num": "gdtheory.record.glue",
    "glue_math": "gdtheory.record.glue",
    "glue_text": "gdtheory.record.glue",
    "glue_summary": "gdtheory.record.glue",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'gdtheory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
