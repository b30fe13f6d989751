"""Gradient descent and SGD as in Section 4 and Appendix A of Min et al. (2024), and the
diagnostics of Figures 5–13, batched over runs (leading axes).

GD updates W and v simultaneously from gradients at the same point, with the a.e. gradient
σ'(0) = 0. Initialisation of the experiments: [W]_ij, v_j ~ N(0, α²) i.i.d. (not balanced).

References
----------
Min, Mallada & Vidal (2024), Section 4, Appendix A.1–A.5, Figures 5–13; chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

from ...models import two_layer_relu as trl
from . import alignment

__all__ = [
    "gaussian_init",
    "forward",
    "grads",
    "loss_value",
    "gd",
    "sgd",
    "stable_rank",
    "spectral_sq",
    "alignment_bands",
    "norm_direction_change",
    "direction_derivative",
]


def gaussian_init(rng: np.random.Generator, shape: tuple, h: int, D: int, scale: float):
    """W (shape + (h, D)) and v (shape + (h,)) with i.i.d. N(0, scale²) entries.

    References
    ----------
    Min et al. (2024), Section 4 and A.1 ([W]_ij, v_j ~ N(0, α²), α = 1e-6); ``ch-min2024``.
    """
    W = scale * rng.standard_normal(tuple(shape) + (h, D))
    v = scale * rng.standard_normal(tuple(shape) + (h,))
    return W, v


def forward(W, v, X):
    """f(x_i) = Σ_j v_j σ(⟨w_j, x_i⟩) (the shared model), shape (..., n)."""
    return trl.forward(W, v, X)


def loss_value(W, v, X, y, loss="logistic", reduction="sum"):
    """𝓛 = Σ_i ℓ(y_i, f(x_i)) (or the mean), from the shared model."""
    return trl.loss(W, v, X, y, loss=loss, reduction=reduction)


def grads(W, v, X, y, loss="logistic", reduction="sum"):
    """(∇_W 𝓛, ∇_v 𝓛), the a.e. gradient of the shared model (σ'(0) = 0).

    References
    ----------
    Min et al. (2024), Eq. (12); ``ch-min2024``.
    """
    return trl.gradient(W, v, X, y, loss=loss, reduction=reduction)


# Working set (bytes) of the (h, n) arrays of one group of runs: runs are advanced together
# as long as they fit in about half of a core's L2 cache. On the digits (h = 50, n = 361) one
# run already fills it, and advancing the 9 runs one group at a time is 1.8x faster than as one
# array, with bit-identical results (benchmarks/min2024_digits.py).
_GROUP_BYTES = 1 << 20


def gd(
    X,
    y,
    W0,
    v0,
    *,
    eta,
    n_iter: int,
    loss: str = "logistic",
    reduction: str = "sum",
    train_v: bool = True,
    record_every: int = 10,
    n_real=None,
) -> dict:
    """Full-batch gradient descent on W and v (v frozen if ``train_v`` is False), batched.

    ``eta`` may be an array broadcasting against the leading axes (one step per run).
    Data sets of different sizes can share one batch by zero-padding X (a zero row is never
    active, so it adds no gradient); ``n_real`` (broadcasting against the leading axes) then
    gives the true sizes, used for the recorded loss and accuracy with ``reduction="mean"``
    (the caller rescales ``eta`` by n_pad/n_real so that the step is that of the true mean).

    Runs are advanced together in groups whose ``(h, n)`` intermediates fit in cache (all of
    them at once for small data sets; one at a time on the digits); the grouping does not
    change a bit of the result, only the time.

    Returns
    -------
    dict with ``it`` (n_rec,), ``W`` (n_rec, ..., h, D), ``v`` (n_rec, ..., h), ``loss``
    (n_rec, ...) and ``acc`` (n_rec, ...) (fraction of y_i f_i > 0) at the recorded
    iterations (every ``record_every`` and the last).

    References
    ----------
    Min et al. (2024), Section 4 and A.1 (GD with step η on both layers); ``ch-min2024``.
    """
    W0, v0, X, y = (np.asarray(a, float) for a in (W0, v0, X, y))
    eta = np.asarray(eta, float)
    real = None if n_real is None else np.asarray(n_real, float)
    h, n = W0.shape[-2], X.shape[-2]
    shapes = [W0.shape[:-2], v0.shape[:-1], X.shape[:-2], y.shape[:-1], eta.shape]
    lead = np.broadcast_shapes(*shapes, *([] if real is None else [real.shape]))
    runs = int(np.prod(lead))
    size = max(1, _GROUP_BYTES // (3 * 8 * h * n))
    kw = dict(
        n_iter=n_iter, loss=loss, reduction=reduction, train_v=train_v, record_every=record_every
    )
    if runs <= size:
        return _gd_group(X, y, W0, v0, eta=eta, n_real=real, **kw)
    slices = [slice(i, min(i + size, runs)) for i in range(0, runs, size)]

    def per_group(a, tail):
        """``a`` cut into the groups (the whole of it where all runs share it)."""
        if a is None or a.ndim == tail:
            return [a] * len(slices)
        shape = a.shape[a.ndim - tail :]
        flat = np.broadcast_to(a, lead + shape).reshape((runs,) + shape)
        return [flat[sl] for sl in slices]

    args = zip(
        *(per_group(a, t) for a, t in ((X, 2), (y, 1), (W0, 2), (v0, 1), (eta, 0), (real, 0))),
        strict=True,
    )
    groups = [_gd_group(Xg, yg, Wg, vg, eta=eg, n_real=rg, **kw) for Xg, yg, Wg, vg, eg, rg in args]
    out = {"it": groups[0]["it"]}
    for key in ("W", "v", "loss", "acc"):
        cat = np.concatenate([g[key] for g in groups], axis=1)
        out[key] = cat.reshape(cat.shape[:1] + lead + cat.shape[2:])
    return out


def _gd_group(X, y, W0, v0, *, eta, n_real, **kw) -> dict:
    """:func:`gd` on one group of runs, all advanced as one array (``kw``: gd's options)."""
    n_iter, loss, reduction = kw["n_iter"], kw["loss"], kw["reduction"]
    train_v, record_every = kw["train_v"], kw["record_every"]
    W = np.array(W0, float)
    v = np.array(v0, float)
    eta = np.asarray(eta, float)
    eW = eta[..., None, None] if eta.ndim else eta
    ev = eta[..., None] if eta.ndim else eta
    npad = np.shape(X)[-2]
    real = None if n_real is None else np.asarray(n_real, float)
    its, Ws, vs, Ls, accs = [], [], [], [], []
    for k in range(n_iter + 1):
        if k % record_every == 0 or k == n_iter:
            f = trl.forward(W, v, X)
            li = trl.loss_value(loss, y, f)
            ok = y * f > 0
            if real is None:
                L = li.sum(-1) if reduction == "sum" else li.mean(-1)
                acc = ok.mean(-1)
            else:  # padded rows have f = 0: ℓ(y, 0) each and never correct
                L = li.sum(-1) - (npad - real) * trl.loss_value(loss, 1.0, 0.0)
                L = L if reduction == "sum" else L / real
                acc = ok.sum(-1) / real
            its.append(k)
            Ws.append(W.copy())
            vs.append(v.copy())
            Ls.append(L)
            accs.append(acc)
        if k == n_iter:
            break
        gW, gv = trl.gradient(W, v, X, y, loss=loss, reduction=reduction)
        W = W - eW * gW
        if train_v:
            v = v - ev * gv
    return dict(
        it=np.asarray(its),
        W=np.asarray(Ws),
        v=np.asarray(vs),
        loss=np.asarray(Ls),
        acc=np.asarray(accs),
    )


def sgd(
    X,
    y,
    W0,
    v0,
    *,
    eta: float,
    n_epochs: int,
    batch: int,
    rng: np.random.Generator,
    loss: str = "logistic",
    train_v: bool = True,
    record_epochs=None,
) -> dict:
    """Minibatch SGD on the mean loss (one run; a fresh permutation each epoch).

    At the end of each epoch in ``record_epochs`` (and before the first, epoch 0), the
    full-batch diagnostics of Appendix A.5 are recorded (:func:`norm_direction_change`)
    with the full-batch mean loss.

    Returns
    -------
    dict with ``epoch``, ``loss``, ``norm_change``, ``dir_change`` (recorded epochs) and the
    final ``W``, ``v``.

    References
    ----------
    Min et al. (2024), Appendix A.5 (SGD, both layers or W only), Figures 12–13;
    ``ch-min2024``.
    """
    W = np.array(W0, float)
    v = np.array(v0, float)
    n = X.shape[0]
    rec = set(int(e) for e in (record_epochs if record_epochs is not None else range(n_epochs + 1)))
    out = {"epoch": [], "loss": [], "norm_change": [], "dir_change": []}

    def record(e):
        nc, dc = norm_direction_change(W, v, X, y, loss, "mean")
        out["epoch"].append(e)
        out["loss"].append(trl.loss(W, v, X, y, loss=loss, reduction="mean"))
        out["norm_change"].append(nc)
        out["dir_change"].append(dc)

    if 0 in rec:
        record(0)
    nb = n // batch
    for e in range(1, n_epochs + 1):
        perm = rng.permutation(n)
        for b in range(nb):
            idx = perm[b * batch : (b + 1) * batch]
            gW, gv = trl.gradient(W, v, X[idx], y[idx], loss=loss, reduction="mean")
            W = W - eta * gW
            if train_v:
                v = v - eta * gv
        if e in rec:
            record(e)
    return {k: np.asarray(val) for k, val in out.items()} | {"W": W, "v": v}


def spectral_sq(W):
    """‖W‖₂² for W (..., h, D)."""
    return np.linalg.svd(W, compute_uv=False)[..., 0] ** 2


def stable_rank(W):
    """‖W‖_F² / ‖W‖₂² for W (..., h, D).

    References
    ----------
    Min et al. (2024), Theorem 1 (lim sup ≤ 2), Figure 5 (third plot); ``ch-min2024``.
    """
    s = np.linalg.svd(W, compute_uv=False)
    return np.sum(s**2, axis=-1) / s[..., 0] ** 2


def alignment_bands(W, v, X, y):
    """cos(w̄₊, x₊) and min/max_j∈V₊(t) cos(w_j, x₊), and the same for V₋(t) and x₋.

    V±(t) are taken by the current sign of v_j. Returns a dict of arrays over the leading
    axes: ``mean_plus``, ``min_plus``, ``max_plus``, ``mean_minus``, ``min_minus``,
    ``max_minus`` (NaN where a set is empty).

    References
    ----------
    Min et al. (2024), Section 4 (Figure 5, second plot); ``ch-min2024``.
    """
    xp, xm = X[y > 0].sum(0), X[y < 0].sum(0)
    out = {}
    nrm = np.linalg.norm(W, axis=-1)
    for key, x, mask in (("plus", xp, v > 0), ("minus", xm, v < 0)):
        c = (W @ x) / (nrm * np.linalg.norm(x))
        cnt = mask.sum(-1)
        wbar = np.sum(W * mask[..., None], axis=-2) / np.maximum(cnt, 1)[..., None]
        cm = (wbar @ x) / (np.linalg.norm(wbar, axis=-1) * np.linalg.norm(x))
        out[f"mean_{key}"] = np.where(cnt > 0, cm, np.nan)
        out[f"min_{key}"] = np.where(cnt > 0, np.min(np.where(mask, c, np.inf), -1), np.nan)
        out[f"max_{key}"] = np.where(cnt > 0, np.max(np.where(mask, c, -np.inf), -1), np.nan)
    return out


def direction_derivative(W, v, X, y, loss="logistic", reduction="sum"):
    """d/dt (w_j/‖w_j‖) = P_{w_j}(-∇_{w_j}L)/‖w_j‖ along gradient flow, from the full gradient.

    References
    ----------
    Min et al. (2024), proof of Lemma 4 (B.3); ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.min2024.alignment.lemma4_error : the same through the reduction (13).
    """
    gW, _ = trl.gradient(W, v, X, y, loss=loss, reduction=reduction)
    return alignment.project_out(W, -gW) / np.linalg.norm(W, axis=-1, keepdims=True)


def norm_direction_change(W, v, X, y, loss="logistic", reduction="sum"):
    """The two diagnostics of Appendix A.5 (summed over neurons j, as the text intends).

    norm change = Σ_j 2⟨-∇_{w_j}L, w_j⟩ (= d/dt Σ_j ‖w_j‖² under ẇ = -∇L);
    direction change = Σ_j ‖P_{w_j}(-∇_{w_j}L)/‖w_j‖‖.

    References
    ----------
    Min et al. (2024), Appendix A.5 (printed with Σ_i; the chapter notes the index);
    ``ch-min2024``.
    """
    gW, _ = trl.gradient(W, v, X, y, loss=loss, reduction=reduction)
    nc = np.sum(2.0 * np.sum(-gW * W, axis=-1), axis=-1)
    d = alignment.project_out(W, -gW) / np.linalg.norm(W, axis=-1, keepdims=True)
    dc = np.sum(np.linalg.norm(d, axis=-1), axis=-1)
    return nc, dc
