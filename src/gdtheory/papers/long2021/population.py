"""Population loss and gradient of network (6) (b = 0) under the continuum density of Section 6.1.

The theory of Long, Yin & Xin (2021) is about the *population* loss of a density; the experiment
of Section 6.1 uses 880 points. Their continuum version — angle uniform, ``a ~ U[10, 20]``,
``r = 20/a`` — has the planar density ``p(x) = 1/(pi |x|^3)`` on ``1 <= |x| <= 2`` (radial law
``2/r^2 dr``, angle ``d theta/(2 pi)``), which satisfies Assumptions 2-3 with ``m = 1``, ``M = 2``.

With ``b = 0`` the network is homogeneous: ``f(r e_theta) = r g(theta)`` with
``g(theta) = sum_j relu(<w_j, e>) - sum_j relu(<u_j, e>)``, so every radial integral is closed
form. A point is in the hinge loss iff ``r < 1/g``; with the radial cut-off
``rho = clip(1/g, 1, 2)`` (``rho = 2`` where ``g <= 1/2``)::

    l(W)          = (1/2pi) int 2 [(1 - 1/rho) - g ln rho] dtheta
    grad_{w_j} l  = -(1/2pi) int 1[<w_j, e> > 0] 2 ln(rho) e_theta dtheta
    grad_{u_j} l  = +(1/2pi) int 1[<u_j, e> > 0] 2 ln(rho) e_theta dtheta
    P[Omega_W n Omega_v] = (1/2pi) int 1[<v, e> > 0] 2 (1 - 1/rho) dtheta

Between consecutive activation boundaries ``g`` is one sinusoid ``|c| cos(theta - phi_c)``, and
``rho`` changes formula where ``g = 1/2`` and ``g = 1`` (closed-form angles); Gauss-Legendre on
the pieces between all these break angles integrates smooth functions, so the angular integrals
are exact to rounding with a few dozen nodes per piece.

References
----------
Long et al. (2021), eqs. (4), (6), (8), Lemma 3, Props 1, 3, 4, Thm 2, Section 6.1;
``ch-long2021``.

See Also
--------
gdtheory.papers.long2021.hinge_net : the same network on finite sets; a refined ray grid
    (``rays.long2021_rays(refine=...)``) converges to these integrals (tested).
"""

from __future__ import annotations

import numpy as np

from .geometric_condition import gc_holds

__all__ = ["M_MIN", "M_MAX", "population_terms", "population_gd"]

M_MIN, M_MAX = 1.0, 2.0
"""Radii of the support annulus of the continuum density (Assumption 2: m = 1, M = 2)."""

_TWO_PI = 2 * np.pi


