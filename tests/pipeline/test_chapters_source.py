"""The chapters' code as code: pyflakes-clean (no unused imports, no undefined names)."""

from __future__ import annotations

import subprocess
import sys

import jupytext
import pytest
from conftest import ROOT

from gdtheory import build as B


@pytest.mark.parametrize("cid", list(B.chapters()))
def test_chapter_code_is_pyflakes_clean(cid, tmp_path):
    nb = jupytext.read(ROOT / "book" / "chapters" / f"{cid}.md")
    script = tmp_path / f"{cid}.py"
    jupytext.write(nb, script, fmt="py:percent")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,E9,B", str(script)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("cid", list(B.chapters()))
def test_chapter_has_parameters_and_opens_a_ledger(cid):
    ch = B.chapters()[cid]
    assert ch.params.get("MODE") in B.MODES
    assert any(k.startswith("SEED") for k in ch.params), "a chapter declares its seed(s)"
    text = ch.path.read_text()
    assert f'gd.start_chapter("{cid}"' in text
    assert f"({{ref}}`ch-{cid}`" in text or f"(ch-{cid})=" in text
    assert ch.figures, "every chapter reproduces at least one figure"
