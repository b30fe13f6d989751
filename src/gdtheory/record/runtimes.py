"""Measured execution times of each chapter in each mode.

Every execution is recorded in ``_build/runtimes.json``; ``book/runtimes.json`` holds the
reference timings of the last full builds on the project's 2-core machine (a copy of the
former, committed), shown where this machine has not run a mode yet.

``gdtheory build`` / ``gdtheory run`` record every successful execution, so a
chapter's reproducibility summary can state what a quick and a paper-scale run
cost on this machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from .paths import build_dir, root

__all__ = ["runtimes_path", "reference_path", "recorded_runtimes", "record_runtime"]


def runtimes_path() -> Path:
    """``<build>/runtimes.json``."""
    return build_dir() / "runtimes.json"


def reference_path() -> Path:
    """``<root>/book/runtimes.json``: reference timings committed with the book."""
    return root() / "book" / "runtimes.json"


def _load(path: Path | None = None) -> dict:
    path = path if path is not None else runtimes_path()
    return json.loads(path.read_text()) if path.exists() else {}


def recorded_runtimes(chapter: str) -> dict[str, dict]:
    """The last run of ``chapter`` per mode: ``{mode: {total_s, exec_s, commit, source}}``.

    Runs recorded on this machine (``_build/runtimes.json``) take precedence over the
    reference timings committed in ``book/runtimes.json``.
    """
    out = {
        m: {**r, "source": "reference"} for m, r in _load(reference_path()).get(chapter, {}).items()
    }
    for m, r in _load().get(chapter, {}).items():
        out[m] = {**r, "source": "this machine"}
    return out


def record_runtime(chapter: str, mode: str, total_s: float, exec_s: float, commit: str) -> None:
    """Store the wall time of a successful execution of ``chapter`` in ``mode``."""
    data = _load()
    data.setdefault(chapter, {})[mode] = {
        "total_s": round(total_s, 1),
        "exec_s": round(exec_s, 1),
        "commit": commit,
    }
    from .figures import write_json

    write_json(runtimes_path(), data)
