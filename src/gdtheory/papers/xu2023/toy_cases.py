"""The toy cases of Xu & Du (2023), App. A, and the counterexample of Remark 26.

Toy Case 1: n = 2, w_{1,2} = lambda_1 v +- lambda_2 v_perp (||v_perp|| = ||v||); GD keeps the
symmetry and reduces to a recursion in (lambda_1, lambda_2), (21)-(22). Toy Case 2: all
students parallel to v. Toy Case 3: all students equal. Remark 26: w_i(0) = -c v.

References
----------
Xu & Du (2023), App. A ((21), (22), Figure 2), App. F.3 (Remark 26); chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .closed_forms import g_sym

__all__ = [
    "toy1_gradient_coefficients",
    "toy1_state",
    "toy1_lambdas",
    "toy1_recursion",
    "toy1_asymptotics",
    "toy2_state",
    "toy2_limit",
    "toy3_state",
    "remark26_gradient",
]

_L1, _L2 = sp.symbols("lambda_1 lambda_2", positive=True)
_TH = sp.Symbol("theta", positive=True)


def toy1_gradient_coefficients() -> dict[str, sp.Expr]:
    """The v and v_perp coefficients of grad_1 in Toy Case 1: from (4), as printed, corrected.

    Variables (lambda_1, theta) with ||v|| = 1, v = e1, v_perp = e2, lambda_2 =
    lambda_1 tan(theta), ||w_1|| = ||w_2|| = lambda_1/cos(theta), theta_1 = theta_2 = theta
    and theta_12 = 2 theta. ``v_derived``/``perp_derived`` are the coefficients of (4)
    evaluated on this state; ``v_printed``/``perp_printed`` are the last line of the
    paper's display before (21); ``v_corrected`` is
    (lambda_1 - 1/2)(1 - theta/pi + sin(2 theta)/(2 pi)).

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 1 (display before (21)); chapter ``ch-xu2023``.

    See Also
    --------
    toy1_recursion : the recursion built on either coefficient.
    """
    l1, th = _L1, _TH
    l2 = l1 * sp.tan(th)
    rho = l1 / sp.cos(th)
    v = sp.Matrix([1, 0])
    w1, w2 = sp.Matrix([l1, l2]), sp.Matrix([l1, -l2])
    wb1 = w1 / rho
    # (4) for i = 1: ||v|| = 1, theta_1 = theta, theta_12 = 2 theta, ||w_2|| = rho
    g1 = (w1 + w2 - v) / 2 + ((rho * sp.sin(2 * th) - sp.sin(th)) * wb1 - 2 * th * w2
                              + th * v) / (2 * sp.pi)
    half = sp.Rational(1, 2)
    return {
        "v_derived": sp.simplify(g1[0]),
        "perp_derived": sp.simplify(g1[1]),
        "v_printed": (l1 - half) * (1 - th / sp.pi + sp.sin(2 * th) / l1),
        "perp_printed": (2 * th + (l1 - half) / l1 * sp.sin(2 * th)) * l2 / (2 * sp.pi),
        "v_corrected": (l1 - half) * (1 - th / sp.pi + sp.sin(2 * th) / (2 * sp.pi)),
    }


def toy1_state(lam1, lam2, d: int = 2, v_norm: float = 1.0):
    """Toy Case 1 students and teacher: W (..., 2, d), v = ||v|| e1, v_perp = ||v|| e2.

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 1 and Figure 2; chapter ``ch-xu2023``.

    See Also
    --------
    toy1_lambdas : the inverse map.
    """
    lam1, lam2 = np.broadcast_arrays(np.asarray(lam1, float), np.asarray(lam2, float))
    W = np.zeros(lam1.shape + (2, d))
    W[..., :, 0] = v_norm * lam1[..., None]
    W[..., 0, 1] = v_norm * lam2
    W[..., 1, 1] = -v_norm * lam2
    v = np.zeros(d)
    v[0] = v_norm
    return W, v


def toy1_lambdas(W: np.ndarray, v_norm: float = 1.0):
    """(lambda_1, lambda_2) of a Toy Case 1 state (first neuron), and the symmetry defect.

    The defect is ||w_2 - R w_1||, R the reflection in v = e1 (zero while symmetry holds).

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 1; chapter ``ch-xu2023``.

    See Also
    --------
    toy1_state : the forward map.
    """
    w1, w2 = W[..., 0, :], W[..., 1, :]
    refl = w1.copy()
    refl[..., 1:] *= -1
    return w1[..., 0] / v_norm, w1[..., 1] / v_norm, np.linalg.norm(w2 - refl, axis=-1)


def toy1_recursion(lam1: float, lam2: float, eta: float, n_steps: int, *, printed: bool):
    """Iterate (21)-(22) (``printed=True``) or the corrected (21) with (22); returns (2, T+1).

    Corrected (21): lambda_1' - 1/2 = (lambda_1 - 1/2)(1 - eta(1 - theta/pi + sin 2theta/(2pi))).
    Printed (21) has sin(2 theta)/lambda_1 in place of sin(2 theta)/(2 pi). (22):
    lambda_2' = lambda_2 (1 - eta/(2pi) (2 theta + (lambda_1 - 1/2)/lambda_1 sin 2theta)),
    with theta = atan(lambda_2/lambda_1).

    References
    ----------
    Xu & Du (2023), App. A, (21)-(22); chapter ``ch-xu2023``.

    See Also
    --------
    toy1_gradient_coefficients : the symbolic coefficients these recursions use.
    """
    out = np.empty((2, n_steps + 1))
    out[:, 0] = lam1, lam2
    for t in range(n_steps):
        th = np.arctan2(lam2, lam1)
        s2 = np.sin(2 * th)
        a = s2 / lam1 if printed else s2 / (2 * np.pi)
        new1 = 0.5 + (lam1 - 0.5) * (1 - eta * (1 - th / np.pi + a))
        lam2 = lam2 * (1 - eta / (2 * np.pi) * (2 * th + (lam1 - 0.5) / lam1 * s2))
        lam1 = new1
        out[:, t + 1] = lam1, lam2
    return out


def toy1_asymptotics() -> dict[str, sp.Expr]:
    """Exact late-time constants of Toy Case 1 (||v|| = 1), derived from (22) and (23).

    On lambda_1 = 1/2 (the fixed point of (21)), tan theta = 2 lambda_2 and r = 0, so (23)
    gives L = 4 lambda_2^3/(3 pi) + O(lambda_2^5) (``loss_series``); (22) becomes, in gradient
    flow time, d lambda_2/dt = -lambda_2 atan(2 lambda_2)/pi ~ -(2/pi) lambda_2^2, hence
    lambda_2 t -> pi/2 (``lam2_t``), theta t -> pi (``theta_t``), L t^3 -> pi^2/6
    (``loss_t3``) and ||grad L||/L^(2/3) -> (162/pi^2)^(1/6) (``grad_ratio``).

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 1 (the orders lambda_2 ~ t^-1, L ~ t^-3); chapter
    ``ch-xu2023`` (the constants are beyond the paper).

    See Also
    --------
    toy1_recursion : the recursion whose iterates approach these constants.
    """
    l2, t = _L2, sp.Symbol("t", positive=True)
    th = sp.atan(2 * l2)
    rho = sp.sqrt(sp.Rational(1, 4) + l2**2)
    loss = (g_sym(2 * th) * rho**2 - 2 * g_sym(th) * rho) / (2 * sp.pi)
    series = sp.series(loss, l2, 0, 6).removeO()
    lead = sp.nsimplify(sp.limit(loss / l2**3, l2, 0))
    # gradient on lambda_1 = 1/2: only the v_perp part (lambda_2/(2pi)) 2 theta, per neuron
    grad_norm = sp.sqrt(2) * l2 * 2 * th / (2 * sp.pi)
    ratio = sp.simplify(sp.limit(grad_norm / loss ** sp.Rational(2, 3), l2, 0))
    # flow d lam/dt = -(2/pi) lam^2  =>  lam = pi/(2 t) asymptotically
    lam_sol = sp.Function("lam")
    sol = sp.dsolve(sp.Eq(lam_sol(t).diff(t), -2 / sp.pi * lam_sol(t) ** 2))
    lam_t = sp.limit(sol.rhs * t, t, sp.oo)
    return {
        "loss_series": series,
        "loss_lead": lead,
        "lam2_t": lam_t,
        "theta_t": 2 * lam_t,
        "loss_t3": sp.simplify(lead * lam_t**3),
        "grad_ratio": ratio,
    }


def toy2_state(lams, d: int = 3, v_norm: float = 1.0):
    """Toy Case 2 students w_i = lambda_i v (all parallel to v = ||v|| e1): W (n, d), v.

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 2; chapter ``ch-xu2023``.

    See Also
    --------
    toy2_limit : where GD takes them.
    """
    lams = np.asarray(lams, float)
    W = np.zeros(lams.shape + (d,))
    W[..., 0] = v_norm * lams
    v = np.zeros(d)
    v[0] = v_norm
    return W, v


def toy2_limit(lams0, eta: float) -> dict[str, np.ndarray]:
    """Toy Case 2 under GD: grad_i = (sum_j w_j - v)/2 for every i, so the differences
    lambda_i - lambda_j are conserved and sum_i lambda_i - 1 contracts by 1 - n eta/2.

    Returns the limit lambda_i(inf) = lambda_i(0) + (1 - sum_j lambda_j(0))/n (so
    sum_i lambda_i -> 1) and the contraction factor.

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 2 (the paper writes that sum_i lambda_i -> 0); chapter
    ``ch-xu2023``.

    See Also
    --------
    toy2_state : the initial state.
    """
    lams0 = np.asarray(lams0, float)
    n = lams0.shape[-1]
    lim = lams0 + (1 - lams0.sum(-1, keepdims=True)) / n
    return {"limit": lim, "factor": 1 - n * eta / 2}


def toy3_state(w, n: int):
    """Toy Case 3: n identical students equal to ``w`` (shape (d,)); returns (n, d).

    References
    ----------
    Xu & Du (2023), App. A, Toy Case 3; chapter ``ch-xu2023``.

    See Also
    --------
    toy2_state : the other degenerate initialisation.
    """
    return np.repeat(np.asarray(w, float)[None, :], n, axis=0)


def remark26_gradient() -> dict[str, sp.Expr]:
    """Remark 26 from (4): grad_i at w_i = -c v (all i), the step that sends w_i(1) to 0.

    At w_i = -c v: theta_i = pi, theta_ij = 0, ||w_j|| = c||v||, so (4) gives
    grad_i = (1/2)(-n c - 1) v + (1/2pi) pi v = -(n c/2) v (``coef``; the paper prints
    -(1 + nc)/2, ``coef_printed``); w_i(1) = (-c + eta n c/2) v = 0 iff eta = 2/n
    (``eta_zero``; the paper prints 2c/(1 + nc), ``eta_printed``), and with the printed step
    w_i(1) = ``w1_printed_step`` v.

    References
    ----------
    Xu & Du (2023), App. F.3, Remark 26; chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.student_teacher_grad : the same gradient numerically.
    """
    n, c, eta = sp.symbols("n c eta", positive=True)
    ti, tij = sp.pi, sp.Integer(0)
    # coefficient of v in (4): w_bar_i = -v_bar, sum_j w_j = -n c v
    coef = (-n * c - 1) / 2 + ((n - 1) * c * sp.sin(tij) - sp.sin(ti)) * (-1) / (2 * sp.pi) \
        + ti / (2 * sp.pi) - (n - 1) * tij * (-c) / (2 * sp.pi)
    coef = sp.simplify(coef)
    eta_zero = sp.solve(sp.Eq(-c - eta * coef, 0), eta)[0]
    eta_printed = 2 * c / (1 + n * c)
    return {
        "coef": coef,
        "coef_printed": -(1 + n * c) / 2,
        "eta_zero": eta_zero,
        "eta_printed": eta_printed,
        "w1_printed_step": sp.simplify(-c - eta_printed * coef),
    }
