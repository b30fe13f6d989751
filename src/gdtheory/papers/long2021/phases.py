"""The two phases of Long, Yin & Xin (2021): the loss rate before and after the first GC iterate.

The paper's central claim (abstract, Sections 5 and 7): once the geometric condition (Lemma 4)
holds, the weight evolution passes from a slow phase to a fast one.  We measure it run by run as
the ratio of the per-step logarithmic loss decrease in two equal windows on either side of the
first GC iterate ``T_gc``, which needs no threshold and no smoothing.

References
----------
Long et al. (2021), abstract, Section 5 (Props 3-4), Section 6.1 (Fig. 4), Section 7;
``ch-long2021``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_rate_ratio"]


def log_rate_ratio(loss: np.ndarray, t_gc: int, t_end: int) -> float:
    """``log(rate after / rate before)`` of one loss trajectory around its first GC iterate.

    With ``w = min(T_gc, t_end - T_gc - 1)`` the rates are ``log(l(T_gc - w)/l(T_gc))/w`` and
    ``log(l(T_gc)/l(T_gc + w))/w``: equal windows, the second ending before the last iterate
    (on a finite set the loss reaches exactly 0 at ``t_end``, an infinite logarithmic rate).
    Positive: the loss falls faster (in relative terms) after GC than before.

    Parameters
    ----------
    loss : ndarray, shape (t_end + 1,) or longer
        ``l(W^(t))`` for ``t = 0, 1, ...``; positive up to ``t_end - 1``.
    t_gc : int
        First iterate at which GC holds; must be ``>= 1``.
    t_end : int
        Last iterate considered (``T_conv`` or the horizon).

    Returns
    -------
    float
        NaN when ``t_gc < 1``, the window would be empty, or the loss did not decrease in one
        of the windows (the ratio of rates is then not a ratio of two decay rates).

    References
    ----------
    Long et al. (2021), Section 5 and Fig. 4 (the slow and the fast phase); ``ch-long2021``.
    """
    w = min(int(t_gc), int(t_end) - int(t_gc) - 1)
    if t_gc < 1 or w < 1:
        return float("nan")
    a, m, b = loss[t_gc - w], loss[t_gc], loss[t_gc + w]
    if not (a > m > b > 0):
        return float("nan")
    return float(np.log(np.log(m / b) / np.log(a / m)))
