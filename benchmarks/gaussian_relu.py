"""Benchmark of the Gaussian-input ReLU toolkit (``gdtheory.core.gaussian_relu``).

1. Closed form vs Monte Carlo at the same accuracy, for the gradient (4) of Xu & Du's
   student-teacher loss (n = 5 neurons, d = 10, v = e₁). The accuracy target is a standard
   error of ``EPS = 2e-3`` on every one of the n·d gradient components: the Monte-Carlo sample
   count is ``N = (σ_max/EPS)²`` with σ_max the largest per-sample standard deviation (from a
   pilot sample), so its worst standard error equals the target. The closed form is exact to
   rounding (1e-16), i.e. far more accurate than the target.
2. One GD step ``W ← W - η ∇L(W)`` for S = 256 students of n = 5 neurons in d = 10: one
   batched call on an (S, n, d) array vs a Python loop over the students (both with the
   default compensated angles); and, for information, the batched lean path
   (``compensated=False``).

Both comparisons are timed side by side in this run (best of several repeats). The script
prints a table and ends with ``ratio <name> <value>`` lines. Run:
``python benchmarks/gaussian_relu.py``.
"""

from __future__ import annotations

import numpy as np
from _timing import best_time

from gdtheory.core.gaussian_relu import mc_student_teacher, student_teacher_grad

EPS = 2e-3
N_NEURONS, DIM, STUDENTS, ETA = 5, 10, 256, 0.05
CHUNK = 100_000


def mc_grad(W: np.ndarray, v: np.ndarray, n: int, rng: np.random.Generator):
    """Monte-Carlo mean of the a.e. gradient from ``n`` Gaussian samples, in chunks."""
    total = np.zeros_like(W)
    done = 0
    while done < n:
        m = min(CHUNK, n - done)
        total += m * mc_student_teacher(W, v, rng.standard_normal((m, W.shape[-1])))["grad"]
        done += m
    return total / n


def main() -> None:
    rng = np.random.default_rng(0)
    v = np.eye(DIM)[0]
    W = 0.5 * rng.standard_normal((N_NEURONS, DIM))

    # 1. closed form vs Monte Carlo at standard error EPS
    pilot = mc_student_teacher(W, v, rng.standard_normal((50_000, DIM)))
    sigma = float(pilot["grad_se"].max() * np.sqrt(50_000))
    n_mc = int(np.ceil((sigma / EPS) ** 2))
    exact = student_teacher_grad(W, v)
    t_cf = best_time(lambda: student_teacher_grad(W, v), repeat=200)
    t_mc = best_time(lambda: mc_grad(W, v, n_mc, np.random.default_rng(1)), repeat=2)
    err_mc = float(np.max(np.abs(mc_grad(W, v, n_mc, np.random.default_rng(2)) - exact)))

    # 2. batched GD step vs a loop over students
    Ws = 0.5 * rng.standard_normal((STUDENTS, N_NEURONS, DIM))

    def batched():
        return Ws - ETA * student_teacher_grad(Ws, v)

    def looped():
        out = np.empty_like(Ws)
        for s in range(STUDENTS):
            out[s] = Ws[s] - ETA * student_teacher_grad(Ws[s], v)
        return out

    def lean():
        return Ws - ETA * student_teacher_grad(Ws, v, compensated=False)

    same = float(np.max(np.abs(batched() - looped())))
    t_b = best_time(batched, repeat=20)
    t_l = best_time(looped, repeat=5)
    t_lean = best_time(lean, repeat=20)

    print(
        f"student-teacher gradient (4), n = {N_NEURONS}, d = {DIM}; target standard error "
        f"{EPS:g} per component (per-sample sigma_max = {sigma:.3f})"
    )
    print(f"{'method':<40}{'size':>12}{'seconds':>12}{'max error':>12}")
    print(f"{'closed form (Xu & Du eq. (4))':<40}{1:>12d}{t_cf:>12.2e}{'rounding':>12}")
    print(f"{'Monte Carlo':<40}{n_mc:>12d}{t_mc:>12.2e}{err_mc:>12.1e}")
    print(
        f"GD step, {STUDENTS} students x {N_NEURONS} neurons, d = {DIM} "
        f"(max difference batched - looped: {same:.1e})"
    )
    print(f"{'batched (one call on (S, n, d))':<40}{STUDENTS:>12d}{t_b:>12.2e}")
    print(f"{'Python loop over students':<40}{STUDENTS:>12d}{t_l:>12.2e}")
    print(f"{'batched, compensated=False (lean)':<40}{STUDENTS:>12d}{t_lean:>12.2e}")
    print(f"ratio closed_form_vs_monte_carlo {t_mc / t_cf:.0f}")
    print(f"ratio batched_vs_loop {t_l / t_b:.1f}")
    print(f"ratio compensated_vs_lean {t_b / t_lean:.1f}")


if __name__ == "__main__":
    main()
