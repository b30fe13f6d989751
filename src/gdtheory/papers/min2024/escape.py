"""The two-point problem of Appendix A.2–A.3 of Min et al. (2024): escape time into S₊.

Data x₁ = [1, 0], x₂ = [sin δ, cos δ], both y = +1, so μ = sin δ and S₊ = (-δ, π/2) (angles).
A V₊ neuron that activates x₁ only (angle φ ∈ (-π/2, -δ]) follows the ε → 0 flow (4),
dφ/dt = -sin φ (its x_a is x₁), until it also activates x₂ at φ = -δ.

References
----------
Min, Mallada & Vidal (2024), Appendix A.2 (Figures 7–8), A.3 (Figure 9); chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["phi_of_t", "escape_time", "worst_escape_time", "xi_two_point", "formal_t1"]


def phi_of_t(phi0, t):
    """Solution of dφ/dt = -sin φ: tan(φ/2) = tan(φ₀/2) e^{-t}.

    References
    ----------
    Min et al. (2024), Eq. (4) for one active point; ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.min2024.cones.walk_2d : the general exact walk (tests compare the two).
    """
    return 2.0 * np.arctan(np.tan(np.asarray(phi0) / 2.0) * np.exp(-np.asarray(t)))


def escape_time(phi0, delta):
    """Time for a V₊ neuron at angle φ₀ ∈ (-π/2, -δ) (x₁ only active) to reach S₊ (φ = -δ).

    t = ln(tan(|φ₀|/2) / tan(δ/2)); at φ₀ ≥ -δ it is 0.

    References
    ----------
    Min et al. (2024), App. A.2; ``ch-min2024``.
    """
    phi0 = np.asarray(phi0, float)
    t = np.log(np.tan(np.abs(phi0) / 2.0) / np.tan(delta / 2.0))
    return np.where(phi0 >= -delta, 0.0, t)


def worst_escape_time(delta):
    """Supremum of the escape time over starts, t* = ln cot(δ/2) (φ₀ → -π/2); ∞ at δ = 0."""
    delta = np.asarray(delta, float)
    with np.errstate(divide="ignore"):
        return np.log(1.0 / np.tan(delta / 2.0))


def xi_two_point(delta):
    """ξ of Lemma 9 for the two-point data: sin² δ (so ξ ≈ μ² for small δ).

    See Also
    --------
    gdtheory.papers.min2024.cones.xi_2d : the general 2-D computation (tests compare).
    """
    return np.sin(np.asarray(delta, float)) ** 2


def formal_t1(delta, n=2, xmin=1.0):
    """The formal t₁ = 16 ln n / (min{ζ, ξ} √μ X_min) with ξ = sin² δ ≤ ζ, μ = sin δ.

    References
    ----------
    Min et al. (2024), App. C.2 (t₁); ``ch-min2024``.
    """
    delta = np.asarray(delta, float)
    return 16.0 * np.log(n) / (xi_two_point(delta) * np.sqrt(np.sin(delta)) * xmin)
