"""The lower-bound machinery of Xu & Du (2023), §5 and App. G: the potential Z(t), the angles
kappa_ij between the z_i, Lemma 17's separation inequality, Remark 18's ODE, Lemmas 30-31.

References
----------
Xu & Du (2023), Definition 13, Lemma 17, Remark 18, Lemmas 29-33, Theorem 14, (60)-(68);
chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = [
    "perp_parts",
    "potential_Z",
    "kappa_matrix",
    "kappa_max",
    "lemma17_sides",
    "lemma31_constant",
    "remark18_solution",
]


def perp_parts(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """z_i = w_i - <w_i, v_bar> v_bar, the part of each student orthogonal to v; (..., n, d).

    References
    ----------
    Xu & Du (2023), §5 (z_i); chapter ``ch-xu2023``.

    See Also
    --------
    potential_Z : the potential built on them.
    """
    v = np.asarray(v, dtype=float)
    vb = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return W - np.einsum("...id,...d->...i", W, vb)[..., None] * vb[..., None, :]


def potential_Z(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Z = sum_{i<j} ||z_i - z_j||; shape (...).

    References
    ----------
    Xu & Du (2023), §5, Theorem 14 (Z(t)); chapter ``ch-xu2023``.

    See Also
    --------
    perp_parts : the z_i.
    """
    z = perp_parts(W, v)
    diff = np.linalg.norm(z[..., :, None, :] - z[..., None, :, :], axis=-1)
    return 0.5 * diff.sum(axis=(-1, -2))


def kappa_matrix(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """kappa_ij = angle(z_i, z_j), shape (..., n, n) (pi/2 by convention if a z_i is 0).

    References
    ----------
    Xu & Du (2023), §5 (kappa_ij); chapter ``ch-xu2023``.

    See Also
    --------
    kappa_max : its maximum.
    """
    from gdtheory.core.angles import angle

    z = perp_parts(W, v)
    return angle(z[..., :, None, :], z[..., None, :, :])


def kappa_max(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """kappa_max = max_{i,j} kappa_ij (all z_i nonzero assumed); shape (...).

    References
    ----------
    Xu & Du (2023), §5, Definition 13, Lemma 30; chapter ``ch-xu2023``.

    See Also
    --------
    kappa_matrix : the angles.
    """
    return kappa_matrix(W, v).max(axis=(-1, -2))


def lemma17_sides(W: np.ndarray, v: np.ndarray, grad: np.ndarray, i, j):
    """Both sides of Lemma 17, (20), for the pair (i, j) under gradient flow dw/dt = -grad.

    LHS = d/dt cos kappa_ij = <dz_bar_i, z_bar_j> + <z_bar_i, dz_bar_j>, with dz_i = -P grad_i
    (P the projection on v-perp) and dz_bar_i = (dz_i - <dz_i, z_bar_i> z_bar_i)/||z_i||.
    RHS = -(pi - theta_ij)/pi (1 - cos^2 kappa_ij). ``i``, ``j`` are integer arrays
    broadcasting with the batch shape of ``W``; returns (lhs, rhs, cos kappa_ij).

    References
    ----------
    Xu & Du (2023), Lemma 17, (20), (61); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.papers.xu2023.closed_forms.z_velocity : the same dz_i from (60).
    """
    from gdtheory.core.angles import angle

    z = perp_parts(W, v)
    dz = -perp_parts(grad, v)
    take = np.take_along_axis
    idx_i = np.asarray(i)[..., None, None]
    idx_j = np.asarray(j)[..., None, None]
    zi, zj = take(z, idx_i, axis=-2)[..., 0, :], take(z, idx_j, axis=-2)[..., 0, :]
    di, dj = take(dz, idx_i, axis=-2)[..., 0, :], take(dz, idx_j, axis=-2)[..., 0, :]
    ni, nj = np.linalg.norm(zi, axis=-1), np.linalg.norm(zj, axis=-1)
    ui, uj = zi / ni[..., None], zj / nj[..., None]
    dui = (di - np.sum(di * ui, -1, keepdims=True) * ui) / ni[..., None]
    duj = (dj - np.sum(dj * uj, -1, keepdims=True) * uj) / nj[..., None]
    cos_k = np.sum(ui * uj, -1)
    lhs = np.sum(dui * uj, -1) + np.sum(ui * duj, -1)
    wi, wj = take(W, idx_i, axis=-2)[..., 0, :], take(W, idx_j, axis=-2)[..., 0, :]
    th_ij = angle(wi, wj)
    rhs = -(np.pi - th_ij) / np.pi * (1 - cos_k**2)
    return lhs, rhs, cos_k


def lemma31_constant(kappa_max0: np.ndarray) -> np.ndarray:
    """c with Z(t) >= c max_i ||z_i(t)|| in the proof of Lemma 31: sin(kappa_max(0)/6).

    The proof's two cases give max_{ij} ||z_i - z_j|| >= ||z_1|| sin(kappa_max(0)/6) (using
    Lemma 30's kappa_max(t) >= kappa_max(0)/3), and Z is at least the largest term.

    References
    ----------
    Xu & Du (2023), Lemma 31, (65); chapter ``ch-xu2023``.

    See Also
    --------
    potential_Z : the left-hand side.
    """
    return np.sin(np.asarray(kappa_max0, dtype=float) / 6)


def remark18_solution() -> dict[str, sp.Expr]:
    """Remark 18's ODE x' = -C (1 - x^2): the printed solution, its residual, its instability.

    ``printed`` = (1 - exp(2Ct + c0))/(1 + exp(2Ct + c0)); ``residual`` = x' + C(1 - x^2)
    for it (0 when it solves the ODE); ``perturbation`` = the leading term of 1 - x(t) when
    x(0) = 1 - delta, delta -> 0 (it grows like delta exp(2Ct)); ``limit`` = x(inf) (-1).

    References
    ----------
    Xu & Du (2023), Remark 18; chapter ``ch-xu2023``.

    See Also
    --------
    lemma17_sides : the inequality the ODE models.
    """
    t, C, c0, delta = sp.symbols("t C c_0 delta", positive=True)
    x = (1 - sp.exp(2 * C * t + c0)) / (1 + sp.exp(2 * C * t + c0))
    residual = sp.simplify(sp.diff(x, t) + C * (1 - x**2))
    # x(0) = 1 - delta  <=>  exp(c0) = delta/(2 - delta)
    x_delta = x.subs(c0, sp.log(delta / (2 - delta)))
    pert = sp.simplify(sp.series(1 - x_delta, delta, 0, 2).removeO())
    return {
        "printed": x,
        "residual": residual,
        "perturbation": pert,
        "limit": sp.limit(x, t, sp.oo),
        "x0": sp.simplify(x_delta.subs(t, 0)),
    }
