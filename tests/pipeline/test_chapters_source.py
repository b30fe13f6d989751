"""The chapters' code as code: pyflakes-clean, a strict parameters cell, a ledger, a figure."""

from __future__ import annotations

import subprocess
import sys

import jupytext
import pytest

from gdtheory.pipeline.chapters import MODES, chapters

CHAPTERS = chapters()


@pytest.mark.parametrize("cid", list(CHAPTERS))
def test_chapter_code_is_pyflakes_clean(cid, tmp_path):
    nb = jupytext.read(CHAPTERS[cid].path)
    script = tmp_path / f"{cid}.py"
    jupytext.write(nb, script, fmt="py:percent")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,E9,B", str(script)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("cid", list(CHAPTERS))
def test_chapter_has_parameters_and_opens_a_ledger(cid):
    ch = CHAPTERS[cid]
    assert ch.error is None, ch.error
    assert ch.params.get("MODE") in MODES
    seeds = [p for k, p in ch.specs.items() if k.startswith("SEED") or k.endswith("_SEED")]
    assert seeds, "a chapter declares its seed(s)"
    for p in seeds:
        assert p.help and p.lo == 0, f"{p.name}: a seed parameter has help and range [0, inf)"
    text = ch.path.read_text()
    assert f'gd.start_chapter("{cid}"' in text
    assert f"(ch-{cid})=" in text
    assert ch.figures, "every chapter reproduces at least one figure"
    for label in ch.figures:
        assert label.startswith(f"fig-{cid}-")
