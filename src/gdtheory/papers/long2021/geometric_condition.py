"""The geometric condition of Long, Yin & Xin (2021) and the geometry used to picture it.

The geometric condition (GC) on ``k`` neurons ``w_j`` in ``R^d``: the origin lies in the
interior of the convex hull of the directions ``w_j/|w_j|`` (Lemma 4, four equivalent forms).
This module tests it in several independent ways, gives Wendel's probability that it holds
for isotropic directions (Remark 3), the Kelvin transform and the polar zero-loss curve
``rho(theta)`` of Fig. 4.

References
----------
Long et al. (2021), Lemma 4, Remark 3, Section 6.1 (Fig. 4); ``ch-long2021``.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

from ...core.angles import polar

__all__ = [
    "unit",
    "polar",
    "max_circular_gap",
    "gc_holds",
    "gc_holds_2d",
    "gc_holds_hemisphere",
    "gc_holds_lp",
    "gc_holds_hull",
    "wendel_probability",
    "kelvin",
    "rho",
]


def unit(V: np.ndarray) -> np.ndarray:
    """Directions ``v/|v|`` along the last axis (the paper's tilde notation)."""
    return V / np.sqrt((V * V).sum(-1, keepdims=True))


def max_circular_gap(W: np.ndarray) -> np.ndarray:
    """Largest angular gap between consecutive directions of planar vectors, shape (...,).

    Parameters
    ----------
    W : ndarray, shape (..., k, 2), nonzero rows.

    References
    ----------
    Long et al. (2021), Lemma 4 (form 2 in d = 2); ``ch-long2021``.
    """
    ang = np.sort(np.arctan2(W[..., 1], W[..., 0]), axis=-1)
    gaps = np.diff(ang, axis=-1)
    wrap = 2 * np.pi - (ang[..., -1] - ang[..., 0])
    return np.maximum(gaps.max(-1, initial=0.0), wrap)


def gc_holds_2d(W: np.ndarray) -> np.ndarray:
    """GC in ``d = 2``: every open half-plane through 0 holds a direction iff the largest gap < pi.

    References
    ----------
    Long et al. (2021), Lemma 4 (forms 1-2); ``ch-long2021``.
    """
    return max_circular_gap(W) < np.pi


def gc_holds_hemisphere(W: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """GC via form 2: no closed hemisphere contains all directions, vectorised over batches.

    For points in general position, if some closed hemisphere ``{<n, x> >= 0}`` contains all
    of them, it can be rotated until its boundary passes through ``d - 1`` of them; so it
    suffices to try the normals ``+-n`` orthogonal to every ``(d-1)``-subset.

    Parameters
    ----------
    W : ndarray, shape (..., k, d), ``d >= 2``.

    References
    ----------
    Long et al. (2021), Lemma 4 (form 2); ``ch-long2021``.
    """
    V = unit(np.asarray(W, dtype=float))
    k, d = V.shape[-2:]
    if k <= d:
        return np.zeros(V.shape[:-2], dtype=bool)
    subsets = np.array(list(combinations(range(k), d - 1)))  # (S, d-1)
    rows = V[..., subsets, :]  # (..., S, d-1, d)
    # normal to d-1 vectors: generalised cross product via cofactors
    normals = np.empty(rows.shape[:-2] + (d,))
    for i in range(d):
        minor = np.delete(rows, i, axis=-1)
        det = np.linalg.det(minor) if d > 2 else minor[..., 0, 0]
        normals[..., i] = (-1) ** i * det
    normals = normals[..., None, :] * np.array([1.0, -1.0])[:, None]  # (..., S, 2, d)
    proj = np.einsum("...sed,...kd->...sek", normals, V)
    contained = (proj >= -tol).all(-1)  # (..., S, 2)
    return ~contained.any((-1, -2))


def gc_holds_lp(W: np.ndarray) -> bool:
    """GC via form 3 as a linear program: ``sum_j l_j w~_j = 0`` with all ``l_j >= 1`` feasible.

    For one set of neurons ``W`` of shape ``(k, d)``.  The origin is an interior point of the
    hull iff it is a combination with strictly positive weights of points spanning ``R^d``.

    References
    ----------
    Long et al. (2021), Lemma 4 (form 3); ``ch-long2021``.
    """
    from scipy.optimize import linprog

    V = unit(np.asarray(W, dtype=float))
    k, d = V.shape
    if np.linalg.matrix_rank(V) < d:
        return False
    res = linprog(np.zeros(k), A_eq=V.T, b_eq=np.zeros(d), bounds=[(1, None)] * k, method="highs")
    return bool(res.status == 0)


def gc_holds_hull(W: np.ndarray, tol: float = 1e-12) -> bool:
    """GC via form 4: the origin is strictly inside every facet of the hull of the directions.

    ``scipy.spatial.ConvexHull`` gives facets ``<v_i, x> + c_i <= 0`` inside; the origin is on
    the inner side of all of them iff every offset ``c_i < 0``.

    References
    ----------
    Long et al. (2021), Lemma 4 (form 4); ``ch-long2021``.
    """
    from scipy.spatial import ConvexHull

    V = unit(np.asarray(W, dtype=float))
    k, d = V.shape
    if k <= d:
        return False
    hull = ConvexHull(V)
    return bool((hull.equations[:, -1] < -tol).all())


def gc_holds(W: np.ndarray) -> np.ndarray:
    """The geometric condition of Lemma 4 for a batch of neuron sets, shape (...,).

    Dispatches to the exact gap test in ``d = 2`` and to the hemisphere test otherwise.

    References
    ----------
    Long et al. (2021), Lemma 4; ``ch-long2021``.
    """
    W = np.asarray(W)
    return gc_holds_2d(W) if W.shape[-1] == 2 else gc_holds_hemisphere(W)


def wendel_probability(k: int, d: int) -> float:
    """Probability that ``k`` isotropic directions in ``R^d`` satisfy GC (Remark 3).

    ``P_gc = 2^(1-k) sum_{j=d}^{k-1} C(k-1, j)`` (Wendel's theorem).

    References
    ----------
    Long et al. (2021), Remark 3; ``ch-long2021``.
    """
    return sum(comb(k - 1, j) for j in range(d, k)) / 2 ** (k - 1)


def kelvin(X: np.ndarray) -> np.ndarray:
    """Kelvin transform ``x -> x/|x|^2`` (inversion in the unit sphere), along the last axis.

    References
    ----------
    Long et al. (2021), Section 6.1 (Fig. 4); ``ch-long2021``.
    """
    return X / (X * X).sum(-1, keepdims=True)


def rho(theta: np.ndarray, W: np.ndarray, U: np.ndarray) -> np.ndarray:
    """The polar zero-loss curve ``rho(theta) = min{1, relu(f(W, (cos theta, sin theta)))}``.

    With ``b = 0`` a label-+1 point ``x`` has zero hinge loss iff ``rho(theta) >= |x*|`` where
    ``x* = x/|x|^2`` is its Kelvin image (for ``|x*| <= 1``).

    Parameters
    ----------
    theta : ndarray, shape (n,)
    W, U : ndarray, shape (..., k, 2)

    Returns
    -------
    ndarray, shape (..., n)

    References
    ----------
    Long et al. (2021), Section 6.1 (Fig. 4); ``ch-long2021``.
    """
    E = polar(theta)
    f = np.maximum(np.einsum("...kd,nd->...kn", W, E), 0).sum(-2) - np.maximum(
        np.einsum("...kd,nd->...kn", U, E), 0
    ).sum(-2)
    return np.minimum(1.0, np.maximum(f, 0.0))
