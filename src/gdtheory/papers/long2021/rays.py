"""The synthetic data set of Long, Yin & Xin (2021), Section 6.1: 880 points on 80 rays.

References
----------
Long, Yin & Xin (2021), Section 6.1; chapter ``ch-long2021``.
"""

from __future__ import annotations

import numpy as np

from ...core.angles import polar

__all__ = ["long2021_rays", "long2021_points"]


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
    directions = polar(ang)
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
