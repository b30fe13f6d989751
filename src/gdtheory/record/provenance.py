"""Facts about the code and environment that produced a result: commit, versions, data hashes."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata

import numpy as np

from .paths import root

__all__ = [
    "commit",
    "versions",
    "data_sha256",
    "environment",
    "requirements_sha256",
    "source_sha256",
]

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
    """Return the book's git commit, citable as the code that produced a result.

    ``<sha>-dirty`` if a tracked file differs or an untracked file exists under ``src/`` or
    ``book/`` (a figure made with a not-yet-committed module is not the commit's). Outside a
    git checkout: ``gdtheory-<version>+src.<hash of src/gdtheory>``.
    """
    try:
        sha = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git(
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            "src",
            "book",
            "_config.yml",
            "_toc.yml",
            "requirements.txt",
        )
    except (OSError, subprocess.SubprocessError, RuntimeError):
        from .. import __version__

        return f"gdtheory-{__version__}+src.{source_sha256()[:12]}"
    return sha + ("-dirty" if dirty else "")


def source_sha256() -> str:
    """Hash of every Python file of the installed ``gdtheory`` package (path and bytes)."""
    from pathlib import Path

    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(pkg.rglob("*.py")):
        h.update(str(f.relative_to(pkg)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def requirements_sha256() -> str:
    """Hash of the pinned environment, ``requirements.txt`` at the book's root ('' if absent)."""
    try:
        return hashlib.sha256((root() / "requirements.txt").read_bytes()).hexdigest()
    except (OSError, RuntimeError):
        return ""


@lru_cache(maxsize=1)
def environment() -> dict[str, object]:
    """The environment fingerprint recorded with every ledger and figure.

    Python version and implementation, platform, machine, BLAS library and thread counts
    (threadpoolctl), ``OMP``/``OPENBLAS`` thread variables, and the requirements hash.
    """
    env: dict[str, object] = {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "requirements_sha256": requirements_sha256()[:16],
    }
    try:
        from threadpoolctl import threadpool_info

        env["blas"] = [
            {k: d.get(k) for k in ("internal_api", "version", "num_threads")}
            for d in threadpool_info()
            if d.get("user_api") == "blas"
        ]
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        env["blas"] = []
    env["thread_env"] = {
        k: os.environ[k]
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if k in os.environ
    }
    return env


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
