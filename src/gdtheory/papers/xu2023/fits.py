"""Rates read off loss curves: power-law exponents, the constant in front of T^-3, linear rates.

All fits are least squares on a window ``lo <= t <= hi`` of a curve sampled on a log grid;
standard errors are the usual residual-based ones (the residuals of a deterministic curve
measure its departure from the model, not noise).

References
----------
Xu & Du (2023), Figure 1 and its caption, Theorems 9 and 14; chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import curve_fit

__all__ = ["loglog_slope", "offset_power_fit", "inverse_cube_root_fit", "log_linear_rate"]


def _window(t, y, lo, hi):
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    sel = (t >= lo) & (t <= hi) & (y > 0)
    if sel.sum() < 4:
        raise ValueError(f"fewer than 4 points in the window [{lo:g}, {hi:g}]")
    return t[sel], y[sel]


def _ls(x, y):
    X = np.column_stack([x, np.ones_like(x)])
    coef, res, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ coef
    s2 = r @ r / max(len(x) - 2, 1)
    cov = s2 * np.linalg.inv(X.T @ X)
    return coef, np.sqrt(np.diag(cov)), r


def loglog_slope(t, y, lo: float, hi: float) -> dict[str, float]:
    """Slope of ln y against ln t on [lo, hi] (the local exponent), with its standard error.

    References
    ----------
    Xu & Du (2023), Figure 1 (the exponent -3); chapter ``ch-xu2023``.

    See Also
    --------
    offset_power_fit : the same with an offset t + tau.
    """
    x, yy = _window(t, y, lo, hi)
    coef, se, r = _ls(np.log(x), np.log(yy))
    return {"slope": float(coef[0]), "se": float(se[0]), "max_resid": float(np.abs(r).max())}


def offset_power_fit(t, y, lo: float, hi: float) -> dict[str, float]:
    """Fit ln y = alpha ln(t + tau) + beta on [lo, hi]; alpha, its standard error and tau.

    L = C (t + tau)^-3 is the form of Theorem 6's (54) and Theorem 14 (L^(-1/3) linear in t
    with an intercept); the offset tau absorbs the intercept, which biases a plain log-log
    slope by about 3 tau / t.

    References
    ----------
    Xu & Du (2023), (54), Theorem 14; chapter ``ch-xu2023``.

    See Also
    --------
    inverse_cube_root_fit : the linear fit of L^(-1/3).
    """
    x, yy = _window(t, y, lo, hi)
    ly = np.log(yy)
    a0 = loglog_slope(x, yy, lo, hi)["slope"]

    def f(s, a, b, tau):
        return a * np.log(s + tau) + b

    p, cov = curve_fit(f, x, ly, p0=[a0, ly[0] - a0 * np.log(x[0]), 0.0],
                       bounds=([-50.0, -1e3, -0.5 * x[0]], [50.0, 1e3, 10 * x[-1]]))
    return {"alpha": float(p[0]), "se": float(np.sqrt(cov[0, 0])), "tau": float(p[2])}


def inverse_cube_root_fit(t, y, lo: float, hi: float) -> dict[str, float]:
    """Fit y^(-1/3) = a t + b on [lo, hi]; returns a, b, C = a^-3 and tau = b/a.

    If y = C (t + tau)^-3 exactly, the fit returns that C and tau.

    References
    ----------
    Xu & Du (2023), Theorem 14 (L^(-1/3) <= Gamma_1 t + Gamma_2), (54); chapter ``ch-xu2023``.

    See Also
    --------
    offset_power_fit : the same model with a free exponent.
    """
    x, yy = _window(t, y, lo, hi)
    coef, se, r = _ls(x, yy ** (-1 / 3))
    a, b = coef
    return {"a": float(a), "b": float(b), "C": float(a**-3), "tau": float(b / a),
            "a_se": float(se[0])}


def log_linear_rate(t, y, lo: float, hi: float) -> dict[str, float]:
    """Slope of ln y against t on [lo, hi] (an exponential rate), with its standard error.

    References
    ----------
    Xu & Du (2023), §1 (n = 1: L <= exp(-Omega(t))); chapter ``ch-xu2023``.

    See Also
    --------
    loglog_slope : the polynomial counterpart.
    """
    x, yy = _window(t, y, lo, hi)
    coef, se, r = _ls(x, np.log(yy))
    return {"rate": float(coef[0]), "se": float(se[0]), "max_resid": float(np.abs(r).max())}
