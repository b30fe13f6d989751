"""Xu & Du's Figure 1 protocol: many students × seeds advanced as one array, against a loop.

GD with step η = 0.05 on the student–teacher loss (3), x ~ N(0, I_d), d = 10, σ = 0.1, ‖v‖ = 1,
for widths n = 1..5 and ``S`` seeds each. The book advances every run of the figure together
(``gdtheory.papers.xu2023.dynamics.run_gd``: students zero-padded to n = 5, rotated into the
span of teacher and students, the toolkit's closed-form gradient (4)); the baseline is what a
user would write: one run at a time, the same closed-form gradient in the same coordinates,
a Python loop over steps. The final states are asserted equal (to 1e-12). Prints a table and
``ratio xu2023-students <loop / batched>``.

Usage: ``python benchmarks/xu2023_students.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gdtheory.papers.xu2023 import dynamics as dyn
from gdtheory.papers.xu2023 import setting


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="2000 steps, 4 seeds per width")
    args = ap.parse_args()
    steps, seeds = (2000, 4) if args.quick else (20000, 8)
    d, sigma, eta, n_max = 10, 0.1, 0.05, 5
    rng = np.random.default_rng(0)
    W = np.zeros((n_max * seeds, n_max, d))
    for i, n in enumerate(range(1, n_max + 1)):
        W[i * seeds : (i + 1) * seeds, :n] = setting.init_students(rng, seeds, n, d, sigma)
    v = np.zeros(d)
    v[0] = 1.0
    A0, vk, _ = dyn.span_coordinates(W, v)
    record = np.array([0, steps])
    t0 = time.perf_counter()
    batched = dyn.run_gd(A0, 1.0, eta, record)[-1]
    t_b = time.perf_counter() - t0
    t0 = time.perf_counter()
    looped = np.empty_like(batched)
    for r in range(A0.shape[0]):
        looped[r] = dyn.run_gd(A0[r : r + 1], 1.0, eta, record)[-1][0]
    t_l = time.perf_counter() - t0
    err = float(np.abs(batched - looped).max())
    assert err <= 1e-12, err
    runs = A0.shape[0]
    print(f"{runs} runs (n = 1..{n_max}, {seeds} seeds each), {steps} GD steps, d = {d}")
    print(
        f"batched: {t_b:.2f} s ({t_b / runs / steps * 1e6:.2f} us per run-step); "
        f"one run at a time: {t_l:.2f} s; max |difference| {err:.1e}"
    )
    print(f"ratio xu2023-students {t_l / t_b:.1f}")


if __name__ == "__main__":
    main()
