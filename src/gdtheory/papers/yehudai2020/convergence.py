"""Convergence guarantees: Theorem 3.2 (strictly monotone σ), Theorem 5.3 and Lemma C.1.

Gradient descent is run on an arbitrary population gradient (a callable, e.g. the toolkit's
``neuron_grad`` or the shifted-Gaussian quadrature), batched over runs; SGD draws one fresh
sample per run and per step from a toolkit sampler (Eq. (3)). The admissible step sizes and
rates of the theorems are computed from their printed constants.

References
----------
Yehudai & Shamir (2020), Theorem 3.2, Theorem 5.3 (1)-(3), Lemmas C.1-C.3, Appendix C;
chapter ``ch-yehudai2020``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gdtheory.core.quadrature import homogeneous_expectation, kink_angles

from .negative_results import eq3_grad

__all__ = [
    "gd_run",
    "sgd_run",
    "thm32_eta_max",
    "thm53_constants",
    "lemma_c1_exact",
    "sgd_grad_second_moment",
]


def gd_run(grad: Callable[[np.ndarray], np.ndarray], W0: np.ndarray, v: np.ndarray, eta: float,
           T: int, keep_path: bool = False) -> dict[str, np.ndarray]:
    """T steps of GD w ← w - η ∇F(w) from every row of W0 (leading axes are runs).

    Returns ``W`` (the last iterate), ``dist2`` (T + 1, ...) = ‖w_t - v‖², and ``path``
    (T + 1, ..., d) if ``keep_path``.

    References
    ----------
    Yehudai & Shamir (2020), §2 (gradient descent), Theorems 3.2 and 5.3(2); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.spherical.reduced_flow : the exact flow it approximates for
        small η (spherical inputs).
    """
    W = np.array(W0, dtype=float)
    dist2 = np.empty((T + 1,) + W.shape[:-1])
    path = np.empty((T + 1,) + W.shape) if keep_path else None
    for t in range(T + 1):
        dw = W - v
        dist2[t] = np.sum(dw * dw, axis=-1)
        if keep_path:
            path[t] = W
        if t < T:
            W = W - eta * grad(W)
    out = {"W": W, "dist2": dist2}
    if keep_path:
        out["path"] = path
    return out


def sgd_run(rng: np.random.Generator, sampler, W0: np.ndarray, v: np.ndarray, eta: float,
            T: int, record_every: int = 0) -> dict[str, np.ndarray]:
    """T steps of online SGD with the stochastic gradient of Eq. (3) (ReLU), batched over runs.

    Each run draws its own xₜ ~ D at every step from ``sampler.sample(rng, n)``. Returns the
    last iterate ``W``, ``max_dist2`` = max_t ‖w_t - v‖² along each run, and, if
    ``record_every`` > 0, ``dist2`` every that many steps.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (3), Theorem 5.3(3), Lemma C.2 (the safe zone); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    gd_run : the expected step (Lemma C.1 compares one step exactly).
    """
    W = np.array(W0, dtype=float)
    lead = W.shape[:-1]
    n = int(np.prod(lead)) if lead else 1
    dw = W - v
    mx = np.sum(dw * dw, axis=-1)
    rec = []
    for t in range(T):
        X = sampler.sample(rng, n).reshape(W.shape)
        W = W - eta * eq3_grad(W, v, X)
        dw = W - v
        d2 = np.sum(dw * dw, axis=-1)
        mx = np.maximum(mx, d2)
        if record_every and (t + 1) % record_every == 0:
            rec.append(d2)
    out = {"W": W, "max_dist2": mx}
    if record_every:
        out["dist2"] = np.array(rec)
    return out


def thm32_eta_max(lam_min: float, gamma: float, c1: float, c2: float) -> float:
    """Theorem 3.2's step-size condition η < λγ²/(c₁²c₂⁴).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.2; chapter ``ch-yehudai2020``.
    """
    return lam_min * gamma**2 / (c1**2 * c2**4)


def thm53_constants(a4b: float, gamma: float, c1: float, c2: float, eps1: float, eps2: float,
                    p_fail: float) -> dict[str, float]:
    """The printed constants of Theorem 5.3: rates, admissible steps, SGD horizon and probability.

    ``p_fail`` is the theorem's δ (a failure probability; renamed to avoid the clash with the
    angle margin δ of Theorem 4.2).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 5.3 (1)-(3), Lemma C.3; chapter ``ch-yehudai2020``.
    """
    lam = a4b * gamma**2 / 210
    lam_gd = min(1.0, lam)
    c = c1**2 * c2**4
    k = c1 * c2**2
    c3 = 0.5 ** (lam / (20 * k)) - 0.5 ** (lam / (18 * k))
    eta_sgd = lam * eps1**2 * eps2**2 * c3**2 / (60 * c1**3 * c2**6 * np.log(1 / p_fail))
    n_epochs = np.ceil(20 * k * np.log(1 / eps2) / lam)
    return {
        "lambda": lam,
        "lambda_gd": lam_gd,
        "c": c,
        "eta_gd": lam_gd / (2 * c),
        "c3": c3,
        "eta_sgd": eta_sgd,
        "T_sgd": 2 * np.log(1 / eps2) / (lam * eta_sgd),
        "m_epoch": 1 / (9 * eta_sgd * k),
        "n_epochs": n_epochs,
        "success_prob": 1 - n_epochs * p_fail,
    }


def lemma_c1_exact(corr: np.ndarray, grad_sq_mean: np.ndarray, dist2: np.ndarray,
                   eta: float) -> np.ndarray:
    """E[‖w_{t+1} - v‖² | w_t] = ‖w - v‖² - 2η⟨∇F, w - v⟩ + η² E‖g_t‖², exactly.

    ``corr`` = ⟨∇F(w), w - v⟩, ``grad_sq_mean`` = E‖g_t‖² (not ‖∇F‖², which Lemma C.1's
    middle line writes), ``dist2`` = ‖w - v‖².

    References
    ----------
    Yehudai & Shamir (2020), Lemma C.1; chapter ``ch-yehudai2020``.

    See Also
    --------
    sgd_run : one SGD step averaged over many samples (Monte Carlo).
    """
    return dist2 - 2 * eta * corr + eta**2 * grad_sq_mean


def sgd_grad_second_moment(w: np.ndarray, v: np.ndarray, radius: float, d: int) -> np.ndarray:
    """E‖g_t‖² for the ReLU stochastic gradient (3) under x ~ U(radius S^{d-1}), exactly.

    ‖g‖² = (σ(wᵀx) - σ(vᵀx))² 1(wᵀx > 0) ‖x‖² with ‖x‖² = radius², and the remaining factor is
    2-homogeneous, so by the scaling identity its mean is (radius²/d) times the Gaussian one,
    an integral over the plane of w, v (the toolkit's angle-only rule). ``w``, ``v`` are the
    2-D coordinates of the two vectors in that plane (batched over leading axes of ``w``).

    References
    ----------
    Yehudai & Shamir (2020), Lemma C.1 (the term η² E‖g_t‖²); chapter ``ch-yehudai2020``.

    See Also
    --------
    sgd_run : one SGD step averaged over many samples (the chapter's Monte-Carlo check).
    """
    w = np.asarray(w, dtype=float)
    v = np.broadcast_to(np.asarray(v, dtype=float), w.shape)

    def f(E):
        pw = np.einsum("...i,...mi->...m", w, E)
        pv = np.einsum("...i,...mi->...m", v, E)
        return (np.maximum(pw, 0.0) - np.maximum(pv, 0.0)) ** 2 * (pw > 0)

    gauss = homogeneous_expectation(f, 2, kink_angles(np.stack([w, v], -2)))
    return radius**2 * (radius**2 / d) * gauss
