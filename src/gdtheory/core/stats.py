"""Small statistics used by Monte-Carlo checks: Bonferroni thresholds, binomial intervals.

References
----------
Used by every chapter's Monte-Carlo comparisons (``gd.check_z``); e.g. Xu & Du (2023),
Lemma 3 (probabilities by simulation), ``ch-xu2023``; Yehudai & Shamir (2020), Lemma 5.1,
``ch-yehudai2020``.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["bonferroni_z", "z_scores", "binomial_ci"]


def bonferroni_z(level: float, n_tests: int) -> float:
    """Two-sided z threshold with family-wise error ``level`` over ``n_tests`` z-scores.

    ``norm.isf(level/(2 n_tests))``: if every z is standard normal, ``P(max|z| > t) ≤ level``.

    Parameters
    ----------
    level : float in (0, 1)
    n_tests : int >= 1

    Returns
    -------
    float

    References
    ----------
    Bonferroni's inequality; the statistical check ``gd.check_z`` of every chapter.

    See Also
    --------
    scipy.stats.norm.isf
    """
    if not 0 < level < 1 or n_tests < 1:
        raise ValueError("need 0 < level < 1 and n_tests >= 1")
    return float(stats.norm.isf(level / (2.0 * int(n_tests))))


def z_scores(estimate, expected, se) -> np.ndarray:
    """``(estimate - expected)/se`` elementwise, as a float array (se must be positive).

    References
    ----------
    The statistical check ``gd.check_z`` of every chapter.

    See Also
    --------
    bonferroni_z : the threshold for ``max|z|``.
    """
    se = np.asarray(se, dtype=float)
    if np.any(se <= 0):
        raise ValueError("standard errors must be positive")
    return (np.asarray(estimate, dtype=float) - np.asarray(expected, dtype=float)) / se


def binomial_ci(k, n, level: float = 0.05, method: str = "clopper-pearson"):
    """Two-sided confidence interval for a binomial proportion ``k/n`` at coverage 1 - level.

    ``"clopper-pearson"`` (default): the exact interval from Beta quantiles, coverage at
    least 1 - level for every p. ``"wilson"``: the score interval (shorter, coverage only
    approximately 1 - level).

    Parameters
    ----------
    k, n : int or array_like of int
        Successes and trials (broadcast).
    level : float
    method : {"clopper-pearson", "wilson"}

    Returns
    -------
    lo, hi : ndarray

    References
    ----------
    Clopper & Pearson (1934); Wilson (1927). Used for simulated probabilities, e.g. Xu & Du
    (2023), Lemma 3; ``ch-xu2023``.

    See Also
    --------
    scipy.stats.binomtest : ``proportion_ci`` computes the same intervals for one k.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any((k < 0) | (k > n)):
        raise ValueError("need 0 <= k <= n")
    if method == "clopper-pearson":
        lo = np.where(k > 0, stats.beta.ppf(level / 2, k, n - k + 1), 0.0)
        hi = np.where(k < n, stats.beta.isf(level / 2, k + 1, n - k), 1.0)
        return lo, hi
    if method == "wilson":
        z = stats.norm.isf(level / 2)
        p = k / n
        den = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / den
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
        return np.maximum(centre - half, 0.0), np.minimum(centre + half, 1.0)
    raise ValueError(f"method must be 'clopper-pearson' or 'wilson', got {method!r}")
