"""Facts about the code and environment that produced a result: commit, versions, data hashes."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata

import numpy as np

from .paths import root

__all__ = ["commit", "versions", "data_sha256"]

_STACK = (
    "numpy",
    "scipy",
    "sympy",
    "matplotlib",
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "papermill",
    "jupytext",
    "scikit-learn",
    "torch",
)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root(), capture_output=True, text=True, check=True, timeout=10
    ).stdout.strip()


@lru_cache(maxsize=1)
def commit() -> str:
    """Return the book's git commit (``-dirty`` if tracked files differ), or ``unknown``."""
    try:
        sha = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError, RuntimeError):
        return "unknown"
    return sha + ("-dirty" if dirty else "")


def versions() -> dict[str, str]:
    """Return the installed versions of the book's numerical and publishing stack."""
    out = {}
    for name in _STACK:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def data_sha256(data: Mapping[str, object]) -> str:
    """Hash named arrays (name, dtype, shape, bytes), independent of insertion order.

    Two runs with the same seed must give the same hash: this is what the
    figure manifest records as ``data_sha256``.
    """
    h = hashlib.sha256()
    for name in sorted(data):
        arr = np.ascontiguousarray(np.asarray(data[name]))
        if arr.dtype == object:
            raise TypeError(f"data[{name!r}] is not a numeric array")
        h.update(name.encode())
        h.update(str(arr.dtype).encode())
        h.update(str(arr.shape).encode())
        h.update(arr.tobytes())
    return h.hexdigest()
