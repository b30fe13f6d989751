"""Gradient flow and stochastic gradient descent for logistic regression on the circle.

References
----------
Lin, Sun & Zhang (2021), §3 (GF, GD) and §5 (SGD experiments); chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from .population import CircleQuadrature, logistic_grad

__all__ = ["gradient_flow", "sgd_logistic"]


def gradient_flow(w0: np.ndarray, q: CircleQuadrature, t_eval: np.ndarray) -> np.ndarray:
    """Integrate ẇ = -∇L(w) (DOP853, rtol 1e-11) and return w at ``t_eval`` (shape (len, 2)).

    References
    ----------
    Lin et al. (2021), gradient flow of §3.
    """
    sol = solve_ivp(
        lambda _t, w: -logistic_grad(w, q), (0.0, float(t_eval[-1])), np.asarray(w0, float),
        method="DOP853", t_eval=t_eval, rtol=1e-11, atol=1e-13,
    )
    if not sol.success:
        raise RuntimeError(sol.message)
    return sol.y.T


def sgd_logistic(
    w0: np.ndarray, v: np.ndarray, *, lr: float, batch: int, n_iter: int,
    rng: np.random.Generator, log_every: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Online minibatch SGD on fresh samples x ~ U(S¹), y = sgn(vᵀx) with sgn(0) = +1.

    Returns the logged iteration numbers and iterates w(n) (every ``log_every`` steps).

    References
    ----------
    Lin et al. (2021), §5: batch size 1000, learning rate 1e-3.
    """
    w = np.asarray(w0, dtype=float).copy()
    v = np.asarray(v, dtype=float)
    logged_n, logged_w = [0], [w.copy()]
    for n in range(1, n_iter + 1):
        phi = rng.uniform(0.0, 2 * np.pi, batch)
        x = np.stack([np.cos(phi), np.sin(phi)], axis=-1)
        y = np.where(x @ v >= 0, 1.0, -1.0)
        z = y * (x @ w)
        s = 0.5 * (1.0 - np.tanh(z / 2))
        w -= lr * (-(s * y) @ x / batch)
        if n % log_every == 0:
            logged_n.append(n)
            logged_w.append(w.copy())
    return np.asarray(logged_n), np.asarray(logged_w)
