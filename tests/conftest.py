"""Shared fixtures: the repository root and a throw-away book with one tiny chapter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]



@pytest.fixture(scope="session")
def V():
    """The target direction v of the experiments of Lin et al. (2021)."""
    return np.array([0.0, 1.0])


@pytest.fixture(scope="session")
def W0():
    """The initial weights w(0) of the experiments of Lin et al. (2021)."""
    return np.array([0.6, -0.8])


@pytest.fixture(scope="session")
def q(V):
    """Split-half Gauss–Legendre rule for x ~ U(S¹), labels sgn(vᵀx), 200 nodes per half."""
    from gdtheory.models.logistic import circle_quadrature

    return circle_quadrature(V, 200)

TINY = """---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
(ch-tiny2000)=
# A tiny chapter

```{{code-cell}} ipython3
:tags: [parameters]
MODE = "quick"
SEED = 0
SCALE = 1.0
```

```{{code-cell}} ipython3
import gdtheory as gd
ledger = gd.start_chapter("tiny2000", mode=MODE)
gd.check("tiny2000.sum.value", 1.0 + 1.0, 2.0 * SCALE, ref="Eq. (1)", atol={atol})
```
"""


def run_cli(
    *args: str, root: Path = ROOT, timeout: float = 600, build_dir: Path | None = None
) -> subprocess.CompletedProcess:
    """Run ``python -m gdtheory`` with the given arguments inside ``root``."""
    env = {**os.environ, "GDTHEORY_ROOT": str(root)}
    env.pop("GDTHEORY_BUILD_DIR", None)
    if build_dir is not None:
        env["GDTHEORY_BUILD_DIR"] = str(build_dir)
    return subprocess.run(
        [sys.executable, "-m", "gdtheory", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture
def tiny_book(tmp_path: Path) -> Path:
    """A minimal book root (toc, config, ``src/gdtheory``) with the chapter tiny2000."""
    root = tmp_path / "book_root"
    (root / "book" / "chapters").mkdir(parents=True)
    shutil.copytree(
        ROOT / "src" / "gdtheory",
        root / "src" / "gdtheory",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/chapters/tiny2000\n"
    )
    (root / "book" / "intro.md").write_text("# Intro\n")
    (root / "book" / "references.bib").write_text((ROOT / "book" / "references.bib").read_text())
    (root / "book" / "chapters" / "tiny2000.md").write_text(TINY.format(atol=0.0))
    return root
