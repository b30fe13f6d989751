"""The negative results of §3: Theorem 3.1's construction and §3.2's periodic activations.

Theorem 3.1 (Appendix A): for an initialisation w₀ drawn from a product law, put
pᵢ = P(w₀ᵢ > 0), bᵢ = 1 if pᵢ < ½ else -1, D = uniform on {bᵢ eᵢ}, v = b/√d, ReLU with
σ'(z) = 1(z > 0). A coordinate with bᵢ w₀ᵢ ≤ 0 ("dead") has zero gradient for ever, and each
dead coordinate costs 1/(2d²) of excess loss. Everything here is exact and batched over runs
(leading axes).

§3.2: for σ = sin and x ~ N(0, I_d) the v-dependent part of ∇F has a closed form by Stein's
identity E[sin(cᵀx) x] = c e^{-‖c‖²/2}; its variance over v uniform on a sphere is a 1-D
integral over c = cos θ(v, w), done here by Gauss–Jacobi quadrature (exact for the Beta law of
c up to the smoothness of the integrand).

References
----------
Yehudai & Shamir (2020), Theorem 3.1 and Appendix A (Eqs. (3), (4)), §3.2; chapter
``ch-yehudai2020``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import roots_jacobi
from scipy.stats import binom

from gdtheory.core.gaussian_relu import mc_neuron

__all__ = [
    "thm31_construction",
    "thm31_loss",
    "thm31_grad",
    "thm31_gd",
    "thm31_sgd",
    "thm31_gf",
    "eq3_grad",
    "dead_mask",
    "thm31_failure_probability",
    "poisson_binomial_cdf",
    "periodic_target_grad",
    "periodic_grad_mc",
    "periodic_variance",
]


def thm31_construction(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Appendix A's distribution for the initialisation law with P(w₀ᵢ > 0) = pᵢ.

    Parameters
    ----------
    p : array (d,)
        pᵢ = P(w₀ᵢ > 0) of each coordinate of the product initialisation.

    Returns
    -------
    b : array (d,)
        bᵢ = 1 if pᵢ < ½, else -1.
    X : array (d, d)
        The support points xᵢ = bᵢ eᵢ (rows); D is uniform on them.
    v : array (d,)
        The target vᵢ = bᵢ/√d (unit norm).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.1, Appendix A; chapter ``ch-yehudai2020``.

    See Also
    --------
    thm31_loss : F on this distribution; its minimum 0 is at v.
    """
    p = np.asarray(p, dtype=float)
    b = np.where(p < 0.5, 1.0, -1.0)
    return b, np.diag(b), b / np.sqrt(p.size)


