"""Deep linear networks under spherically symmetric data: the exact (norm, angle) reduction,
balanced initialisation, layer-wise and induced gradient flows, and the paper's bounds.

The reduction: with r = ‖w_e‖, u = r^{2/N} and ξ = artanh cos θ, gradient flow of an
N-layer balanced linear net is exactly

    u̇ = 2 g(r, θ),      ξ̇ = (c₀/π) r^{1-2/N},

(Eq. (39) and Lemma 7), where g(w) = -wᵀ∇L(w) (Eq. (7)) depends on (r, θ) only.
Integrating ξ instead of cos θ avoids the underflow of 1 - cos θ.

References
----------
Lin, Sun & Zhang (2021), §4, Eqs. (13), (14), (16), (17), (39); Theorems 1 and 3;
Arora, Cohen & Hazan (2018), Claim 2; chapter ``ch-lin2021``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import expit

from .population import PlaneQuadrature, g_of, grad_sample_cov, logistic_grad

__all__ = [
    "ReducedFlow", "reduced_flow", "g_rc", "induced_flow", "layerwise_flow", "balanced_init",
    "balance_residuals", "preconditioner", "cos_from_exponent", "one_minus_from_exponent",
    "thm1_exponents", "thm3_exponents", "neg_log_one_minus_from_exponent", "lemma8_bounds",
    "gd_sums", "artanh_cos", "preconditioner_formula", "prop4_cos", "induced_flow_events",
    "sgd_linear_noise", "signed_angle", "sgd_z_scores",
]


def artanh_cos(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """ξ = artanh cos θ(w, v) = ½ ln((‖w‖ + vᵀw)/(‖w‖ - vᵀw)), computed without cancellation."""
    w = np.asarray(w, dtype=float)
    nw = np.linalg.norm(w, axis=-1)
    a = w @ v
    perp2 = np.sum((w - a[..., None] * v) ** 2, axis=-1)
    # ‖w‖ - |a| = ‖w⊥‖² / (‖w‖ + |a|)
    small = perp2 / (nw + np.abs(a))
    big = nw + np.abs(a)
    return np.sign(a) * 0.5 * np.log(big / small)


def g_rc(r: np.ndarray, c: np.ndarray, s: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
    """g at norm r, cos θ = c, sin θ = s (the point r(c v + s v⊥) of the plane).

    References
    ----------
    Lin et al. (2021), Eq. (7) and Lemma 3; chapter ``ch-lin2021``.
    """
    v = q.v
    vp = np.array([-v[1], v[0]])
    r, c, s = np.broadcast_arrays(np.asarray(r, float), np.asarray(c, float),
                                  np.asarray(s, float))
    w = r[..., None] * (c[..., None] * v + s[..., None] * vp)
    return g_of(w, q)


@dataclass
class ReducedFlow:
    """Solution of the reduced (u, ξ) ODE: dense output plus the event times.

    ``T`` is the turning time (g changes sign from - to +; 0 if g(0) ≥ 0), ``t_cross`` the
    time at which cos θ = 0 (NaN if it does not happen), ``n_turns`` the number of sign
    changes of g seen by the event finder.
    """

    N: int
    sol: object
    T: float
    t_cross: float
    n_turns: int
    c0: float

    def r(self, t: np.ndarray) -> np.ndarray:
        """‖w_e(t)‖."""
        return np.maximum(self.sol.sol(t)[0], 0.0) ** (self.N / 2)

    def xi(self, t: np.ndarray) -> np.ndarray:
        """ξ(t) = artanh cos θ(t)."""
        return self.sol.sol(t)[1]

    def cos(self, t: np.ndarray) -> np.ndarray:
        """cos θ(t) = tanh ξ(t)."""
        return np.tanh(self.xi(t))

    def one_minus_cos(self, t: np.ndarray) -> np.ndarray:
        """1 - cos θ(t) = 2 expit(-2ξ), accurate far below machine epsilon."""
        return 2 * expit(-2 * self.xi(t))

    def neg_log_one_minus_cos(self, t: np.ndarray) -> np.ndarray:
        """-ln(1 - cos θ(t)) = ln(1 + e^{2ξ}) - ln 2, finite even where 1 - cos θ underflows."""
        return np.logaddexp(0.0, 2 * self.xi(t)) - np.log(2.0)

    def g(self, t: np.ndarray, q: PlaneQuadrature) -> np.ndarray:
        """g(w_e(t)) along the flow (sech ξ computed without overflow)."""
        xi = self.xi(t)
        e = np.exp(-np.abs(xi))
        return g_rc(self.r(t), np.tanh(xi), 2 * e / (1 + e * e), q)


def reduced_flow(N: int, r0: float, cos0: float, t_max: float, q: PlaneQuadrature,
                 rtol: float = 1e-11, atol: float = 1e-13,
                 method: str = "DOP853") -> ReducedFlow:
    """Integrate the exact two-variable reduction of gradient flow for an N-layer linear net.

    State (u, ξ) with u = ‖w_e‖^{2/N}, ξ = artanh cos θ:  u̇ = 2 g(r, θ), ξ̇ = (c₀/π) r^{1-2/N}.
    Requires 0 < θ(0) < π.  The turning time T is located by an event on g = 0 (rising).

    Parameters
    ----------
    N : int
        Number of weight matrices (N = 1: logistic regression).
    r0, cos0 : float
        ‖w_e(0)‖ and cos θ(0).
    t_max : float
    q : PlaneQuadrature
        Quadrature of D₂ (its ``c0`` enters ξ̇).

    References
    ----------
    Lin et al. (2021), Eqs. (4), (5), (7), (14), (16), (39); Lemmas 1, 6, 7;
    chapter ``ch-lin2021``.
    """
    k = 1.0 - 2.0 / N

    def state(y):
        u, xi = y
        r = max(u, 1e-300) ** (N / 2)
        e = np.exp(-abs(xi))
        return r, np.tanh(xi), 2 * e / (1 + e * e)  # sech ξ without overflow

    def rhs(_t, y):
        r, c, s = state(y)
        return [2.0 * float(g_rc(r, c, s, q)), q.c0 / np.pi * r**k]

    def ev_turn(_t, y):
        r, c, s = state(y)
        return float(g_rc(r, c, s, q))

    ev_turn.direction = 1.0

    def ev_cross(_t, y):
        return y[1]

    ev_cross.direction = 1.0
    y0 = [r0 ** (2.0 / N), float(np.arctanh(cos0))]
    sol = solve_ivp(rhs, (0.0, t_max), y0, method=method, rtol=rtol, atol=atol,
                    dense_output=True, events=[ev_turn, ev_cross])
    if not sol.success:
        raise RuntimeError(sol.message)
    turns = sol.t_events[0]
    g0 = ev_turn(0.0, y0)
    T = 0.0 if g0 >= 0 else (float(turns[0]) if len(turns) else np.inf)
    cross = sol.t_events[1]
    t_cross = float(cross[0]) if len(cross) else (0.0 if cos0 >= 0 else np.nan)
    return ReducedFlow(N, sol, T, t_cross, len(turns), q.c0)


def induced_flow(N: int, w0: np.ndarray, q: PlaneQuadrature, t_eval: np.ndarray,
                 rtol: float = 1e-11) -> np.ndarray:
    """Cartesian induced flow of a balanced N-layer net, Eq. (14), at ``t_eval`` (len × 2).

    ẇ_e = -‖w_e‖^{2-2/N} (∇L(w_e) + (N-1) w̄_e w̄_eᵀ ∇L(w_e)).

    References
    ----------
    Lin et al. (2021), Eq. (14); Arora et al. (2018), Claim 2; chapter ``ch-lin2021``.
    """
    def rhs(_t, w):
        nw = np.linalg.norm(w)
        G = logistic_grad(w, q)
        wb = w / nw
        return -nw ** (2 - 2 / N) * (G + (N - 1) * wb * (wb @ G))

    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), np.asarray(w0, float), method="DOP853",
                    t_eval=t_eval, rtol=rtol, atol=1e-14)
    if not sol.success:
        raise RuntimeError(sol.message)
    return sol.y.T


def induced_flow_events(N: int, w0: np.ndarray, q: PlaneQuadrature, t_max: float,
                        rtol: float = 1e-11) -> tuple[float, float]:
    """Turning time T and crossing time of vᵀw_e = 0 from the *Cartesian* induced flow (14).

    Independent of :func:`reduced_flow`: the events are g(w_e) = 0 (rising; since
    d‖w_e‖²/dt = 2N‖w_e‖^{2-2/N} g) and vᵀw_e = 0 (rising), located by ``solve_ivp``.

    References
    ----------
    Lin et al. (2021), Lemmas 1 and 6, Eq. (14); chapter ``ch-lin2021``.
    """
    def rhs(_t, w):
        nw = np.linalg.norm(w)
        G = logistic_grad(w, q)
        wb = w / nw
        return -nw ** (2 - 2 / N) * (G + (N - 1) * wb * (wb @ G))

    def ev_turn(_t, w):
        return float(g_of(w, q))

    def ev_cross(_t, w):
        return float(w @ q.v)

    ev_turn.direction = ev_cross.direction = 1.0
    sol = solve_ivp(rhs, (0.0, t_max), np.asarray(w0, float), method="DOP853", rtol=rtol,
                    atol=1e-14, events=[ev_turn, ev_cross])
    if not sol.success:
        raise RuntimeError(sol.message)
    T = float(sol.t_events[0][0]) if len(sol.t_events[0]) else np.inf
    tc = float(sol.t_events[1][0]) if len(sol.t_events[1]) else np.nan
    return T, tc


def prop4_cos(t: np.ndarray, c0: float, cos0: float) -> np.ndarray:
    """Proposition 4's closed form (N = 2): cos θ(t) = 1 - 2/(C₁e^{2c₀t/π} + 1).

    C₁ = (1 + cos θ(0))/(1 - cos θ(0)).

    References
    ----------
    Lin et al. (2021), Proposition 4; chapter ``ch-lin2021``.
    """
    C1 = (1 + cos0) / (1 - cos0)
    return 1 - 2 / (C1 * np.exp(2 * c0 * np.asarray(t, float) / np.pi) + 1)


def preconditioner_formula(we: np.ndarray, N: int) -> np.ndarray:
    """‖w_e‖^{2-2/N}(I + (N-1) w̄_e w̄_eᵀ): the preconditioner of a balanced net, Eq. (14).

    References
    ----------
    Lin et al. (2021), Eq. (14); Arora et al. (2018), Claim 2; chapter ``ch-lin2021``.
    """
    we = np.asarray(we, dtype=float)
    nw = np.linalg.norm(we)
    return nw ** (2 - 2 / N) * (np.eye(we.size) + (N - 1) * np.outer(we, we) / nw**2)


def balanced_init(w0: np.ndarray, us: list[np.ndarray], paper: bool = False) -> list[np.ndarray]:
    """Rank-one initialisation W_1 = u₂u₁ᵀ, W_i = u_{i+1}u_iᵀ, W_N = u_Nᵀ of a deep linear net.

    Parameters
    ----------
    w0 : array (d,)
        Desired end-to-end vector w_e(0).
    us : list of arrays
        Hidden directions u₂, …, u_N (normalised here); len(us) = N - 1.
    paper : bool
        True: the paper's §5 construction (u₁ = w0, ‖u_i‖ = 1), balanced only if ‖w0‖ = 1.
        False: the corrected one, every layer scaled by s = ‖w0‖^{1/N} and u₁ = w̄0.

    References
    ----------
    Lin et al. (2021), §5 and Eq. (13); chapter ``ch-lin2021`` (erratum E1).
    """
    w0 = np.asarray(w0, dtype=float)
    us = [np.asarray(u, float) / np.linalg.norm(u) for u in us]
    N = len(us) + 1
    if paper:
        s, u1 = 1.0, w0
    else:
        s, u1 = np.linalg.norm(w0) ** (1.0 / N), w0 / np.linalg.norm(w0)
    chain = [u1] + us
    Ws = [s * np.outer(chain[i + 1], chain[i]) for i in range(N - 1)]
    Ws.append(s * chain[-1][None, :])
    return Ws


def balance_residuals(Ws: list[np.ndarray]) -> np.ndarray:
    """Frobenius norms of W_{j+1}ᵀW_{j+1} - W_jW_jᵀ, j = 1, …, N-1 (Arora et al.'s condition)."""
    return np.array([np.linalg.norm(Ws[j + 1].T @ Ws[j + 1] - Ws[j] @ Ws[j].T)
                     for j in range(len(Ws) - 1)])


def _products(Ws):
    N = len(Ws)
    rights = []  # W_{j-1}⋯W_1
    acc = None
    for j in range(N):
        rights.append(acc)
        acc = Ws[j] if acc is None else Ws[j] @ acc
    lefts = [None] * N  # W_N⋯W_{j+1}
    acc = None
    for j in range(N - 1, -1, -1):
        lefts[j] = acc
        acc = Ws[j] if acc is None else acc @ Ws[j]
    return rights, lefts


def preconditioner(Ws: list[np.ndarray]) -> np.ndarray:
    """P = Σ_j ‖W_N⋯W_{j+1}‖² (W_{j-1}⋯W_1)ᵀ(W_{j-1}⋯W_1), so that ẇ_e = -P ∇L(w_e).

    References
    ----------
    Arora et al. (2018); Lin et al. (2021), Eq. (14); chapter ``ch-lin2021``.
    """
    rights, lefts = _products(Ws)
    d = Ws[0].shape[1]
    P = np.zeros((d, d))
    for R, Lf in zip(rights, lefts, strict=True):
        a = 1.0 if Lf is None else float(np.sum(Lf**2))
        B = np.eye(d) if R is None else R.T @ R
        P += a * B
    return P


def _unpacker(Ws0: list[np.ndarray]):
    """Return the map from a flat parameter vector back to layer matrices shaped like ``Ws0``."""
    shapes = [W.shape for W in Ws0]
    sizes = [int(np.prod(s)) for s in shapes]

    def unpack(z: np.ndarray) -> list[np.ndarray]:
        out, i = [], 0
        for s, k in zip(shapes, sizes, strict=True):
            out.append(z[i : i + k].reshape(s))
            i += k
        return out

    return unpack


def layerwise_flow(Ws0: list[np.ndarray], q: PlaneQuadrature, t_eval: np.ndarray,
                   rtol: float = 1e-10) -> tuple[np.ndarray, list[np.ndarray]]:
    """Gradient flow on all layer matrices of a deep linear net (DOP853).

    Returns the end-to-end vectors at ``t_eval`` (len × d) and the final layers.

    References
    ----------
    Lin et al. (2021), §4 (L^{(N)}); chapter ``ch-lin2021``.
    """
    unpack = _unpacker(Ws0)

    def we_of(Ws):
        P = Ws[0]
        for W in Ws[1:]:
            P = W @ P
        return P[0]

    def rhs(_t, z):
        Ws = unpack(z)
        G = logistic_grad(we_of(Ws), q)[None, :]
        rights, lefts = _products(Ws)
        out = []
        for R, Lf in zip(rights, lefts, strict=True):
            lg = G if R is None else G @ R.T
            out.append(-(lg if Lf is None else Lf.T @ lg).ravel())
        return np.concatenate(out)

    z0 = np.concatenate([W.ravel() for W in Ws0])
    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), z0, method="DOP853", t_eval=t_eval,
                    rtol=rtol, atol=1e-13)
    if not sol.success:
        raise RuntimeError(sol.message)
    we = np.array([we_of(unpack(z)) for z in sol.y.T])
    return we, unpack(sol.y[:, -1])


