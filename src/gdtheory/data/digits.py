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

__all__ = ["digits_32x32"]


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
    from sklearn.datasets import load_digits

    d = load_digits()
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
