"""§6.2 and Figure 1: the angle θ(w_t, v) along GD on a non-spherical (shifted Gaussian) law.

The population gradient is passed in (the toolkit's shifted-Gaussian quadrature); here only
the bookkeeping the figure and its assertions need: the angle along each path, its maximum and
when it is reached, when it falls below a level for good, the initial sign of its change.

References
----------
Yehudai & Shamir (2020), §6.2, Figure 1; chapter ``ch-yehudai2020``.
"""

from __future__ import annotations

import numpy as np

from gdtheory.core.angles import angle

__all__ = ["angle_path", "angle_summary"]


def angle_path(path: np.ndarray, v: np.ndarray) -> np.ndarray:
    """θ(w_t, v) along a path of shape (T + 1, ..., d).

    References
    ----------
    Yehudai & Shamir (2020), Figure 1 (right panel); chapter ``ch-yehudai2020``.
    """
    return angle(path, v)


def angle_summary(theta: np.ndarray, level: float = 0.1) -> dict[str, np.ndarray]:
    """Diagnostics of an angle series θ_k (axis 0 is the iteration k; runs on other axes).

    Returns ``max`` and ``argmax`` of θ, ``first_step`` = θ₁ - θ₀, ``max_step`` = the largest
    |θ_{k+1} - θ_k| in the two steps around the maximum (the resolution with which a discrete
    path can approach a value it crosses), ``below_for_good`` = the first k after which θ stays
    below ``level`` (the length of the series if it never does), ``final``.

    References
    ----------
    Yehudai & Shamir (2020), §6.2 ("initially increasing", "attains every value in (0, π]",
    "eventually reaches the global minimum"); chapter ``ch-yehudai2020``.
    """
    th = np.asarray(theta, dtype=float)
    n = th.shape[0]
    k = np.argmax(th, axis=0)
    steps = np.abs(np.diff(th, axis=0))
    lo = np.clip(k - 1, 0, n - 2)
    hi = np.clip(k, 0, n - 2)
    ms = np.maximum(np.take_along_axis(steps, lo[None], 0)[0],
                    np.take_along_axis(steps, hi[None], 0)[0])
    above = th >= level
    # last index at or above the level, +1; rev-argmax finds the last True
    last = n - 1 - np.argmax(above[::-1], axis=0)
    good = np.where(above.any(axis=0), last + 1, 0)
    return {"max": th.max(axis=0), "argmax": k, "first_step": th[1] - th[0], "max_step": ms,
            "below_for_good": good, "final": th[-1]}
