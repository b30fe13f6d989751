"""Where the book lives and where executions write their artefacts.

A chapter executed by ``gdtheory build`` writes into a scratch directory given
by the environment variable ``GDTHEORY_OUT``; the build moves the results into
``_build/`` only when the whole chapter succeeded, so a failing run never
overwrites a good one.  A chapter opened by hand in Jupyter writes into
``<root>/_build/by-hand``, so it never overwrites what the last build published.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["root", "out_dir", "build_dir", "chapters_dir"]


def _looks_like_root(path: Path) -> bool:
    return (path / "_toc.yml").is_file() and (path / "src" / "gdtheory").is_dir()


def root() -> Path:
    """Return the repository root (the folder holding ``_toc.yml`` and ``src/gdtheory``)."""
    env = os.environ.get("GDTHEORY_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if _looks_like_root(candidate):
                return candidate
    raise RuntimeError(
        "cannot find the book's root (a folder with _toc.yml and src/gdtheory); set GDTHEORY_ROOT"
    )


def build_dir() -> Path:
    """Return ``<root>/_build`` (or ``$GDTHEORY_BUILD_DIR``), the home of every built artefact."""
    env = os.environ.get("GDTHEORY_BUILD_DIR")
    return Path(env).resolve() if env else root() / "_build"


def out_dir() -> Path:
    """Return the directory an executing chapter writes its ledger and figures to.

    ``$GDTHEORY_OUT`` during a build; otherwise (a chapter run by hand) ``<build>/by-hand``.
    """
    env = os.environ.get("GDTHEORY_OUT")
    return Path(env).resolve() if env else build_dir() / "by-hand"


def chapters_dir() -> Path:
    """Return ``<root>/book/chapters``."""
    return root() / "book" / "chapters"
