"""Closed forms of Xu & Du (2023) in sympy: the loss (23), the gradient (4), the Hessian (51),
and the z-dynamics (60) in numpy.

The kernel itself comes from :mod:`gdtheory.core.symbolic_kernels` (polar integration) and
its numerical version from :mod:`gdtheory.core.gaussian_relu`; here only the paper's own
rearrangements are derived.

References
----------
Xu & Du (2023), App. B ((23), (4)), App. E.3 ((51)), App. G.2 ((60)); chapter ``ch-xu2023``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = [
    "g_sym",
    "upsilon_paper",
    "eq23_rearrangement",
    "eq4_kernel_gradient_2d",
    "eq4_printed_vs_kernel_form",
    "eq51_blocks_2d",
    "z_velocity",
]


def g_sym(theta: sp.Expr) -> sp.Expr:
    """g(theta) = sin(theta) - theta cos(theta), the function in (23) and Lemma 20."""
    return sp.sin(theta) - theta * sp.cos(theta)


def _upsilon(nw, nu, th):
    """The order-1 kernel derived by :func:`gdtheory.core.symbolic_kernels.polar_kernel`."""
    from gdtheory.core.symbolic_kernels import RV, RW, THETA

    return _kernel1_expr().subs({RW: nw, RV: nu, THETA: th}, simultaneous=True)


@lru_cache(maxsize=1)
def _kernel1_expr() -> sp.Expr:
    from gdtheory.core.symbolic_kernels import polar_kernel

    return polar_kernel(1)["kernel"]


def upsilon_paper() -> tuple[sp.Expr, sp.Expr]:
    """The polar-integral kernel and App. B's Upsilon = |w||v|(sin t + (pi - t) cos t)/(2 pi).

    References
    ----------
    Xu & Du (2023), App. B (Upsilon); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.symbolic_kernels.polar_kernel : the derivation.
    """
    a, b, t = sp.symbols("a b t", positive=True)
    return _upsilon(a, b, t), a * b * (sp.sin(t) + (sp.pi - t) * sp.cos(t)) / (2 * sp.pi)


def eq23_rearrangement(n: int = 3) -> tuple[sp.Expr, sp.Expr]:
    """Both sides of the rearrangement into (23), for ``n`` neurons, in norms and angles.

    Left: 1/2 sum_ij U(w_i, w_j) - sum_i U(w_i, v) + 1/2 U(v, v) with the kernel
    U = |w||u|(sin t + (pi - t) cos t)/(2 pi). Right: (23),
    1/4 ||sum w_i - v||^2 + 1/(2 pi)[sum_{i<j} g(t_ij)|w_i||w_j| - sum_i g(t_i)|w_i||v|],
    with ||.||^2 expanded through the same norms and angles. Their difference simplifies to 0.

    References
    ----------
    Xu & Du (2023), App. B, (23); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.student_teacher_loss : the numerical loss, tested by Monte Carlo.
    """
    a = sp.symbols(f"a1:{n + 1}", positive=True)  # ||w_i||
    b = sp.Symbol("b", positive=True)  # ||v||
    t = sp.symbols(f"t1:{n + 1}", positive=True)  # theta_i
    tt = {(i, j): sp.Symbol(f"t{i + 1}{j + 1}", positive=True) for i in range(n)
          for j in range(i + 1, n)}

    def tij(i, j):
        return 0 if i == j else tt[(min(i, j), max(i, j))]

    lhs = (sp.Rational(1, 2) * sum(_upsilon(a[i], a[j], tij(i, j)) for i in range(n)
                                   for j in range(n))
           - sum(_upsilon(a[i], b, t[i]) for i in range(n)) + _upsilon(b, b, 0) / 2)
    sq = (sum(a[i] * a[j] * sp.cos(tij(i, j)) for i in range(n) for j in range(n))
          - 2 * sum(a[i] * b * sp.cos(t[i]) for i in range(n)) + b**2)
    rhs = sq / 4 + (sum(g_sym(tt[k]) * a[k[0]] * a[k[1]] for k in tt)
                    - sum(g_sym(t[i]) * a[i] * b for i in range(n))) / (2 * sp.pi)
    return sp.expand(lhs), sp.expand(rhs)


def eq4_kernel_gradient_2d() -> sp.Matrix:
    """Gradient of the kernel U(w, u) in w, minus the paper's (1/2pi)(|u| sin t w_bar + (pi-t) u).

    Plane coordinates w = r(cos p, sin p), u = s(1, 0), so t = p on (0, pi); the Cartesian
    gradient is cos p d/dr - sin p/r d/dp (and the rotated pair). Directions normal to the
    plane move t only to second order, so the plane suffices. Returns the simplified
    difference (a zero vector when (4)'s building block is right).

    References
    ----------
    Xu & Du (2023), App. B, (4); chapter ``ch-xu2023``.

    See Also
    --------
    eq4_printed_vs_kernel_form : assembling (4) from this block.
    """
    r, s, p = sp.symbols("r s p", positive=True)
    U = _upsilon(r, s, p)
    grad = sp.Matrix([sp.cos(p) * sp.diff(U, r) - sp.sin(p) / r * sp.diff(U, p),
                      sp.sin(p) * sp.diff(U, r) + sp.cos(p) / r * sp.diff(U, p)])
    paper = (s * sp.sin(p) * sp.Matrix([sp.cos(p), sp.sin(p)])
             + (sp.pi - p) * s * sp.Matrix([1, 0])) / (2 * sp.pi)
    return sp.simplify(grad - paper)


def eq4_printed_vs_kernel_form() -> sp.Matrix:
    """(4) as printed minus (4) assembled from the kernel gradients, coefficient by coefficient.

    Assembled: grad_i = 1/2 w_i + sum_{j!=i} dU(w_i, w_j)/dw_i - dU(w_i, v)/dw_i. Both are
    linear combinations of w_bar_i, w_i, w_j (j != i, one representative) and v; returns the
    vector of coefficient differences (zero when the printed form is right). The coefficient
    of w_i counts the w_i inside 1/2 sum_j w_j.

    References
    ----------
    Xu & Du (2023), (4); chapter ``ch-xu2023``.

    See Also
    --------
    eq4_kernel_gradient_2d : the kernel gradient used here.
    """
    nj, nv, tij, ti = sp.symbols("nj nv tij ti", positive=True)
    # coefficients on (w_bar_i, w_i, w_j, v) for one other neuron j
    printed = sp.Matrix([(nj * sp.sin(tij) - nv * sp.sin(ti)) / (2 * sp.pi),
                         sp.Rational(1, 2),
                         sp.Rational(1, 2) - tij / (2 * sp.pi),
                         -sp.Rational(1, 2) + ti / (2 * sp.pi)])
    assembled = sp.Matrix([nj * sp.sin(tij) / (2 * sp.pi) - nv * sp.sin(ti) / (2 * sp.pi),
                           sp.Rational(1, 2),
                           (sp.pi - tij) / (2 * sp.pi),
                           -(sp.pi - ti) / (2 * sp.pi)])
    return sp.simplify(printed - assembled)


def eq51_blocks_2d() -> dict[str, sp.Matrix]:
    """Second derivatives of the kernel in the plane minus the blocks of (51), read n_bar w_bar^T.

    ``zeta``: d^2 U(w, u)/dw^2 - zeta(w, u) with zeta = sin t |u|/(2 pi |w|)
    (I - w_bar w_bar^T + n_bar n_bar^T), n = u_bar - cos t w_bar. ``offdiag``:
    d^2 U(w, u)/du dw - (1/2pi)[(pi - t) I + n_bar_{w,u} u_bar^T + n_bar_{u,w} w_bar^T]
    (the block Lambda_ij with w = w_i, u = w_j). Both are zero matrices when (51) is right.

    References
    ----------
    Xu & Du (2023), App. E.3, (51); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.student_teacher_hessian : the numerical Hessian.
    """
    r, s, p = sp.symbols("r s p", positive=True)

    def cart_grad(f, rad, ang):
        return sp.Matrix([sp.cos(ang) * sp.diff(f, rad) - sp.sin(ang) / rad * sp.diff(f, ang),
                          sp.sin(ang) * sp.diff(f, rad) + sp.cos(ang) / rad * sp.diff(f, ang)])

    # zeta: w = r(cos p, sin p), u = s e1, t = p
    U = _upsilon(r, s, p)
    g = cart_grad(U, r, p)
    hess = sp.Matrix.hstack(*[cart_grad(g[k], r, p) for k in range(2)]).T
    wb = sp.Matrix([sp.cos(p), sp.sin(p)])
    ub = sp.Matrix([1, 0])
    nb = (ub - sp.cos(p) * wb) / sp.sin(p)
    zeta = sp.sin(p) * s / (2 * sp.pi * r) * (sp.eye(2) - wb * wb.T + nb * nb.T)
    # off-diagonal: w = r e1 fixed, u = s(cos p, sin p); derivative of grad_w U in u
    ub2 = sp.Matrix([sp.cos(p), sp.sin(p)])
    wb2 = sp.Matrix([1, 0])
    gw = (s * sp.sin(p) * wb2 + (sp.pi - p) * s * ub2) / (2 * sp.pi)
    off = sp.Matrix.hstack(*[cart_grad(gw[k], s, p) for k in range(2)]).T
    n_wu = (wb2 - sp.cos(p) * ub2) / sp.sin(p)
    n_uw = (ub2 - sp.cos(p) * wb2) / sp.sin(p)
    paper_off = ((sp.pi - p) * sp.eye(2) + n_wu * ub2.T + n_uw * wb2.T) / (2 * sp.pi)
    return {"zeta": sp.simplify(hess - zeta), "offdiag": sp.simplify(off - paper_off)}


def z_velocity(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The right-hand side of (60), dz_i/dt, evaluated literally; shape (..., n, d).

    z_i = w_i - <w_i, v_bar> v_bar and
    dz_i/dt = -(1/2pi)(pi + sum_{j!=i} |w_j|/|w_i| sin t_ij - |v|/|w_i| sin t_i) z_i
              - sum_{j!=i} (pi - t_ij)/(2pi) z_j.

    References
    ----------
    Xu & Du (2023), App. G.2, (60); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.student_teacher_grad : (60) is minus its projection on v-perp.
    """
    from gdtheory.core.angles import angle

    v = np.asarray(v, dtype=float)
    vb = v / np.linalg.norm(v, axis=-1, keepdims=True)
    z = W - np.einsum("...id,...d->...i", W, vb)[..., None] * vb[..., None, :]
    nw = np.linalg.norm(W, axis=-1)
    th_ij = angle(W[..., :, None, :], W[..., None, :, :])
    th_i = angle(W, v[..., None, :])
    n = W.shape[-2]
    off = 1.0 - np.eye(n)
    s_ij = (nw[..., None, :] * np.sin(th_ij) * off).sum(-1) / nw
    coef = (np.pi + s_ij - np.linalg.norm(v, axis=-1)[..., None] * np.sin(th_i) / nw)
    mix = ((np.pi - th_ij) * off) @ z
    return -(coef[..., None] * z + mix) / (2 * np.pi)
