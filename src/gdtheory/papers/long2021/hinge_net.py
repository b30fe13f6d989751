"""The two-type ReLU network (6) of Long, Yin & Xin (2021), its hinge loss and gradient descent.

The network on ``R^d`` has ``k`` neurons ``w_j`` with output weight +1 and ``k`` neurons
``u_j`` with output weight -1 and a fixed bias ``b >= 0``::

    f(W, x) = sum_j relu(<w_j, x> - b) - sum_j relu(<u_j, x> - b)          (6)

All labels are +1 (class 1 after the decoupling of Lemma 1), the loss of a finite set is the
*summed* hinge loss ``L = sum_x max(1 - f(W, x), 0)`` (eq. 2) and gradient descent (eq. 3)
uses the a.e. gradient (eq. 8): ``relu'(0) = 0`` and the hinge counts a point iff ``f < 1``.

The engine :func:`run_gd` runs a batch of independent runs at once (leading batch axis),
stops each run at its own convergence time (the first ``t`` with zero loss) and keeps only
per-run summaries, so thousands of runs need no Python loop over runs.

References
----------
Long et al. (2021), eqs. (2), (3), (6), (8), Lemma 3, Props 3-4, Section 6.1; ``ch-long2021``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ...models import two_layer_relu as trl
from .geometric_condition import gc_holds

__all__ = [
    "network_output",
    "hinge_loss",
    "gradient",
    "init_weights",
    "GDSummary",
    "run_gd",
    "gd_trajectory",
    "column_norm_sum",
    "concat_summaries",
]


def network_output(W: np.ndarray, U: np.ndarray, X: np.ndarray, b: float = 0.0) -> np.ndarray:
    """Output of network (6) at the points ``X``.

    Parameters
    ----------
    W, U : ndarray, shape (..., k, d)
        The ``+1`` neurons ``w_j`` and the ``-1`` neurons ``u_j``.
    X : ndarray, shape (n, d)
    b : float
        The shared, fixed bias.

    Returns
    -------
    ndarray, shape (..., n)

    References
    ----------
    Long et al. (2021), eq. (6); ``ch-long2021``: network (6) is the shared two-layer ReLU model
    :mod:`gdtheory.models.two_layer_relu` with output weights +1 (``W``) and -1 (``U``).
    """
    V, a = trl.signed_stack(W, U)
    return trl.forward(V, a, X, b)


def hinge_loss(W: np.ndarray, U: np.ndarray, X: np.ndarray, b: float = 0.0) -> np.ndarray:
    """Summed hinge loss ``sum_x max(1 - f(W, x), 0)`` of label-+1 points, shape (...,).

    References
    ----------
    Long et al. (2021), eq. (2); ``ch-long2021``.
    """
    V, a = trl.signed_stack(W, U)
    return trl.loss(V, a, X, np.ones(X.shape[0]), loss="hinge", reduction="sum", b=b)


def gradient(
    W: np.ndarray, U: np.ndarray, X: np.ndarray, b: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The a.e. gradient (8) of the summed hinge loss with respect to ``W`` and ``U``.

    ``grad_{w_j} L = -sum_x 1[f(x) < 1] 1[<w_j, x> > b] x`` and
    ``grad_{u_j} L = +sum_x 1[f(x) < 1] 1[<u_j, x> > b] x``.

    References
    ----------
    Long et al. (2021), eq. (8) and the proof of Lemma 2; ``ch-long2021``.
    """
    V, a = trl.signed_stack(W, U)
    gV, _ = trl.gradient(V, a, X, np.ones(X.shape[0]), loss="hinge", reduction="sum", b=b)
    k = W.shape[-2]
    return gV[..., :k, :], gV[..., k:, :]


def column_norm_sum(V: np.ndarray) -> np.ndarray:
    """The paper's matrix norm ``|V| = sum_j |v_j|`` (column-wise l2 norms summed), shape (...,).

    References
    ----------
    Long et al. (2021), Section 1 (Notations); ``ch-long2021``.
    """
    return np.sqrt((V * V).sum(-1)).sum(-1)


