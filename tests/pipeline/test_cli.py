"""The gdtheory command: bad input is refused at once, a failing claim fails the run."""

from __future__ import annotations

import json
import time

import pytest

from gdtheory.pipeline.errors import UsageError
from gdtheory.pipeline.params import resolve


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["run", "no_such_chapter"], ["no_such_chapter", "lin2021"]),
        (["run", "lin2021", "-p", "NO_SUCH", "1"], ["NO_SUCH", "SEED"]),
        (["run", "lin2021", "-p", "SEED", "1.5"], ["SEED", "int", "1.5"]),
        (["run", "lin2021", "-p", "SEED", "-1"], ["SEED", "[0, inf)", "-1"]),
        (["run", "lin2021", "-p", "MODE", "papr"], ["papr", "quick", "paper"]),
        (["run", "lin2021", "--mode", "fast"], ["fast", "quick", "paper"]),
        (["build", "--only", "nope"], ["nope", "lin2021"]),
        (["build", "--mode", "slow"], ["slow", "quick"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_bad_input_one_message_exit_2_nothing_computed(run_cli, args, needles):
    t0 = time.perf_counter()
    proc = run_cli(*args, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert time.perf_counter() - t0 < 10
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err
    assert "executing" not in proc.stdout


def test_unwritable_build_dir_is_refused_before_computing(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = run_cli("run", "lin2021", "--no-render", build_dir=blocker / "sub", timeout=60)
    assert proc.returncode == 2
    assert "cannot write to the build directory" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_list_shows_chapters_parameters_help_and_ranges(run_cli):
    proc = run_cli("list", timeout=60)
    assert proc.returncode == 0
    assert "lin2021" in proc.stdout and "MODE='quick'" in proc.stdout
    assert "fig-lin2021-1a" in proc.stdout
    assert "SEED=0 (int, range [0, inf))" in proc.stdout


def test_resolve_types(monkeypatch, root):
    monkeypatch.setenv("GDTHEORY_ROOT", str(root))
    [(ch, params)] = resolve(["lin2021"], "paper", [("SEED", "7")])
    assert params["MODE"] == "paper" and params["SEED"] == 7 and isinstance(params["SEED"], int)
    with pytest.raises(UsageError, match="contradicts"):
        resolve(["lin2021"], "quick", [("MODE", "paper")])


def test_failing_check_fails_the_run_and_keeps_the_previous_outputs(run_cli, tiny_book):
    good = run_cli("run", "tiny2000", "--no-render", root=tiny_book)
    assert good.returncode == 0, good.stderr
    ledger = tiny_book / "_build" / "claims" / "tiny2000.json"
    before = ledger.read_text()
    assert json.loads(before)["n_passed"] == 1
    bad = run_cli("run", "tiny2000", "--no-render", "-p", "SCALE", "1.5", root=tiny_book)
    assert bad.returncode == 1
    assert "tiny2000.sum.value" in bad.stderr and "ClaimFailed" in bad.stderr
    assert "executed notebook kept at" in bad.stderr
    assert "Traceback" not in bad.stderr.splitlines()[0]
    assert ledger.read_text() == before
