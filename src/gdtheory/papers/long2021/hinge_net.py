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


class _Rays:
    """The data as rays, with what one step of :func:`run_gd` needs precomputed.

    Point ``(m, q)`` is ``radii[m, q] * directions[m]``.  When all rays share their radii
    (``radii`` of shape ``(q,)``) and ``b = 0``, the points of ray ``m`` in the hinge loss
    (``f = g_m r_q < 1``, with ``g_m`` the network output at ``directions[m]``) are the ``j_m``
    smallest radii, ``j_m`` being the number of thresholds ``1/r_q`` above ``g_m``: one binary
    search per ray replaces a pass over every point, and the ray's loss and gradient weight are
    ``j_m - g_m S_{j_m}`` and ``S_{j_m}`` with ``S_j`` the sum of the ``j`` smallest radii.

    Arrays are neuron-major, ``(2k, B, ...)``, so that every element-wise operation runs over
    one contiguous block per neuron, and the large intermediates live in two buffers allocated
    once for the largest batch (they stay in cache instead of being allocated every step).
    """

    def __init__(self, directions, radii, b, n_neurons, n_runs):
        self.E = np.asarray(directions, dtype=float)
        R = np.asarray(radii, dtype=float)
        self.b = float(b)
        self.shared = R.ndim == 1 and self.b == 0.0
        m = self.E.shape[0]
        if self.shared:
            r = np.sort(R)
            self.q = r.size
            self.thresholds = np.sort(1.0 / r)
            self.prefix = np.concatenate([[0.0], np.cumsum(r)])
            self._a = np.empty((n_neurons * n_runs, m))
            self._mask = np.empty((n_neurons * n_runs, m), dtype=bool)
        self.R = np.broadcast_to(R, (m, R.shape[-1])) if R.ndim == 1 else R

    def terms(self, V, sign):
        """Ascent direction ``sum_x 1[f(x) < 1] 1[<v_j, x> > b] x`` of every neuron, and the loss.

        Parameters
        ----------
        V : ndarray, shape (2k, B, d)
            The ``+1`` neurons, then the ``-1`` neurons, of ``B`` runs.
        sign : ndarray, shape (2k,)
            Their output weights.

        Returns
        -------
        G : ndarray, shape (2k, B, d)
        loss : ndarray, shape (B,)
            The summed hinge loss.
        done : ndarray of bool, shape (B,)
            Whether the loss is exactly 0 (no point has ``f < 1``).
        """
        n2k, B, d = V.shape
        E = self.E
        m = E.shape[0]
        if self.shared:
            a = self._a[: n2k * B]
            mask = self._mask[: n2k * B]
            np.matmul(V.reshape(-1, d), E.T, out=a)  # <v_j, e_m>
            np.greater(a, 0.0, out=mask)
            np.maximum(a, 0.0, out=a)
            g = (sign @ a.reshape(n2k, -1)).reshape(B, m)  # output on the unit directions
            j = self.q - np.searchsorted(self.thresholds, g, side="right")
            c = self.prefix[j]
            loss = (j - g * c).sum(-1)
            done = ~j.any(-1)
            np.multiply(mask.reshape(n2k, B, m), c, out=a.reshape(n2k, B, m))
            return (a @ E).reshape(n2k, B, d), loss, done
        a = (V.reshape(-1, d) @ E.T).reshape(n2k, B, m)
        p = a[..., None] * self.R - self.b  # (2k, B, m, q)
        f = np.tensordot(sign, np.maximum(p, 0.0), axes=(0, 0))  # (B, m, q)
        inloss = f < 1.0
        weight = ((p > 0.0) * (inloss * self.R)).sum(-1)
        loss = np.maximum(1.0 - f, 0.0).sum((1, 2))
        done = ~inloss.any((1, 2))
        return weight @ E, loss, done


