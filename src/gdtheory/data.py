"""Data sets: the synthetic rays of Long et al. (2021, Section 6.1) and the 8x8 digits.

References
----------
Long, Yin & Xin (2021), Section 6.1 and Section 6.2; book chapter ``ch-long2021``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["long2021_rays", "long2021_points", "digits_32x32"]


def long2021_rays(refine: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Directions and radii of the Section 6.1 data set, as a product of rays.

    The data set is ``{(20/a)(cos(b pi/40), sin(b pi/40)) : a in [20]-[9], b in [80]}``:
    80 unit directions (``b = 1..80``) times 11 radii ``20/a`` (``a = 10..20``).
    ``refine > 1`` gives the same construction on a finer grid (not in the paper): angles
    ``b pi/(40 refine)``, ``b = 1..80 refine``, and ``a = 10, 10 + 1/refine, ..., 20``, a
    discretisation of the same continuum density ``1/(pi |x|^3)`` on ``1 <= |x| <= 2``.

    Parameters
    ----------
    refine : int
        Refinement factor of both grids (1: the paper's 880 points).

    Returns
    -------
    directions : ndarray, shape (80 refine, 2)
        Unit vectors ``(cos(b pi/(40 refine)), sin(b pi/(40 refine)))``, ``b = 1, 2, ...``.
    radii : ndarray, shape (10 refine + 1,)
        ``20/a`` for ``a = 10, ..., 20`` (so from 2 down to 1).

    References
    ----------
    Long et al. (2021), Section 6.1; ``ch-long2021``.
    """
    if refine < 1:
        raise ValueError("refine must be a positive integer")
    b = np.arange(1, 80 * refine + 1)
    ang = b * np.pi / (40 * refine)
    directions = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    radii = 20.0 / (np.arange(10 * refine, 20 * refine + 1) / refine)
    return directions, radii


def long2021_points() -> np.ndarray:
    """The 880 points of the Section 6.1 data set (all labelled +1), shape (880, 2).

    Ordered ray by ray: point ``11*(b-1) + (a-10)`` is ``(20/a) e_b``.

    References
    ----------
    Long et al. (2021), Section 6.1; ``ch-long2021``.
    """
    directions, radii = long2021_rays()
    return (directions[:, None, :] * radii[None, :, None]).reshape(-1, 2)


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
