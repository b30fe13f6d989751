"""The three phases of the global-convergence proof (Theorems 4, 5, 6) as observables and bounds.

References
----------
Xu & Du (2023), Theorems 4-6, (24)-(27), (36), (41)-(47), Lemma 19, (52); chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "projections",
    "q_terms",
    "phase_windows",
    "thm4_bounds",
    "thm5_bounds",
]


def projections(W: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    """h_i = <w_i, v_bar>, H = ||v|| - sum_i h_i, theta_i, chi_i = sin^2(theta_i/2), ||w_i||.

    Shapes: ``W`` (..., n, d), ``v`` (..., d); per-neuron outputs (..., n), ``H`` (...).

    References
    ----------
    Xu & Du (2023), §3 (h_i, H), (11) (chi_i); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.angles.one_minus_cos : chi_i = (1 - cos theta_i)/2 without cancellation.
    """
    from gdtheory.core.angles import angle, one_minus_cos

    v = np.asarray(v, dtype=float)
    vn = np.linalg.norm(v, axis=-1)
    h = np.einsum("...id,...d->...i", W, v) / vn[..., None]
    return {
        "h": h,
        "H": vn - h.sum(-1),
        "theta": angle(W, v[..., None, :]),
        "chi": 0.5 * one_minus_cos(W, v[..., None, :]),
        "norm": np.linalg.norm(W, axis=-1),
    }


def q_terms(W: np.ndarray, v: np.ndarray, eta: float) -> np.ndarray:
    """Q_i(t) of (36), so that h_i(t+1) = h_i(t) + (eta/2) H(t) - Q_i(t); shape (..., n).

    Q_i = (eta/2pi)[(sum_{j!=i} ||w_j|| sin t_ij - ||v|| sin t_i) cos t_i
    - sum_{j!=i} t_ij h_j + t_i ||v||] (the paper's underbrace omits the factor eta/2pi,
    which its use in (38) and (46) includes).

    References
    ----------
    Xu & Du (2023), (36), (38), (46); chapter ``ch-xu2023``.

    See Also
    --------
    projections : h_i and H.
    """
    from gdtheory.core.angles import angle

    v = np.asarray(v, dtype=float)
    vn = np.linalg.norm(v, axis=-1)
    p = projections(W, v)
    n = W.shape[-2]
    off = 1.0 - np.eye(n)
    t_ij = angle(W[..., :, None, :], W[..., None, :, :])
    s = (p["norm"][..., None, :] * np.sin(t_ij) * off).sum(-1) - vn[..., None] * np.sin(p["theta"])
    mix = ((t_ij * off) * p["h"][..., None, :]).sum(-1)
    return eta / (2 * np.pi) * (s * np.cos(p["theta"]) - mix + p["theta"] * vn[..., None])


def phase_windows(norms: np.ndarray, theta: np.ndarray, n: int, eta: float, v_norm: float = 1.0):
    """Operational phase boundaries T1, T2 of one GD run recorded at every step.

    T1 is the last step up to which max_i ||w_i|| <= ||v||/(3n), the premise (28) of the
    Phase-1 analysis. eps_2 is the largest angle max_i theta_i(t) for t >= T1 (so (15)/(44)
    holds by definition and (13), (41)-(43), (46) become tests), and
    T2 = T1 + ceil(ln(1/(36 eps_2))/(n eta)) as in Theorem 5.

    Parameters
    ----------
    norms, theta : arrays (T+1, n) along the run.

    References
    ----------
    Xu & Du (2023), Theorems 4 and 5, (28); chapter ``ch-xu2023``.

    See Also
    --------
    thm4_bounds, thm5_bounds : the bounds tested on these windows.
    """
    small = np.max(norms, axis=-1) <= v_norm / (3 * n)
    T1 = int(np.argmin(small)) - 1 if not small.all() else len(small) - 1
    eps2 = float(np.max(theta[T1:]))
    T2 = T1 + int(np.ceil(np.log(1 / (36 * eps2)) / (n * eta)))
    return {"T1": T1, "T2": T2, "eps2": eps2}


def thm4_bounds(t, chi0, eps1, *, sigma, d, eta, v_norm=1.0):
    """The Phase-1 bounds of Theorem 4 at steps ``t``: (24) norm band and (25) chi bound.

    Returns ``s1``, ``upper`` = s2 + 2 eta ||v|| t and ``chi`` = eps1^2 +
    (1 + eta t ||v||/s2)^(-1/24) (chi0 - eps1^2), with s1 = sigma sqrt(d)/2, s2 = 2 sigma sqrt(d).

    References
    ----------
    Xu & Du (2023), Theorem 4, (24)-(25); chapter ``ch-xu2023``.

    See Also
    --------
    projections : the observed norms and chi_i.
    """
    t = np.asarray(t, dtype=float)
    s1, s2 = 0.5 * sigma * np.sqrt(d), 2 * sigma * np.sqrt(d)
    fac = (1 + eta * t * v_norm / s2) ** (-1 / 24)
    chi0 = np.asarray(chi0, dtype=float)
    return {
        "s1": s1,
        "upper": s2 + 2 * eta * v_norm * t,
        "chi": eps1**2 + fac[..., None] * (chi0 - eps1**2),
    }


def thm5_bounds(t, *, T1, eps2, n, eta, sigma, d, v_norm=1.0):
    """The Phase-2 bounds of Theorem 5 at steps ``t`` >= T1: (42) for H, (43) for h_i, (46).

    Returns ``H_upper`` = (1 - n eta/2)^(t-T1) ||v|| + 6 eps2 ||v||, ``H_lower`` =
    (2/3)(1 - n eta/2)^(t-T1) ||v|| - 6 eps2 ||v||, ``H_floor`` = 18 eps2 ||v||, ``h_upper`` =
    2||v||/n, ``h_lower`` = s1/2 and ``Q_max`` = 3 eps2 eta ||v||.

    References
    ----------
    Xu & Du (2023), Theorem 5, (42), (43), (46); chapter ``ch-xu2023``.

    See Also
    --------
    q_terms : the observed Q_i.
    """
    t = np.asarray(t, dtype=float)
    geo = (1 - n * eta / 2) ** (t - T1)
    return {
        "H_upper": geo * v_norm + 6 * eps2 * v_norm,
        "H_lower": 2 / 3 * geo * v_norm - 6 * eps2 * v_norm,
        "H_floor": 18 * eps2 * v_norm,
        "h_upper": 2 * v_norm / n,
        "h_lower": 0.25 * sigma * np.sqrt(d),
        "Q_max": 3 * eps2 * eta * v_norm,
    }