_MAXIMA = (
    "max_norm",
    "max_norm_w",
    "max_loss_increase",
    "max_u_excess",
    "max_u_increase",
    "u_norm_at_increase",
)
_GC_FIELDS = ("t_gc", "loss_at_gc", "loss_at_2gc", "gc_final", "n_nogc", "loss_gc", "loss_nogc")


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
    but no gradient) is stopped too and flagged ``stationary``.  Only the runs still moving are
    computed on: a stopped run leaves the arrays, its summaries are written out once.

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
    W = np.asarray(W0, dtype=float)
    U = np.asarray(U0, dtype=float)
    n, k = W.shape[:2]
    rays = _Rays(directions, radii, b, 2 * k, n)
    # neuron-major state (2k, runs, d): the +1 neurons, then the -1 neurons
    V, sign = trl.signed_stack(W, U)
    V = np.ascontiguousarray(V.transpose(1, 0, 2))
    step = (eta * sign)[:, None, None]  # w += eta * G_w, u -= eta * G_u
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
    # running summaries of the runs still moving, compacted whenever runs stop
    acc = {f: out[f].copy() for f in _MAXIMA + ("min_w_increment",)}
    if track_gc:
        acc.update({f: out[f].copy() for f in _GC_FIELDS})
    idx = np.arange(n)

    def retire(stop, t, converged):
        """Write out the summaries of the runs ``stop`` (a mask) and drop them from the arrays."""
        nonlocal idx, V, vsq, vn, loss
        gone = idx[stop]
        out["t_end"][gone] = t
        if converged:
            out["iters"][gone] = t
            out["converged"][gone] = True
        else:
            out["stationary"][gone] = True
        keep = ~stop
        for f, v in acc.items():
            out[f][gone] = v[stop]
            acc[f] = v[keep]
        idx, V, vsq, vn, loss = idx[keep], V[:, keep], vsq[:, keep], vn[:, keep], loss[keep]
        return keep

    vsq = (V * V).sum(-1)  # (2k, runs)
    vn = np.sqrt(vsq)
    prev_loss = None  # the loss of the previous iterate, first read at t = 1
    hist: list[tuple[np.ndarray, np.ndarray]] = []
    for t in range(max_iter + 1):
        G, loss, done = rays.terms(V, sign)
        if t == 0:
            out["loss0"][:] = loss
        if record_loss:
            hist.append((idx, loss))
        norm_w = vn[:k].sum(0)
        np.maximum(acc["max_norm"], norm_w + vn[k:].sum(0), out=acc["max_norm"])
        np.maximum(acc["max_norm_w"], norm_w, out=acc["max_norm_w"])
        if t > 0:
            np.maximum(acc["max_loss_increase"], loss - prev_loss, out=acc["max_loss_increase"])
        if track_gc:
            gc = gc_holds(V[:k].transpose(1, 0, 2))
            if t == 0:
                out["gc0"][:] = gc
            first = gc & (acc["t_gc"] < 0)
            acc["t_gc"][first] = t
            acc["loss_at_gc"][first] = loss[first]
            tg = acc["t_gc"]
            at2 = (tg > 0) & ((t == 2 * tg) | (done & (t < 2 * tg)))
            acc["loss_at_2gc"][at2] = loss[at2]
            acc["gc_final"][:] = gc
            live = ~done
            acc["n_nogc"] += live & ~gc
            acc["loss_gc"] += np.where(live & gc, loss, 0.0)
            acc["loss_nogc"] += np.where(live & ~gc, loss, 0.0)
        if done.any():
            G = G[:, retire(done, t, converged=True)]
        if idx.size == 0 or t == max_iter:
            break
        moving = G.any((0, 2))
        if not moving.all():
            G = G[:, retire(~moving, t, converged=False)]
            if idx.size == 0:
                break
        gsq_u = (G[k:] * G[k:]).sum(-1)
        V = V + step * G
        vsq_new = (V * V).sum(-1)
        vn_new = np.sqrt(vsq_new)
        np.minimum(acc["min_w_increment"], (vn_new[:k] - vn[:k]).min(0), out=acc["min_w_increment"])
        excess = vsq_new[k:] - vsq[k:] - eta**2 * gsq_u
        np.maximum(acc["max_u_excess"], excess.max(0), out=acc["max_u_excess"])
        du = vn_new[k:] - vn[k:]
        np.maximum(acc["max_u_increase"], du.max(0), out=acc["max_u_increase"])
        at = np.where(du > 0, vn[k:], 0.0).max(0)
        np.maximum(acc["u_norm_at_increase"], at, out=acc["u_norm_at_increase"])
        vsq, vn, prev_loss = vsq_new, vn_new, loss
    for f, v in acc.items():  # runs censored at the cap
        out[f][idx] = v
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
