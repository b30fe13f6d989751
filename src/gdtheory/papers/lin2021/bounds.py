"""The convergence bounds of Lin, Sun & Zhang (2021) as exponents, evaluated without underflow.

1 − cos θ is carried as an exponent s (1 − cos θ = 2/(1 + e^{2s})), so bounds far below
machine epsilon stay comparable.

References
----------
Lin, Sun & Zhang (2021), Theorems 1 and 3, Lemma 8, Remark 6; chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = [
    "cos_from_exponent",
    "one_minus_from_exponent",
    "neg_log_one_minus_from_exponent",
    "thm1_exponents",
    "thm3_exponents",
    "lemma8_bounds",
    "gd_sums",
    "loglog_slopes",
    "richardson",
    "lemma5_delta",
]


def cos_from_exponent(s: np.ndarray) -> np.ndarray:
    """1 - 2/(e^s + 1) = tanh(s/2): every bound of Theorems 1 and 3 has this form."""
    return np.tanh(np.asarray(s, float) / 2)


def one_minus_from_exponent(s: np.ndarray) -> np.ndarray:
    """2/(e^s + 1) = 2 expit(-s), the bound on 1 - cos θ, without overflow."""
    return 2 * expit(-np.asarray(s, float))


def neg_log_one_minus_from_exponent(s: np.ndarray) -> np.ndarray:
    """-ln(2/(e^s + 1)) = ln(1 + e^s) - ln 2, the bound on -ln(1 - cos θ), without underflow."""
    return np.logaddexp(0.0, np.asarray(s, float)) - np.log(2.0)


def thm1_exponents(
    t: np.ndarray,
    *,
    c0: float,
    r0: float,
    cos0: float,
    t_anchor: float,
    r_anchor: float,
    cos_anchor: float,
    literal: bool = False,
    a2_printed: bool = True,
) -> tuple:
    """Exponents s of the Theorem 1 bounds cos θ(t) ≥ 1 - 2/(e^s + 1), phases 1 and 2.

    Phase 1: s = A₁t + B₁, A₁ = 2c₀/(π‖w(0)‖), B₁ = -2 ln|tan(θ(0)/2)|.
    Phase 2 from the anchor T' (the paper: T' = T; any T' ≥ 0 is valid, A.7 Remark 2):
    as printed, s = A₂√(t-T') + C₂ + B₂ with A₂ = 4c₀/√(0.6π); as the proof gives,
    s = A₂√(t-T'+C₂) + B₂ with A₂ = 4c₀/(√0.6 π); B₂ = -2 ln|tan(θ(T')/2)| - 4c₀‖w(T')‖/(0.6π),
    C₂ = ‖w(T')‖²/0.6.  ``literal=True, a2_printed=False`` keeps the printed placement of C₂
    but the proof's A₂, isolating the first misprint.

    Returns
    -------
    s1, s2 : arrays like t (s2 is NaN before the anchor)

    References
    ----------
    Lin et al. (2021), Theorem 1 and A.6–A.7; chapter ``ch-lin2021`` (erratum E2).
    """
    t = np.asarray(t, dtype=float)
    # -2 ln|tan(θ/2)| = ln((1+cos)/(1-cos)) = 2 artanh(cos)
    B1 = 2 * np.arctanh(cos0)
    s1 = 2 * c0 / (np.pi * r0) * t + B1
    B2 = 2 * np.arctanh(cos_anchor) - 4 * c0 * r_anchor / (0.6 * np.pi)
    C2 = r_anchor**2 / 0.6
    dt = np.where(t >= t_anchor, t - t_anchor, np.nan)
    if literal:
        A2 = 4 * c0 / np.sqrt(0.6 * np.pi) if a2_printed else 4 * c0 / (np.sqrt(0.6) * np.pi)
        s2 = A2 * np.sqrt(dt) + C2 + B2
    else:
        s2 = 4 * c0 / (np.sqrt(0.6) * np.pi) * np.sqrt(dt + C2) + B2
    return s1, s2


def thm3_exponents(
    t: np.ndarray,
    *,
    N: int,
    c0: float,
    r0: float,
    cos0: float,
    t_anchor: float,
    r_anchor: float,
    cos_anchor: float,
    literal: bool = False,
) -> tuple:
    """Exponents of Theorem 3: lower bounds (phases 1, 2) and the upper bound, N > 2.

    Phase 1 (Eq. (18), all t): s = ln C₁ + α ln(A₁t/B₁ + 1), A₁ = (N-2)c₀,
    B₁ = ‖w_e(0)‖^{2/N-1}, C₁ = (1+cos θ₀)/(1-cos θ₀), α = 2/((N-2)π).
    Phase 2 from T' ≥ T: s = A₂(t-T') + B₂, A₂ = 2c₀‖w_e(T')‖^{1-2/N}/π, B₂ = 2 artanh cos θ(T').
    Upper: s = F[(0.6t+D)^{N/2} - D^{N/2}] + E, D = ‖w_e(0)‖^{2/N}, F = 4c₀/(0.6Nπ),
    E = -2 ln|tan(θ₀/2)| (``literal=True``: the printed -2 ln|tan(θ₀)/2|).

    Returns
    -------
    s1, s2, s_up : arrays like t (s2 NaN before the anchor)

    References
    ----------
    Lin et al. (2021), Theorem 3 and §4.3; chapter ``ch-lin2021`` (erratum E3).
    """
    t = np.asarray(t, dtype=float)
    A1, B1 = (N - 2) * c0, r0 ** (2 / N - 1)
    lnC1 = 2 * np.arctanh(cos0)
    alpha = 2 / ((N - 2) * np.pi)
    s1 = lnC1 + alpha * np.log(A1 * t / B1 + 1)
    A2 = 2 * c0 * r_anchor ** (1 - 2 / N) / np.pi
    s2 = A2 * np.where(t >= t_anchor, t - t_anchor, np.nan) + 2 * np.arctanh(cos_anchor)
    D, F = r0 ** (2 / N), 4 * c0 / (0.6 * N * np.pi)
    theta0 = np.arccos(cos0)
    E = -2 * np.log(abs(np.tan(theta0) / 2)) if literal else 2 * np.arctanh(cos0)
    s_up = F * ((0.6 * t + D) ** (N / 2) - D ** (N / 2)) + E
    return s1, s2, s_up


def lemma8_bounds(t: np.ndarray, *, N: int, c0: float, r0: float) -> tuple:
    """Norm bounds of Lemma 8(i), N > 2.

    (‖w_e(0)‖^{2/N} + 0.6t)^{N/2} ≥ ‖w_e(t)‖ ≥ (‖w_e(0)‖^{2/N-1} + (N-2)c₀t)^{-N/(N-2)}.

    Returns (upper, lower).

    References
    ----------
    Lin et al. (2021), Lemma 8, Eq. (17); chapter ``ch-lin2021``.
    """
    t = np.asarray(t, dtype=float)
    upper = (r0 ** (2 / N) + 0.6 * t) ** (N / 2)
    lower = (r0 ** (2 / N - 1) + (N - 2) * c0 * t) ** (-N / (N - 2))
    return upper, lower


def gd_sums(etas: np.ndarray, A: float, C: float | None = None) -> np.ndarray:
    """S_n^- (C = None) or S_n^+ of Lemmas 4 and 5 for n = 0, 1, …, len(etas).

    S_n^- = Σ_{k<n} η_k / √(A + Σ_{i≤k} η_i²),  S_n^+ = Σ_{k<n} η_k / √(A + Σ_{i≤k}(η_i² + Cη_i)).

    References
    ----------
    Lin et al. (2021), Lemmas 4 and 5, Remarks 6 and 7; chapter ``ch-lin2021``.
    """
    etas = np.asarray(etas, dtype=float)
    inc = etas**2 if C is None else etas**2 + C * etas
    terms = etas / np.sqrt(A + np.cumsum(inc))
    return np.concatenate([[0.0], np.cumsum(terms)])


def loglog_slopes(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Log-log slopes ln(f(n_{i+1})/f(n_i)) / ln(n_{i+1}/n_i) between consecutive points.

    ``values`` is f on a grid n = 0, 1, …; ``points`` the grid indices n_i.

    References
    ----------
    Lin et al. (2021), Remarks 6 and 7 (growth exponents of S_n^±); chapter ``ch-lin2021``.
    """
    f = np.asarray(values, dtype=float)[np.asarray(points)]
    n = np.asarray(points, dtype=float)
    return np.log(f[1:] / f[:-1]) / np.log(n[1:] / n[:-1])


def richardson(slopes: np.ndarray, ratio: float, gamma: float) -> np.ndarray:
    """One Richardson step removing a correction ∝ n^{-γ} from slopes on windows of ratio r.

    If s_i = p + c n_i^{-γ} + … on windows n_{i+1} = r n_i, then
    (s_{i+1} - r^{-γ} s_i)/(1 - r^{-γ}) = p + (higher-order terms); one element fewer.

    References
    ----------
    Chapter ``ch-lin2021`` (Remarks 6 and 7, late-phase rates).
    """
    s = np.asarray(slopes, dtype=float)
    f = float(ratio) ** (-float(gamma))
    return (s[1:] - f * s[:-1]) / (1 - f)


def lemma5_delta(W: np.ndarray, etas: np.ndarray, v: np.ndarray, c0: float) -> np.ndarray:
    """The largest δ for which condition (11) of Lemma 5 holds at every step of each GD run.

    (11): ‖w(n+1)‖ + w̄(n)ᵀw(n+1) ≥ (1+δ)c₀η_n cos θ(n)/π.  Where cos θ(n) ≤ 0 it holds for
    every δ (the left side is ≥ 0), so δ* = min over steps with cos θ(n) > 0 of
    π(‖w(n+1)‖ + w̄(n)ᵀw(n+1))/(c₀η_n cos θ(n)) - 1 (+inf if there is none).

    Parameters
    ----------
    W : array (R, n + 1, 2)
        Iterates of R runs (:func:`gdtheory.models.logistic.population_gd`).
    etas : array (R, n)
        Their step sizes.

    References
    ----------
    Lin et al. (2021), Lemma 5, Eq. (11); chapter ``ch-lin2021``.
    """
    W = np.asarray(W, dtype=float)
    nrm = np.linalg.norm(W, axis=-1)
    wb = W[:, :-1] / nrm[:, :-1, None]
    lhs = nrm[:, 1:] + np.sum(wb * W[:, 1:], axis=-1)
    cos = (W[:, :-1] @ v) / nrm[:, :-1]
    pos = cos > 0
    ratio = np.where(pos, np.pi * lhs / (c0 * np.asarray(etas) * np.where(pos, cos, 1.0)), np.inf)
    return ratio.min(axis=1) - 1
