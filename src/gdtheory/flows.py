"""Gradient flow, population gradient descent and online SGD for (deep) linear classifiers.

All simulations are vectorised across runs: GD across step sizes, SGD across seeds
(one batched array, one ``numpy.random.Generator``).

References
----------
Lin, Sun & Zhang (2021), §2 (GF, GD), §3.4 (GD), §4 (deep linear nets), §5 (SGD);
chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from .population import PlaneQuadrature, _sigmoid_neg, logistic_grad

__all__ = ["gradient_flow", "population_gd", "gd_step", "sgd_linear_net", "sgd_logistic",
           "end_to_end"]


def gradient_flow(
    w0: np.ndarray, q: PlaneQuadrature, t_eval: np.ndarray, rtol: float = 1e-11
) -> np.ndarray:
    """Integrate ẇ = -∇L(w) (DOP853) and return w at ``t_eval`` (shape (len, 2)).

    References
    ----------
    Lin et al. (2021), gradient flow of §2; chapter ``ch-lin2021``.
    """
    sol = solve_ivp(
        lambda _t, w: -logistic_grad(w, q),
        (0.0, float(t_eval[-1])),
        np.asarray(w0, float),
        method="DOP853",
        t_eval=t_eval,
        rtol=rtol,
        atol=1e-13,
    )
    if not sol.success:
        raise RuntimeError(sol.message)
    return sol.y.T


def population_gd(w0: np.ndarray, etas: np.ndarray, n_iter: int, q: PlaneQuadrature) -> np.ndarray:
    """Population gradient descent w(n+1) = w(n) - η_n ∇L(w(n)), several schedules at once.

    Parameters
    ----------
    w0 : array (2,)
    etas : array (R,) or (R, n_iter)
        One constant step size per run, or a full schedule η_0, …, η_{n-1} per run.
    n_iter : int

    Returns
    -------
    W : array (R, n_iter + 1, 2)
        The iterates w(0), …, w(n_iter) of every run.

    References
    ----------
    Lin et al. (2021), §2 (gradient descent) and §3.4; chapter ``ch-lin2021``.
    """
    etas = np.asarray(etas, dtype=float)
    if etas.ndim == 1:
        etas = np.repeat(etas[:, None], n_iter, axis=1)
    W = np.empty((etas.shape[0], n_iter + 1, 2))
    W[:, 0] = np.asarray(w0, float)
    for n in range(n_iter):
        W[:, n + 1] = W[:, n] - etas[:, n, None] * logistic_grad(W[:, n], q)
    return W


def gd_step(w: np.ndarray, eta: float, q: PlaneQuadrature) -> np.ndarray:
    """One population gradient-descent step w - η∇L(w).

    References
    ----------
    Lin et al. (2021), §2 (gradient descent), Lemma 5; chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    return w - eta * logistic_grad(w, q)


def end_to_end(Ws: list[np.ndarray]) -> np.ndarray:
    """End-to-end vector w_e = (W_N ⋯ W_1)ᵀ for layers with a leading run axis, shape (S, d).

    References
    ----------
    Lin et al. (2021), §4; chapter ``ch-lin2021``.
    """
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return P[:, 0, :]


def sgd_linear_net(
    Ws: list[np.ndarray],
    v: np.ndarray,
    *,
    lr: float,
    batch: int,
    n_iter: int,
    rng: np.random.Generator,
    log_every: int = 100,
    block: int = 50,
    data: str = "circle",
) -> tuple[np.ndarray, np.ndarray]:
    """Online minibatch SGD for a deep linear net on fresh x ~ U(S¹) (or N(0, I_d)), y = sgn(vᵀx).

    Layers ``Ws = [W_1, …, W_N]`` carry a leading run axis S (seeds), W_j of shape
    (S, h_j, h_{j-1}) with h_0 = 2 and h_N = 1; N = 1 is logistic regression.  All runs
    advance together; each run draws its own minibatches from the one generator.
    The layer gradient is (W_N⋯W_{j+1})ᵀ ∇L̂(w_e)ᵀ (W_{j-1}⋯W_1)ᵀ.

    ``data="gaussian"`` draws x ~ N(0, I_d) with d = len(v) instead (any d).

    Returns
    -------
    n : array (n_log,)
        Logged iteration numbers (0, log_every, 2·log_every, …).
    We : array (S, n_log, d)
        End-to-end vectors at the logged iterations.

    References
    ----------
    Lin et al. (2021), §5 (batch 1000, learning rate 1e-3); chapter ``ch-lin2021``.
    """
    Ws = [np.array(W, dtype=float) for W in Ws]
    v = np.asarray(v, dtype=float)
    S, N = Ws[0].shape[0], len(Ws)
    logged_n, logged = [0], [end_to_end(Ws)]
    n = 0
    while n < n_iter:
        nb = min(block, n_iter - n)
        if data == "circle":
            phi = rng.uniform(0.0, 2 * np.pi, size=(nb, S, 1, batch))
            X = np.concatenate([np.cos(phi), np.sin(phi)], axis=2)  # nb × S × 2 × batch
        elif data == "gaussian":
            X = rng.normal(size=(nb, S, v.size, batch))
        else:
            raise ValueError(f"unknown data {data!r}")
        Y = np.where(np.einsum("d,nsdb->nsb", v, X) >= 0, 1.0, -1.0)  # sgn(0) = +1
        for b in range(nb):
            x, y = X[b], Y[b]
            we = end_to_end(Ws)
            z = y * (we[:, None, :] @ x)[:, 0, :]  # S × batch
            G = -(x @ (_sigmoid_neg(z) * y)[:, :, None])[:, :, 0] / batch  # S × d
            if N == 1:
                Ws[0] = Ws[0] - lr * G[:, None, :]
            else:
                rights = [None] * N  # W_{j-1}⋯W_1, shape S × h_{j-1} × d
                acc = None
                for j in range(N):
                    rights[j] = acc
                    acc = Ws[j] if acc is None else Ws[j] @ acc
                grads = [None] * N
                left = None  # W_N⋯W_{j+1}, shape S × 1 × h_j
                for j in range(N - 1, -1, -1):
                    lg = (
                        G[:, None, :]
                        if rights[j] is None
                        else G[:, None, :] @ np.swapaxes(rights[j], 1, 2)
                    )  # S × 1 × h_{j-1}
                    grads[j] = lg if left is None else np.swapaxes(left, 1, 2) @ lg
                    left = Ws[j] if left is None else left @ Ws[j]
                Ws = [W - lr * dW for W, dW in zip(Ws, grads, strict=True)]
            n += 1
            if n % log_every == 0:
                logged_n.append(n)
                logged.append(end_to_end(Ws))
    return np.asarray(logged_n), np.stack(logged, axis=1)


def sgd_logistic(
    w0: np.ndarray,
    v: np.ndarray,
    *,
    lr: float,
    batch: int,
    n_iter: int,
    rng: np.random.Generator,
    n_runs: int = 1,
    log_every: int = 100,
    data: str = "circle",
) -> tuple[np.ndarray, np.ndarray]:
    """Online minibatch SGD for logistic regression (N = 1), ``n_runs`` seeds in one array.

    Returns the logged iteration numbers and iterates, shape (n_runs, n_log, 2).

    References
    ----------
    Lin et al. (2021), §5: batch size 1000, learning rate 1e-3; chapter ``ch-lin2021``.
    """
    W1 = np.repeat(np.asarray(w0, float)[None, None, :], n_runs, axis=0)
    return sgd_linear_net([W1], v, lr=lr, batch=batch, n_iter=n_iter, rng=rng,
                          log_every=log_every, data=data)