def _pieces(W: np.ndarray, U: np.ndarray, n_nodes: int):
    """Gauss-Legendre nodes and weights on the smooth pieces of the angular integrand.

    Returns the interval midpoints' activation masks (..., P, k) for ``W`` and ``U``, and for
    every node of every piece its angle, weight and ``g`` value, shapes (..., P, 5 * n_nodes).
    """
    k = W.shape[-2]
    V = np.concatenate([W, U], axis=-2)  # (..., 2k, 2)
    phi = np.arctan2(V[..., 1], V[..., 0])
    bnd = np.mod(np.concatenate([phi + np.pi / 2, phi - np.pi / 2], axis=-1), _TWO_PI)
    zeros = np.zeros(bnd.shape[:-1] + (1,))
    brk = np.sort(np.concatenate([zeros, bnd, zeros + _TWO_PI], axis=-1), axis=-1)
    lo, hi = brk[..., :-1], brk[..., 1:]  # (..., P) intervals with a fixed activation set
    mid = 0.5 * (lo + hi)
    em = np.stack([np.cos(mid), np.sin(mid)], axis=-1)  # (..., P, 2)
    act = np.einsum("...pd,...jd->...pj", em, V) > 0  # (..., P, 2k)
    sign = np.concatenate([np.ones(k), -np.ones(k)])
    c = np.einsum("...pj,j,...jd->...pd", act.astype(float), sign, V)  # g = <c, e> on the piece
    cn = np.sqrt((c * c).sum(-1))
    cphi = np.arctan2(c[..., 1], c[..., 0])
    # angles where g = 1/2 or g = 1 (rho switches formula), mapped into [lo, lo + 2 pi)
    cand = []
    for level in (0.5, 1.0):
        ok = cn > level
        half = np.arccos(np.where(ok, level / np.where(ok, cn, 1.0), 1.0))
        for s in (1.0, -1.0):
            th = lo + np.mod(cphi + s * half - lo, _TWO_PI)
            cand.append(np.where(ok & (th < hi), th, hi))
    sub = np.sort(np.stack([lo, *cand, hi], axis=-1), axis=-1)  # (..., P, 6)
    a, b = sub[..., :-1], sub[..., 1:]  # (..., P, 5)
    x, wq = np.polynomial.legendre.leggauss(n_nodes)
    th = 0.5 * (a + b)[..., None] + 0.5 * (b - a)[..., None] * x  # (..., P, 5, n)
    wt = 0.5 * (b - a)[..., None] * wq
    th = th.reshape(th.shape[:-2] + (-1,))
    wt = wt.reshape(wt.shape[:-2] + (-1,))
    g = c[..., 0, None] * np.cos(th) + c[..., 1, None] * np.sin(th)
    return act[..., :k], act[..., k:], th, wt, g


def population_terms(W: np.ndarray, U: np.ndarray, n_nodes: int = 24) -> dict[str, np.ndarray]:
    """Population hinge loss, gradient and activation probabilities of network (6) (b = 0).

    Parameters
    ----------
    W, U : ndarray, shape (..., k, 2)
        The ``+1`` and ``-1`` neurons; any leading batch axes.
    n_nodes : int
        Gauss-Legendre nodes per smooth piece of the angular integrand.

    Returns
    -------
    dict with
        ``loss`` (...,): ``l(W) = E max(1 - f, 0)`` under ``p(x) = 1/(pi |x|^3)``, 1 <= |x| <= 2;
        ``grad_w``, ``grad_u`` (..., k, 2): the gradient (8) of ``l``;
        ``p_loss`` (...,): ``P[Omega_W]``, the probability of the points in the loss;
        ``p_w``, ``p_u`` (..., k): ``P[Omega_W n Omega_{w_j}]``, ``P[Omega_W n Omega_{u_j}]``;
        ``f_min`` (...,): ``min_theta g(theta)`` over the quadrature nodes (``f`` on the unit
        circle; zero loss iff ``f_min >= 1``).

    References
    ----------
    Long et al. (2021), eqs. (4), (8), the appendix notation ``Omega_W^j``; ``ch-long2021``.

    See Also
    --------
    gdtheory.papers.long2021.hinge_net.hinge_loss : on refined ray grids (mean loss) it converges
        to ``loss`` (tested).
    """
    W = np.asarray(W, dtype=float)
    U = np.asarray(U, dtype=float)
    act_w, act_u, th, wt, g = _pieces(W, U, n_nodes)
    inv = np.where(g > 0.5, 1.0 / np.where(g > 0.5, g, 1.0), 2.0)  # rho = clip(1/g, 1, 2)
    rho = np.maximum(inv, 1.0)
    lnr = np.log(rho)
    in_loss = 2.0 * (1.0 - 1.0 / rho)  # radial mass of the points in the loss, per unit angle
    loss = (wt * (in_loss - 2.0 * g * lnr)).sum((-1, -2)) / _TWO_PI
    jr = wt * 2.0 * lnr  # (..., P, N)
    J = np.stack([(jr * np.cos(th)).sum(-1), (jr * np.sin(th)).sum(-1)], axis=-1) / _TWO_PI
    Q = (wt * in_loss).sum(-1) / _TWO_PI  # (..., P)
    return {
        "loss": loss,
        "grad_w": -np.einsum("...pj,...pd->...jd", act_w.astype(float), J),
        "grad_u": np.einsum("...pj,...pd->...jd", act_u.astype(float), J),
        "p_loss": Q.sum(-1),
        "p_w": np.einsum("...pj,...p->...j", act_w.astype(float), Q),
        "p_u": np.einsum("...pj,...p->...j", act_u.astype(float), Q),
        "f_min": g.min((-1, -2)),
    }


