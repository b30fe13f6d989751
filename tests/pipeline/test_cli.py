"""The gdtheory command: bad input is refused at once, a failing claim fails the run."""

from __future__ import annotations

import json
import time

import pytest
from conftest import ROOT, TINY, run_cli

from gdtheory import build as B


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["run", "no_such_chapter"], ["no_such_chapter", "lin2021"]),
        (["run", "lin2021", "-p", "NO_SUCH", "1"], ["NO_SUCH", "SEED"]),
        (["run", "lin2021", "-p", "SEED", "1.5"], ["SEED", "int", "1.5"]),
        (["run", "lin2021", "-p", "MODE", "papr"], ["papr", "quick", "paper"]),
        (["run", "lin2021", "--mode", "fast"], ["fast", "quick", "paper"]),
        (["build", "--only", "nope"], ["nope", "lin2021"]),
        (["build", "--mode", "slow"], ["slow", "quick"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_bad_input_one_message_exit_2_nothing_computed(args, needles):
    t0 = time.perf_counter()
    proc = run_cli(*args, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert time.perf_counter() - t0 < 10
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err
    assert "executing" not in proc.stdout


def test_unwritable_build_dir_is_refused_before_computing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = run_cli("run", "lin2021", "--no-render", build_dir=blocker / "sub", timeout=60)
    assert proc.returncode == 2
    assert "cannot write to the build directory" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_list_shows_chapters_parameters_and_figures():
    proc = run_cli("list", timeout=60)
    assert proc.returncode == 0
    assert "lin2021" in proc.stdout and "MODE='quick'" in proc.stdout
    assert "fig-lin2021-1a" in proc.stdout


def test_resolve_types(monkeypatch):
    monkeypatch.setenv("GDTHEORY_ROOT", str(ROOT))
    [(ch, params)] = B.resolve(["lin2021"], "paper", [("SEED", "7")])
    assert params["MODE"] == "paper" and params["SEED"] == 7 and isinstance(params["SEED"], int)
    with pytest.raises(B.UsageError, match="contradicts"):
        B.resolve(["lin2021"], "quick", [("MODE", "paper")])


def test_failing_check_fails_the_run_and_keeps_the_previous_outputs(tiny_book):
    good = run_cli("run", "tiny2000", "--no-render", root=tiny_book)
    assert good.returncode == 0, good.stderr
    ledger = tiny_book / "_build" / "claims" / "tiny2000.json"
    before = ledger.read_text()
    assert json.loads(before)["n_passed"] == 1
    bad = run_cli("run", "tiny2000", "--no-render", "-p", "SCALE", "1.5", root=tiny_book)
    assert bad.returncode == 1
    assert "tiny2000.sum.value" in bad.stderr and "ClaimFailed" in bad.stderr
    assert ledger.read_text() == before


def test_staleness_follows_source_parameters_and_package(tiny_book, monkeypatch):
    monkeypatch.setenv("GDTHEORY_ROOT", str(tiny_book))
    [(ch, params)] = B.resolve(["tiny2000"], "quick")
    h0 = B.content_hash(ch, params)
    assert B.content_hash(ch, {**params, "SEED": 1}) != h0
    (tiny_book / "src" / "gdtheory" / "claims.py").write_text(
        (tiny_book / "src" / "gdtheory" / "claims.py").read_text() + "\n# edit\n"
    )
    assert B.content_hash(ch, params) != h0
    h1 = B.content_hash(ch, params)
    ch.path.write_text(TINY.format(atol=1e-9))
    assert B.content_hash(ch, params) != h1


def test_unexecuted_chapters_are_staged_with_their_figure_labels(tmp_path, monkeypatch):
    monkeypatch.setenv("GDTHEORY_ROOT", str(ROOT))
    monkeypatch.setenv("GDTHEORY_BUILD_DIR", str(tmp_path / "_build"))
    known = B.chapters()
    stage = B._stage(known)
    for cid, ch in known.items():
        page = (stage / "book" / "chapters" / f"{cid}.md").read_text()
        assert f"(ch-{cid})=" in page
        for label in ch.figures:
            assert f":name: {label}" in page
    assert (stage / "book" / "chapters" / "_not_executed.png").read_bytes().startswith(b"\x89PNG")
