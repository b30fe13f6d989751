"""Logistic regression under spherically symmetric data: population loss, gradient, Hessian by
quadrature, and its gradient flow and gradient descent.

Under spherical symmetry only the 2-D marginal :math:`\\mathcal D_2` on span{w, v} matters.
Write x = ρ (cos φ, sin φ).  The label y = sgn(vᵀx) is constant on the two half-planes,
so Gauss–Legendre on each angular half separately (times a radial rule for ρ) is
spectrally accurate: the integrand is analytic on each piece.

References
----------
Lin, Sun & Zhang (2021), Eqs. (1), (2), (7), (20); chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad
from scipy.special import roots_legendre

from ..core.angles import polar
from ..core.odes import integrate

__all__ = [
    "PlaneQuadrature",
    "plane_quadrature",
    "circle_quadrature",
    "sigmoid_neg",
    "logistic_loss",
    "logistic_grad",
    "logistic_hessian",
    "grad_sample_cov",
    "g_of",
    "cos_theta",
    "one_minus_cos",
    "logistic_loss_adaptive",
    "gradient_flow",
    "population_gd",
    "gd_step",
]


class PlaneQuadrature:
    """Quadrature rule for E over the 2-D marginal D₂: nodes ``x`` (m×2), weights ``p``
    (summing to 1), labels ``y`` = sgn(vᵀx), and the moments ``c0`` = E‖x‖, ``m2`` = E‖x‖².
    """

    def __init__(
        self,
        x: np.ndarray,
        p: np.ndarray,
        y: np.ndarray,
        v: np.ndarray,
        c0: float,
        m2: float,
        name: str,
    ):
        self.x, self.p, self.y, self.v = x, p, y, v
        self.c0, self.m2, self.name = float(c0), float(m2), name


CircleQuadrature = PlaneQuadrature  # backwards-compatible name of the pilot


def plane_quadrature(
    v: np.ndarray, m: int = 400, radial: str = "circle", m_radial: int = 48, r_max: float = 9.0
) -> PlaneQuadrature:
    """Split-half Gauss–Legendre rule for E over D₂ with labels y = sgn(vᵀx), sgn(0) = +1.

    Parameters
    ----------
    v : array (2,)
        Unit target direction (in the plane).
    m : int
        Angular nodes per half-plane.
    radial : {"circle", "gaussian"}
        Radial law of D₂: ρ = 1 (x ~ U(S¹)), or ρ with density ρ e^{-ρ²/2}
        (the 2-D marginal of N(0, I_d), any d), by Gauss–Legendre on [0, r_max].
    m_radial : int
        Radial nodes (Gaussian only).

    References
    ----------
    Lin et al. (2021), Eq. (20) (reduction to D₂); chapter ``ch-lin2021``, §1.6 of its spec.
    """
    v = np.asarray(v, dtype=float)
    phi_v = np.arctan2(v[1], v[0])
    t, wt = roots_legendre(m)
    half = (np.pi / 2) * t
    phis = np.concatenate([phi_v + half, phi_v + np.pi + half])
    u = polar(phis)
    pa = np.concatenate([wt, wt]) * (np.pi / 2) / (2 * np.pi)
    ya = np.concatenate([np.ones(m), -np.ones(m)])
    if radial == "circle":
        rho, pr = np.ones(1), np.ones(1)
    elif radial == "gaussian":
        s, ws = roots_legendre(m_radial)
        rho = 0.5 * r_max * (s + 1)
        pr = 0.5 * r_max * ws * rho * np.exp(-(rho**2) / 2)
    else:
        raise ValueError(f"unknown radial law {radial!r}")
    x = (rho[:, None, None] * u[None]).reshape(-1, 2)
    p = (pr[:, None] * pa[None]).ravel()
    y = np.broadcast_to(ya, (rho.size, ya.size)).ravel().copy()
    c0 = float(np.sum(pr * rho))
    m2 = float(np.sum(pr * rho**2))
    return PlaneQuadrature(x, p, y, v, c0, m2, radial)


def circle_quadrature(v: np.ndarray, m: int = 400) -> PlaneQuadrature:
    """Split-half Gauss–Legendre rule for E over x ~ U(S¹) with labels y = sgn(vᵀx).

    References
    ----------
    Lin et al. (2021), Eq. (1) and §5 (the experiments' distribution); chapter ``ch-lin2021``.
    """
    return plane_quadrature(v, m, "circle")


def sigmoid_neg(z: np.ndarray) -> np.ndarray:
    """1/(1+e^z) in the overflow-free tanh form."""
    return 0.5 * (1.0 - np.tanh(z / 2))


def logistic_loss(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Population logistic loss L(w) = E ln(1 + exp(-y wᵀx)) for w of shape (..., 2).

    References
    ----------
    Lin et al. (2021), Eq. (1); chapter ``ch-lin2021``.
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    return np.logaddexp(0.0, -z) @ q.p


def logistic_grad(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Population gradient ∇L(w) = -E[y x / (1 + exp(y wᵀx))] for w of shape (..., 2).

    References
    ----------
    Lin et al. (2021), Eq. (2); chapter ``ch-lin2021``.
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    return -(sigmoid_neg(z) * q.y * q.p) @ q.x


def logistic_hessian(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Population Hessian ∇²L(w) = E[σ(1-σ) x xᵀ] for w of shape (..., 2), returns (..., 2, 2).

    References
    ----------
    Lin et al. (2021), Proposition 1 and its proof (A.1); chapter ``ch-lin2021``.
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    s = sigmoid_neg(z)
    return np.einsum("...m,mi,mj->...ij", s * (1 - s) * q.p, q.x, q.x)


def grad_sample_cov(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Covariance of the one-sample gradient -y x/(1 + e^{y wᵀx}) under D₂, for w of shape (2,).

    E[σ(-z)² x xᵀ] - ∇L ∇Lᵀ with z = y wᵀx: divided by the batch size it is the covariance
    of the minibatch gradient of online SGD.

    References
    ----------
    Lin et al. (2021), §5 (SGD experiments); chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    s = sigmoid_neg(q.y * (q.x @ w))
    G = logistic_grad(w, q)
    return np.einsum("m,mi,mj->ij", s**2 * q.p, q.x, q.x) - np.outer(G, G)


def g_of(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """g(w) = -wᵀ∇L(w) = ½ d‖w‖²/dt along logistic gradient flow.

    References
    ----------
    Lin et al. (2021), Eq. (7); chapter ``ch-lin2021``.
    """
    w = np.asarray(w)
    return -np.sum(w * logistic_grad(w, q), axis=-1)


def cos_theta(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """cos θ(w, v) for w of shape (..., d) and unit v."""
    w = np.asarray(w, dtype=float)
    return (w @ v) / np.linalg.norm(w, axis=-1)


def one_minus_cos(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """1 − cos θ(w, v) without cancellation: sin²θ / (1 + cos θ), sinθ from ‖w − (vᵀw)v‖.

    References
    ----------
    Chapter ``ch-lin2021`` (numerics of Theorems 1–3).
    """
    w = np.asarray(w, dtype=float)
    nw = np.linalg.norm(w, axis=-1)
    c = (w @ v) / nw
    perp = w - (w @ v)[..., None] * v
    s2 = (np.linalg.norm(perp, axis=-1) / nw) ** 2
    return np.where(c > 0, s2 / (1 + np.maximum(c, 0)), 1 - c)


def logistic_loss_adaptive(w: np.ndarray, v: np.ndarray) -> float:
    """L(w) = E ln(1 + e^{-y wᵀx}) for x ~ U(S¹) by adaptive quadrature on the two label halves.

    An independent check of :func:`logistic_loss` (different rule, no fixed nodes).

    References
    ----------
    Lin et al. (2021), Eq. (1); chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    phi_v = np.arctan2(v[1], v[0])

    def f(phi, y):
        return np.logaddexp(0.0, -y * (w[0] * np.cos(phi) + w[1] * np.sin(phi)))

    lo = phi_v - np.pi / 2
    pos = quad(f, lo, lo + np.pi, args=(1.0,), epsabs=1e-14, epsrel=1e-13)[0]
    neg = quad(f, lo + np.pi, lo + 2 * np.pi, args=(-1.0,), epsabs=1e-14, epsrel=1e-13)[0]
    return (pos + neg) / (2 * np.pi)


def gradient_flow(
    w0: np.ndarray, q: PlaneQuadrature, t_eval: np.ndarray, rtol: float = 1e-11
) -> np.ndarray:
    """Integrate ẇ = -∇L(w) (DOP853) and return w at ``t_eval`` (shape (len, 2)).

    References
    ----------
    Lin et al. (2021), gradient flow of §2; chapter ``ch-lin2021``.
    """
    sol = integrate(
        lambda _t, w: -logistic_grad(w, q),
        (0.0, float(t_eval[-1])),
        np.asarray(w0, float),
        method="DOP853",
        t_eval=t_eval,
        rtol=rtol,
        atol=1e-13,
        flow="logistic gradient flow",
        params={"w0": list(np.ravel(w0))},
    )
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