def population_gd(
    W0: np.ndarray, U0: np.ndarray, eta: float, max_iter: int = 5000, n_nodes: int = 24
) -> dict[str, np.ndarray]:
    """Gradient descent (3) on the population loss of network (6) (b = 0), batched over runs.

    Each run stops at its first iterate with population loss exactly 0 (``f >= 1`` on the whole
    annulus), where the gradient vanishes.

    Parameters
    ----------
    W0, U0 : ndarray, shape (n_runs, k, 2)
    eta : float
        Step on the population (mean) loss; the paper's ``1/(10 |X|)`` on the summed loss of
        the finite set is ``eta = 0.1`` here.
    max_iter : int
        Cap on the number of updates.

    Returns
    -------
    dict with ``loss`` and ``norm`` (n_runs, max_iter + 1), the population loss and the paper's
    ``|W|`` over all 2k neurons (NaN after the stop); ``gc`` (n_runs, max_iter + 1), the
    geometric condition of the ``w_j`` (Lemma 4); ``iters`` (``max_iter`` if not converged);
    ``converged``; ``min_w_increment``, the smallest ``|w_j^(t+1)| - |w_j^(t)|``;
    ``u_norm_at_increase``, the largest ``|u_j^(t)|`` at a step where ``|u_j|`` grew (0 if never).

    References
    ----------
    Long et al. (2021), eq. (3) on the population loss (4) of network (6), Lemma 3, Props 3-4,
    Thm 2; ``ch-long2021``.

    See Also
    --------
    gdtheory.papers.long2021.hinge_net.run_gd : the same descent on a finite set.
    """
    W = np.array(W0, dtype=float)
    U = np.array(U0, dtype=float)
    n = W.shape[0]
    loss = np.full((n, max_iter + 1), np.nan)
    norm = np.full((n, max_iter + 1), np.nan)
    gc = np.zeros((n, max_iter + 1), bool)
    iters = np.full(n, max_iter, dtype=np.int64)
    conv = np.zeros(n, bool)
    min_w_inc = np.full(n, np.inf)
    u_at = np.zeros(n)
    idx = np.arange(n)
    for t in range(max_iter + 1):
        p = population_terms(W, U, n_nodes)
        wn = np.sqrt((W * W).sum(-1))
        un = np.sqrt((U * U).sum(-1))
        loss[idx, t] = p["loss"]
        norm[idx, t] = wn.sum(-1) + un.sum(-1)
        gc[idx, t] = gc_holds(W)
        done = p["loss"] == 0.0
        if done.any():
            iters[idx[done]] = t
            conv[idx[done]] = True
        keep = ~done
        if t == max_iter or not keep.any():
            break
        idx, W, U, wn, un = idx[keep], W[keep], U[keep], wn[keep], un[keep]
        gw, gu = p["grad_w"][keep], p["grad_u"][keep]
        W = W - eta * gw
        U = U - eta * gu
        dw = np.sqrt((W * W).sum(-1)) - wn
        du = np.sqrt((U * U).sum(-1)) - un
        min_w_inc[idx] = np.minimum(min_w_inc[idx], dw.min(-1))
        u_at[idx] = np.maximum(u_at[idx], np.where(du > 0, un, 0.0).max(-1))
    return {
        "loss": loss,
        "norm": norm,
        "gc": gc,
        "iters": iters,
        "converged": conv,
        "min_w_increment": min_w_inc,
        "u_norm_at_increase": u_at,
    }
