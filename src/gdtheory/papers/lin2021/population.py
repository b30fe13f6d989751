"""Population quantities specific to Lin, Sun & Zhang (2021): g in polar coordinates, the sign
boundary of g (Figure 2), the axis gradient of Proposition 3, Monte Carlo of Figure 2.

References
----------
Lin, Sun & Zhang (2021), Lemma 3, Proposition 3, Eq. (21), Figure 2; chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import roots_legendre

from ...models.logistic import PlaneQuadrature, g_of, logistic_grad, sigmoid_neg

__all__ = [
    "scaled_quadrature",
    "tangential_gradient",
    "polar_to_plane",
    "g_polar",
    "sign_boundary_theta",
    "strip_halfwidth",
    "axis_gradient",
    "g_mc_sd",
    "prop3_axis_formula",
    "g_monte_carlo",
    "minus_v_grad_adaptive",
]


def scaled_quadrature(q: PlaneQuadrature, scale: tuple[float, float]) -> PlaneQuadrature:
    """The quadrature rule of the law of diag(scale) x for x ~ q, with the same labels.

    Scaling the coordinates by ``scale = (s1, s2)`` maps the label boundary vᵀx = 0 to itself
    when v is a coordinate axis, so the labels and the split-half structure of ``q`` are kept and
    the rule stays spectrally accurate.  ``s1 = s2 = s`` is the spherically symmetric law of sx
    (c₀ → s c₀, Remark 4); ``s1 ≠ s2`` breaks Assumption 1 (e.g. N(0, diag(1, 4)) from the
    Gaussian rule), the negative control of Lemma 2.

    References
    ----------
    Lin et al. (2021), Assumption 1, Lemma 2, Remark 4; chapter ``ch-lin2021``.

    See Also
    --------
    gdtheory.models.logistic.plane_quadrature : the rule being scaled.
    """
    v = np.asarray(q.v, dtype=float)
    if not (np.isclose(abs(v[0]), 1.0) or np.isclose(abs(v[1]), 1.0)):
        raise ValueError("scaled_quadrature needs v along a coordinate axis (labels preserved)")
    x = q.x * np.asarray(scale, dtype=float)
    nx = np.linalg.norm(x, axis=1)
    return PlaneQuadrature(
        x, q.p, q.y, q.v, float(q.p @ nx), float(q.p @ nx**2), f"{q.name} scaled {tuple(scale)}"
    )


def tangential_gradient(w: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """The left-hand side of Lemma 2 (5), -vᵀ(I - w̄w̄ᵀ)∇L(w), for w of shape (..., 2).

    Under Assumption 1 it equals c₀ sin²θ(w, v)/π whatever ‖w‖ (Lemma 2); for a law that is not
    spherically symmetric it depends on ‖w‖.

    References
    ----------
    Lin et al. (2021), Lemma 2, Eq. (5); chapter ``ch-lin2021``.

    See Also
    --------
    gdtheory.models.logistic.logistic_grad : the gradient it projects.
    """
    w = np.asarray(w, dtype=float)
    wb = w / np.linalg.norm(w, axis=-1, keepdims=True)
    G = logistic_grad(w, q)
    v = q.v
    return -(G @ v - np.sum(wb * G, axis=-1) * (wb @ v))


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
    h2 = (z * sigmoid_neg(z)) ** 2 @ q.p
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
        return np.full(a.shape, np.sum(wts * c * sigmoid_neg(c)))
    return -np.array([np.sum(wts * c * sigmoid_neg(ai * c)) for ai in a])


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
        h = z * sigmoid_neg(z)
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
    kinks = np.mod(
        np.array([phi_v + np.pi / 2, phi_v - np.pi / 2, phi_w + np.pi / 2, phi_w - np.pi / 2])
        - phi_v
        + np.pi / 2,
        2 * np.pi,
    )
    width = min(1.0 / max(nw, 1e-12), 0.1)
    pts = np.sort(
        np.clip(
            np.concatenate(
                [kinks, kinks - width, kinks + width, kinks - 10 * width, kinks + 10 * width]
            ),
            0,
            2 * np.pi,
        )
    )

    def f(u):
        phi = u + phi_v - np.pi / 2
        x = np.array([np.cos(phi), np.sin(phi)])
        a = x @ v
        y = 1.0 if a >= 0 else -1.0
        return abs(a) * sigmoid_neg(y * (w @ x)) / (2 * np.pi)

    edges = np.unique(np.concatenate([[0.0], pts, [2 * np.pi]]))
    return float(
        sum(
            quad(f, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
            if hi > lo
        )
    )
