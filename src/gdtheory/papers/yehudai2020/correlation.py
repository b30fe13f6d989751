"""Theorem 4.2 and Lemma B.1: the gradient correlation ⟨∇F(w), w - v⟩ and the pie slice.

Lemma B.1 bounds ∫ over the wedge P = {θ(y, e₁) ≤ δ/2, ‖y‖ ≤ α} of (uᵀy)² from below by the
two rectangles P'₁, P'₂ ⊂ P of Figure 2. Theorem 4.2 turns it into
⟨∇F(w), w - v⟩ ≥ α⁴βγ²/(8√2) sin³(δ/4) ‖w - v‖² for ‖w‖ ≤ 2, θ(w, v) ≤ π - δ. Here: the sets
of Figure 2 as computed point sets, the correlation ratio of any population gradient (passed in
as a function, e.g. the toolkit's ``neuron_grad``) and its infimum over the theorem's region,
and the planar integral that the proof in the COLT text writes with ‖x‖ ≤ α in ℝᵈ.

References
----------
Yehudai & Shamir (2020), Theorem 4.2, Lemma B.1, Eq. (5), Eq. (6), Figure 2, Appendix B;
chapter ``ch-yehudai2020``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize
from scipy.special import roots_legendre
from scipy.stats import chi2

__all__ = [
    "pie_slice_mask",
    "rectangles",
    "rectangle_corners",
    "wedge_moments_quadrature",
    "thm42_bound",
    "plane_points",
    "correlation_ratio",
    "infimum_ratio",
    "restricted_moments",
]


def pie_slice_mask(y: np.ndarray, alpha: float, delta: float) -> np.ndarray:
    """Membership of the points y (..., 2) in P = {θ(y, e₁) ≤ δ/2, ‖y‖ ≤ α}.

    References
    ----------
    Yehudai & Shamir (2020), Lemma B.1 (the set P), Figure 2; chapter ``ch-yehudai2020``.

    See Also
    --------
    rectangles : the sets P'₁, P'₂ claimed to lie in P.
    """
    y = np.asarray(y, dtype=float)
    rho = np.hypot(y[..., 0], y[..., 1])
    ang = np.abs(np.arctan2(y[..., 1], y[..., 0]))
    return (rho <= alpha) & (ang <= delta / 2)


def rectangles(alpha: float, delta: float) -> np.ndarray:
    """P'₁ and P'₂ as rows (y₁ min, y₁ max, y₂ min, y₂ max), exactly as printed.

    References
    ----------
    Yehudai & Shamir (2020), Lemma B.1's proof, Figure 2; chapter ``ch-yehudai2020``.

    See Also
    --------
    pie_slice_mask : the containment P'₁ ∪ P'₂ ⊂ P is checked pointwise.
    """
    c, s = np.cos(delta / 4), np.sin(delta / 4)
    return np.array([[alpha * c / 2, alpha * c, alpha * s / 2, alpha * s],
                     [alpha * c / 2, alpha * c, -alpha * s, -alpha * s / 2]])


def rectangle_corners(rects: np.ndarray) -> np.ndarray:
    """The four corners of each rectangle (n, 4, 2).

    References
    ----------
    Yehudai & Shamir (2020), Lemma B.1's proof; chapter ``ch-yehudai2020``.
    """
    rects = np.asarray(rects, dtype=float)
    x0, x1, y0, y1 = (rects[:, i] for i in range(4))
    return np.stack([np.stack([x0, y0], -1), np.stack([x1, y0], -1),
                     np.stack([x1, y1], -1), np.stack([x0, y1], -1)], axis=1)


def wedge_moments_quadrature(alpha: float, delta: float, n: int = 64) -> np.ndarray:
    """The 2×2 moment matrix ∫_P y yᵀ dy by Gauss–Legendre in polar coordinates.

    Its smallest eigenvalue is inf_{‖u‖=1} ∫_P (uᵀy)² (Eq. (5)); polynomial integrands, so
    n = 64 nodes per axis are exact to rounding.

    References
    ----------
    Yehudai & Shamir (2020), Lemma B.1, Eq. (5); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.symbolic.pie_slice_integrals : the sympy closed form.
    """
    x, w = roots_legendre(n)
    rho = alpha * (x + 1) / 2
    wr = w * alpha / 2
    phi = delta / 2 * x
    wp = w * delta / 2
    R, P = np.meshgrid(rho, phi, indexing="ij")
    W = np.outer(wr, wp) * R  # Jacobian ρ
    y = np.stack([R * np.cos(P), R * np.sin(P)], -1)
    return np.einsum("ij,ija,ijb->ab", W, y, y)


def thm42_bound(a4b: float, gamma: float, delta: np.ndarray | float) -> np.ndarray:
    """The printed constant α⁴βγ²/(8√2) sin³(δ/4) of Theorem 4.2.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 4.2; chapter ``ch-yehudai2020``.
    """
    return a4b * gamma**2 / (8 * np.sqrt(2)) * np.sin(np.asarray(delta) / 4) ** 3


def plane_points(r: np.ndarray, theta: np.ndarray, v: np.ndarray, sign: int = 1) -> np.ndarray:
    """Points w = r(cos θ v + sin θ e⊥) in the plane of v = (v₁, v₂) (broadcast over r, θ).

    ``sign`` = ±1 chooses the side of v (the angle θ(w, v) is θ either way).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 4.2 (the region ‖w‖ ≤ 2, θ(w, v) ≤ π - δ); chapter
    ``ch-yehudai2020``.
    """
    v = np.asarray(v, dtype=float)
    perp = sign * np.array([-v[1], v[0]])
    r, theta = np.broadcast_arrays(np.asarray(r, float), np.asarray(theta, float))
    return r[..., None] * (np.cos(theta)[..., None] * v + np.sin(theta)[..., None] * perp)


def correlation_ratio(grad: Callable[[np.ndarray], np.ndarray], W: np.ndarray,
                      v: np.ndarray) -> np.ndarray:
    """⟨∇F(w), w - v⟩ / ‖w - v‖² for the population gradient ``grad`` (batched over W).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 4.2, Eq. (6); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.symbolic.lemma_d_quantities : the Gaussian closed form.
    """
    W = np.asarray(W, dtype=float)
    dw = W - v
    return np.sum(grad(W) * dw, axis=-1) / np.sum(dw * dw, axis=-1)


def infimum_ratio(grad: Callable[[np.ndarray], np.ndarray], v: np.ndarray, delta: float,
                  n_r: int = 60, n_theta: int = 60, r_min: float = 1e-6,
                  refine: bool = True) -> tuple[float, np.ndarray]:
    """inf over ‖w‖ ≤ 2, θ(w, v) ≤ π - δ of the correlation ratio, in the plane of v.

    A grid (r log-spaced from ``r_min`` and linear to 2, θ linear on [0, π - δ], both sides of
    v) followed by a bounded Nelder–Mead refinement from the best grid point. Returns the
    infimum found and the minimiser w.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 4.2; chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.symbolic.thm42_small_r_limit : the exact r → 0 value.
    """
    r = np.unique(np.concatenate([np.geomspace(r_min, 0.1, n_r // 3),
                                  np.linspace(0.1, 2.0, n_r - n_r // 3)]))
    th = np.linspace(0.0, np.pi - delta, n_theta)
    pts = np.concatenate([plane_points(r[:, None], th[None, :], v, s).reshape(-1, 2)
                          for s in (1, -1)])
    q = correlation_ratio(grad, pts, v)
    k = int(np.argmin(q))
    best, wbest = float(q[k]), pts[k]
    if refine:
        v = np.asarray(v, dtype=float)

        def to_w(z):
            rr = np.clip(z[0], r_min, 2.0)
            tt = np.clip(z[1], -(np.pi - delta), np.pi - delta)
            return plane_points(rr, tt, v)

        z0 = np.array([np.hypot(*wbest), np.arctan2(v[0] * wbest[1] - v[1] * wbest[0],
                                                    wbest @ v)])
        res = minimize(lambda z: float(correlation_ratio(grad, to_w(z)[None], v)[0]), z0,
                       method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
        if res.fun < best:
            best, wbest = float(res.fun), to_w(res.x)
    return best, wbest


def restricted_moments(d: int, alpha: float, theta_wv: float, u_angle: float,
                       n: int = 200) -> tuple[float, float]:
    """Appendix B's restricted second moment with ‖x‖ ≤ α in ℝᵈ versus ‖y‖ ≤ α in the plane.

    For x ~ N(0, I_d), w and v unit at angle θ, y the projection of x on span{w, v} and u a
    unit vector of that plane at angle ``u_angle`` from w: returns

    - A = E[1(‖x‖ ≤ α) 1(wᵀx > 0) 1(vᵀx > 0) (uᵀx)²] (the line of the COLT proof before the
      projection), using ‖x‖² = ‖y‖² + χ²_{d-2};
    - B = E[1(‖y‖ ≤ α) 1(wᵀy > 0) 1(vᵀy > 0) (uᵀy)²] (the line after it).

    Polar Gauss–Legendre on the wedge of opening π - θ.

    References
    ----------
    Yehudai & Shamir (2020), proof of Theorem 4.2 (Appendix B); chapter ``ch-yehudai2020``.
    """
    x, w = roots_legendre(n)
    rho = alpha * (x + 1) / 2
    wr = w * alpha / 2
    lo, hi = theta_wv - np.pi / 2, np.pi / 2  # wedge {cos φ > 0, cos(φ - θ) > 0}
    phi = lo + (hi - lo) * (x + 1) / 2
    wp = w * (hi - lo) / 2
    R, P = np.meshgrid(rho, phi, indexing="ij")
    dens = np.exp(-(R**2) / 2) / (2 * np.pi) * R
    f = (R * np.cos(P - u_angle)) ** 2 * dens * np.outer(wr, wp)
    keep = chi2.cdf(alpha**2 - R**2, d - 2) if d > 2 else np.ones_like(R)
    return float(np.sum(f * keep)), float(np.sum(f))
