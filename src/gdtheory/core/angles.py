"""Angles between vectors that keep full relative accuracy at small angles and near π.

``arccos(ŵᵀv̂)`` loses all accuracy for θ below about 1e-8 (``cos θ`` rounds to 1) and
``sin θ - θ cos θ`` cancels catastrophically for small θ. Here

* the unit vectors carry a correction term (an error-free transformation of the division,
  Dekker's product), so ``ŵ - v̂`` and ``ŵ + v̂`` are accurate to a few ulps *relative* to
  their own size, not to ``|ŵ|`` (the rounding of the norms only rescales each unit vector
  along itself; that tilt is projected out, see ``_half_chords``);
* ``θ = 2 atan2(|ŵ - v̂|, |ŵ + v̂|)``, which equals ``2 arcsin(|ŵ - v̂|/2)`` exactly (because
  ``|ŵ - v̂|² + |ŵ + v̂|² = 4``) and is also well conditioned near θ = π, where ``π - θ``
  comes from the same formula with the roles swapped;
* ``sin θ - θ cos θ`` uses its Taylor series below θ = 1 (see :func:`sin_minus_theta_cos`).

Convention at the origin: a zero vector has ``unit(0) = 0`` and an angle ``π/2`` with every
vector (the value ``arccos(ŵᵀv̂)`` takes with ``ŵ = 0``). Every kernel in
:mod:`gdtheory.core.gaussian_relu` multiplies the angle terms by ``|w|`` or treats ``w = 0``
explicitly, so this value never leaks into a loss or a gradient.

Vectors live on the last axis; all leading axes broadcast.

References
----------
Xu & Du (2023), eqs. (4), (23), Appendix B (θ and g(θ)); Yehudai & Shamir (2020), Appendix D;
Min et al. (2024), eq. (1); chapters ``ch-xu2023``, ``ch-yehudai2020``, ``ch-min2024``.
W. Kahan, "How futile are mindless assessments of roundoff" (2006), §12 (the atan2 form).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "unit",
    "angle",
    "pi_minus_angle",
    "angle_pair",
    "one_minus_cos",
    "sin_minus_theta_cos",
    "g_arccos1",
    "signed_angle_2d",
    "polar",
    "pair_from_chords",
]

_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitting constant for float64
_PI_LO = 1.2246467991473532e-16  # pi - float(pi)
_TINY = 1e-300

# Taylor coefficients of sin t - t cos t = sum_{k>=1} (-1)^(k+1) 2k t^(2k+1) / (2k+1)!,
# written as t^3 * P(t^2); 10 terms reach 1 ulp for t <= 1.
_G_COEF = np.array([(-1) ** (k + 1) * 2 * k / math.factorial(2 * k + 1) for k in range(1, 11)])


def _dot(a, b):
    """``Σᵢ aᵢ bᵢ`` over the last axis (einsum: much faster than ``(a*b).sum(-1)`` for small d)."""
    return np.einsum("...i,...i->...", a, b)


def _split(a):
    """Veltkamp split ``a = hi + lo`` with 26-bit halves (exact)."""
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def _unit_dd(w):
    """``w/|w|`` as an unevaluated sum ``hi + lo`` (double-double), and ``|w|``.

    ``hi = fl(w/|w|)``; ``lo = (w - hi |w|)/|w|`` with the product ``hi |w|`` formed exactly
    (Dekker), so ``hi + lo`` equals ``w / fl(|w|)`` to about 2⁻¹⁰⁰ relative. The only remaining
    error, that of ``fl(|w|)``, scales the vector along itself and changes angles only to
    second order.
    """
    w = np.asarray(w, dtype=float)
    nrm = np.sqrt(_dot(w, w))
    safe = np.maximum(nrm, _TINY)[..., None]  # w = 0 gives hi = lo = 0
    hi = w / safe
    hh, hl = _split(hi)
    nh, nl = _split(safe)
    p = hi * safe
    err = ((hh * nh - p) + hh * nl + hl * nh) + hl * nl
    lo = ((w - p) - err) / safe
    return hi, lo, nrm


def _unit_plain(w):
    """``fl(w/|w|)``, a zero correction and ``|w|``: the lean (uncompensated) path."""
    w = np.asarray(w, dtype=float)
    nrm = np.sqrt(_dot(w, w))
    return w / np.maximum(nrm, _TINY)[..., None], 0.0, nrm


def _plain_chords(hw, hv):
    """``|ŵ - v̂|`` and ``|ŵ + v̂|`` without compensation: absolute error ~eps, not relative."""
    dm = hw - hv
    dp = hw + hv
    return np.sqrt(_dot(dm, dm)), np.sqrt(_dot(dp, dp)), dm, dp


def _half_chords(hw, lw, hv, lv):
    """``|ŵ - v̂|`` and ``|ŵ + v̂|`` from double-double unit vectors.

    For exact unit vectors ``ŵ - v̂ ⊥ ŵ + v̂``. The rounding of ``|w|`` and ``|v|`` scales each
    unit vector along itself by ``1 + δ``, which tilts the shorter chord by about
    ``(δ_w - δ_v)/2`` along the longer one and would give a relative error ``(δ/θ)²``; the
    tilt is removed by projecting the shorter chord off the longer one (the coefficient
    ``(|ŵ|² - |v̂|²)/|longer|²`` is computed to absolute accuracy ``eps·θ``), so the relative
    error stays at a few ulps far below θ = 1e-8.
    """
    dm = (hw - hv) + (lw - lv)
    dp = (hw + hv) + (lw + lv)
    mm = _dot(dm, dm)
    pp = _dot(dp, dp)
    mp = _dot(dm, dp)
    small = mm <= pp
    cm = (small * mp / np.maximum(pp, _TINY))[..., None]  # dp = 0 implies mp = 0
    cp = (~small * mp / np.maximum(mm, _TINY))[..., None]
    em = dm - cm * dp
    ep = dp - cp * dm
    a = np.sqrt(_dot(em, em))
    b = np.sqrt(_dot(ep, ep))
    return a, b, dm, dp


def _pair_from_units(hw, lw, nw, hv, lv, nv):
    """``(θ, π - θ)`` from double-double unit vectors, with the zero-vector convention."""
    a, b, _, _ = _half_chords(hw, lw, hv, lv)
    return pair_from_chords(a, b, nw, nv)


def pair_from_chords(a, b, nw, nv):
    """``(θ, π - θ) = (2 atan2(a, b), 2 atan2(b, a))`` from the half-chords ``a = |ŵ - v̂|``,
    ``b = |ŵ + v̂|``; π/2 where ``|w| = 0`` or ``|v| = 0`` (the zero-vector convention)."""
    theta = 2.0 * np.arctan2(a, b)
    supp = 2.0 * np.arctan2(b, a)
    zero = (nw == 0) | (nv == 0)
    if np.any(zero):
        theta = np.where(zero, np.pi / 2, theta)
        supp = np.where(zero, np.pi / 2, supp)
    return theta, supp


def unit(w: np.ndarray) -> np.ndarray:
    """The unit vector ``w/|w|`` along the last axis, with ``unit(0) = 0``.

    Parameters
    ----------
    w : array_like, shape (..., d)

    Returns
    -------
    ndarray, shape (..., d)

    References
    ----------
    Xu & Du (2023), notation w̄ (eq. (4)); Yehudai & Shamir (2020), §2; ``ch-xu2023``.

    See Also
    --------
    angle : uses a compensated version of this normalisation.
    """
    hi, _, _ = _unit_dd(w)
    return hi


def angle_pair(w: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The angle θ(w, v) ∈ [0, π] and its supplement π - θ, each to full relative accuracy.

    ``θ = 2 atan2(|ŵ - v̂|, |ŵ + v̂|)`` and ``π - θ = 2 atan2(|ŵ + v̂|, |ŵ - v̂|)``, with
    compensated unit vectors. If either vector is 0 both are ``π/2``.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting against each other

    Returns
    -------
    theta, supplement : ndarray, shape (...)

    References
    ----------
    Xu & Du (2023), θ_i and θ_ij of eq. (4); Yehudai & Shamir (2020), §2; ``ch-xu2023``.

    See Also
    --------
    angle, pi_minus_angle
    """
    hw, lw, nw = _unit_dd(w)
    hv, lv, nv = _unit_dd(v)
    return _pair_from_units(hw, lw, nw, hv, lv, nv)