def init_weights(
    rng: np.random.Generator, n_runs: int, k: int, d: int = 2, half_space: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Random or half-space initialisation of Section 6.1, for ``n_runs`` runs.

    Entries are i.i.d. N(0, 1); ``W`` is drawn first as one ``(n_runs, k, d)`` array, then ``U``.
    The half-space initialisation replaces the first coordinate of every ``w_j`` and ``u_j``
    by its absolute value.

    References
    ----------
    Long et al. (2021), Section 6.1 (second simulation); ``ch-long2021``.
    """
    W = rng.standard_normal((n_runs, k, d))
    U = rng.standard_normal((n_runs, k, d))
    if half_space:
        W[..., 0] = np.abs(W[..., 0])
        U[..., 0] = np.abs(U[..., 0])
    return W, U


@dataclass
class GDSummary:
    """Per-run summaries of a batch of GD runs (every field has shape ``(n_runs,)``).

    Attributes
    ----------
    iters : number of GD updates until the loss is exactly 0 (``T_conv``); ``max_iter`` if not.
    converged : whether the loss reached 0 within ``max_iter`` updates.
    max_norm : ``max_{0<=t<=T_conv} |W^(t)|`` with the column-norm sum over all 2k neurons.
    max_norm_w : the same for the ``w_j`` only.
    norm0 : ``|W^(0)|``.
    gc0 : whether the geometric condition (Lemma 4) holds at ``t = 0``.
    t_gc : first ``t`` at which the condition holds (``-1`` if never up to ``T_conv``).
    gc_final : whether it holds at ``T_conv``.
    n_nogc : ``|T_1|``, the number of ``t < T_conv`` at which it fails (Prop. 3).
    loss_gc, loss_nogc : summed loss added over ``t < T_conv`` in ``T_2`` and ``T_1`` (Prop. 4).
    max_loss_increase : ``max_t L(W^(t+1)) - L(W^(t))`` (Theorem 1).
    min_w_increment : ``min_{t,j} |w_j^(t+1)| - |w_j^(t)|`` (Lemma 3a).
    max_u_excess : ``max_{t,j} |u_j^(t+1)|^2 - |u_j^(t)|^2 - eta^2 |grad_u_j|^2``.
    max_u_increase : ``max_{t,j} |u_j^(t+1)| - |u_j^(t)|`` (Lemma 3b).
    u_norm_at_increase : the largest ``|u_j^(t)|`` at a step where ``|u_j|`` increased (0 if none).
    loss0 : ``L(W^(0))``, the summed loss at initialisation.
    loss_at_gc : ``L(W^(T_gc))`` at the first GC iterate (NaN if GC never held).
    loss_at_2gc : ``L(W^(2 T_gc))``, the end of a window after ``T_gc`` as long as the one before
        it (0 if the run converged earlier, since the loss then stays 0; NaN if ``T_gc <= 0`` or
        the cap came first).
    stationary : whether the run stopped at an exact critical point with positive loss (gradient
        exactly 0, so GD would never move it again); such a run is not ``converged``.
    t_end : the last iterate of the run: ``T_conv``, the stall time of a stationary run, or
        ``max_iter`` for a run censored at the cap (still moving). Sums and maxima run to it.
    loss_history : object array; with ``record_loss=True`` entry ``i`` is the summed loss
        ``L(W^(t))`` of run ``i`` for ``t = 0..t_end`` (otherwise ``None``).
    """

    iters: np.ndarray
    converged: np.ndarray
    max_norm: np.ndarray
    max_norm_w: np.ndarray
    norm0: np.ndarray
    gc0: np.ndarray
    t_gc: np.ndarray
    gc_final: np.ndarray
    n_nogc: np.ndarray
    loss_gc: np.ndarray
    loss_nogc: np.ndarray
    max_loss_increase: np.ndarray
    min_w_increment: np.ndarray
    max_u_excess: np.ndarray
    max_u_increase: np.ndarray
    u_norm_at_increase: np.ndarray
    loss0: np.ndarray
    loss_at_gc: np.ndarray
    loss_at_2gc: np.ndarray
    stationary: np.ndarray
    t_end: np.ndarray
    loss_history: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        """The summaries as a dictionary of arrays."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def concat_summaries(summaries) -> GDSummary:
    """Concatenate the per-run summaries of several batches into one :class:`GDSummary`.

    Parameters
    ----------
    summaries : iterable of GDSummary

    Returns
    -------
    GDSummary
        Every field is the concatenation of the batches' fields, in the given order.

    References
    ----------
    Long et al. (2021), Section 6.1 (Table 1 pools runs over widths); ``ch-long2021``.
    """
    summaries = list(summaries)
    return GDSummary(
        **{
            f.name: np.concatenate([getattr(s, f.name) for s in summaries])
            for f in fields(GDSummary)
        }
    )


def _forward(W, U, E, radii, b):
    """Activation masks, per-ray coefficients and loss for the active runs."""
    aw = np.einsum("bkd,md->bkm", W, E)
    au = np.einsum("bkd,md->bkm", U, E)
    if b == 0.0:
        # homogeneity: <w, r e> = r <w, e> with r > 0, so masks do not depend on the radius
        g = np.maximum(aw, 0).sum(1) - np.maximum(au, 0).sum(1)  # (B, m)
        f = g[:, :, None] * radii[None]  # (B, m, q)
        inloss = f < 1.0
        c = (inloss * radii[None]).sum(-1)  # (B, m)
        cw = (aw > 0) * c[:, None, :]
        cu = (au > 0) * c[:, None, :]
    else:
        pw = aw[..., None] * radii[None, None] - b  # (B, k, m, q)
        pu = au[..., None] * radii[None, None] - b
        f = np.maximum(pw, 0).sum(1) - np.maximum(pu, 0).sum(1)
        inloss = f < 1.0
        rl = inloss[:, None] * radii[None, None]
        cw = ((pw > 0) * rl).sum(-1)
        cu = ((pu > 0) * rl).sum(-1)
    loss = np.where(inloss, 1.0 - f, 0.0).sum((1, 2))
    done = ~inloss.any((1, 2))
    return cw, cu, loss, done


def run_gd(
    W0: np.ndarray,
    U0: np.ndarray,
    directions: np.ndarray,
    radii: np.ndarray,
    eta: float,
    max_iter: int = 20000,
    b: float = 0.0,
    track_gc: bool = True,
    record_loss: bool = False,
) -> GDSummary:
    """Gradient descent (3) on the summed hinge loss of network (6), vectorised across runs.

    The data are rays: point ``(m, q)`` is ``radii[m, q] * directions[m]`` (``radii`` of shape
    ``(q,)`` is shared by all rays), which covers the Section 6.1 set (80 rays x 11 radii) and,
    with ``q = 1``, any finite set.  With ``b = 0`` the activation pattern of a ray does not
    depend on the radius, which makes one step cost ``O(runs x k x rays)``.  Each run stops
    at its own first zero-loss iterate ``T_conv``; there the gradient is exactly 0, so GD would
    not move it any more.  A run whose gradient is exactly 0 at positive loss (an exact critical
    point of the finite-set loss, possible because a point that activates no neuron carries loss
    but no gradient) is stopped too and flagged ``stationary``.

    Parameters
    ----------
    W0, U0 : ndarray, shape (n_runs, k, d)
    directions : ndarray, shape (m, d), unit vectors
    radii : ndarray, shape (q,) or (m, q), positive
    eta : float
        Step size on the *summed* loss (the paper's ``1/(10 |X|)``).
    max_iter : int
        Cap on the number of updates.
    b : float
        Fixed bias (0 in all of Section 6.1).
    track_gc : bool
        Whether to test the geometric condition of the ``w_j`` at every iterate.
    record_loss : bool
        Whether to keep every run's loss trajectory (``loss_history``; memory grows with the
        total number of iterations of all runs, not with ``n_runs x max_iter``).

    Returns
    -------
    GDSummary

    References
    ----------
    Long et al. (2021), eqs. (3), (6), (8), Lemma 3, Lemma 4, Props 3-4, Section 6.1;
    ``ch-long2021``.
    """
    E = np.asarray(directions, dtype=float)
    R = np.asarray(radii, dtype=float)
    R = np.broadcast_to(R, (E.shape[0], R.shape[-1])) if R.ndim == 1 else R
    W = np.array(W0, dtype=float)
    U = np.array(U0, dtype=float)
    n = W.shape[0]
    out = dict(
        iters=np.full(n, max_iter, dtype=np.int64),
        converged=np.zeros(n, bool),
        max_norm=np.zeros(n),
        max_norm_w=np.zeros(n),
        norm0=column_norm_sum(W) + column_norm_sum(U),
        gc0=np.zeros(n, bool),
        t_gc=np.full(n, -1, dtype=np.int64),
        gc_final=np.zeros(n, bool),
        n_nogc=np.zeros(n, dtype=np.int64),
        loss_gc=np.zeros(n),
        loss_nogc=np.zeros(n),
        max_loss_increase=np.full(n, -np.inf),
        min_w_increment=np.full(n, np.inf),
        max_u_excess=np.full(n, -np.inf),
        max_u_increase=np.full(n, -np.inf),
        u_norm_at_increase=np.zeros(n),
        loss0=np.zeros(n),
        loss_at_gc=np.full(n, np.nan),
        loss_at_2gc=np.full(n, np.nan),
        stationary=np.zeros(n, bool),
        t_end=np.full(n, max_iter, dtype=np.int64),
    )
    idx = np.arange(n)
    wn = np.sqrt((W * W).sum(-1))
    un = np.sqrt((U * U).sum(-1))
    prev_loss = np.full(n, np.nan)
    hist: list[tuple[np.ndarray, np.ndarray]] = []
    for t in range(max_iter + 1):
        cw, cu, loss, done = _forward(W, U, E, R, b)
        if t == 0:
            out["loss0"][idx] = loss
        if record_loss:
            hist.append((idx, loss))
        norm_w = wn.sum(-1)
        out["max_norm"][idx] = np.maximum(out["max_norm"][idx], norm_w + un.sum(-1))
        out["max_norm_w"][idx] = np.maximum(out["max_norm_w"][idx], norm_w)
        if t > 0:
            out["max_loss_increase"][idx] = np.maximum(
                out["max_loss_increase"][idx], loss - prev_loss
            )
        if track_gc:
            gc = gc_holds(W)
            if t == 0:
                out["gc0"][idx] = gc
            first = gc & (out["t_gc"][idx] < 0)
            out["t_gc"][idx[first]] = t
            out["loss_at_gc"][idx[first]] = loss[first]
            tg = out["t_gc"][idx]
            at2 = (tg > 0) & ((t == 2 * tg) | (done & (t < 2 * tg)))
            out["loss_at_2gc"][idx[at2]] = loss[at2]
            out["gc_final"][idx] = gc
            live = ~done
            out["n_nogc"][idx] += live & ~gc
            out["loss_gc"][idx] += np.where(live & gc, loss, 0.0)
            out["loss_nogc"][idx] += np.where(live & ~gc, loss, 0.0)
        if done.any():
            out["iters"][idx[done]] = t
            out["t_end"][idx[done]] = t
            out["converged"][idx[done]] = True
            keep = ~done
            idx, W, U, cw, cu, loss = idx[keep], W[keep], U[keep], cw[keep], cu[keep], loss[keep]
            wn, un = wn[keep], un[keep]
        if idx.size == 0 or t == max_iter:
            break
        gw = cw @ E  # -grad_w = +sum 1[.] x
        gu = cu @ E  # grad_u = +sum 1[.] x; descent subtracts
        still = ~((gw == 0).all((1, 2)) & (gu == 0).all((1, 2)))
        if not still.all():
            out["stationary"][idx[~still]] = True
            out["t_end"][idx[~still]] = t
            idx, W, U, gw, gu = idx[still], W[still], U[still], gw[still], gu[still]
            loss, wn, un = loss[still], wn[still], un[still]
            if idx.size == 0:
                break
        W = W + eta * gw
        U = U - eta * gu
        wn_new = np.sqrt((W * W).sum(-1))
        un_new = np.sqrt((U * U).sum(-1))
        out["min_w_increment"][idx] = np.minimum(out["min_w_increment"][idx], (wn_new - wn).min(-1))
        excess = un_new**2 - un**2 - eta**2 * (gu * gu).sum(-1)
        out["max_u_excess"][idx] = np.maximum(out["max_u_excess"][idx], excess.max(-1))
        du = un_new - un
        out["max_u_increase"][idx] = np.maximum(out["max_u_increase"][idx], du.max(-1))
        at = np.where(du > 0, un, 0.0).max(-1)
        out["u_norm_at_increase"][idx] = np.maximum(out["u_norm_at_increase"][idx], at)
        wn, un, prev_loss = wn_new, un_new, loss
    out["loss_history"] = _split_history(hist, n) if record_loss else np.full(n, None, object)
    return GDSummary(**out)


def _split_history(hist, n):
    """Per-run loss trajectories from the per-step (run indices, losses) records."""
    runs = np.concatenate([i for i, _ in hist])
    vals = np.concatenate([v for _, v in hist])
    order = np.argsort(runs, kind="stable")  # steps are recorded in time order
    counts = np.bincount(runs, minlength=n)
    out = np.empty(n, dtype=object)
    for i, seg in enumerate(np.split(vals[order], np.cumsum(counts)[:-1])):
        out[i] = seg
    return out


def gd_trajectory(
    W0: np.ndarray,
    U0: np.ndarray,
    X: np.ndarray,
    eta: float,
    max_iter: int = 20000,
    b: float = 0.0,
) -> dict[str, np.ndarray]:
    """Full trajectory of one GD run (3) on the summed hinge loss, until zero loss.

    Parameters
    ----------
    W0, U0 : ndarray, shape (k, d)
    X : ndarray, shape (n, d), label-+1 points

    Returns
    -------
    dict with ``W`` and ``U`` of shape ``(T+1, k, d)`` and ``loss`` of shape ``(T+1,)``,
    where ``T`` is the first iterate with zero loss (or ``max_iter``).

    References
    ----------
    Long et al. (2021), eq. (3), Fig. 4; ``ch-long2021``.
    """
    W, U = np.array(W0, dtype=float), np.array(U0, dtype=float)
    Ws, Us, losses = [W], [U], [float(hinge_loss(W, U, X, b))]
    for _ in range(max_iter):
        if losses[-1] == 0.0:
            break
        gw, gu = gradient(W, U, X, b)
        W, U = W - eta * gw, U - eta * gu
        Ws.append(W)
        Us.append(U)
        losses.append(float(hinge_loss(W, U, X, b)))
    return {"W": np.stack(Ws), "U": np.stack(Us), "loss": np.asarray(losses)}
