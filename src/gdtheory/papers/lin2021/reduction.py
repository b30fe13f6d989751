"""The exact (norm, angle) reduction of gradient flow for balanced deep linear networks.

With r = ‖w_e‖, u = r^{2/N} and ξ = artanh cos θ, gradient flow of an N-layer balanced
linear net is exactly

    u̇ = 2 g(r, θ),      ξ̇ = (c₀/π) r^{1-2/N},

(Eq. (39) and Lemma 7), where g(w) = -wᵀ∇L(w) (Eq. (7)) depends on (r, θ) only.
Integrating ξ instead of cos θ avoids the underflow of 1 - cos θ.

References
----------
Lin, Sun & Zhang (2021), §4, Eq. (39), Lemma 7, Proposition 4; chapter ``ch-lin2021``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ...core.odes import integrate
from ...models.logistic import PlaneQuadrature, g_of

__all__ = ["artanh_cos", "g_rc", "ReducedFlow", "reduced_flow", "prop4_cos"]


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
    r, c, s = np.broadcast_arrays(np.asarray(r, float), np.asarray(c, float), np.asarray(s, float))
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


def reduced_flow(
    N: int,
    r0: float,
    cos0: float,
    t_max: float,
    q: PlaneQuadrature,
    rtol: float = 1e-11,
    atol: float = 1e-13,
    method: str = "DOP853",
) -> ReducedFlow:
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
    sol = integrate(
        rhs,
        (0.0, t_max),
        y0,
        method=method,
        rtol=rtol,
        atol=atol,
        dense_output=True,
        events=[ev_turn, ev_cross],
        flow=f"reduced flow N={N}",
        params={"r0": r0, "cos0": cos0},
    )
    turns = sol.t_events[0]
    g0 = ev_turn(0.0, y0)
    T = 0.0 if g0 >= 0 else (float(turns[0]) if len(turns) else np.inf)
    cross = sol.t_events[1]
    t_cross = float(cross[0]) if len(cross) else (0.0 if cos0 >= 0 else np.nan)
    return ReducedFlow(N, sol, T, t_cross, len(turns), q.c0)


def prop4_cos(t: np.ndarray, c0: float, cos0: float) -> np.ndarray:
    """Proposition 4's closed form (N = 2): cos θ(t) = 1 - 2/(C₁e^{2c₀t/π} + 1).

    C₁ = (1 + cos θ(0))/(1 - cos θ(0)).

    References
    ----------
    Lin et al. (2021), Proposition 4; chapter ``ch-lin2021``.
    """
    C1 = (1 + cos0) / (1 - cos0)
    return 1 - 2 / (C1 * np.exp(2 * c0 * np.asarray(t, float) / np.pi) + 1)