def cos_from_exponent(s: np.ndarray) -> np.ndarray:
    """1 - 2/(e^s + 1) = tanh(s/2): every bound of Theorems 1 and 3 has this form."""
    return np.tanh(np.asarray(s, float) / 2)


def one_minus_from_exponent(s: np.ndarray) -> np.ndarray:
    """2/(e^s + 1) = 2 expit(-s), the bound on 1 - cos θ, without overflow."""
    return 2 * expit(-np.asarray(s, float))


def neg_log_one_minus_from_exponent(s: np.ndarray) -> np.ndarray:
    """-ln(2/(e^s + 1)) = ln(1 + e^s) - ln 2, the bound on -ln(1 - cos θ), without underflow."""
    return np.logaddexp(0.0, np.asarray(s, float)) - np.log(2.0)


def thm1_exponents(t: np.ndarray, *, c0: float, r0: float, cos0: float, t_anchor: float,
                   r_anchor: float, cos_anchor: float, literal: bool = False,
                   a2_printed: bool = True) -> tuple:
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


def thm3_exponents(t: np.ndarray, *, N: int, c0: float, r0: float, cos0: float,
                   t_anchor: float, r_anchor: float, cos_anchor: float,
                   literal: bool = False) -> tuple:
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


def signed_angle(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed angle from v to w in the plane, atan2(w × v, w·v), for w of shape (..., 2)."""
    w = np.asarray(w, dtype=float)
    return np.arctan2(w[..., 0] * v[1] - w[..., 1] * v[0], w @ v)


def _layer_grad_map(Ws: list[np.ndarray]) -> np.ndarray:
    """The matrix M with (∂L/∂W_1, …, ∂L/∂W_N) (flattened) = M ∇L(w_e); it is linear in ∇L."""
    rights, lefts = _products(Ws)
    d = Ws[0].shape[1]
    cols = []
    for i in range(d):
        G = np.eye(d)[i][None, :]
        out = []
        for R, Lf in zip(rights, lefts, strict=True):
            lg = G if R is None else G @ R.T
            out.append((lg if Lf is None else Lf.T @ lg).ravel())
        cols.append(np.concatenate(out))
    return np.stack(cols, axis=1)


def sgd_linear_noise(Ws0: list[np.ndarray], q: PlaneQuadrature, *, lr: float, batch: int,
                     t_eval: np.ndarray, h: float = 0.02) -> dict:
    """Mean and standard deviation of online SGD around layer-wise gradient flow, to first order.

    Linear-noise (diffusion) approximation in the space z of all layer entries: along the
    gradient flow ż = f(z) = -M(z)∇L(w_e), the SGD iterate at time t = ηn is
    z(t) + b(t) + ε(t), with the discretisation bias b' = Ab - (η/2)Af (modified equation of
    gradient descent) and the noise covariance C' = AC + CAᵀ + (η/B) M Σ Mᵀ, where
    A = ∂f/∂z (central differences), Σ the one-sample gradient covariance
    (:func:`gdtheory.population.grad_sample_cov`) and B the batch size.  Both are pushed
    to the signed angle θ(w_e, v) (:func:`signed_angle`; linear in the noise even where
    θ → 0, unlike cos θ) and to ‖w_e‖ by their gradients.  N = 1 (one layer) is logistic
    regression.

    Parameters
    ----------
    Ws0 : list of arrays
        Initial layers W_1, …, W_N (no run axis).
    q : PlaneQuadrature
        Quadrature of D₂ (a d-dimensional spherically symmetric D acts on the plane only,
        to first order).
    lr, batch : float, int
        SGD learning rate η and batch size B.
    t_eval : array
        Times t = ηn at which to report.
    h : float
        Step of the second-order propagation of b and C.

    Returns
    -------
    dict with ``angle``, ``norm`` (gradient flow), ``angle_bias``, ``norm_bias`` and
    ``angle_sd``, ``norm_sd`` at ``t_eval``.

    References
    ----------
    Lin et al. (2021), §5 (SGD, batch 1000, learning rate 1e-3); chapter ``ch-lin2021``.
    """
    unpack = _unpacker(Ws0)

    def we_of(z):
        Ws = unpack(z)
        P = Ws[0]
        for W in Ws[1:]:
            P = W @ P
        return P[0]

    def rhs(_t, z):
        return -_layer_grad_map(unpack(z)) @ logistic_grad(we_of(z), q)

    z0 = np.concatenate([W.ravel() for W in Ws0])
    t_eval = np.asarray(t_eval, dtype=float)
    t_end = float(t_eval.max())
    sol = solve_ivp(rhs, (0.0, t_end), z0, method="DOP853", rtol=1e-10, atol=1e-13,
                    dense_output=True)
    if not sol.success:
        raise RuntimeError(sol.message)
    grid = np.arange(0.0, t_end + h, h)
    P = z0.size
    eye = np.eye(P)
    C = np.zeros((P, P))
    b = np.zeros(P)
    v = q.v
    out = np.zeros((grid.size, 6))
    for k, t in enumerate(grid):
        z = sol.sol(t)
        eps = 1e-6 * max(1.0, float(np.abs(z).max()))
        we = we_of(z)
        nw = float(np.linalg.norm(we))
        Je = np.stack([(we_of(z + eps * e) - we_of(z - eps * e)) / (2 * eps) for e in eye],
                      axis=1)
        gc = Je.T @ (np.array([v[1], -v[0]]) / nw**2 * (we @ v)
                     - v / nw**2 * (we[0] * v[1] - we[1] * v[0]))  # ∇_z of the signed angle
        gn = Je.T @ (we / nw)  # ∇_z ‖w_e‖
        out[k] = [signed_angle(we, v), nw, gc @ b, gn @ b, np.sqrt(max(gc @ C @ gc, 0.0)),
                  np.sqrt(max(gn @ C @ gn, 0.0))]
        A = np.stack([(rhs(t, z + eps * e) - rhs(t, z - eps * e)) / (2 * eps) for e in eye],
                     axis=1)
        M = _layer_grad_map(unpack(z))
        Q = M @ grad_sample_cov(we, q) @ M.T * (lr / batch)
        F = eye + h * A + (h * A) @ (h * A) / 2  # second-order propagator of z' = A z
        f = rhs(t, z)
        C = F @ C @ F.T + h * (Q + A @ Q @ A.T * h**2 / 3 + (A @ Q + Q @ A.T) * h / 2)
        b = F @ b - h * (lr / 2) * (A @ f)
    names = ["angle", "norm", "angle_bias", "norm_bias", "angle_sd", "norm_sd"]
    return {nm: np.interp(t_eval, grid, out[:, i]) for i, nm in enumerate(names)}


def sgd_z_scores(We: np.ndarray, v: np.ndarray, lna: dict) -> tuple[np.ndarray, np.ndarray]:
    """Standardised deviations of SGD runs from gradient flow, (x - flow - bias)/sd.

    Parameters
    ----------
    We : array (S, n_log, 2)
        End-to-end vectors of S runs at the times given to :func:`sgd_linear_noise`.
    lna : dict
        Its result.

    Returns
    -------
    z_angle, z_norm : arrays (S, n_log - 1), excluding t = 0 (where the sd is 0).

    References
    ----------
    Chapter ``ch-lin2021`` (Figure 1 of Lin et al. 2021).
    """
    za = (signed_angle(We, v) - lna["angle"] - lna["angle_bias"])[:, 1:] / lna["angle_sd"][1:]
    zn = ((np.linalg.norm(We, axis=-1) - lna["norm"] - lna["norm_bias"])[:, 1:]
          / lna["norm_sd"][1:])
    return za, zn
