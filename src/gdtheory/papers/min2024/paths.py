"""The path argument of Appendix C.2 of Min et al. (2024): travel times of activation paths.

A neuron of V₊ that ends in S₊ visits activation counts k = (k₊, k₋) (positives and negatives
it activates). By Eqs. (7)–(8) k₊ never decreases and k₋ never increases; each visit with
n_a = k₊ + k₋ active points lasts at most c/n_a, c = 4/(min{ζ, ξ}√μ X_min). Times below are
in units of c.

References
----------
Min, Mallada & Vidal (2024), Appendix C.2 ("Bound on total travel time"), Figures 14–17;
chapter ``ch-min2024``.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

__all__ = [
    "harmonic",
    "is_admissible",
    "is_admissible_as_printed",
    "travel_time",
    "p_max",
    "p_max_time",
    "max_travel_time",
    "enumerate_paths",
    "dominating_edges",
]


def harmonic(m: int) -> float:
    """H_m = Σ_{k=1}^m 1/k (H_0 = 0)."""
    return float(sum(1.0 / k for k in range(1, m + 1)))


def is_admissible(path, n_plus: int, n_minus: int) -> bool:
    """Whether ``path`` (a sequence of (k₊, k₋)) is a path in the corrected sense.

    Conditions: 1. 0 ≤ k₊ ≤ n₊, 0 ≤ k₋ ≤ n₋; 2. k₊ non-decreasing and k₋ non-increasing along
    the path, consecutive points distinct; 3. it ends at (n₊, 0); 4. (0, 0) is never visited.

    References
    ----------
    Min et al. (2024), App. C.2, definition of a path (condition 2 corrected, erratum E17 of
    the chapter); ``ch-min2024``.
    """
    P = [tuple(int(c) for c in k) for k in path]
    if not P or P[-1] != (n_plus, 0):
        return False
    for kp, km in P:
        if not (0 <= kp <= n_plus and 0 <= km <= n_minus) or (kp, km) == (0, 0):
            return False
    for (a, b), (c, d) in itertools.pairwise(P):
        if c < a or d > b or (a, b) == (c, d):
            return False
    return True


def is_admissible_as_printed(path, n_plus: int, n_minus: int) -> bool:
    """Condition 2 exactly as printed: for l₁ < l₂, k₊^{(l₁)} > k₊^{(l₂)} or k₋^{(l₁)} < k₋^{(l₂)}.

    References
    ----------
    Min et al. (2024), App. C.2, definition of a path, condition 2 (as printed); ``ch-min2024``.
    """
    P = [tuple(int(c) for c in k) for k in path]
    if not P or P[-1] != (n_plus, 0):
        return False
    for l1 in range(len(P)):
        for l2 in range(l1 + 1, len(P)):
            if not (P[l1][0] > P[l2][0] or P[l1][1] < P[l2][1]):
                return False
    return all((k != (0, 0)) and 0 <= k[0] <= n_plus and 0 <= k[1] <= n_minus for k in P)


def travel_time(path) -> float:
    """T(P)/c = Σ_{l<L} 1/(k₊^{(l)} + k₋^{(l)}): the dwell bounds summed along the path."""
    return float(sum(1.0 / (kp + km) for kp, km in list(path)[:-1]))


def p_max(n_plus: int, n_minus: int) -> list[tuple[int, int]]:
    """The maximal path (0,n₋), (0,n₋-1), …, (0,1), (1,1), (1,0), (2,0), …, (n₊,0)."""
    P = [(0, k) for k in range(n_minus, 0, -1)] + [(1, 1), (1, 0)]
    P += [(k, 0) for k in range(2, n_plus + 1)]
    return P


def p_max_time(n_plus: int, n_minus: int) -> float:
    """T(P_max)/c = H_{n₋} + 1/2 + H_{n₊-1} (the paper prints the first limit as n - 1)."""
    return harmonic(n_minus) + 0.5 + harmonic(n_plus - 1)


def max_travel_time(n_plus: int, n_minus: int) -> tuple[float, list[tuple[int, int]]]:
    """The largest T(P)/c over all admissible paths, by dynamic programming, and one maximiser.

    T*(k) = max over successors k' ≠ k with k'₊ ≥ k₊, k'₋ ≤ k₋, k' ≠ (0,0) of 1/(k₊+k₋) + T*(k'),
    T*(n₊, 0) = 0; the answer is the max of T* over all starts.

    References
    ----------
    Min et al. (2024), App. C.2: every path satisfies T(P) ≤ T(P_max); ``ch-min2024``.

    See Also
    --------
    enumerate_paths : brute force on small grids (tests), p_max_time : the paper's value.
    """

    @cache
    def best(kp: int, km: int) -> tuple[float, tuple]:
        if (kp, km) == (n_plus, 0):
            return 0.0, ((kp, km),)
        out = (-np.inf, ())
        for a in range(kp, n_plus + 1):
            for b in range(0, km + 1):
                if (a, b) == (kp, km) or (a, b) == (0, 0):
                    continue
                t, p = best(a, b)
                t = t + 1.0 / (kp + km)
                if t > out[0] + 1e-15:
                    out = (t, ((kp, km),) + p)
        return out

    starts = [(a, b) for a in range(n_plus + 1) for b in range(n_minus + 1) if (a, b) != (0, 0)]
    res = max((best(*s) for s in starts), key=lambda r: r[0])
    return float(res[0]), list(res[1])


def enumerate_paths(n_plus: int, n_minus: int):
    """Yield every admissible path (brute force; use only on small grids)."""
    nodes = [(a, b) for a in range(n_plus + 1) for b in range(n_minus + 1) if (a, b) != (0, 0)]

    def extend(p):
        if p[-1] == (n_plus, 0):
            yield list(p)
            return
        kp, km = p[-1]
        for a, b in nodes:
            if a >= kp and b <= km and (a, b) != (kp, km):
                yield from extend(p + [(a, b)])

    for s in nodes:
        yield from extend([s])


def dominating_edges(path, n_plus: int, n_minus: int) -> list[tuple[int, int]]:
    """An injective map from the edges of ``path`` to edges of P_max with no shorter time.

    Edge l of a path costs 1/n_a with n_a = k₊^{(l)} + k₋^{(l)}; the edges of P_max cost
    1/n₋, …, 1/1, 1/2, 1/1, …, 1/(n₊-1). Greedy matching (largest n_a first onto the largest
    available P_max n_a' ≤ n_a) returns, for each edge of ``path``, the index of its partner
    edge in P_max; raises ValueError if no injection exists.

    References
    ----------
    Min et al. (2024), App. C.2 and Figures 16–17 (the correspondence drawn); ``ch-min2024``.
    """
    pm = p_max(n_plus, n_minus)
    pm_na = [kp + km for kp, km in pm[:-1]]
    na = [kp + km for kp, km in list(path)[:-1]]
    free = set(range(len(pm_na)))
    match = [None] * len(na)
    for i in sorted(range(len(na)), key=lambda i: -na[i]):
        cand = [j for j in free if pm_na[j] <= na[i]]
        if not cand:
            raise ValueError("no dominating edge left: the correspondence fails")
        j = max(cand, key=lambda j: (pm_na[j], -j))
        match[i] = (i, j)
        free.remove(j)
    return match
