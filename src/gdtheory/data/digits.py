"""scikit-learn's bundled 8×8 digits (offline), the book's substitute for MNIST.

Shared by the chapters that train on images (``ch-long2021``, ``ch-min2024``). Loaded from
the copy that ships inside scikit-learn: nothing is downloaded.

References
----------
Long, Yin & Xin (2021), Section 6.2; Min, Mallada & Vidal (2024), Section 4; chapters
``ch-long2021``, ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["load_8x8", "digits_32x32", "digits_pair"]


def load_8x8():
    """scikit-learn's bundled 8×8 digits (a ``Bunch``), read from the copy inside the package.

    Raises
    ------
    RuntimeError
        One clear line if scikit-learn or its bundled file is missing (nothing is downloaded).
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - environment problem
        raise RuntimeError("scikit-learn is needed for the bundled 8x8 digits") from exc
    try:
        return load_digits()
    except Exception as exc:  # pragma: no cover - environment problem
        raise RuntimeError(f"the bundled 8x8 digits could not be loaded: {exc}") from exc


def digits_32x32() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits, scaled to [0, 1] and bilinearly resized to 32x32.

    An offline stand-in for MNIST in the LeNet-5 experiment (Fig. 5).  Nothing is
    downloaded: ``sklearn.datasets.load_digits`` reads a file shipped with scikit-learn.
    The resize is separable linear interpolation with aligned pixel centres
    (``half-pixel`` convention, edge values replicated).

    Returns
    -------
    images : ndarray, shape (1797, 1, 32, 32), float32, values in [0, 1]
    labels : ndarray, shape (1797,), int64

    References
    ----------
    Long et al. (2021), Section 6.2 (MNIST substitute); ``ch-long2021``.
    """
    d = load_8x8()
    img = d.images.astype(np.float64) / 16.0
    m = _linear_resize_matrix(8, 32)
    out = np.einsum("ij,njk,lk->nil", m, img, m)
    return out[:, None].astype(np.float32), d.target.astype(np.int64)


def _linear_resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Matrix of 1-D linear interpolation from ``n_in`` to ``n_out`` samples (half-pixel)."""
    pos = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    pos = np.clip(pos, 0, n_in - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = pos - lo
    m = np.zeros((n_out, n_in))
    m[np.arange(n_out), lo] += 1 - w
    m[np.arange(n_out), hi] += w
    return m


def digits_pair(pos: int, neg: int) -> tuple[np.ndarray, np.ndarray]:
    """Two classes of scikit-learn's bundled 8×8 digits, pixels/16, centred by the pair mean.

    Positive class first (label +1 for digit ``pos``, -1 for ``neg``), each class in the
    order of the bundled file. Nothing is downloaded.

    Returns
    -------
    X : ndarray, shape (n, 64), float64, with ``X.sum(0) == 0`` up to rounding
    y : ndarray, shape (n,)

    Raises
    ------
    RuntimeError
        If scikit-learn's bundled digits cannot be loaded.

    References
    ----------
    Min et al. (2024), Section 4 (centring x_i ← x_i - x̄) with MNIST replaced;
    ``ch-min2024``.
    """
    d = load_8x8()
    data, target = np.asarray(d.data, float) / 16.0, np.asarray(d.target)
    Xp, Xn = data[target == pos], data[target == neg]
    X = np.concatenate([Xp, Xn])
    y = np.concatenate([np.ones(len(Xp)), -np.ones(len(Xn))])
    return X - X.mean(axis=0), y
