"""Linear-noise (van Kampen) approximation of minibatch SGD around gradient flow for deep linear
nets: the mean path and covariance of the iterates, and the z-scores of SGD runs against it.

References
----------
Lin, Sun & Zhang (2021), §5 (the SGD experiments of Figure 1); chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np

from ...core.angles import signed_angle_2d
from ...core.odes import integrate
from ...models.deep_linear import end_to_end, layer_products, layer_unpacker
from ...models.logistic import PlaneQuadrature, grad_sample_cov, logistic_grad

__all__ = ["sgd_linear_noise", "sgd_z_scores"]


def _layer_grad_map(Ws: list[np.ndarray]) -> np.ndarray:
    """The matrix M with (∂L/∂W_1, …, ∂L/∂W_N) (flattened) = M ∇L(w_e); it is linear in ∇L."""
    rights, lefts = layer_products(Ws)
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


def sgd_linear_noise(
    Ws0: list[np.ndarray],
    q: PlaneQuadrature,
    *,
    lr: float,
    batch: int,
    t_eval: np.ndarray,
    h: float = 0.02,
) -> dict:
    """Mean and standard deviation of online SGD around layer-wise gradient flow, to first order.

    Linear-noise (diffusion) approximation in the space z of all layer entries: along the
    gradient flow ż = f(z) = -M(z)∇L(w_e), the SGD iterate at time t = ηn is
    z(t) + b(t) + ε(t), with the discretisation bias b' = Ab - (η/2)Af (modified equation of
    gradient descent) and the noise covariance C' = AC + CAᵀ + (η/B) M Σ Mᵀ, where
    A = ∂f/∂z (central differences), Σ the one-sample gradient covariance
    (:func:`gdtheory.models.logistic.grad_sample_cov`) and B the batch size.  Both are pushed
    to the signed angle θ(w_e, v) (:func:`gdtheory.core.angles.signed_angle_2d`; linear in the
    noise even where θ → 0, unlike cos θ) and to ‖w_e‖ by their gradients.  N = 1 (one layer)
    is logistic regression.

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
    unpack = layer_unpacker(Ws0)

    def we_of(z):
        return end_to_end(unpack(z))

    def rhs(_t, z):
        Ws = unpack(z)
        return -_layer_grad_map(Ws) @ logistic_grad(end_to_end(Ws), q)

    z0 = np.concatenate([W.ravel() for W in Ws0])
    t_eval = np.asarray(t_eval, dtype=float)
    t_end = float(t_eval.max())
    sol = integrate(
        rhs,
        (0.0, t_end),
        z0,
        method="DOP853",
        rtol=1e-10,
        atol=1e-13,
        dense_output=True,
        flow="linear-noise moment equations",
    )
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
        Je = np.stack([(we_of(z + eps * e) - we_of(z - eps * e)) / (2 * eps) for e in eye], axis=1)
        gc = Je.T @ (
            np.array([v[1], -v[0]]) / nw**2 * (we @ v) - v / nw**2 * (we[0] * v[1] - we[1] * v[0])
        )  # ∇_z of the signed angle
        gn = Je.T @ (we / nw)  # ∇_z ‖w_e‖
        out[k] = [
            signed_angle_2d(we, v),
            nw,
            gc @ b,
            gn @ b,
            np.sqrt(max(gc @ C @ gc, 0.0)),
            np.sqrt(max(gn @ C @ gn, 0.0)),
        ]
        A = np.stack([(rhs(t, z + eps * e) - rhs(t, z - eps * e)) / (2 * eps) for e in eye], axis=1)
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
    za = (signed_angle_2d(We, v) - lna["angle"] - lna["angle_bias"])[:, 1:] / lna["angle_sd"][1:]
    zn = (np.linalg.norm(We, axis=-1) - lna["norm"] - lna["norm_bias"])[:, 1:] / lna["norm_sd"][1:]
    return za, zn
