"""Deep linear networks φ(x) = W_N ⋯ W_1 x under the logistic loss: end-to-end vector, balanced
initialisation, the preconditioner of the induced flow, layer-wise and induced gradient flows,
and online SGD batched across seeds.

References
----------
Arora, Cohen & Hazan (2018), Claim 2; Lin, Sun & Zhang (2021), §4, Eqs. (13), (14), (16), (17),
§5 (SGD); chapter ``ch-lin2021``.
"""

from __future__ import annotations

import numpy as np

from ..core.odes import integrate
from .logistic import PlaneQuadrature, g_of, logistic_grad, sigmoid_neg

__all__ = [
    "end_to_end",
    "sgd_linear_net",
    "sgd_logistic",
    "induced_flow",
    "induced_flow_events",
    "preconditioner_formula",
    "balanced_init",
    "balance_residuals",
    "preconditioner",
    "layerwise_flow",
]


def end_to_end(Ws: list[np.ndarray]) -> np.ndarray:
    """End-to-end vector w_e = (W_N ⋯ W_1)ᵀ: shape (S, d) for layers with a leading run axis
    (S, h_j, h_{j-1}), shape (d,) for a single net.

    References
    ----------
    Lin et al. (2021), §4; chapter ``ch-lin2021``.
    """
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return P[..., 0, :]


def sgd_linear_net(
    Ws: list[np.ndarray],
    v: np.ndarray,
    *,
    lr: float,
    batch: int,
    n_iter: int,
    rng: np.random.Generator,
    log_every: int = 100,
    block: int = 50,
    data: str = "circle",
) -> tuple[np.ndarray, np.ndarray]:
    """Online minibatch SGD for a deep linear net on fresh x ~ U(S¹) (or N(0, I_d)), y = sgn(vᵀx).

    Layers ``Ws = [W_1, …, W_N]`` carry a leading run axis S (seeds), W_j of shape
    (S, h_j, h_{j-1}) with h_0 = 2 and h_N = 1; N = 1 is logistic regression.  All runs
    advance together; each run draws its own minibatches from the one generator.
    The layer gradient is (W_N⋯W_{j+1})ᵀ ∇L̂(w_e)ᵀ (W_{j-1}⋯W_1)ᵀ.

    ``data="gaussian"`` draws x ~ N(0, I_d) with d = len(v) instead (any d).

    Returns
    -------
    n : array (n_log,)
        Logged iteration numbers (0, log_every, 2·log_every, …).
    We : array (S, n_log, d)
        End-to-end vectors at the logged iterations.

    References
    ----------
    Lin et al. (2021), §5 (batch 1000, learning rate 1e-3); chapter ``ch-lin2021``.
    """
    Ws = [np.array(W, dtype=float) for W in Ws]
    v = np.asarray(v, dtype=float)
    S, N = Ws[0].shape[0], len(Ws)
    logged_n, logged = [0], [end_to_end(Ws)]
    n = 0
    while n < n_iter:
        nb = min(block, n_iter - n)
        if data == "circle":
            phi = rng.uniform(0.0, 2 * np.pi, size=(nb, S, 1, batch))
            X = np.concatenate([np.cos(phi), np.sin(phi)], axis=2)  # nb × S × 2 × batch
        elif data == "gaussian":
            X = rng.normal(size=(nb, S, v.size, batch))
        else:
            raise ValueError(f"unknown data {data!r}")
        Y = np.where(np.einsum("d,nsdb->nsb", v, X) >= 0, 1.0, -1.0)  # sgn(0) = +1
        for b in range(nb):
            x, y = X[b], Y[b]
            we = end_to_end(Ws)
            z = y * (we[:, None, :] @ x)[:, 0, :]  # S × batch
            G = -(x @ (sigmoid_neg(z) * y)[:, :, None])[:, :, 0] / batch  # S × d
            if N == 1:
                Ws[0] = Ws[0] - lr * G[:, None, :]
            else:
                rights, lefts = layer_products(Ws)  # W_{j-1}⋯W_1 and W_N⋯W_{j+1}
                grads = [None] * N
                for j in range(N - 1, -1, -1):
                    lg = (
                        G[:, None, :]
                        if rights[j] is None
                        else G[:, None, :] @ np.swapaxes(rights[j], 1, 2)
                    )  # S × 1 × h_{j-1}
                    grads[j] = lg if lefts[j] is None else np.swapaxes(lefts[j], 1, 2) @ lg
                Ws = [W - lr * dW for W, dW in zip(Ws, grads, strict=True)]
            n += 1
            if n % log_every == 0:
                logged_n.append(n)
                logged.append(end_to_end(Ws))
    return np.asarray(logged_n), np.stack(logged, axis=1)


