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
def root() -> Path:
    """The repository root."""
    return ROOT


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

Some prose.

```{{code-cell}} ipython3
:tags: [parameters]
MODE = "quick"  # "quick" | "paper"
SEED = 0  # seed of nothing in particular [0, inf)
SCALE = 1.0  # the expected sum is 2 SCALE
SLEEP = 0.0  # seconds to sleep in the second cell [0, 60]
```

```{{code-cell}} ipython3
import time
import gdtheory as gd
ledger = gd.start_chapter("tiny2000", mode=MODE)
time.sleep(SLEEP)
gd.check("tiny2000.sum.value", 1.0 + 1.0, 2.0 * SCALE, ref="Eq. (1)", role="evidence",
         atol={atol})
```
"""


def _cli_env(root: Path, build_dir: Path | None) -> dict[str, str]:
    env = {**os.environ, "GDTHEORY_ROOT": str(root)}
    env.pop("GDTHEORY_BUILD_DIR", None)
    env.pop("GDTHEORY_OUT", None)
    if build_dir is not None:
        env["GDTHEORY_BUILD_DIR"] = str(build_dir)
    return env


def _run_cli(
    *args: str, root: Path = ROOT, timeout: float = 600, build_dir: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdtheory", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_cli_env(root, build_dir),
    )


def _start_cli(*args: str, root: Path = ROOT, build_dir: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gdtheory", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_cli_env(root, build_dir),
    )


@pytest.fixture(scope="session")
def run_cli():
    """Run ``python -m gdtheory ARGS`` in a book root (default: this repository)."""
    return _run_cli


@pytest.fixture(scope="session")
def start_cli():
    """Start ``python -m gdtheory ARGS`` in the background (a ``subprocess.Popen``)."""
    return _start_cli


@pytest.fixture(scope="session")
def tiny_source() -> str:
    """The source of the tiny chapter (``atol`` to fill in)."""
    return TINY


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
    shutil.copy(ROOT / "book" / "papers.yml", root / "book" / "papers.yml")
    shutil.copytree(ROOT / "book" / "_static", root / "book" / "_static")
    shutil.copy(ROOT / "requirements.txt", root / "requirements.txt")
    (root / "book" / "chapters" / "tiny2000.md").write_text(TINY.format(atol=0.0))
    return root


QUICK_BUILD = ROOT / "_build" / "pytest"


@pytest.fixture(scope="session")
def quick_book(run_cli) -> Path:
    """The whole book built in quick mode into ``_build/pytest`` (never the paper-scale build)."""
    proc = run_cli("build", "--mode", "quick", timeout=2400, build_dir=QUICK_BUILD)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return QUICK_BUILD
