"""Benchmark: population gradient by split-half quadrature vs Monte Carlo at equal accuracy.

For logistic regression on x ~ U(S¹) (chapter ``ch-lin2021``), both methods estimate ∇L(w) at
the same weights to the same accuracy ``EPS`` (max-norm error against a 2000-node reference).
Monte Carlo needs n = (σ/EPS)² samples, σ the per-sample standard deviation; quadrature needs
the smallest node count reaching EPS. Both are timed side by side in this run; the script prints
the ratio. Run: ``python benchmarks/population.py``.
"""

from __future__ import annotations

import numpy as np
from _timing import best_time

from gdtheory.models.logistic import circle_quadrature, logistic_grad

EPS = 1e-4
V = np.array([0.0, 1.0])
W = np.array([[0.6, -0.8], [1.5, 3.0], [0.1, 0.2], [-4.0, 1.0]])


def mc_grad(w: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Monte-Carlo estimate of ∇L(w) from n samples, in chunks of 10⁶."""
    total = np.zeros((len(w), 2))
    done = 0
    while done < n:
        m = min(1_000_000, n - done)
        phi = rng.uniform(0, 2 * np.pi, m)
        x = np.stack([np.cos(phi), np.sin(phi)], axis=-1)
        y = np.where(x @ V >= 0, 1.0, -1.0)
        z = y * (w @ x.T)
        s = 0.5 * (1 - np.tanh(z / 2))
        total += -(s * y) @ x
        done += m
    return total / n


def main() -> None:
    ref = logistic_grad(W, circle_quadrature(V, 2000))
    m = next(
        m
        for m in range(2, 400)
        if np.max(np.abs(logistic_grad(W, circle_quadrature(V, m)) - ref)) < EPS
    )
    # per-sample std of the gradient components (worst component), from a pilot sample
    rng = np.random.default_rng(0)
    phi = rng.uniform(0, 2 * np.pi, 200_000)
    x = np.stack([np.cos(phi), np.sin(phi)], axis=-1)
    y = np.where(x @ V >= 0, 1.0, -1.0)
    s = 0.5 * (1 - np.tanh(y * (W @ x.T) / 2))
    per_sample = -(s * y)[..., None] * x[None]
    sigma = per_sample.std(axis=1).max()
    n = int(np.ceil((sigma / EPS) ** 2))
    t_quad = best_time(lambda: logistic_grad(W, circle_quadrature(V, m)))
    t_mc = best_time(lambda: mc_grad(W, n, np.random.default_rng(1)), repeat=2)
    err_mc = np.max(np.abs(mc_grad(W, n, np.random.default_rng(2)) - ref))
    print(f"accuracy target {EPS:g} (max-norm, 4 weight vectors)")
    print(f"{'method':<28}{'size':>12}{'seconds':>12}{'error':>12}")
    print(
        f"{'split-half Gauss-Legendre':<28}{2 * m:>12d}{t_quad:>12.2e}"
        f"{np.max(np.abs(logistic_grad(W, circle_quadrature(V, m)) - ref)):>12.1e}"
    )
    print(f"{'Monte Carlo':<28}{n:>12d}{t_mc:>12.2e}{err_mc:>12.1e}")
    print(f"ratio (Monte Carlo / quadrature): {t_mc / t_quad:,.0f}x")


if __name__ == "__main__":
    main()
