"""When a chapter must be re-executed: a key computed before execution, plus the modules the
kernel actually imported (recorded by the last execution).

A chapter is re-executed when its *code cells* or parameters changed, when the pinned
environment changed (``requirements.txt``, Python, platform, installed stack), when a data file
it declares (front matter ``gdtheory: data: [...]``) changed, or when a ``gdtheory`` module
that its last execution imported changed. Prose edits, and edits of the CLI or the pipeline
(which no kernel imports), re-execute nothing.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from pathlib import Path
from typing import Any

from ..record import provenance
from ..record.paths import root
from .chapters import Chapter

__all__ = ["code_cells", "environment_key", "static_key", "module_hashes", "stale_reason"]


def code_cells(chapter: Chapter) -> list[str]:
    """The sources of the chapter's code cells, in order (what the kernel executes)."""
    import jupytext

    nb = jupytext.read(chapter.path)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def environment_key() -> dict[str, Any]:
    """What of the environment can change a chapter's numbers."""
    return {
        "python": sys.version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "requirements_sha256": provenance.requirements_sha256(),
        "stack": provenance.versions(),
    }


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def static_key(chapter: Chapter, params: dict[str, Any]) -> str:
    """Hash of the code cells, parameters, environment and declared data files."""
    data = {}
    for rel in chapter.data_files:
        p = (chapter.path.parent / rel) if not Path(rel).is_absolute() else Path(rel)
        data[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "missing"
    return _sha(
        {
            "code": code_cells(chapter),
            "params": params,
            "environment": environment_key(),
            "data": data,
        }
    )


def module_hashes(modules: list[str]) -> dict[str, str]:
    """SHA-256 of the source file of each ``gdtheory`` module (path relative to ``src/``)."""
    src = root() / "src"
    out = {}
    for rel in modules:
        p = src / rel
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "missing"
    return out


def stale_reason(chapter: Chapter, params: dict[str, Any], record: dict | None) -> str | None:
    """Why the chapter must be re-executed, or ``None`` if its last execution is current."""
    if record is None:
        return "never executed"
    if record.get("static_key") != static_key(chapter, params):
        return "code cells, parameters, environment or data changed"
    old = record.get("modules", {})
    new = module_hashes(list(old))
    changed = [m for m in old if old[m] != new[m]]
    if changed:
        return "changed module(s): " + ", ".join(changed[:3]) + ("…" if len(changed) > 3 else "")
    return None
