"""LeNet-5 trained by plain SGD, for the slow-to-fast loss curve of Long et al. (2021), Fig. 5.

torch is imported inside this module only (the rest of the package is numpy/scipy).

References
----------
Long et al. (2021), Section 6.2 (Fig. 5); ``ch-long2021``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lenet5", "train_sgd", "moving_average", "plateau_then_drop"]


def lenet5():
    """LeNet-5 for 1x32x32 inputs: conv(6,5)-pool-conv(16,5)-pool-fc120-fc84-fc10, ReLU.

    Max pooling, ReLU activations and PyTorch's default initialisation (the paper states
    none of these).

    References
    ----------
    Long et al. (2021), Section 6.2; ``ch-long2021``.
    """
    import torch.nn as nn

    return nn.Sequential(
        nn.Conv2d(1, 6, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def train_sgd(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    n_iter: int,
    lr: float = 0.01,
    batch_size: int = 64,
    threads: int = 1,
    stop_below: float | None = None,
    after_drop: int = 0,
    max_iter: int | None = None,
    window: int = 20,
) -> np.ndarray:
    """Train LeNet-5 with constant-step SGD (no momentum, no weight decay); return the loss curve.

    Minibatches are drawn by reshuffling the training set every epoch with a
    ``numpy.random.default_rng(seed)``; torch is seeded with ``seed`` and run with
    deterministic algorithms, so the same seed gives a bit-identical curve (also across
    thread counts; one thread is the default because this small model gains nothing from more
    and suffers badly from contention on a shared machine).

    Parameters
    ----------
    images : ndarray, shape (n, 1, 32, 32), float32
    labels : ndarray, shape (n,), int64
    seed : int
    n_iter : int
        Number of SGD steps (the minimum number if ``stop_below`` is given).
    lr : float
        Constant learning rate (the paper's 0.01).
    stop_below, after_drop, max_iter, window : optional
        Adaptive horizon: keep training past ``n_iter`` (up to ``max_iter`` steps) until the
        trailing ``window``-step moving average (:func:`moving_average`) has fallen below
        ``stop_below``, then ``after_drop`` steps more. The first steps of a curve do not depend
        on the horizon, so a longer horizon only appends to the same curve.

    Returns
    -------
    ndarray, shape (n_steps,)
        Cross-entropy of the minibatch at each step, before the step; ``n_steps = n_iter``
        without ``stop_below``.

    References
    ----------
    Long et al. (2021), Section 6.2 (Fig. 5); ``ch-long2021``.
    """
    import torch

    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(seed)
    model = lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.0, weight_decay=0.0)
    lossf = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(np.ascontiguousarray(images))
    y = torch.from_numpy(np.ascontiguousarray(labels))
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    cap = n_iter if stop_below is None else max(n_iter, max_iter or n_iter)
    losses = np.empty(cap)
    perm, pos = rng.permutation(n), 0
    t_low = None
    for it in range(cap):
        if stop_below is not None and it >= n_iter and t_low is not None:
            if it > t_low + after_drop:
                return losses[:it]
        if pos + batch_size > n:
            perm, pos = rng.permutation(n), 0
        idx = torch.from_numpy(perm[pos : pos + batch_size])
        pos += batch_size
        opt.zero_grad()
        loss = lossf(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        losses[it] = loss.item()
        if stop_below is not None and t_low is None:
            ma = losses[max(0, it - window + 1) : it + 1].mean()
            if ma < stop_below:
                t_low = it
    return losses


def moving_average(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average along the last axis (first ``window-1`` entries use fewer points)."""
    c = np.cumsum(np.asarray(x, dtype=float), axis=-1)
    out = c.copy()
    out[..., window:] = c[..., window:] - c[..., :-window]
    denom = np.minimum(np.arange(1, x.shape[-1] + 1), window)
    return out / denom


def plateau_then_drop(
    loss: np.ndarray, window: int = 20, plateau_tol: float = 0.1, low: float = 1.0
) -> dict[str, float]:
    """Locate the slow and the fast phase of a loss curve that starts near ``ln 10``.

    ``t_leave`` is the first step at which the moving average is more than ``plateau_tol``
    below its starting value; ``t_low`` the first step at which it is below ``low``.
    The slope of the plateau is ``plateau_tol / t_leave`` (an upper bound on its mean decrease
    rate); the slope of the drop is ``(start - plateau_tol - low) / (t_low - t_leave)``.

    References
    ----------
    Long et al. (2021), Section 6.2 (Fig. 5: slow, then fast after a few hundred iterations);
    ``ch-long2021``.
    """
    ma = moving_average(loss, window)
    start = ma[window - 1]
    below = np.nonzero(ma[window:] < start - plateau_tol)[0]
    t_leave = int(below[0]) + window if below.size else len(ma)
    low_idx = np.nonzero(ma < low)[0]
    t_low = int(low_idx[0]) if low_idx.size else len(ma)
    slow = plateau_tol / max(t_leave, 1)
    fast = (start - plateau_tol - low) / max(t_low - t_leave, 1)
    return {
        "start": float(start),
        "t_leave": t_leave,
        "t_low": t_low,
        "slope_plateau": slow,
        "slope_drop": fast,
        "ratio": fast / slow,
    }
