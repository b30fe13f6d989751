"""The explicit constants of Theorem 1 of Min et al. (2024) (Lemmas 1, 3; App. C.2; App. D).

All functions are plain formulas of the data geometry (n, μ, X_min, X_max, ζ, ξ) and of the
initialisation (h, ε, W_max, W_min); logarithms are natural. The ε bound (28) underflows in
float64 for every data set of the chapter, so it is returned as log₁₀ ε.

References
----------
Min, Mallada & Vidal (2024), Lemma 1 (B.1), Lemma 3 (10), App. C.2 (26)–(29), t₁, Δt,
App. D.2 (36)/(39), α, App. D.3; chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "horizon_T",
    "lemma3_bounds",
    "lemma1_bound",
    "lemma4_bound",
    "dwell_bound",
    "t1_bound",
    "log10_eps_bound",
    "alpha_rate",
    "t2_plus_bound",
    "frobenius_slack",
]


def horizon_T(eps, h, n, xmax):
    """T = ln(1/(√h ε)) / (4 n X_max), the horizon of Lemmas 1 and 3."""
    return np.log(1.0 / (np.sqrt(h) * eps)) / (4.0 * n * xmax)


def lemma3_bounds(eps, h, xmax, wmax):
    """(max_j ‖w_j‖² bound, max_i |f(x_i)| bound) = (2εW_max²/√h, 2ε√h X_max W_max²) of (10)."""
    return 2.0 * eps * wmax**2 / np.sqrt(h), 2.0 * eps * np.sqrt(h) * xmax * wmax**2


def lemma1_bound(eps, h, n, xmax, wmax):
    """4εn√h X_max² W_max², the error bound of Lemma 1 (formal, App. B.1)."""
    return 4.0 * eps * n * np.sqrt(h) * xmax**2 * wmax**2


def lemma4_bound(n, xmax, fmax):
    """2 n X_max max_i |f(x_i)|, the error bound (11) of Lemma 4 (valid while max|f| ≤ 1)."""
    return 2.0 * n * xmax * np.asarray(fmax)


def dwell_bound(mu, zeta, xi, xmin, n_a):
    """Δt = 4 / (min{ζ, ξ} √μ X_min n_a): the longest stay in one activation pattern (C.2)."""
    return 4.0 / (min(zeta, xi) * np.sqrt(mu) * xmin * np.asarray(n_a, float))


def t1_bound(mu, zeta, xi, xmin, n):
    """t₁ = 16 ln n / (min{ζ, ξ} √μ X_min) (App. C.2), with ζ = min{ζ₁, ζ₂} (corrected)."""
    return 16.0 * np.log(n) / (min(zeta, xi) * np.sqrt(mu) * xmin)


def log10_eps_bound(mu, zeta, xi, xmin, xmax, wmax, h, n, const=4.0):
    """log₁₀ of the two terms of the ε bound (28) and of their minimum.

    ε₁ = min{μ, ζ, ξ}√μ X_min / (const·√h n X_max² W_max²) (printed const = 4; the chapter's
    erratum E15 shows 8 is needed), ε₂ = exp(-64 n X_max log n / (min{ζ, ξ}√μ X_min)) / √h.

    Returns
    -------
    dict with ``log10_eps1``, ``log10_eps2``, ``log10_eps``.
    """
    m = min(mu, zeta, xi)
    e1 = np.log10(m * np.sqrt(mu) * xmin / (const * np.sqrt(h) * n * xmax**2 * wmax**2))
    e2 = (-64.0 * n * xmax * np.log(n) / (min(zeta, xi) * np.sqrt(mu) * xmin)) / np.log(10) \
        - 0.5 * np.log10(h)
    return {"log10_eps1": float(e1), "log10_eps2": float(e2), "log10_eps": float(min(e1, e2))}


def alpha_rate(mu, xmin, xmax):
    """α = (μ X_min)² / (32 X_max): the rate of L(t) ≤ L(t₂)/(L(t₂)α(t - t₂) + 1) (App. D.2)."""
    return (mu * xmin) ** 2 / (32.0 * xmax)


def t2_plus_bound(t1, mu, n_plus, xmin, xmax, n, eps, wmin):
    """The upper bound (39) on t₂⁺ (App. D.2).

    t₁ + 6/(√μ n₊ X_min) + 4/(√μ n₊ X_min)·(ln(2/(ε²√μ X_min W_min²)) + 4 n X_max t₁).
    """
    a = np.sqrt(mu) * n_plus * xmin
    return t1 + 6.0 / a + 4.0 / a * (np.log(2.0 / (eps**2 * np.sqrt(mu) * xmin * wmin**2))
                                     + 4.0 * n * xmax * t1)


def frobenius_slack(eps, h, wmax):
    """4√h ε W_max², the additive slack of ‖W‖_F² ≤ 2‖W‖₂² + 4√h ε W_max² (App. D.3)."""
    return 4.0 * np.sqrt(h) * eps * wmax**2
