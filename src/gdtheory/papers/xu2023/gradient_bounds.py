"""Phase 3 of Xu & Du (2023): the gradient lower bound (Theorem 7) and Lemmas 8, 20-24,
with the explicit constants their proofs give.

Explicit forms used (||v|| general, admissible = every ||w_i|| in [||v||/(4n), 4||v||/n]):

* Lemma 20: ||w_i||^2 theta_i^3 <= 30 pi L for theta_i <= LEMMA20_THETA_MAX; the proof's
  integral step L >= ||w_i||^2 (2 theta_i - sin 2theta_i)/(8 pi) holds for every angle.
* Lemma 21: from (23) (the pair terms are >= 0), g <= theta^3/3 and Lemma 20,
  ||r||^2 <= 4L + (2/pi) sum_i g(theta_i) ||w_i|| ||v|| <= (4 + 80 n^2) L.
* Lemma 22: ||w_i - w_i*|| <= ||w_i|| (sin theta_i + |H|/(||v|| - H)) <= ||w_i||
  ((480 pi)^(1/3) n^(2/3) (L/||v||^2)^(1/3) + 2 sqrt(4 + 80 n^2) L^(1/2)/||v||) if |H| <= ||v||/2.
* Lemma 23: ||zeta(w, u)|| = sin t ||u||/(pi ||w||) (the matrix in zeta has norm 2), so
  ||Lambda||_2 <= n (1/2 + 16 (n-1)/pi + 4 n/pi) + n (n-1) (pi + 2)/(2 pi).
* (68): Z <= 4 (n-1) ||v|| theta_max and Lemma 20 give L >= Z^3/(30720 pi (n-1)^3 n^2 ||v||).

References
----------
Xu & Du (2023), Theorem 7, Lemmas 8, 20-24, (68); chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import polygamma

__all__ = [
    "LEMMA20_THETA_MAX",
    "w_star",
    "lemma8_projection",
    "lemma20_ratio",
    "lemma20_integral_bound",
    "lemma21_constant",
    "lemma22_bound",
    "lemma23_bound",
    "zeta_norm",
    "eq68_constant",
    "lemma24_measured",
    "lemma24_sum_factor",
    "lemma24_sum_threshold",
]


def _x_minus_sin_threshold() -> float:
    """The root x* > 0 of x - sin x = x^3/30 (x - sin x >= x^3/30 iff x <= x*)."""
    return brentq(lambda x: x - np.sin(x) - x**3 / 30, 4.0, 6.0, xtol=1e-15)


LEMMA20_THETA_MAX = _x_minus_sin_threshold() / 2
"""The largest angle for which the last step of Lemma 20's proof, 2t - sin 2t >= (2t)^3/30,
holds (about 2.8625 rad = 164 degrees)."""


def w_star(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The global minimum w_i* = h_i / (sum_j h_j) v chosen in Lemma 8; shape (..., n, d).

    References
    ----------
    Xu & Du (2023), §4.4.1 and App. E.2 (Lemma 8); chapter ``ch-xu2023``.

    See Also
    --------
    lemma8_projection : the projection of the gradient on w - w*.
    """
    h = np.einsum("...id,...d->...i", W, v) / np.linalg.norm(v, axis=-1)[..., None]
    return (h / h.sum(-1, keepdims=True))[..., None] * v[..., None, :]