def thm31_loss(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """F(w) on Appendix A's distribution: the toolkit's sample mean over the d support points.

    D is uniform on the rows of diag(b), so F is exactly the average of ½(σ(wᵀxᵢ) - σ(vᵀxᵢ))²
    over the support, which is what ``mc_neuron`` computes for the sample ``X = diag(b)``.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (1) and Eq. (4); chapter ``ch-yehudai2020``.

    See Also
    --------
    thm31_grad : its gradient (checked against finite differences in the tests).
    """
    b = np.asarray(b, dtype=float)
    W = np.asarray(W, dtype=float)
    v = np.broadcast_to(b / np.sqrt(b.size), W.shape)  # mc_neuron wants v shaped like W
    return mc_neuron(W, v, np.diag(b))["loss"]


def thm31_grad(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """∇F(w) of Eq. (2) on Appendix A's distribution, σ'(z) = 1(z > 0), batched over W.

    The generic a.e. gradient of the toolkit (``mc_neuron``) averaged over the d equiprobable
    support points, i.e. (1/d) Σᵢ (σ(wᵀxᵢ) - σ(vᵀxᵢ)) 1(wᵀxᵢ > 0) xᵢ: nothing here singles
    out the dead coordinates, whose freezing the chapter then observes.

    References
    ----------
    Yehudai & Shamir (2020), Appendix A (the display after the construction), Eq. (2); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    thm31_loss : finite differences of the loss.
    """
    b = np.asarray(b, dtype=float)
    W = np.asarray(W, dtype=float)
    v = np.broadcast_to(b / np.sqrt(b.size), W.shape)  # mc_neuron wants v shaped like W
    return mc_neuron(W, v, np.diag(b))["grad"]


def dead_mask(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The coordinates with bᵢwᵢ ≤ 0, whose gradient vanishes (σ'(z) = 1(z > 0)).

    References
    ----------
    Yehudai & Shamir (2020), Appendix A (the event Zᵢ = 0); chapter ``ch-yehudai2020``.
    """
    return np.asarray(W) * b <= 0


def thm31_gd(W0: np.ndarray, b: np.ndarray, eta: float, T: int) -> tuple[np.ndarray, np.ndarray]:
    """Run T steps of exact GD on Appendix A's loss from every row of W0 (batched).

    Returns
    -------
    W : array (..., d)
        The iterate after T steps.
    F : array (T + 1, ...)
        The loss along the way.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.1 (gradient descent); chapter ``ch-yehudai2020``.

    See Also
    --------
    thm31_gf : the exact gradient flow, an independent route to the limit.
    """
    W = np.array(W0, dtype=float)
    F = np.empty((T + 1,) + W.shape[:-1])
    F[0] = thm31_loss(W, b)
    for t in range(T):
        W = W - eta * thm31_grad(W, b)
        F[t + 1] = thm31_loss(W, b)
    return W, F


def thm31_sgd(
    rng: np.random.Generator, W0: np.ndarray, b: np.ndarray, eta: float, T: int
) -> np.ndarray:
    """T steps of SGD (Eq. (3), one fresh xₜ ~ D per step and per run) on Appendix A's law.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (3), Theorem 3.1 (stochastic gradient descent); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    thm31_gd : its expectation over xₜ is the GD step (divided by d, not by 1).
    """
    W = np.array(W0, dtype=float)
    d = b.size
    v = b / np.sqrt(d)
    X = np.diag(b)
    for _ in range(T):
        x = X[rng.integers(0, d, size=W.shape[:-1])]  # one support point per run
        W = W - eta * eq3_grad(W, v, x)
    return W


def eq3_grad(W: np.ndarray, v: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The stochastic gradient of Eq. (3), (σ(wᵀx) - σ(vᵀx)) 1(wᵀx > 0) x, one x per row of W.

    ``W`` and ``X`` have the same shape (..., d) (a fresh sample per run); ReLU with
    σ'(0) = 0.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (3); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.gaussian_relu.mc_neuron : the same per-sample gradient averaged over a
        shared sample (the tests compare the two).
    """
    pw = np.sum(W * X, axis=-1, keepdims=True)
    pv = np.sum(v * X, axis=-1, keepdims=True)
    return (np.maximum(pw, 0.0) - np.maximum(pv, 0.0)) * (pw > 0) * X


def thm31_gf(W0: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Exact gradient flow on Appendix A's loss: dead coordinates fixed, live ones relax.

    On a live coordinate u = bᵢwᵢ > 0 the flow is u̇ = -(u - 1/√d)/d, so
    u(t) = 1/√d + (u₀ - 1/√d) e^{-t/d}, which never reaches 0; a dead coordinate has zero
    velocity. ``t`` may be an array (returned on a new leading axis).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.1 (gradient flow); chapter ``ch-yehudai2020``.

    See Also
    --------
    thm31_gd : GD with a small step approaches this flow.
    """
    W0 = np.asarray(W0, dtype=float)
    d = b.size
    t = np.asarray(t, dtype=float)
    tt = t.reshape(t.shape + (1,) * W0.ndim)
    u0 = W0 * b
    live = u0 > 0
    u = np.where(live, 1 / np.sqrt(d) + (u0 - 1 / np.sqrt(d)) * np.exp(-tt / d), u0)
    return u * b


def poisson_binomial_cdf(q: np.ndarray, k: int) -> float:
    """P(Σᵢ Bᵢ ≤ k) for independent Bernoulli(qᵢ), by exact convolution of the pmfs.

    References
    ----------
    Yehudai & Shamir (2020), Appendix A (Z = Σ Zᵢ with independent Zᵢ); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    scipy.stats.binom : the identical-q case.
    """
    pmf = np.array([1.0])
    for qi in np.asarray(q, dtype=float):
        pmf = np.convolve(pmf, [1.0 - qi, qi])
    return float(pmf[: k + 1].sum()) if k >= 0 else 0.0


def thm31_failure_probability(d: np.ndarray | int, q: np.ndarray | None = None) -> np.ndarray:
    """Exact probability that fewer than d/4 coordinates are dead (Theorem 3.1's bad event).

    With q = P(bᵢw₀ᵢ > 0) per coordinate (default ½, a symmetric continuous initialisation,
    the worst case allowed by the construction), the number of dead coordinates is
    Poisson-binomial; the theorem's conclusion F_∞ ≥ 1/(8d) fails iff it is < d/4, i.e.
    ≤ ⌈d/4⌉ - 1.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.1 and Appendix A (Hoeffding step); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    thm31_gd : the frequency of the event over sampled initialisations.
    """
    d = np.asarray(d)
    k = np.ceil(d / 4).astype(int) - 1
    if q is None:
        return binom.cdf(k, d, 0.5)
    q = np.asarray(q, dtype=float)
    return np.asarray(poisson_binomial_cdf(1.0 - q, int(k)))


def periodic_target_grad(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The v-dependent part -E[σ(vᵀx) σ'(wᵀx) x] of ∇F for σ = sin and x ~ N(0, I_d).

    sin(a)cos(b) = ½(sin(a+b) + sin(a-b)) and Stein's E[sin(cᵀx) x] = c e^{-‖c‖²/2} give
    -½[(v+w) e^{-‖v+w‖²/2} + (v-w) e^{-‖v-w‖²/2}]. Batched over leading axes.

    References
    ----------
    Yehudai & Shamir (2020), §3.2 (Var_v ∇F(w) for periodic σ); chapter ``ch-yehudai2020``.

    See Also
    --------
    periodic_grad_mc : a Monte-Carlo estimate over x of the same expectation.
    """
    w, v = np.asarray(w, dtype=float), np.asarray(v, dtype=float)
    p, m = v + w, v - w
    ap = np.exp(-0.5 * np.sum(p * p, axis=-1, keepdims=True))
    am = np.exp(-0.5 * np.sum(m * m, axis=-1, keepdims=True))
    return -0.5 * (p * ap + m * am)


def periodic_grad_mc(x: np.ndarray, w: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample mean and standard error of -sin(vᵀx) cos(wᵀx) x over the rows of ``x``.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (2) with σ = sin (§3.2); chapter ``ch-yehudai2020``.

    See Also
    --------
    periodic_target_grad : the closed form.
    """
    s = -(np.sin(x @ v) * np.cos(x @ w))[:, None] * x
    return s.mean(axis=0), s.std(axis=0, ddof=1) / np.sqrt(x.shape[0])


def periodic_variance(d: int, rho: float, r: float = 1.0, n_nodes: int = 200) -> float:
    """Var_v ∇F(w) = E_v‖g(v) - E_v g‖² for σ = sin, x ~ N(0, I_d), v ~ U(ρ S^{d-1}), ‖w‖ = r.

    With c = cos θ(v, w) (density ∝ (1-c²)^{(d-3)/2}) and a± = e^{-(ρ² + r² ± 2ρrc)/2},
    g = -½[v(a₊ + a₋) + w(a₊ - a₋)]; its mean is 0 (the integrand is odd in c), so the
    variance is E‖g‖² = ¼E[ρ²(a₊+a₋)² + r²(a₊-a₋)² + 2ρrc(a₊+a₋)(a₊-a₋)], a 1-D
    Gauss–Jacobi integral.

    References
    ----------
    Yehudai & Shamir (2020), §3.2 (citing Shamir 2018, Theorem 3); chapter ``ch-yehudai2020``.

    See Also
    --------
    periodic_target_grad : Monte Carlo over v of ‖g(v)‖² (the chapter's cross-check).
    """
    a = (d - 3) / 2
    c, wts = roots_jacobi(n_nodes, a, a)
    wts = wts / wts.sum()
    ap = np.exp(-(rho**2 + r**2 + 2 * rho * r * c) / 2)
    am = np.exp(-(rho**2 + r**2 - 2 * rho * r * c) / 2)
    s, df = ap + am, ap - am
    val = 0.25 * (rho**2 * s**2 + r**2 * df**2 + 2 * rho * r * c * s * df)
    return float(np.sum(wts * val))
