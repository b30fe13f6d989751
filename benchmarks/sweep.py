"""Four sweep points on two dask workers against four sequential ``gdtheory run``.

Usage: ``python benchmarks/sweep.py [CHAPTER] [SEED_PARAM]`` (default lin2021, SEED); quick
mode. Prints both wall times and ``ratio sweep-2-workers <sequential / sweep>``. On 2 cores
the ideal is 2×; kernel start-up, the cluster's own start-up and the two kernels sharing
memory bandwidth take some of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gd(*args: str, build: Path) -> None:
    env = {"GDTHEORY_BUILD_DIR": str(build), "PATH": str(Path(sys.executable).parent)}
    import os

    env = {**os.environ, **env}
    subprocess.run(
        [sys.executable, "-m", "gdtheory", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def main() -> None:
    cid = sys.argv[1] if len(sys.argv) > 1 else "lin2021"
    seed = sys.argv[2] if len(sys.argv) > 2 else "SEED"
    tmp = Path(tempfile.mkdtemp(prefix="gdtheory-bench-"))
    try:
        t0 = time.perf_counter()
        for s in range(4):
            _gd("run", cid, "--mode", "quick", "--no-render", "-p", seed, str(s), build=tmp / "seq")
        seq = time.perf_counter() - t0
        t0 = time.perf_counter()
        _gd(
            "sweep",
            cid,
            "--mode",
            "quick",
            "-p",
            seed,
            "0,1,2,3",
            "--workers",
            "2",
            "--out",
            str(tmp / "sweep"),
            build=tmp / "sw",
        )
        par = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{cid}, quick mode, 4 points: sequential gdtheory run {seq:.1f} s; "
        f"sweep on 2 workers {par:.1f} s"
    )
    print(f"ratio sweep-2-workers {seq / par:.2f}")


if __name__ == "__main__":
    main()