def lemma8_projection(W: np.ndarray, v: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """sum_i <grad_i, w_i - w_i*> for the w* of :func:`w_star`; shape (...).

    References
    ----------
    Xu & Du (2023), Lemma 8, (19); chapter ``ch-xu2023``.

    See Also
    --------
    w_star : the reference minimum.
    """
    return np.einsum("...id,...id->...", grad, W - w_star(W, v))


def lemma20_ratio(W: np.ndarray, v: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """||w_i||^2 theta_i^3 / (30 pi L) per neuron; Lemma 20 says <= 1. Shape (..., n).

    References
    ----------
    Xu & Du (2023), Lemma 20; chapter ``ch-xu2023``.

    See Also
    --------
    lemma20_integral_bound : the step of the proof that holds for every angle.
    """
    from gdtheory.core.angles import angle

    th = angle(W, np.asarray(v)[..., None, :])
    nw2 = np.einsum("...id,...id->...i", W, W)
    return nw2 * th**3 / (30 * np.pi * np.asarray(loss)[..., None])


def lemma20_integral_bound(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """||w_i||^2 (2 theta_i - sin 2 theta_i)/(8 pi), the lower bound on L inside Lemma 20.

    References
    ----------
    Xu & Du (2023), proof of Lemma 20; chapter ``ch-xu2023``.

    See Also
    --------
    lemma20_ratio : the lemma's final (polynomial) form.
    """
    from gdtheory.core.angles import angle

    th = angle(W, np.asarray(v)[..., None, :])
    nw2 = np.einsum("...id,...id->...i", W, W)
    return nw2 * (2 * th - np.sin(2 * th)) / (8 * np.pi)


def lemma21_constant(n: int) -> float:
    """K with ||r|| <= K L^(1/2) for admissible students (explicit Lemma 21): sqrt(4 + 80 n^2).

    References
    ----------
    Xu & Du (2023), Lemma 21; chapter ``ch-xu2023``.

    See Also
    --------
    lemma22_bound : uses the same constant.
    """
    return float(np.sqrt(4 + 80 * n**2))


def lemma22_bound(loss, n: int, v_norm: float = 1.0):
    """Explicit Lemma 22: the bound on ||w_i - w_i*|| / ||w_i|| for admissible students.

    (480 pi)^(1/3) n^(2/3) (L/||v||^2)^(1/3) + 2 sqrt(4 + 80 n^2) L^(1/2)/||v||.

    References
    ----------
    Xu & Du (2023), Lemma 22; chapter ``ch-xu2023``.

    See Also
    --------
    lemma21_constant : the ||r|| constant inside.
    """
    L = np.asarray(loss, dtype=float)
    return ((480 * np.pi) ** (1 / 3) * n ** (2 / 3) * (L / v_norm**2) ** (1 / 3)
            + 2 * lemma21_constant(n) * np.sqrt(L) / v_norm)


def lemma23_bound(n: int) -> float:
    """Explicit Lemma 23: ||Lambda||_2 <= n(1/2 + 16(n-1)/pi + 4n/pi) + n(n-1)(pi+2)/(2pi).

    References
    ----------
    Xu & Du (2023), Lemma 23 and its proof; chapter ``ch-xu2023``.

    See Also
    --------
    zeta_norm : the block norm behind the 1/pi (the proof writes 1/(2 pi)).
    """
    diag = n * (0.5 + 16 * (n - 1) / np.pi + 4 * n / np.pi)
    return diag + n * (n - 1) * (np.pi + 2) / (2 * np.pi)


def zeta_norm(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Spectral norm of zeta(w, u) = sin t ||u||/(2 pi ||w||) (I - w_bar w_bar^T + n_bar n_bar^T).

    Computed from the matrix (eigen-decomposition), to test the proof's bound
    ||zeta(w, u)|| <= ||u||/(2 pi ||w||).

    References
    ----------
    Xu & Du (2023), (51) and the proof of Lemma 23; chapter ``ch-xu2023``.

    See Also
    --------
    lemma23_bound : the corrected constant.
    """
    from gdtheory.core.angles import angle, unit

    w = np.asarray(w, float)
    u = np.asarray(u, float)
    t = angle(w, u)
    wb, ub = unit(w), unit(u)
    nvec = ub - np.cos(t)[..., None] * wb
    nb = unit(nvec)
    d = w.shape[-1]
    M = (np.eye(d) - wb[..., :, None] * wb[..., None, :] + nb[..., :, None] * nb[..., None, :])
    M = M * (np.sin(t) * np.linalg.norm(u, axis=-1) / (2 * np.pi * np.linalg.norm(w, axis=-1))
             )[..., None, None]
    return np.max(np.abs(np.linalg.eigvalsh(M)), axis=-1)


def eq68_constant(n: int, v_norm: float = 1.0) -> float:
    """c with L >= c Z^3 in Phase 3 (explicit (68)): 1/(30720 pi (n-1)^3 n^2 ||v||).

    References
    ----------
    Xu & Du (2023), proof of Theorem 14, (68); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.papers.xu2023.lower_bound.potential_Z : the potential Z.
    """
    return 1.0 / (30720 * np.pi * (n - 1) ** 3 * n**2 * v_norm)


def lemma24_measured(loss: np.ndarray, grad_norm: np.ndarray, eta: float) -> dict[str, float]:
    """Lemma 24 on a run recorded at every step from T2: measured C_l, C_s and both sides.

    ``loss[k]`` = L(w(T2 + k)), ``grad_norm[k]`` = ||grad L(w(T2 + k))||, k = 0..T. Returns
    ``descent_gap`` = min_k [L_k - L_{k+1} - (eta/2)||grad_k||^2] (the first hypothesis,
    >= 0), C_l = L_0, C_s = min_k (L_k - L_{k+1})/(eta L_k^(4/3)) (the largest constant for
    which the second hypothesis holds), ``loss_ratio`` = max_k L_k / (L_0^(-1/3) + C_s eta
    k/3)^(-3) (the first conclusion: <= 1) and ``path_ratio`` = sum_k eta ||grad_k|| /
    (8 C_s^(-1/2) C_l^(1/3)) (the second conclusion: <= 1).

    References
    ----------
    Xu & Du (2023), Lemma 24 and Theorem 6 (proof, (55)); chapter ``ch-xu2023``.

    See Also
    --------
    lemma24_sum_factor : the telescoping step of its proof.
    """
    L = np.asarray(loss, dtype=float)
    g = np.asarray(grad_norm, dtype=float)
    dec = L[:-1] - L[1:]
    C_l = float(L[0])
    C_s = float(np.min(dec / (eta * L[:-1] ** (4 / 3))))
    k = np.arange(L.size)
    bound = (C_l ** (-1 / 3) + C_s * eta * k / 3) ** -3.0
    return {
        "descent_gap": float(np.min(dec - 0.5 * eta * g[:-1] ** 2)),
        "C_l": C_l,
        "C_s": C_s,
        "loss_ratio": float(np.max(L / bound)),
        "path_ratio": float(eta * g[:-1].sum() / (8 * C_s**-0.5 * C_l ** (1 / 3))),
    }


def lemma24_sum_factor(x: np.ndarray) -> np.ndarray:
    """x sum_{t>=0} (1 + x t)^-2 = psi'(1/x)/x, which the proof of Lemma 24 bounds by 2.

    With x = b/l1 = C_s eta L(T2)^(1/3)/3 the proof's step sum_t (l1 + b t)^-2 <= 6/(C_s eta l1)
    is exactly this factor <= 2.

    References
    ----------
    Xu & Du (2023), proof of Lemma 24; chapter ``ch-xu2023``.

    See Also
    --------
    lemma24_sum_threshold : where the factor reaches 2.
    """
    x = np.asarray(x, dtype=float)
    return polygamma(1, 1 / x) / x


def lemma24_sum_threshold() -> float:
    """The x at which :func:`lemma24_sum_factor` equals 2 (the step holds below it).

    References
    ----------
    Xu & Du (2023), proof of Lemma 24; chapter ``ch-xu2023``.

    See Also
    --------
    lemma24_sum_factor : the factor itself.
    """
    return brentq(lambda x: float(lemma24_sum_factor(x)) - 2.0, 0.5, 10.0, xtol=1e-14)