def sgd_logistic(
    w0: np.ndarray,
    v: np.ndarray,
    *,
    lr: float,
    batch: int,
    n_iter: int,
    rng: np.random.Generator,
    n_runs: int = 1,
    log_every: int = 100,
    data: str = "circle",
) -> tuple[np.ndarray, np.ndarray]:
    """Online minibatch SGD for logistic regression (N = 1), ``n_runs`` seeds in one array.

    Returns the logged iteration numbers and iterates, shape (n_runs, n_log, 2).

    References
    ----------
    Lin et al. (2021), §5: batch size 1000, learning rate 1e-3; chapter ``ch-lin2021``.
    """
    W1 = np.repeat(np.asarray(w0, float)[None, None, :], n_runs, axis=0)
    return sgd_linear_net(
        [W1], v, lr=lr, batch=batch, n_iter=n_iter, rng=rng, log_every=log_every, data=data
    )


def induced_flow(
    N: int, w0: np.ndarray, q: PlaneQuadrature, t_eval: np.ndarray, rtol: float = 1e-11
) -> np.ndarray:
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
        return -(nw ** (2 - 2 / N)) * (G + (N - 1) * wb * (wb @ G))

    sol = integrate(
        rhs,
        (0.0, float(t_eval[-1])),
        np.asarray(w0, float),
        method="DOP853",
        t_eval=t_eval,
        rtol=rtol,
        atol=1e-14,
        flow=f"induced flow N={N}",
        params={"w0": list(np.ravel(w0))},
    )
    return sol.y.T


def induced_flow_events(
    N: int, w0: np.ndarray, q: PlaneQuadrature, t_max: float, rtol: float = 1e-11
) -> tuple[float, float]:
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
        return -(nw ** (2 - 2 / N)) * (G + (N - 1) * wb * (wb @ G))

    def ev_turn(_t, w):
        return float(g_of(w, q))

    def ev_cross(_t, w):
        return float(w @ q.v)

    ev_turn.direction = ev_cross.direction = 1.0
    sol = integrate(
        rhs,
        (0.0, t_max),
        np.asarray(w0, float),
        method="DOP853",
        rtol=rtol,
        atol=1e-14,
        events=[ev_turn, ev_cross],
        flow=f"induced flow with events N={N}",
        params={"w0": list(np.ravel(w0))},
    )
    T = float(sol.t_events[0][0]) if len(sol.t_events[0]) else np.inf
    tc = float(sol.t_events[1][0]) if len(sol.t_events[1]) else np.nan
    return T, tc


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
    return np.array(
        [np.linalg.norm(Ws[j + 1].T @ Ws[j + 1] - Ws[j] @ Ws[j].T) for j in range(len(Ws) - 1)]
    )


def layer_products(Ws):
    """The partial products of every layer j: W_{j-1}⋯W_1 (right) and W_N⋯W_{j+1} (left).

    ``None`` stands for an empty product; any leading run axes are carried along.

    References
    ----------
    Arora et al. (2018); Lin et al. (2021), Eq. (14); chapter ``ch-lin2021``.
    """
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
    rights, lefts = layer_products(Ws)
    d = Ws[0].shape[1]
    P = np.zeros((d, d))
    for R, Lf in zip(rights, lefts, strict=True):
        a = 1.0 if Lf is None else float(np.sum(Lf**2))
        B = np.eye(d) if R is None else R.T @ R
        P += a * B
    return P


def layer_unpacker(Ws0: list[np.ndarray]):
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


def layerwise_flow(
    Ws0: list[np.ndarray], q: PlaneQuadrature, t_eval: np.ndarray, rtol: float = 1e-10
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Gradient flow on all layer matrices of a deep linear net (DOP853).

    Returns the end-to-end vectors at ``t_eval`` (len × d) and the final layers.

    References
    ----------
    Lin et al. (2021), §4 (L^{(N)}); chapter ``ch-lin2021``.
    """
    unpack = layer_unpacker(Ws0)

    def rhs(_t, z):
        Ws = unpack(z)
        G = logistic_grad(end_to_end(Ws), q)[None, :]
        rights, lefts = layer_products(Ws)
        out = []
        for R, Lf in zip(rights, lefts, strict=True):
            lg = G if R is None else G @ R.T
            out.append(-(lg if Lf is None else Lf.T @ lg).ravel())
        return np.concatenate(out)

    z0 = np.concatenate([W.ravel() for W in Ws0])
    sol = integrate(
        rhs,
        (0.0, float(t_eval[-1])),
        z0,
        method="DOP853",
        t_eval=t_eval,
        rtol=rtol,
        atol=1e-13,
        flow=f"layer-wise flow ({len(Ws0)} layers)",
    )
    we = np.array([end_to_end(unpack(z)) for z in sol.y.T])
    return we, unpack(sol.y[:, -1])
