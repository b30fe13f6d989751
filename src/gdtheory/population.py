"""Population (expected) quantities by quadrature, not Monte Carlo.

For data uniform on the circle, x = (cos φ, sin φ), the label y = sgn(vᵀx) is
constant on two half-circles, so Gauss–Legendre on each half separately is
spectrally accurate (the integrand is analytic there).

References
----------
Lin, Sun & Zhang (2021), Eq. (1)–(2), §1.6 of the chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CircleQuadrature", "circle_quadrature", "logistic_loss", "logistic_grad", "g_of"]


class CircleQuadrature:
    """Nodes ``x`` (m×2), weights ``p`` (summing to 1) and labels ``y`` of U(S¹) split at vᵀx = 0."""

    def __init__(self, x: np.ndarray, p: np.ndarray, y: np.ndarray):
        self.x, self.p, self.y = x, p, y


def circle_quadrature(v: np.ndarray, m: int = 400) -> CircleQuadrature:
    """Split-half Gauss–Legendre rule for E over x ~ U(S¹) with labels y = sgn(vᵀx).

    Parameters
    ----------
    v : array (2,)
        Unit target direction.
    m : int
        Nodes per half-circle.

    References
    ----------
    Lin et al. (2021), Eq. (1); chapter ``ch-lin2021``.
    """
    v = np.asarray(v, dtype=float)
    phi_v = np.arctan2(v[1], v[0])
    t, wt = np.polynomial.legendre.leggauss(m)
    half = (np.pi / 2) * t  # nodes on (-π/2, π/2)
    phis = np.concatenate([phi_v + half, phi_v + np.pi + half])
    x = np.stack([np.cos(phis), np.sin(phis)], axis=-1)
    p = np.concatenate([wt, wt]) * (np.pi / 2) / (2 * np.pi)
    y = np.concatenate([np.ones(m), -np.ones(m)])
    return CircleQuadrature(x, p, y)


def logistic_loss(w: np.ndarray, q: CircleQuadrature) -> np.ndarray:
    """Population logistic loss L(w) = E ln(1 + exp(-y wᵀx)) for w of shape (..., 2).

    References
    ----------
    Lin et al. (2021), Eq. (1).
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    return np.logaddexp(0.0, -z) @ q.p


def logistic_grad(w: np.ndarray, q: CircleQuadrature) -> np.ndarray:
    """Population gradient ∇L(w) = -E[y x / (1 + exp(y wᵀx))] for w of shape (..., 2).

    References
    ----------
    Lin et al. (2021), Eq. (2).
    """
    z = q.y * (np.asarray(w) @ q.x.T)
    s = 0.5 * (1.0 - np.tanh(z / 2))  # 1/(1+e^z), overflow-free
    return -(s * q.y * q.p) @ q.x


def g_of(w: np.ndarray, q: CircleQuadrature) -> np.ndarray:
    """g(w) = -wᵀ∇L(w) = ½ d‖w‖²/dt along gradient flow.

    References
    ----------
    Lin et al. (2021), Eq. (7).
    """
    w = np.asarray(w)
    return -np.sum(w * logistic_grad(w, q), axis=-1)
