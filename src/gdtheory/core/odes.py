"""One wrapper around ``scipy.integrate.solve_ivp`` whose failures say which flow failed.

Every gradient flow of the book is integrated through :func:`integrate`; a solver failure
raises :class:`FlowError` naming the flow, its parameters and the solver's message, instead of
a bare ``RuntimeError`` from deep inside a chapter cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

__all__ = ["FlowError", "integrate"]


class FlowError(RuntimeError):
    """An ODE integration failed; the message names the flow and its parameters."""


def integrate(
    rhs: Callable[[float, np.ndarray], np.ndarray],
    t_span: tuple[float, float],
    y0: np.ndarray,
    *,
    flow: str,
    params: Mapping[str, Any] | None = None,
    method: str = "DOP853",
    **options: Any,
):
    """Integrate ``ẏ = rhs(t, y)`` with ``solve_ivp`` and return its solution object.

    Parameters
    ----------
    rhs, t_span, y0
        As for :func:`scipy.integrate.solve_ivp`.
    flow : str
        What is being integrated (``"reduced flow N=2"``), quoted in a failure.
    params : mapping, optional
        Parameters quoted in a failure (initial point, tolerances, ...).
    method, **options
        Passed on to ``solve_ivp`` (``rtol``, ``atol``, ``t_eval``, ``events``, ...).

    Raises
    ------
    FlowError
        If the solver reports failure.
    """
    sol = solve_ivp(rhs, t_span, y0, method=method, **options)
    if not sol.success:
        desc = ", ".join(f"{k}={v!r}" for k, v in (params or {}).items())
        raise FlowError(
            f"{flow} failed on t in [{t_span[0]:g}, {t_span[1]:g}] ({method}"
            + (f"; {desc}" if desc else "")
            + f"): {sol.message}"
        )
    return sol
