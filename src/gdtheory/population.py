"""Population (expected) quantities of logistic regression by quadrature, not Monte Carlo.

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
from scipy.optimize import brentq
from scipy.special import roots_legendre

__all__ = [
    "PlaneQuadrature",
    "plane_quadrature",
    "circle_quadrature",
    "CircleQuadrature",
    "logistic_loss",
    "logistic_grad",
    "logistic_hessian",
    "g_of",
    "g_polar",
    "polar_to_plane",
    "cos_theta",
    "one_minus_cos",
    "sign_boundary_theta",
    "strip_halfwidth",
    "g_monte_carlo",
    "axis_gradient", "minus_v_grad_adaptive", "g_mc_sd", "prop3_axis_formula",
    "logistic_loss_adaptive", "grad_sample_cov",
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
    u = np.stack([np.cos(phis), np.sin(phis)], axis=-1)
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


def _sigmoid_neg(z: np.ndarray) -> np.ndarray:
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
    return -(_sigmoid_neg(z) * q.y * q.p) @ q.x


def logistic_hessian(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Population Hessian ∇²L(w) = E[σ(1-σ) x xᵀ] for w of shape (..., 2), returns (..., 2, 2).

    References
    ----------
    Lin et al. (2021), Proposition 1 and its proof (A.1); chapter ``ch-lin2021``.
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    s = _sigmoid_neg(z)
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
    s = _sigmoid_neg(q.y * (q.x @ w))
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


def polar_to_plane(r: np.ndarray, theta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The point at norm r and angle θ from v (turning counter-clockwise), shape (..., 2)."""
    v = np.asarray(v, dtype=float)
    vp = np.array([-v[1], v[0]])
    r, theta = np.broadcast_arrays(np.asarray(r, float), np.asarray(theta, float))
    return r[..., None] * (np.cos(theta)[..., None] * v + np.sin(theta)[..., None] * vp)


