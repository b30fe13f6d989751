"""Measured execution times of each chapter in each mode, kept in ``_build/runtimes.json``.

``gdtheory build`` / ``gdtheory run`` record every successful execution, so a
chapter's reproducibility summary can state what a quick and a paper-scale run
cost on this machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from .paths import build_dir

__all__ = ["runtimes_path", "recorded_runtimes", "record_runtime"]


def runtimes_path() -> Path:
    """``<build>/runtimes.json``."""
    return build_dir() / "runtimes.json"


def _load() -> dict:
    path = runtimes_path()
    return json.loads(path.read_text()) if path.exists() else {}


def recorded_runtimes(chapter: str) -> dict[str, dict]:
    """The last recorded run of ``chapter`` per mode: ``{mode: {total_s, exec_s, commit}}``."""
    return _load().get(chapter, {})


def record_runtime(chapter: str, mode: str, total_s: float, exec_s: float, commit: str) -> None:
    """Store the wall time of a successful execution of ``chapter`` in ``mode``."""
    data = _load()
    data.setdefault(chapter, {})[mode] = {
        "total_s": round(total_s, 1),
        "exec_s": round(exec_s, 1),
        "commit": commit,
    }
    runtimes_path().parent.mkdir(parents=True, exist_ok=True)
    runtimes_path().write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
