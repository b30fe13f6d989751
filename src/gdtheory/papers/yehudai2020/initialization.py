"""Random initialisation: Lemma 5.1's safe zone and the remark after Theorem 6.4.

Lemma 5.1: for w ~ N(0, τ²I_d) and ‖v‖ = 1, ‖w - v‖²/τ² is non-central χ²_d with
non-centrality 1/τ², so P(‖w - v‖² ≤ 1 - 2τ²d) is an exact non-central χ² CDF; a second route
conditions on w₁ = ⟨w, v⟩ (Gauss–Legendre) and uses the central χ²_{d-1} CDF of the rest.

After Theorem 6.4: for w(0) ~ N(0, I/d), (1 + cos θ(w(0), v))/2 ~ Beta((d-1)/2, (d-1)/2) and
d‖w(0)‖² ~ χ²_d, so both failure probabilities of the initialisation are exact.

References
----------
Yehudai & Shamir (2020), Lemma 5.1 and its proof (Appendix C), Theorem 6.4 and the remark
after it; chapter ``ch-yehudai2020``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc, roots_legendre
from scipy.stats import chi2, ncx2, norm

__all__ = [
    "lemma51_exact",
    "lemma51_conditional",
    "lemma51_printed_bound",
    "lemma51_corrected_bound",
    "lemma51_large_d",
    "safe_zone",
    "thm64_init_failure",
]


def lemma51_exact(d: np.ndarray | int, tau: np.ndarray | float) -> np.ndarray:
    """P(‖w - v‖² ≤ 1 - 2τ²d) for w ~ N(0, τ²I_d), ‖v‖ = 1 (non-central χ² CDF).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1; chapter ``ch-yehudai2020``.

    See Also
    --------
    lemma51_conditional : the same probability by conditioning on ⟨w, v⟩.
    """
    d = np.asarray(d, dtype=float)
    tau = np.asarray(tau, dtype=float)
    return ncx2.cdf((1 - 2 * tau**2 * d) / tau**2, d, 1 / tau**2)


def lemma51_conditional(d: int, tau: float, n: int = 1000) -> float:
    """Lemma 5.1's probability as E_{w₁}[F_{χ²_{d-1}}((1 - 2τ²d - (w₁ - 1)²)/τ²)].

    w₁ = ⟨w, v⟩ ~ N(0, τ²); the rest of ‖w‖² is τ² χ²_{d-1}, independent of w₁. The integrand
    vanishes outside |w₁ - 1| < √(1 - 2τ²d); Gauss–Legendre with n nodes on that interval
    (cut 40 standard deviations into the tail).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1's proof (w.l.o.g. v = e₁); chapter ``ch-yehudai2020``.

    See Also
    --------
    lemma51_exact : the non-central χ² route.
    """
    half = np.sqrt(1 - 2 * tau**2 * d)
    lo, hi = (1 - half) / tau, min((1 + half) / tau, (1 - half) / tau + 40.0)
    x, w = roots_legendre(n)
    z = lo + (hi - lo) * (x + 1) / 2
    arg = (1 - 2 * tau**2 * d - (tau * z - 1) ** 2) / tau**2
    f = norm.pdf(z) * chi2.cdf(np.maximum(arg, 0.0), d - 1)
    return float(np.sum(w * f) * (hi - lo) / 2)


def lemma51_printed_bound(d: np.ndarray | int, tau: np.ndarray | float) -> np.ndarray:
    """The printed lower bound ½ - τd/4 - 1.2^{-d} of Lemma 5.1.

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1; chapter ``ch-yehudai2020``.
    """
    d = np.asarray(d, dtype=float)
    return 0.5 - np.asarray(tau) * d / 4 - 1.2**-d


def lemma51_corrected_bound(d: np.ndarray | int, tau: np.ndarray | float) -> np.ndarray:
    """The bound the proof's steps give when repaired: ½ - √(2/π) τd - (2/e)^{d/2}.

    (Upper bound erf(z) ≤ 2z/√π in the first term; the χ² tail (2/e)^{d/2} as derived,
    without the false (2/e)^{d/2} ≤ 1.2^{-d}.)

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1's proof (Eq. (7)); chapter ``ch-yehudai2020``.
    """
    d = np.asarray(d, dtype=float)
    return 0.5 - np.sqrt(2 / np.pi) * np.asarray(tau) * d - (2 / np.e) ** (d / 2)


def lemma51_large_d(u: np.ndarray | float) -> np.ndarray:
    """The d → ∞ limit of Lemma 5.1's probability at fixed u = τd: P(Z ≥ 3u/2).

    ‖w‖² concentrates at τ²d, so the event becomes ⟨w, v⟩ ≥ 3τ²d/2.

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1; chapter ``ch-yehudai2020``.
    """
    return norm.sf(1.5 * np.asarray(u, dtype=float))


def safe_zone(W: np.ndarray, v: np.ndarray, eps: float) -> np.ndarray:
    """The event ‖w - v‖² ≤ 1 - ε (batched over rows).

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1, Theorem 5.3; chapter ``ch-yehudai2020``.
    """
    dw = np.asarray(W) - v
    return np.sum(dw * dw, axis=-1) <= 1 - eps


def thm64_init_failure(d: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """P(θ(w(0), v) > 3π/4) and P(‖w(0)‖ > 2) for w(0) ~ N(0, I/d), exactly.

    References
    ----------
    Yehudai & Shamir (2020), the remark after Theorem 6.4; chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.samplers.Gaussian : Monte-Carlo frequencies in the chapter.
    """
    d = np.asarray(d, dtype=float)
    a = (d - 1) / 2
    x = (1 + np.cos(3 * np.pi / 4)) / 2
    return betainc(a, a, x), chi2.sf(4 * d, d)