def g_polar(r: np.ndarray, theta: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """g as a function of (‖w‖, θ(w, v)) only, which it is under Assumption 1.

    References
    ----------
    Lin et al. (2021), Lemma 3 and proof of Lemma 8(ii); chapter ``ch-lin2021``.
    """
    return g_of(polar_to_plane(r, theta, q.v), q)


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


def sign_boundary_theta(r: float, q: PlaneQuadrature) -> float:
    """The angle θ*(r) in (0, π/2) with g(r, θ*) = 0 (g > 0 for θ < θ*), by Brent's method.

    Returns 0.0 when g(r, 0) ≤ 0 (no positive region at this radius).

    References
    ----------
    Lin et al. (2021), Lemma 3(ii)–(iii) and Figure 2; chapter ``ch-lin2021``.
    """
    f = lambda th: float(g_polar(r, th, q))  # noqa: E731
    if f(0.0) <= 0:
        return 0.0
    return brentq(f, 0.0, np.pi / 2, xtol=1e-13, rtol=1e-13)


def strip_halfwidth(r: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """Half-width r sin θ*(r) of the region {g > 0} at radius r (Figure 2's red strip)."""
    return np.array([ri * np.sin(sign_boundary_theta(ri, q)) for ri in np.atleast_1d(r)])


def axis_gradient(a: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """vᵀ∇L(a v) by quadrature, for comparison with Proposition 3(ii)."""
    a = np.asarray(a, dtype=float)
    return logistic_grad(a[..., None] * q.v, q) @ q.v


def g_mc_sd(w: np.ndarray, q: PlaneQuadrature, n_samples: int) -> np.ndarray:
    """Exact standard deviation of the ``n_samples``-sample Monte-Carlo mean of g(w).

    The per-sample quantity is h = z/(1+e^z), z = y wᵀx; its variance E h² - g² is computed
    by quadrature, so the error rate of Monte-Carlo signs is known in advance.

    References
    ----------
    Lin et al. (2021), Figure 2 (1000 samples per point); chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    z = q.y * (w @ q.x.T)
    h2 = (z * _sigmoid_neg(z)) ** 2 @ q.p
    return np.sqrt(np.maximum(h2 - g_of(w, q) ** 2, 0.0) / n_samples)


def prop3_axis_formula(a: np.ndarray, m: int = 400, printed: bool = False) -> np.ndarray:
    """vᵀ∇L(a v) from the 1-D formula of Proposition 3(ii), for x ~ U(S¹).

    Corrected: -E_t |t|/(1 + e^{a|t|}); as printed in Proposition 3: +E_t |t|/(1 + e^{|t|}).
    Here t = vᵀx, so |t| = cos φ with φ uniform on [0, π/2] (Gauss–Legendre, ``m`` nodes).
    This is a 1-D computation, independent of the 2-D rule of :func:`logistic_grad`.

    References
    ----------
    Lin et al. (2021), Proposition 3(ii) and its restatement Proposition 5 (erratum E4);
    chapter ``ch-lin2021``.
    """
    a = np.atleast_1d(np.asarray(a, dtype=float))
    tn, tw = roots_legendre(m)
    c = np.cos((np.pi / 4) * (tn + 1))  # |t| on [0, pi/2], density 2/pi
    wts = tw * (np.pi / 4) * (2 / np.pi)
    if printed:
        return np.full(a.shape, np.sum(wts * c * _sigmoid_neg(c)))
    return -np.array([np.sum(wts * c * _sigmoid_neg(ai * c)) for ai in a])


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


def g_monte_carlo(
    w: np.ndarray, v: np.ndarray, n_samples: int, rng: np.random.Generator, chunk: int = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """Monte-Carlo estimate of g(w) for x ~ U(S¹), fresh samples per point, and its standard error.

    Parameters
    ----------
    w : array (n, 2)
    n_samples : int
        Samples per point (the paper's Figure 2 uses 1000).

    Returns
    -------
    mean, standard_error : arrays (n,)

    References
    ----------
    Lin et al. (2021), Figure 2 (Appendix); chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    mean = np.empty(len(w))
    se = np.empty(len(w))
    for i in range(0, len(w), chunk):
        wc = w[i : i + chunk]
        phi = rng.uniform(0.0, 2 * np.pi, size=(len(wc), n_samples))
        c, s = np.cos(phi), np.sin(phi)
        y = np.where(c * v[0] + s * v[1] >= 0, 1.0, -1.0)
        z = y * (c * wc[:, :1] + s * wc[:, 1:])
        h = z * _sigmoid_neg(z)
        mean[i : i + chunk] = h.mean(axis=1)
        se[i : i + chunk] = h.std(axis=1, ddof=1) / np.sqrt(n_samples)
    return mean, se


def minus_v_grad_adaptive(w: np.ndarray, v: np.ndarray) -> float:
    """-vᵀ∇L(w) = E|vᵀx| / (1 + e^{y wᵀx}) for x ~ U(S¹) by adaptive quadrature.

    The integrand has a kink at the label boundary and, for large ‖w‖, a layer of width
    1/‖w‖ around wᵀx = 0; both are passed to ``scipy.integrate.quad`` as break points, which
    keeps the result accurate where a fixed rule is not (Eq. (21) at large β).

    References
    ----------
    Lin et al. (2021), Proposition 3 and Eq. (21); chapter ``ch-lin2021``.
    """
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    phi_v = np.arctan2(v[1], v[0])
    phi_w = np.arctan2(w[1], w[0])
    nw = float(np.linalg.norm(w))
    kinks = np.mod(np.array([phi_v + np.pi / 2, phi_v - np.pi / 2, phi_w + np.pi / 2,
                             phi_w - np.pi / 2]) - phi_v + np.pi / 2, 2 * np.pi)
    width = min(1.0 / max(nw, 1e-12), 0.1)
    pts = np.sort(np.clip(np.concatenate([kinks, kinks - width, kinks + width,
                                          kinks - 10 * width, kinks + 10 * width]),
                          0, 2 * np.pi))

    def f(u):
        phi = u + phi_v - np.pi / 2
        x = np.array([np.cos(phi), np.sin(phi)])
        a = x @ v
        y = 1.0 if a >= 0 else -1.0
        return abs(a) * _sigmoid_neg(y * (w @ x)) / (2 * np.pi)

    edges = np.unique(np.concatenate([[0.0], pts, [2 * np.pi]]))
    return float(sum(quad(f, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
                     for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo))
