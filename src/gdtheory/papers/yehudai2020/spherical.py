"""Spherically symmetric inputs with ReLU (§6.1): Lemmas 6.2, 6.3, D.1, D.2 and Theorem 6.4.

For N(0, I_d) the population gradient is Eq. (25); for any spherically symmetric D it is the
same times m₂ = E‖x‖²/d (the integrands of F and ∇F are 2-homogeneous in x). Since ∇F lies in
span{w, v}, gradient flow reduces exactly to r = ‖w‖ and θ = θ(w, v):

    ṙ = m₂ (g(θ) - π r) / (2π),   θ̇ = -m₂ (π - θ) sin θ / (2π r),

with g(θ) = sin θ + (π - θ) cos θ = sin ψ - ψ cos ψ (evaluated by the toolkit's stable
series near ψ = 0). ‖w‖² grows iff r < h(θ) = g(θ)/π: the exact form of Lemma 6.3's
condition, which the printed lemma replaces by a larger threshold on θ ∈ (0.880..., π).

References
----------
Yehudai & Shamir (2020), Lemmas 6.2, 6.3, Theorem 6.4, Appendix D (Eqs. (16)-(27), D.1, D.2);
chapter ``ch-yehudai2020``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from gdtheory.core.angles import g_arccos1, sin_minus_theta_cos
from gdtheory.core.odes import integrate

__all__ = [
    "reduced_rhs",
    "reduced_flow",
    "h_threshold",
    "lemma63_threshold",
    "lemma_d2_threshold",
    "lemma63_crossing",
    "thm64_rate",
    "thm64_printed_norm_floor",
    "thm64_norm_floor",
    "theta_dot",
    "norm2_dot",
]


def reduced_rhs(t: float, y: np.ndarray, m2: float = 1.0) -> np.ndarray:
    """Right-hand side of the exact reduced flow in (r, u = ln tan(θ/2)).

    u̇ = θ̇ / sin θ = -m₂ (π - θ)/(2π r) < 0, so θ is monotone by construction of the
    variable and both ends θ → 0 and θ → π stay accurate (π - θ = 2 arctan e^{-u}).

    References
    ----------
    Yehudai & Shamir (2020), §6.1, Eq. (25) (Appendix D.1); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.symbolic.reduced_flow_rhs : the sympy derivation of (ṙ, θ̇).
    """
    r, u = y
    psi = 2 * np.arctan(np.exp(-u))  # π - θ
    g = sin_minus_theta_cos(psi)  # = sin θ + (π - θ) cos θ
    return np.array([m2 * (g - np.pi * r) / (2 * np.pi), -m2 * psi / (2 * np.pi * r)])


def reduced_flow(r0: float, theta0: float, t_eval: np.ndarray, m2: float = 1.0,
                 rtol: float = 1e-11, atol: float = 1e-13) -> dict[str, np.ndarray]:
    """Integrate the reduced flow from (r₀, θ₀) on ``t_eval``.

    Returns ``r``, ``theta``, ``psi`` = π - θ and ``dist2`` = ‖w - v‖² = (r - 1)² +
    4r sin²(θ/2) (no cancellation near w = v).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 6.4 (gradient flow); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.convergence.gd_run : Cartesian GD with the toolkit gradient.
    """
    t_eval = np.asarray(t_eval, dtype=float)
    u0 = np.log(np.tan(theta0 / 2))
    sol = integrate(lambda t, y: reduced_rhs(t, y, m2), (0.0, float(t_eval[-1])),
                    np.array([r0, u0]), flow="yehudai2020 reduced (r, ln tan(theta/2)) flow",
                    params={"r0": r0, "theta0": theta0, "m2": m2}, t_eval=t_eval,
                    rtol=rtol, atol=atol)
    r, u = sol.y
    theta = 2 * np.arctan(np.exp(u))
    psi = 2 * np.arctan(np.exp(-u))
    s = np.sin(theta / 2)
    return {"r": r, "theta": theta, "psi": psi, "dist2": (r - 1) ** 2 + 4 * r * s * s}


def h_threshold(theta: np.ndarray | float) -> np.ndarray:
    """The exact threshold h(θ) = (sin θ + (π - θ) cos θ)/π: d‖w‖²/dt ≥ 0 iff ‖w‖ ≤ h(θ).

    Valid for every spherically symmetric D (the factor m₂ does not change the sign).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 6.3 (corrected), Lemma D.2's proof; chapter
    ``ch-yehudai2020``.

    See Also
    --------
    norm2_dot : the sign of -wᵀ∇F from the toolkit gradient.
    """
    return g_arccos1(np.asarray(theta, dtype=float)) / np.pi


def lemma63_threshold(theta: np.ndarray | float) -> np.ndarray:
    """The printed threshold max{(sin θ + cos θ)/2, sin θ (1 + cos θ)/2} of Lemma 6.3.

    References
    ----------
    Yehudai & Shamir (2020), Lemma 6.3; chapter ``ch-yehudai2020``.
    """
    th = np.asarray(theta, dtype=float)
    return np.maximum((np.sin(th) + np.cos(th)) / 2, np.sin(th) * (1 + np.cos(th)) / 2)


def lemma_d2_threshold(theta: np.ndarray | float) -> np.ndarray:
    """Lemma D.2's threshold ‖v‖(π - θ)³/π⁴ (with ‖v‖ = 1).

    References
    ----------
    Yehudai & Shamir (2020), Lemma D.2; chapter ``ch-yehudai2020``.
    """
    return (np.pi - np.asarray(theta, dtype=float)) ** 3 / np.pi**4


def lemma63_crossing() -> float:
    """The angle where the printed threshold of Lemma 6.3 crosses the exact one (brentq).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 6.3; chapter ``ch-yehudai2020``.
    """
    return brentq(lambda t: float(lemma63_threshold(t) - h_threshold(t)), 0.5, 1.2, xtol=1e-15)


def thm64_rate(a4b: float, eps: np.ndarray | float) -> np.ndarray:
    """Theorem 6.4's rate λ = α⁴β/(8√2) sin³(ε/8).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 6.4; chapter ``ch-yehudai2020``.
    """
    return a4b / (8 * np.sqrt(2)) * np.sin(np.asarray(eps) / 8) ** 3


def thm64_printed_norm_floor(eps: np.ndarray | float) -> np.ndarray:
    """The lower bound on ‖w(t)‖ printed in Theorem 6.4's proof (Lemma 6.3 at θ = π - ε).

    References
    ----------
    Yehudai & Shamir (2020), proof of Theorem 6.4 (Appendix D); chapter ``ch-yehudai2020``.
    """
    e = np.asarray(eps, dtype=float)
    return np.maximum((np.sin(e) - np.cos(e)) / 2, np.sin(e) * (1 - np.cos(e)) / 2)


def thm64_norm_floor(r0: np.ndarray | float, eps: np.ndarray | float) -> np.ndarray:
    """The corrected floor min{‖w(0)‖, h(π - ε)} = min{r₀, (sin ε - ε cos ε)/π}.

    While θ ≤ π - ε (Lemma 6.2), ‖w‖² grows whenever ‖w‖ ≤ h(θ), and h(θ) ≥ h(π - ε).

    References
    ----------
    Yehudai & Shamir (2020), proof of Theorem 6.4 (corrected); chapter ``ch-yehudai2020``.
    """
    return np.minimum(np.asarray(r0, float), sin_minus_theta_cos(np.asarray(eps, float)) / np.pi)


def theta_dot(grad: np.ndarray, W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """dθ(w, v)/dt along ẇ = -∇F: (v̄ - cos θ w̄)ᵀ∇F / (‖w‖ sin θ) (any dimension, batched).

    References
    ----------
    Yehudai & Shamir (2020), proof of Lemma 6.2 (the chain rule), Lemma D.1, Eq. (24); chapter
    ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.papers.yehudai2020.symbolic.lemma_d_quantities : the Gaussian closed form.
    """
    W = np.asarray(W, dtype=float)
    v = np.asarray(v, dtype=float)
    r = np.linalg.norm(W, axis=-1, keepdims=True)
    wb = W / r
    vb = v / np.linalg.norm(v)
    c = np.sum(wb * vb, axis=-1, keepdims=True)
    tang = vb - c * wb
    s = np.linalg.norm(tang, axis=-1)  # = sin θ
    return np.sum(tang * grad, axis=-1) / (r[..., 0] * s)


def norm2_dot(grad: np.ndarray, W: np.ndarray) -> np.ndarray:
    """d‖w‖²/dt = -2 wᵀ∇F along gradient flow (batched).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 6.3, Eq. (18); chapter ``ch-yehudai2020``.
    """
    return -2 * np.sum(np.asarray(W) * grad, axis=-1)
