"""The explicit bounds of Long, Yin & Xin (2021) for b = 0: Lemma 3's radius, Props 3-4, Thm 2.

All are evaluated for a rotation-invariant density in ``d = 2`` with support in
``1 <= |x| <= M``, as in the proof of Proposition 3 (Figure 6): there the region ``D`` is half
of an angular cap of half-width ``beta`` with ``sin beta = 1/(M R)``, so ``p_R = P[D] =
beta/(2 pi)`` when the radial mass of the density is 1 (the proof's ``p_R`` omits this factor
1/2, erratum in ``ch-long2021``).  ``eta`` is the step on the *mean* (population) loss.

References
----------
Long et al. (2021), Lemma 3, Propositions 3 and 4, Theorem 2 and their proofs; ``ch-long2021``.

See Also
--------
gdtheory.papers.long2021.population : the population loss these bounds are about.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lemma3_radius", "p_R", "prop3_bound", "prop4_bound", "thm2_constant"]


def lemma3_radius(eta: float, C_p: float, M: float) -> float:
    """Smallest ``r`` with ``eta < min{r/(C_p M^2), r/M}``: ``r* = eta max{C_p M^2, M}``.

    Lemma 3(b): ``|u_j|`` cannot grow in one step while ``|u_j| > r*``.

    References
    ----------
    Long et al. (2021), Lemma 3; ``ch-long2021``.
    """
    return float(eta * max(C_p * M**2, M))


def p_R(R: np.ndarray, M: float) -> np.ndarray:
    """``P[D] = beta/(2 pi)`` with ``sin beta = 1/(M R)`` (rotation-invariant density, d = 2).

    References
    ----------
    Long et al. (2021), proof of Proposition 3 (Figure 6); ``ch-long2021``.
    """
    R = np.asarray(R, dtype=float)
    return np.arcsin(np.minimum(1.0, 1.0 / (M * R))) / (2 * np.pi)


def prop3_bound(R: np.ndarray, eta: float, C_p: float, M: float) -> np.ndarray:
    """Proposition 3: ``|T_1| <= 2 R C_p/(eta p_R)``, the number of iterations without GC.

    References
    ----------
    Long et al. (2021), Proposition 3; ``ch-long2021``.
    """
    R = np.asarray(R, dtype=float)
    return 2 * R * C_p / (eta * p_R(R, M))


def prop4_bound(R: np.ndarray, eta: float, C_p: float, M: float) -> np.ndarray:
    """Proposition 4: ``sum_{t in T_2} l(W^(t)) <= 2 eta^-1 R^2 M C_p``.

    References
    ----------
    Long et al. (2021), Proposition 4; ``ch-long2021``.
    """
    R = np.asarray(R, dtype=float)
    return 2 * R**2 * M * C_p / eta


def thm2_constant(
    R: np.ndarray, eta: float, C_p: float, M: float, d: int = 2, printed: bool = True
) -> np.ndarray:
    """The constant ``C`` of Theorem 2's bound (5), ``sum_{t>=1} l(W^(t)) < C``.

    ``printed=True``: the proof's ``(2 R C_p/(eta p_R)) R M + 2 eta^-1 R^2 M (d+1) C_p``;
    ``printed=False``: with the slips corrected — the loss of a point is bounded by ``1 + R M``
    (not ``R M``) and the phase-two sum is Proposition 4's (without the factor ``d + 1``).

    References
    ----------
    Long et al. (2021), Theorem 2, eq. (5), and its proof; Proposition 4; ``ch-long2021``.
    """
    R = np.asarray(R, dtype=float)
    t1 = prop3_bound(R, eta, C_p, M)
    if printed:
        return t1 * R * M + prop4_bound(R, eta, C_p, M) * (d + 1)
    return t1 * (1 + R * M) + prop4_bound(R, eta, C_p, M)
