"""Benchmark: whole-book build times, cold and with no change, in a scratch build directory.

Runs ``gdtheory build --mode MODE`` twice into a fresh ``GDTHEORY_BUILD_DIR`` (so the real
``_build`` is untouched) and prints the per-chapter split (kernel start-up, execution) and the
rendering time of each, plus the no-change/cold ratio.
Run: ``python benchmarks/build_times.py [quick|paper]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from gdtheory.pipeline import book as B


def timed_build(mode: str) -> tuple[float, dict]:
    """Wall seconds and the build record of one ``gdtheory build``."""
    t0 = time.perf_counter()
    result = B.build(None, mode, log=lambda *_: None)
    return time.perf_counter() - t0, result


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    import os

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GDTHEORY_BUILD_DIR"] = str(Path(tmp) / "_build")
        cold_s, cold = timed_build(mode)
        warm_s, warm = timed_build(mode)
    print(f"mode {mode}")
    print(B.timing_table(cold))
    print(f"cold build:      {cold_s:7.1f} s")
    print(
        f"no-change build: {warm_s:7.1f} s  (executed: "
        f"{sum(r['action'] == 'executed' for r in warm['chapters'])} chapters)"
    )
    print(f"ratio no-change / cold: {warm_s / cold_s:.3f}")


if __name__ == "__main__":
    main()