def angle(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The angle θ(w, v) = 2 arcsin(|ŵ - v̂|/2) ∈ [0, π], accurate relative to θ.

    Computed as ``2 atan2(|ŵ - v̂|, |ŵ + v̂|)`` (equal in exact arithmetic) from compensated
    unit vectors and the scaling tilt of the shorter chord projected out: for arbitrary float
    inputs the relative error is at most 4 ulps for θ from 1e-15 to π (measured against a
    60-digit mpmath evaluation of the same inputs in d = 2, 5, 50; ``arccos`` is wrong by
    100% at θ = 1e-8). ``angle(0, v) = angle(w, 0) = π/2`` by convention.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting against each other

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Xu & Du (2023), eq. (4) and Appendix B; Yehudai & Shamir (2020), §2 (θ(w, v)),
    Appendix D; chapters ``ch-xu2023``, ``ch-yehudai2020``.

    See Also
    --------
    numpy.arccos : the naive formula, wrong below θ ≈ 1e-8 (compared in the tests).
    """
    return angle_pair(w, v)[0]


def pi_minus_angle(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """π - θ(w, v), accurate relative to itself near θ = π (``w ≈ -c v``).

    References
    ----------
    Yehudai & Shamir (2020), Lemma D.2 (α = π - θ); ``ch-yehudai2020``.

    See Also
    --------
    angle : ``pi_minus_angle(w, v) == angle(w, -v)`` up to rounding.
    """
    return angle_pair(w, v)[1]


def one_minus_cos(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``1 - cos θ(w, v) = |ŵ - v̂|²/2``, without cancellation; 1 if either vector is 0.

    References
    ----------
    Xu & Du (2023), Theorem 4 (the quantity sin²(θ/2) = (1 - cos θ)/2); ``ch-xu2023``.

    See Also
    --------
    angle : ``1 - cos(angle(w, v))`` agrees above θ ≈ 1e-4.
    """
    hw, lw, nw = _unit_dd(w)
    hv, lv, nv = _unit_dd(v)
    a, _, _, _ = _half_chords(hw, lw, hv, lv)
    out = 0.5 * a * a
    return np.where((nw == 0) | (nv == 0), 1.0, out)


def _g_series(t):
    t2 = t * t
    acc = np.zeros_like(t2) + _G_COEF[-1]
    for c in _G_COEF[-2::-1]:
        acc = acc * t2 + c
    return acc * t2 * t


def sin_minus_theta_cos(theta: np.ndarray) -> np.ndarray:
    """``g(θ) = sin θ - θ cos θ`` to full relative accuracy, including θ → 0.

    Below θ = 1 the 10-term Taylor series ``θ³/3 - θ⁵/30 + θ⁷/840 - ...`` is used (the direct
    difference loses up to ``log10(3/θ²)`` digits: up to 4.5 at θ = 1e-2, all of them at
    1e-8); above 1 the direct formula, which cancels by less than a factor 3 there. (The
    specs suggest switching at 1e-2 with three terms; the direct formula is still 8e-13 off
    there and three terms are 7e-11 off at 0.1, so the switch is at 1 with ten terms.)
    Odd in θ.

    Parameters
    ----------
    theta : array_like

    Returns
    -------
    ndarray

    References
    ----------
    Xu & Du (2023), eq. (23) and Toy Case 1 (g(θ) ~ θ³); Yehudai & Shamir (2020), eq. (27);
    ``ch-xu2023``.

    See Also
    --------
    g_arccos1 : ``g_arccos1(θ) = g(π - θ)``.
    """
    t = np.asarray(theta, dtype=float)
    small = np.abs(t) < 1.0
    direct = np.sin(t) - t * np.cos(t)
    return np.where(small, _g_series(np.where(small, t, 0.0)), direct)


def _g1_from_pair(theta, supp):
    """``sin θ + (π - θ) cos θ`` from an accurate (θ, π - θ) pair."""
    lower = np.sin(theta) + supp * np.cos(theta)
    return np.where(theta <= np.pi / 2, lower, sin_minus_theta_cos(supp))


def g_arccos1(theta: np.ndarray) -> np.ndarray:
    """``J₁(θ) = sin θ + (π - θ) cos θ``, the angular factor of the order-1 arc-cosine kernel.

    For θ ≤ π/2 both terms are non-negative and the direct formula is used; for θ > π/2 the
    identity ``J₁(θ) = g(π - θ)`` (with :func:`sin_minus_theta_cos`) keeps full relative
    accuracy up to θ = π, where ``J₁ ≈ (π - θ)³/3``; ``π - θ`` is formed with a two-part π.

    Parameters
    ----------
    theta : array_like, values in [0, π]

    Returns
    -------
    ndarray

    References
    ----------
    Xu & Du (2023), Appendix B (Υ); Yehudai & Shamir (2020), Appendix D, Lemma D.2;
    ``ch-xu2023``, ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.gaussian_relu.kernel1 : ``|w||v| J₁(θ)/(2π)``.
    """
    t = np.asarray(theta, dtype=float)
    supp = (np.pi - t) + _PI_LO
    return _g1_from_pair(t, supp)


def signed_angle_2d(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed angle in (-π, π] that rotates ``w`` onto ``v`` counter-clockwise, in the plane.

    ``atan2(w₁v₂ - w₂v₁, w₁v₁ + w₂v₂)``; 0 if either vector is 0. ``|signed_angle_2d| ==
    angle`` up to rounding (the atan2 of a cross and a dot product is accurate in absolute
    terms, about 1e-16, not relative to tiny angles).

    Parameters
    ----------
    w, v : array_like, shape (..., 2)

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Yehudai & Shamir (2020), §6.2 and Figure 1 (angle of a 2-D trajectory); Min et al. (2024),
    Figures 2-3 (neuron directions in the plane); ``ch-yehudai2020``, ``ch-min2024``.

    See Also
    --------
    angle : the unsigned angle.
    """
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    cross = w[..., 0] * v[..., 1] - w[..., 1] * v[..., 0]
    dot = w[..., 0] * v[..., 0] + w[..., 1] * v[..., 1]
    out = np.arctan2(cross, dot)
    return np.where(out == -np.pi, np.pi, out)


def polar(theta: np.ndarray, r: float | np.ndarray = 1.0) -> np.ndarray:
    """Planar points ``r (cos θ, sin θ)``, shape ``theta.shape + (2,)``.

    The one construction of points and directions in the plane: data rays, quadrature nodes,
    samples on a circle, neuron configurations.

    References
    ----------
    Long et al. (2021), Section 6.1; Lin et al. (2021), Eq. (20); chapters ``ch-long2021``,
    ``ch-lin2021``.
    """
    theta = np.asarray(theta, dtype=float)
    return np.asarray(r)[..., None] * np.stack([np.cos(theta), np.sin(theta)], axis=-1)
