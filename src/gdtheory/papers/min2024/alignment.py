"""Early alignment of Min et al. (2024): x_a(w), the directional flow (4), Lemmas 1/4, the
balanced reduced gradient flow and its activation-pattern events.

Under the balanced initialisation (3), v_j ≡ s_j‖w_j‖ with s_j = sign(v_j(0)) for all t, and
gradient flow reduces to Eq. (13),

    ẇ_j = ‖w_j‖ g_j,   g_j = -s_j Σ_i 1{⟨x_i, w_j⟩ > 0} ∂ŷℓ(y_i, f_i) x_i,
    f_i = Σ_j s_j ‖w_j‖² σ(⟨ŵ_j, x_i⟩).

:func:`reduced_gf` integrates it by forward Euler, w ← w + dt‖w‖g, written in log-polar
coordinates (ŵ, ρ = ln‖w‖): ŵ ← (ŵ + dt g)/‖ŵ + dt g‖, ρ ← ρ + ln‖ŵ + dt g‖. This is the same
Euler map, but it never underflows, so initial scales as small as the ε of (28) (about
10^-17800 on the book's toy data) can be simulated exactly: there f is 0 in float64 and the
flow *is* the approximate flow (4), as Lemma 1 says it is to O(ε).

References
----------
Min, Mallada & Vidal (2024), Eqs. (3)–(5), (12)–(13), Lemma 1, Lemma 2, Lemma 4, Lemma 10,
Eqs. (7)–(8); chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

from ...models import two_layer_relu as trl
from . import cones

__all__ = [
    "dloss",
    "signed_active_data",
    "project_out",
    "approx_direction_field",
    "reduced_gf",
    "forbidden_transitions",
    "settle_times",
    "lemma4_error",
    "lemma2_ratio",
]


def dloss(y, yhat, loss: str = "exponential"):
    """∂ℓ/∂ŷ, from the shared model (losses "exponential", "logistic", "logistic2", "square").

    References
    ----------
    Min et al. (2024), Section 2.1, App. B (2× logistic), Remark 4 (square); ``ch-min2024``.
    """
    return trl.loss_derivative(loss, y, yhat)


def signed_active_data(W: np.ndarray, X: np.ndarray, y: np.ndarray, leak: float = 0.0):
    """x_a(w) = Σ_{⟨x_i,w⟩>0} y_i x_i + α Σ_{⟨x_i,w⟩≤0} y_i x_i for neurons W (..., D).

    References
    ----------
    Min et al. (2024), Eq. (5) and its leaky form (App. B.1); ``ch-min2024``.
    """
    A = (np.asarray(W) @ X.T > 0).astype(float)
    if leak:
        A = A + leak * (1.0 - A)
    return (A * y) @ X


def project_out(W: np.ndarray, V: np.ndarray) -> np.ndarray:
    """P_w v = v - w⟨w, v⟩/‖w‖² (last axis), the projection orthogonal to w."""
    W = np.asarray(W, float)
    c = np.sum(W * V, axis=-1, keepdims=True) / np.sum(W * W, axis=-1, keepdims=True)
    return V - c * W


def approx_direction_field(W, signs, X, y, leak: float = 0.0):
    """sign(v_j(0)) P_{w_j} x_a(w_j), the right-hand side of the approximate flow (4).

    References
    ----------
    Min et al. (2024), Eq. (4); ``ch-min2024``.
    """
    return np.asarray(signs)[..., None] * project_out(W, signed_active_data(W, X, y, leak))


def _reduced_field(U, rho, signs, X, y, loss):
    """Patterns, outputs and the field g of (13) at directions U and log-norms rho.

    f_i = Σ_j s_j e^{2ρ_j} σ(⟨ŵ_j, x_i⟩) is evaluated here by one matrix product (the
    chapter checks it against ``two_layer_relu.forward``); below ρ = -700 every term
    underflows and f is exactly 0.
    """
    pre = U @ np.swapaxes(X, -1, -2)  # (..., h, n)
    A = pre > 0
    if np.max(rho) < -700.0:
        f = np.zeros(pre.shape[:-2] + pre.shape[-1:])
    else:
        c = signs * np.exp(2.0 * rho)
        f = (c[..., None, :] @ np.maximum(pre, 0.0))[..., 0, :]
    lp = dloss(y, f, loss)
    g = -signs[..., None] * ((A * lp[..., None, :]) @ X)
    return A, f, g


def reduced_gf(
    X: np.ndarray,
    y: np.ndarray,
    U0: np.ndarray,
    rho0: np.ndarray,
    signs: np.ndarray,
    *,
    dt: float,
    n_steps: int,
    loss: str = "exponential",
    record_every: int = 10,
) -> dict:
    """Forward-Euler balanced reduced gradient flow (13), batched over leading axes.

    Parameters
    ----------
    X, y : data (n, D) and labels (n,), or batched (..., n, D) and (..., n) broadcasting
        against the leading axes of ``U0`` (one data set per run).
    U0 : ndarray (..., h, D)
        Initial directions (normalised inside).
    rho0 : ndarray (..., h)
        ln‖w_j(0)‖ (for (3): ln ε + ln‖[W₀]_{:,j}‖).
    signs : ndarray broadcastable to (..., h)
        s_j = sign(v_j(0)).
    dt, n_steps : Euler step and number of steps.
    loss : {"exponential", "logistic", "logistic2", "square"}
    record_every : int
        Store (ŵ, ρ, f) every this many steps (and at step 0 and the last step).

    Returns
    -------
    dict with ``t`` (n_rec,), ``U`` (n_rec, ..., h, D), ``rho`` (n_rec, ..., h), ``f``
    (n_rec, ..., n), ``A0`` (initial patterns, (..., h, n)) and the activation events
    ``ev_step`` (step after which the change is seen), ``ev_idx`` (tuple of index arrays into
    (..., h, n)) and ``ev_on`` (True: x_i became active).

    References
    ----------
    Min et al. (2024), Eqs. (3), (13) (GF under balanced initialisation); ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.min2024.cones.walk_2d : the exact ε → 0 flow in the plane.
    """
    U = np.asarray(U0, float)
    U = U / np.linalg.norm(U, axis=-1, keepdims=True)
    rho = np.array(rho0, float)
    signs = np.broadcast_to(np.asarray(signs, float), rho.shape)
    t_rec, U_rec, r_rec, f_rec = [], [], [], []
    ev_step, ev_idx, ev_on = [], [], []
    A_old, f, g = _reduced_field(U, rho, signs, X, y, loss)
    A0 = A_old.copy()
    for k in range(n_steps + 1):
        if k % record_every == 0 or k == n_steps:
            t_rec.append(k * dt)
            U_rec.append(U.copy())
            r_rec.append(rho.copy())
            f_rec.append(f)
        if k == n_steps:
            break
        z = U + dt * g
        nz = np.linalg.norm(z, axis=-1)
        U = z / nz[..., None]
        rho = rho + np.log(nz)
        A, f, g = _reduced_field(U, rho, signs, X, y, loss)
        ch = A != A_old
        if ch.any():
            idx = np.nonzero(ch)
            ev_step.append(np.full(idx[0].size, k + 1))
            ev_idx.append(np.stack(idx, axis=-1))
            ev_on.append(A[idx])
        A_old = A
    nd = A0.ndim
    if ev_step:
        steps = np.concatenate(ev_step)
        idx = np.concatenate(ev_idx)
        on = np.concatenate(ev_on)
    else:
        steps, idx, on = np.zeros(0, int), np.zeros((0, nd), int), np.zeros(0, bool)
    return dict(
        t=np.asarray(t_rec),
        U=np.asarray(U_rec),
        rho=np.asarray(r_rec),
        f=np.asarray(f_rec),
        A0=A0,
        ev_step=steps,
        ev_idx=tuple(idx[:, a] for a in range(nd)),
        ev_on=on,
        dt=dt,
    )


def forbidden_transitions(ev_idx, ev_on, signs, y) -> np.ndarray:
    """Boolean mask of the events forbidden by Eqs. (7)–(8).

    A V₊ neuron (s_j > 0) may only gain positive points and lose negative ones; a V₋ neuron
    only gain negative and lose positive ones. An event (neuron j, point i, became active
    ``on``) is forbidden iff s_j y_i (2·on - 1) < 0.

    Parameters
    ----------
    ev_idx : tuple of index arrays into (..., h, n) (as returned by :func:`reduced_gf`)
    ev_on : bool array
    signs : array (..., h) of ±1 (indexed by ev_idx[:-1])
    y : labels (n,)

    References
    ----------
    Min et al. (2024), Eqs. (7)–(8) and the paragraph after them; ``ch-min2024``.
    """
    s = np.asarray(signs)[ev_idx[:-1]]
    yi = np.asarray(y)[ev_idx[-1]]
    return s * yi * (2.0 * np.asarray(ev_on, float) - 1.0) < 0


def settle_times(run: dict, X: np.ndarray, y: np.ndarray) -> dict:
    """Per neuron: the time of its last activation event and its final region.

    Returns
    -------
    dict with ``t_last`` (..., h) (0 if the pattern never changed), ``region0`` and
    ``region_end`` (..., h) region codes at the first and last step, and ``n_events`` (..., h).

    References
    ----------
    Min et al. (2024), Theorem 1 (t₁: every neuron in a trapping region); ``ch-min2024``.
    """
    shape = run["A0"].shape[:-1]
    t_last = np.zeros(shape)
    n_ev = np.zeros(shape, int)
    if run["ev_step"].size:
        nidx = run["ev_idx"][:-1]
        np.maximum.at(t_last, nidx, run["ev_step"] * run["dt"])
        np.add.at(n_ev, nidx, 1)
    U_end = run["U"][-1]
    return dict(t_last=t_last, n_events=n_ev, region0=cones.region_of_pattern(run["A0"], y),
                region_end=cones.region_of(U_end, X, y))


def lemma4_error(U, rho, signs, X, y, loss: str = "exponential"):
    """Left- and right-hand sides of Lemma 4 (11) along a balanced state.

    LHS_j = ‖d/dt ŵ_j - s_j P_{w_j} x_a(w_j)‖ with d/dt ŵ_j = P_{w_j} g_j of (13);
    RHS = 2 n X_max max_i |f(x_i)|.

    Returns
    -------
    (lhs (..., h), rhs (...,), fmax (...,))

    References
    ----------
    Min et al. (2024), Lemma 4, Eq. (11), Lemma 1 (B.1); ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.min2024.experiments : the same derivative from the full model gradient.
    """
    _, f, g = _reduced_field(U, rho, np.asarray(signs, float), X, y, loss)
    true = project_out(U, g)
    approx = approx_direction_field(U, signs, X, y)
    lhs = np.linalg.norm(true - approx, axis=-1)
    fmax = np.max(np.abs(f), axis=-1)
    rhs = 2.0 * X.shape[-2] * np.max(np.linalg.norm(X, axis=-1)) * fmax
    return lhs, rhs, fmax


def lemma2_ratio(yhat, loss: str):
    """max over y = ±1 of |-∂ŷℓ(y, ŷ) - y| / (2|ŷ|), which Lemma 2 asserts is ≤ 1 on |ŷ| ≤ 1.

    References
    ----------
    Min et al. (2024), Lemma 2, Eq. (9); ``ch-min2024``.
    """
    yhat = np.asarray(yhat, float)
    r = [np.abs(-dloss(s, yhat, loss) - s) / (2.0 * np.abs(yhat)) for s in (1.0, -1.0)]
    return np.maximum(*r)
