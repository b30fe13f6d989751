"""Every benchmark of the book in one run: ``python benchmarks/run.py [--quick]``.

Each comparison is a script of this folder that times the book's way against what a user would
write instead, side by side in the same process, and prints ``ratio <name> <value>`` lines
(baseline time / book time, at the same accuracy or with identical results). This runner
executes them one after another (never in parallel: they time themselves), prints each one's
output, then a table of every ratio, and ends with the ``ratio`` lines again so that a machine
can read them from the tail.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, arguments in quick mode, arguments in full mode, what it compares)
BENCHMARKS = [
    ("table1_torch.py", ["--quick"], [], "long2021 Table 1: batched GD vs a per-run PyTorch loop"),
    ("xu2023_students.py", ["--quick"], [], "xu2023 students x seeds: batched vs per-run loop"),
    ("min2024_digits.py", ["--quick"], [], "min2024 digits runs: batched vs per-run loop"),
    ("population.py", [], [], "lin2021 sphere integrals: quadrature vs Monte Carlo"),
    ("gaussian_relu.py", [], [], "Gaussian ReLU kernels: closed form vs Monte Carlo; batched step"),
    ("sweep.py", [], [], "sweep: 4 points on 2 dask workers vs 4 sequential runs"),
    ("build_times.py", ["quick"], ["paper"], "whole-book builds: cold, no change, prose, module"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the short version of every benchmark")
    ap.add_argument("--only", nargs="+", default=None, help="script names to run")
    args = ap.parse_args()
    ratios: list[tuple[str, str, str]] = []
    failed = []
    for script, quick, full, what in BENCHMARKS:
        if args.only and script not in args.only and script[:-3] not in args.only:
            continue
        if not (HERE / script).exists():
            print(f"== {script}: not present, skipped")
            continue
        cmd = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"== {script}: {what}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        print(proc.stdout.rstrip())
        if proc.returncode != 0:
            failed.append(script)
            print(proc.stderr[-2000:].rstrip())
        for name, value in re.findall(r"^ratio (\S+) (\S+)$", proc.stdout, re.M):
            ratios.append((script, name, value))
        print(f"   ({time.perf_counter() - t0:.0f} s)\n", flush=True)
    print(f"{'benchmark':<22} {'comparison':<36} {'ratio':>10}")
    for script, name, value in ratios:
        print(f"{script:<22} {name:<36} {value:>10}")
    for _, name, value in ratios:
        print(f"ratio {name} {value}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
