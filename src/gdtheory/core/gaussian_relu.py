"""Closed forms for ReLU and leaky-ReLU neurons under standard Gaussian input x ~ N(0, I_d).

Kernels (θ = θ(w, v), see :mod:`gdtheory.core.angles`)::

    kernel0(w, v) = E[1(wᵀx > 0) 1(vᵀx > 0)]     = (π - θ) / (2π)
    kernel1(w, v) = E[relu(wᵀx) relu(vᵀx)]       = |w||v| (sin θ + (π - θ) cos θ) / (2π)
                                                 = ½ wᵀv + |w||v| g(θ) / (2π),  g = sin θ - θ cos θ
    leaky_kernel  = E[σ_α(wᵀx) σ_α(vᵀx)]         = α wᵀv + (1 - α)² kernel1(w, v)

with ``σ_α(z) = α z + (1 - α) relu(z)`` (``= max(z, αz)`` for α ≤ 1; α = 0 is the ReLU).
In particular ``E[relu(wᵀx)²] = |w|²/2``, so ``½E[relu(wᵀx)²] = |w|²/4``.

Single neuron, ``F(w) = ½E[(σ_α(wᵀx) - σ_α(vᵀx))²]``::

    F(w)  = (1 + α²)/4 |w - v|² - (1 - α)² |w||v| g(θ) / (2π)
    ∇F(w) = (1 + α²)/2 (w - v) - (1 - α)² (|v| sin θ ŵ - θ v) / (2π)        (α = 0: eq. (25))
    ∇²F   = (1 + α²)/2 I - (1 - α)² ζ(w, v)

Student-teacher, ``L(W) = ½E[(Σᵢ relu(wᵢᵀx) - relu(vᵀx))²]`` (Xu & Du (3)), in the form (23)
whose terms are all small near the optimum (no cancellation of O(1) terms), its gradient (4)
and Hessian (51).

Conventions. Vectors on the last axis, students ``W`` of shape (..., n, d), every leading axis
broadcasts (seeds, students, runs), float64. Gradients are the expectations of the a.e.
gradient with ``relu'(0) = 0`` (``σ_α'(0) = α``); this only matters at ``w = 0``, where
``kernel1_grad(0, v) = 0``, a zero student neuron has zero gradient and contributes nothing
(so students of different widths can be batched by zero-padding), and ``neuron_grad(0, v) =
-α(1 + α)/2 v``. Hessians are ``nan`` at ``w = 0``, where the loss is not twice
differentiable.

References
----------
Xu & Du (2023), eqs. (3), (4), (23), (51), Appendix B; Yehudai & Shamir (2020), eq. (25),
Appendix D, Theorem 3.2 (leaky ReLU); Min et al. (2024), eq. (1); Cho & Saul (2009)
(arc-cosine kernels); chapters ``ch-xu2023``, ``ch-yehudai2020``, ``ch-min2024``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .angles import (
    _g1_from_pair,
    _half_chords,
    _plain_chords,
    _unit_dd,
    _unit_plain,
    pair_from_chords,
    sin_minus_theta_cos,
)

__all__ = [
    "kernel0",
    "kernel0_grad",
    "kernel1",
    "kernel1_grad",
    "kernel1_hessian",
    "kernel1_cross_hessian",
    "leaky_kernel",
    "leaky_kernel_grad",
    "neuron_loss",
    "neuron_grad",
    "neuron_hessian",
    "student_teacher_loss",
    "student_teacher_grad",
    "student_teacher_grad_loop",
    "student_teacher_hessian",
    "mc_neuron",
    "mc_student_teacher",
]

_TWO_PI = 2.0 * np.pi


class _Geo(NamedTuple):
    """Geometry of a broadcast pair (w, v): unit vectors, norms, θ, π - θ, sin θ, chords."""

    uw: np.ndarray
    uv: np.ndarray
    nw: np.ndarray
    nv: np.ndarray
    theta: np.ndarray
    supp: np.ndarray
    sin: np.ndarray
    a: np.ndarray  # |ŵ - v̂|
    b: np.ndarray  # |ŵ + v̂|
    dm: np.ndarray  # ŵ - v̂
    dp: np.ndarray  # ŵ + v̂


def _geo_from_units(hw, lw, nw, hv, lv, nv, compensated: bool = True) -> _Geo:
    if compensated:
        a, b, dm, dp = _half_chords(hw, lw, hv, lv)
    else:
        a, b, dm, dp = _plain_chords(hw, hv)
    theta, supp = pair_from_chords(a, b, nw, nv)
    sin = np.sin(np.minimum(theta, supp))
    return _Geo(hw, hv, nw, nv, theta, supp, sin, a, b, dm, dp)


def _perps(g: _Geo) -> tuple[np.ndarray, np.ndarray]:
    """``v̂ - cos θ ŵ`` and ``ŵ - cos θ v̂`` (norm sin θ), accurate relative to sin θ.

    ``v̂ - cos θ ŵ = -(ŵ - v̂) + (1 - cos θ) ŵ = (ŵ + v̂) - (1 + cos θ) ŵ`` with
    ``1 - cos θ = a²/2`` and ``1 + cos θ = b²/2``; the first form is used for θ ≤ π/2.
    """
    acute = (g.theta <= np.pi / 2)[..., None]
    a2, b2 = (0.5 * g.a * g.a)[..., None], (0.5 * g.b * g.b)[..., None]
    perp_v = np.where(acute, -g.dm + a2 * g.uw, g.dp - b2 * g.uw)
    perp_w = np.where(acute, g.dm + a2 * g.uv, g.dp - b2 * g.uv)
    return perp_v, perp_w


def _geo(w, v) -> _Geo:
    hw, lw, nw = _unit_dd(w)
    hv, lv, nv = _unit_dd(v)
    return _geo_from_units(hw, lw, nw, hv, lv, nv)


def _normalise(x):
    n = np.sqrt(np.einsum("...i,...i->...", x, x))[..., None]
    return np.where(n > 0, x / np.where(n > 0, n, 1.0), 0.0)


def _outer(a, b):
    return a[..., :, None] * b[..., None, :]


# --------------------------------------------------------------------------------------------
# kernels


def kernel0(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Order-0 arc-cosine kernel ``E[1(wᵀx > 0) 1(vᵀx > 0)] = (π - θ)/(2π)``, x ~ N(0, I).

    0 if ``w = 0`` or ``v = 0`` (strict indicators). ``π - θ`` is computed directly, so the
    value is accurate relative to itself near θ = π.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Cho & Saul (2009), order 0; Min et al. (2024), eq. (1) (activation indicators);
    Xu & Du (2023), Appendix B (θ); ``ch-min2024``, ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.symbolic_kernels.polar_kernel : the sympy derivation (order 0).
    gdtheory.core.quadrature.homogeneous_expectation : the same number by quadrature.
    """
    g = _geo(w, v)
    return np.where((g.nw == 0) | (g.nv == 0), 0.0, g.supp / _TWO_PI)


def kernel0_grad(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Gradient in ``w`` of ``kernel0(w, v) = (π - θ)/(2π)``: ``n̄/(2π|w|)``, n̄ ⊥ ŵ toward v̂.

    At θ ∈ {0, π}, or if ``w = 0`` or ``v = 0``, the kernel is not differentiable (a cone
    in the direction of ``w``) and 0 is returned: the minimal-norm element of its Clarke
    subdifferential.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (..., d)

    References
    ----------
    Min et al. (2024), eq. (1) (activation pattern ``1(wᵀx > 0)``); ``ch-min2024``.

    See Also
    --------
    kernel0 : whose central finite differences the tests compare with.
    """
    g = _geo(w, v)
    nbar = _normalise(_perps(g)[0])
    scale = np.where(g.nw > 0, 1.0 / (_TWO_PI * np.where(g.nw > 0, g.nw, 1.0)), 0.0)
    ok = (g.nv > 0) & (g.sin > 0)
    return np.where(ok[..., None], scale[..., None] * nbar, 0.0)


def kernel1(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Order-1 arc-cosine kernel ``Υ(w, v) = E[relu(wᵀx) relu(vᵀx)]``, x ~ N(0, I).

    ``|w||v| (sin θ + (π - θ) cos θ)/(2π)``; ``Υ(w, w) = |w|²/2``; 0 if either is 0. The
    angular factor keeps full relative accuracy near θ = π, where ``Υ ≈ |w||v|(π - θ)³/(6π)``.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Xu & Du (2023), Appendix B (Υ); Yehudai & Shamir (2020), Appendix D; Cho & Saul (2009);
    ``ch-xu2023``, ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.symbolic_kernels.polar_kernel : the sympy derivation (order 1).
    mc_neuron : Monte-Carlo cross-check.
    """
    g = _geo(w, v)
    return g.nw * g.nv * _g1_from_pair(g.theta, g.supp) / _TWO_PI


def kernel1_grad(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Gradient in ``w`` of Υ(w, v): ``E[1(wᵀx > 0) relu(vᵀx) x] = (|v| sin θ ŵ + (π - θ) v)/(2π)``.

    0 at ``w = 0`` (the a.e. gradient with ``relu'(0) = 0``). Υ is differentiable at θ = 0
    and θ = π (the formula is continuous there).

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (..., d)

    References
    ----------
    Xu & Du (2023), eq. (4) and Appendix B (one term of ∇ᵢ); Yehudai & Shamir (2020), eq. (25);
    ``ch-xu2023``, ``ch-yehudai2020``.

    See Also
    --------
    kernel1 : central finite differences; mc_neuron : Monte Carlo.
    """
    g = _geo(w, v)
    v = np.asarray(v, dtype=float)
    out = ((g.nv * g.sin)[..., None] * g.uw + g.supp[..., None] * v) / _TWO_PI
    return np.where((g.nw > 0)[..., None], out, 0.0)


def _zeta(g: _Geo) -> np.ndarray:
    """``ζ(w, v) = ∇²_w Υ(w, v) = |v| sin θ/(2π|w|) (I - ŵŵᵀ + n̄n̄ᵀ)`` from a geometry."""
    d = g.uw.shape[-1]
    nbar = _normalise(_perps(g)[0])
    eye = np.eye(d)
    proj = eye - _outer(g.uw, g.uw) + _outer(nbar, nbar)
    safe = np.where(g.nw > 0, g.nw, 1.0)
    coef = np.where(g.nw > 0, g.nv * g.sin / (_TWO_PI * safe), np.nan)
    return coef[..., None, None] * proj


def kernel1_hessian(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Hessian in ``w`` of Υ(w, v): ``ζ(w, v) = |v| sin θ/(2π|w|) (I - ŵŵᵀ + n̄n̄ᵀ)``.

    ``n = v̂ - cos θ ŵ``, ``n̄ = n/|n|``. It vanishes at θ ∈ {0, π}; ``nan`` at ``w = 0``.
    Xu & Du's ``\\overline{n n}^T`` is read as ``n̄ n̄ᵀ`` (the only reading that matches finite
    differences).

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (..., d, d)

    References
    ----------
    Xu & Du (2023), eq. (51) (ζ), Lemma 23; ``ch-xu2023``.

    See Also
    --------
    kernel1_grad : central finite differences of it.
    gdtheory.core.symbolic_kernels.polar_kernel : sympy's Hessian of the polar form (2-D).
    """
    return _zeta(_geo(w, v))


def _cross(g: _Geo) -> np.ndarray:
    """``∂_u ∇_w Υ(w, u) = ((π - θ) I + sin θ (ŵûᵀ + n̄_u n̄_wᵀ))/(2π)`` from a geometry."""
    d = g.uw.shape[-1]
    pu, pw = _perps(g)
    nu = _normalise(pu)  # û - cos θ ŵ
    nw = _normalise(pw)  # ŵ - cos θ û
    m = g.supp[..., None, None] * np.eye(d) + g.sin[..., None, None] * (
        _outer(g.uw, g.uv) + _outer(nu, nw)
    )
    bad = (g.nw == 0) | (g.nv == 0)
    return np.where(bad[..., None, None], np.nan, m / _TWO_PI)


def kernel1_cross_hessian(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Mixed second derivative ``∂²Υ(w, u)/∂w∂u`` (rows: ``w``, columns: ``u``).

    ``((π - θ) I + sin θ (ŵûᵀ + n̄_{u,w} n̄_{w,u}ᵀ))/(2π)`` with ``n_{u,w} = û - cos θ ŵ``,
    which equals Xu & Du's off-diagonal block
    ``((π - θ) I + n̄_{w,u} ûᵀ + n̄_{u,w} ŵᵀ)/(2π)`` (reading ``\\overline{n w}^T`` as
    ``n̄ w̄ᵀ``) but has no cancelling O(1) terms at small θ. ``nan`` if ``w`` or ``u`` is 0.

    Parameters
    ----------
    w, u : array_like, shape (..., d), broadcasting

    Returns
    -------
    ndarray, shape (..., d, d)

    References
    ----------
    Xu & Du (2023), eq. (51) (Λᵢⱼ, i ≠ j); ``ch-xu2023``.

    See Also
    --------
    kernel1_grad : central finite differences of it in its second argument.
    """
    return _cross(_geo(w, u))


def leaky_kernel(w: np.ndarray, v: np.ndarray, alpha: float) -> np.ndarray:
    """Leaky-ReLU kernel ``E[σ_α(wᵀx) σ_α(vᵀx)] = α wᵀv + (1 - α)² Υ(w, v)``, x ~ N(0, I).

    ``σ_α(z) = α z + (1 - α) relu(z)``, i.e. ``max(z, αz)`` for α ≤ 1. Uses
    ``E[(wᵀx) relu(vᵀx)] = ½ wᵀv``.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    alpha : float
        The negative-side slope (Yehudai & Shamir's γ, Min et al.'s α).

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.2 (leaky ReLU); Min et al. (2024), Appendix B;
    ``ch-yehudai2020``.

    See Also
    --------
    mc_neuron : Monte-Carlo cross-check.
    """
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    return alpha * np.einsum("...i,...i->...", w, v) + (1 - alpha) ** 2 * kernel1(w, v)


def leaky_kernel_grad(w: np.ndarray, v: np.ndarray, alpha: float) -> np.ndarray:
    """``E[σ_α'(wᵀx) σ_α(vᵀx) x] = α v + (1 - α)² ∇_w Υ(w, v)``, the gradient of the leaky kernel.

    With ``σ_α'(0) = α`` the value at ``w = 0`` is ``α E[σ_α(vᵀx) x] = α(1 + α)/2 v`` (not the
    limit of the formula, which depends on the direction of approach).

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    alpha : float

    Returns
    -------
    ndarray, shape (..., d)

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.2, eq. (2); ``ch-yehudai2020``.

    See Also
    --------
    leaky_kernel : central finite differences; mc_neuron : Monte Carlo.
    """
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    nw = np.sqrt(np.einsum("...i,...i->...", w, w))[..., None]
    out = alpha * v + (1 - alpha) ** 2 * kernel1_grad(w, v)
    return np.where(nw > 0, out, 0.5 * alpha * (1 + alpha) * v)


# --------------------------------------------------------------------------------------------
# single neuron


def neuron_loss(w: np.ndarray, v: np.ndarray, alpha: float = 0.0) -> np.ndarray:
    """Population loss ``F(w) = ½E[(σ_α(wᵀx) - σ_α(vᵀx))²]`` of one neuron, x ~ N(0, I).

    ``(1 + α²)/4 |w - v|² - (1 - α)² |w||v| g(θ)/(2π)`` with ``g = sin θ - θ cos θ``; both
    terms vanish at ``w = v`` without cancellation. ``F(0) = (1 + α²)|v|²/4``,
    ``F(-v) = |v|²/2`` for the ReLU.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    alpha : float
        Leaky slope; 0 is the ReLU.

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Yehudai & Shamir (2020), eq. (1), Appendix D.1; Xu & Du (2023), eq. (23) with n = 1;
    ``ch-yehudai2020``.

    See Also
    --------
    mc_neuron : Monte Carlo; gdtheory.core.quadrature.shifted_neuron_loss : quadrature
        (``mu = 0``).
    """
    g = _geo(w, v)
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    diff = w - v
    sq = np.einsum("...i,...i->...", diff, diff)
    return (
        0.25 * (1 + alpha**2) * sq
        - (1 - alpha) ** 2 * g.nw * g.nv * sin_minus_theta_cos(g.theta) / _TWO_PI
    )


def neuron_grad(w: np.ndarray, v: np.ndarray, alpha: float = 0.0) -> np.ndarray:
    """Gradient ``∇F(w) = E[(σ_α(wᵀx) - σ_α(vᵀx)) σ_α'(wᵀx) x]`` of one neuron, x ~ N(0, I).

    ``(1 + α²)/2 (w - v) - (1 - α)² (|v| sin θ ŵ - θ v)/(2π)``; for the ReLU this is Yehudai &
    Shamir's eq. (25), ``½w - (|v| sin θ ŵ + (π - θ) v)/(2π)``. At ``w = 0``, with
    ``σ_α'(0) = α``: ``-α(1 + α)/2 v`` (0 for the ReLU: the origin is stationary).

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    alpha : float

    Returns
    -------
    ndarray, shape (..., d)

    References
    ----------
    Yehudai & Shamir (2020), eqs. (2), (25), Appendix D.1; ``ch-yehudai2020``.

    See Also
    --------
    neuron_loss : central finite differences; mc_neuron : Monte Carlo;
    gdtheory.core.quadrature.shifted_neuron_grad : quadrature (``mu = 0``).
    """
    g = _geo(w, v)
    w = np.asarray(w, dtype=float)
    v = np.asarray(v, dtype=float)
    c = 0.5 * (1 + alpha**2)
    ang = (g.nv * g.sin)[..., None] * g.uw - g.theta[..., None] * v
    out = c * (w - v) - (1 - alpha) ** 2 * ang / _TWO_PI
    return np.where((g.nw > 0)[..., None], out, -0.5 * alpha * (1 + alpha) * v)


def neuron_hessian(w: np.ndarray, v: np.ndarray, alpha: float = 0.0) -> np.ndarray:
    """Hessian ``∇²F(w) = (1 + α²)/2 I - (1 - α)² ζ(w, v)`` of one neuron, x ~ N(0, I).

    ``ζ`` is :func:`kernel1_hessian`; at ``w = v`` it is ``(1 + α²)/2 I``. ``nan`` at ``w = 0``.

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    alpha : float

    Returns
    -------
    ndarray, shape (..., d, d)

    References
    ----------
    Xu & Du (2023), eq. (51) with n = 1; Yehudai & Shamir (2020), Appendix D (Hessian at v);
    ``ch-xu2023``, ``ch-yehudai2020``.

    See Also
    --------
    neuron_grad : central finite differences of it.
    """
    z = _zeta(_geo(w, v))
    d = z.shape[-1]
    return 0.5 * (1 + alpha**2) * np.eye(d) - (1 - alpha) ** 2 * z


# --------------------------------------------------------------------------------------------
# student-teacher network


def _st_geometry(W, v, compensated=True):
    """Geometry of every student neuron against every student neuron and the teacher.

    One compensated normalisation of the rows ``[w₁, ..., wₙ, v]`` and one pairwise pass
    ``(n, n + 1)``; ``pair`` is the student-student block, ``teach`` the teacher column.
    """
    W = np.asarray(W, dtype=float)
    v = np.asarray(v, dtype=float)
    if W.ndim < 2:
        raise ValueError(f"W must have shape (..., n, d), got {W.shape}")
    n = W.shape[-2]
    if W.shape[:-2] != v.shape[:-1]:
        shape = np.broadcast_shapes(W.shape[:-2], v.shape[:-1])
        W = np.broadcast_to(W, shape + W.shape[-2:])
        v = np.broadcast_to(v, shape + v.shape[-1:])
    rows = np.concatenate([W, v[..., None, :]], axis=-2)
    if compensated:
        h, lo, nr = _unit_dd(rows)
        ls, lc = lo[..., :n, None, :], lo[..., None, :, :]
    else:
        h, _, nr = _unit_plain(rows)
        ls = lc = 0.0
    hs, ns = h[..., :n, None, :], nr[..., :n, None]
    g = _geo_from_units(hs, ls, ns, h[..., None, :, :], lc, nr[..., None, :], compensated)
    pair = _Geo(
        hs,
        h[..., None, :n, :],
        ns,
        nr[..., None, :n],
        g.theta[..., :n],
        g.supp[..., :n],
        g.sin[..., :n],
        g.a[..., :n],
        g.b[..., :n],
        g.dm[..., :n, :],
        g.dp[..., :n, :],
    )
    teach = _Geo(
        h[..., :n, :],
        h[..., n:, :],
        nr[..., :n],
        nr[..., n:],
        g.theta[..., n],
        g.supp[..., n],
        g.sin[..., n],
        g.a[..., n],
        g.b[..., n],
        g.dm[..., n, :],
        g.dp[..., n, :],
    )
    return W, v, pair, teach


def student_teacher_loss(W: np.ndarray, v: np.ndarray, *, compensated: bool = True) -> np.ndarray:
    """Population loss ``L(W) = ½E[(Σᵢ relu(wᵢᵀx) - relu(vᵀx))²]``, x ~ N(0, I).

    Evaluated as Xu & Du's (23),
    ``¼|Σᵢwᵢ - v|² + (Σ_{i<j} g(θᵢⱼ)|wᵢ||wⱼ| - Σᵢ g(θᵢ)|wᵢ||v|)/(2π)``, which equals
    ``½Σᵢⱼ Υ(wᵢ, wⱼ) - Σᵢ Υ(wᵢ, v) + ½Υ(v, v)`` (the pairs include i = j, Υ(w, w) = |w|²/2) but
    keeps relative accuracy as L → 0.

    Parameters
    ----------
    W : array_like, shape (..., n, d)
        Student neurons (rows).
    v : array_like, shape (..., d)
        Teacher neuron; leading axes broadcast with those of ``W``.
    compensated : bool
        True (default): angles to full relative accuracy (:func:`gdtheory.core.angles.angle`).
        False: plain unit vectors, angles to absolute accuracy ~1e-16 only, about twice as
        fast; enough for long GD loops, whose iterates carry rounding of that size anyway.

    Returns
    -------
    ndarray, shape (...)

    References
    ----------
    Xu & Du (2023), eqs. (3), (23), Appendix B; ``ch-xu2023``.

    See Also
    --------
    kernel1 : the Υ form (compared in the tests); mc_student_teacher : Monte Carlo.
    """
    W, v, pair, teach = _st_geometry(W, v, compensated)
    r = W.sum(-2) - v
    main = 0.25 * np.einsum("...i,...i->...", r, r)
    gij = sin_minus_theta_cos(pair.theta) * pair.nw * pair.nv
    gi = sin_minus_theta_cos(teach.theta) * teach.nw * teach.nv
    return main + (0.5 * gij.sum((-2, -1)) - gi.sum(-1)) / _TWO_PI


def student_teacher_grad(W: np.ndarray, v: np.ndarray, *, compensated: bool = True) -> np.ndarray:
    """Gradient of the student-teacher loss, Xu & Du's (4), for every neuron at once.

    ``∇ᵢ = ½(Σⱼwⱼ - v) + ((Σ_{j≠i}|wⱼ| sin θᵢⱼ - |v| sin θᵢ) ŵᵢ - Σ_{j≠i} θᵢⱼ wⱼ + θᵢ v)/(2π)``
    ``= E[(Σⱼ relu(wⱼᵀx) - relu(vᵀx)) 1(wᵢᵀx > 0) x]``. A zero neuron has zero gradient
    (``relu'(0) = 0``) and contributes nothing to the others. One call advances every run
    in the leading axes: cost ``O(n² d)`` per run, memory ``O(n² d)``.

    Parameters
    ----------
    W : array_like, shape (..., n, d)
    v : array_like, shape (..., d)
    compensated : bool
        False selects the lean path (plain unit vectors; angles to absolute accuracy ~1e-16),
        about twice as fast, for long GD loops; see :func:`student_teacher_loss`.

    Returns
    -------
    ndarray, shape (..., n, d)

    References
    ----------
    Xu & Du (2023), eq. (4), Appendix B; Safran & Shamir (2018); ``ch-xu2023``.

    See Also
    --------
    student_teacher_loss : central finite differences; mc_student_teacher : Monte Carlo.
    """
    W, v, pair, teach = _st_geometry(W, v, compensated)
    vv = np.broadcast_to(v[..., None, :], teach.uw.shape)
    r = W.sum(-2, keepdims=True) - v[..., None, :]
    coef = np.einsum("...ij,...j->...i", pair.sin, pair.nv[..., 0, :]) - teach.nv * teach.sin
    ang = coef[..., None] * teach.uw - np.einsum("...ij,...jd->...id", pair.theta, W)
    ang = ang + teach.theta[..., None] * vv
    out = 0.5 * r + ang / _TWO_PI
    return np.where((teach.nw > 0)[..., None], out, 0.0)


def student_teacher_grad_loop(W: np.ndarray, v: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Xu & Du's gradient (4) for long GD loops: runs on one leading axis, no broadcasting.

    The same formula and angle convention (θ = 2 atan2(|ûᵢ − ûⱼ|, |ûᵢ + ûⱼ|)) as
    :func:`student_teacher_grad`, stripped to what a loop of 10⁶ steps over a batch needs: plain
    unit vectors, ``einsum`` contractions, no shape checks; about 1.4 µs per run and step for
    n ≤ 5 neurons in n + 1 coordinates (against ~9 µs for the compensated path).

    Parameters
    ----------
    W : ndarray, shape (B, n, k)
        Students of B runs (zero rows: padding for narrower students; their gradient is 0).
    v : ndarray, shape (B, k)
        Teachers.
    mask : ndarray of bool, shape (B, n)
        The live (nonzero) neurons.

    Returns
    -------
    ndarray, shape (B, n, k)

    References
    ----------
    Xu & Du (2023), eq. (4); ``ch-xu2023``.

    See Also
    --------
    student_teacher_grad : the reference (compensated), against which this is tested.
    """
    nw = np.sqrt(np.einsum("bik,bik->bi", W, W))
    U = W / np.where(mask, nw, 1.0)[..., None]
    D = U[:, :, None, :] - U[:, None, :, :]
    S = U[:, :, None, :] + U[:, None, :, :]
    th = 2 * np.arctan2(
        np.sqrt(np.einsum("bijk,bijk->bij", D, D)), np.sqrt(np.einsum("bijk,bijk->bij", S, S))
    )
    vn = np.sqrt(np.einsum("bk,bk->b", v, v))[:, None]
    vh = (v / vn)[:, None, :]
    dv, sv = U - vh, U + vh
    tv = 2 * np.arctan2(
        np.sqrt(np.einsum("bik,bik->bi", dv, dv)), np.sqrt(np.einsum("bik,bik->bi", sv, sv))
    )
    coef = np.einsum("bij,bj->bi", np.sin(th), nw) - vn * np.sin(tv)
    ang = coef[..., None] * U - th @ W + tv[..., None] * v[:, None, :]
    r = W.sum(1, keepdims=True) - v[:, None, :]
    g = 0.5 * r + ang / _TWO_PI
    g *= mask[..., None]
    return g


def student_teacher_hessian(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Hessian Λ of the student-teacher loss, Xu & Du's (51), shape (..., n·d, n·d).

    ``Λᵢᵢ = ½I + Σ_{j≠i} ζ(wᵢ, wⱼ) - ζ(wᵢ, v)`` and ``Λᵢⱼ = ∂²Υ(wᵢ, wⱼ)/∂wᵢ∂wⱼ`` (see
    :func:`kernel1_cross_hessian`). Row and column ``i·d + k`` is coordinate k of neuron i,
    matching ``W.reshape(..., n*d)``. Rows and columns of a zero neuron are ``nan``.

    Parameters
    ----------
    W : array_like, shape (..., n, d)
    v : array_like, shape (..., d)

    Returns
    -------
    ndarray, shape (..., n*d, n*d)

    References
    ----------
    Xu & Du (2023), eq. (51), Lemma 23 (Safran et al. 2020); ``ch-xu2023``.

    See Also
    --------
    student_teacher_grad : central finite differences of it.
    """
    W, v, pair, teach = _st_geometry(W, v)
    n, d = W.shape[-2:]
    zs = _zeta(pair)  # (..., n, n, d, d): ζ(wᵢ, wⱼ)
    zt = _zeta(teach)  # (..., n, d, d)
    cross = _cross(pair)  # (..., n, n, d, d)
    eye_n = np.eye(n, dtype=bool)
    diag = 0.5 * np.eye(d) + np.where(eye_n[..., None, None], 0.0, zs).sum(-3) - zt
    blocks = np.where(eye_n[..., None, None], 0.0, cross)
    idx = np.arange(n)
    blocks[..., idx, idx, :, :] = diag
    H = np.swapaxes(blocks, -3, -2).reshape(blocks.shape[:-4] + (n * d, n * d))
    dead = np.repeat(teach.nw == 0, d, axis=-1)
    if np.any(dead):
        H = np.where(dead[..., :, None] | dead[..., None, :], np.nan, H)
    return H


# --------------------------------------------------------------------------------------------
# Monte Carlo (the independent cross-check, for any input law)


def _leaky(z, alpha):
    return np.where(z > 0, z, alpha * z)


def mc_neuron(
    w: np.ndarray, v: np.ndarray, X: np.ndarray, alpha: float = 0.0
) -> dict[str, np.ndarray]:
    """Sample means and standard errors of the single-neuron loss and a.e. gradient.

    Per sample ``x``: ``½(σ_α(wᵀx) - σ_α(vᵀx))²`` and ``(σ_α(wᵀx) - σ_α(vᵀx)) σ_α'(wᵀx) x``
    with ``σ_α'(0) = α`` (Yehudai & Shamir's eq. (3) stochastic gradient). Works for samples
    of any law (Gaussian, shifted Gaussian, sphere).

    Parameters
    ----------
    w, v : array_like, shape (..., d), broadcasting
    X : array_like, shape (N, d)
    alpha : float

    Returns
    -------
    dict
        ``loss``, ``loss_se`` of shape (...); ``grad``, ``grad_se`` of shape (..., d).

    References
    ----------
    Yehudai & Shamir (2020), eqs. (1)-(3); ``ch-yehudai2020``.

    See Also
    --------
    neuron_loss, neuron_grad : the closed forms this estimates (Gaussian input).
    """
    X = np.asarray(X, dtype=float)
    # broadcast before projecting: a single v (d,) against a batch w (..., d)
    w, v = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(v, dtype=float))
    N = X.shape[0]
    pw = np.einsum("...i,ni->n...", w, X)
    pv = np.einsum("...i,ni->n...", v, X)
    res = _leaky(pw, alpha) - _leaky(pv, alpha)
    loss = 0.5 * res * res
    dw = np.where(pw > 0, 1.0, alpha)
    coef = res * dw  # (N, ...)
    Xb = X.reshape((N,) + (1,) * (coef.ndim - 1) + (X.shape[1],))
    grad = coef[..., None] * Xb
    return {
        "loss": loss.mean(0),
        "loss_se": loss.std(0, ddof=1) / np.sqrt(N),
        "grad": grad.mean(0),
        "grad_se": grad.std(0, ddof=1) / np.sqrt(N),
    }


def mc_student_teacher(W: np.ndarray, v: np.ndarray, X: np.ndarray) -> dict[str, np.ndarray]:
    """Sample means and standard errors of the student-teacher loss and a.e. gradient.

    Per sample: ``½R(x)²`` and ``R(x) 1(wᵢᵀx > 0) x`` with ``R = Σⱼ relu(wⱼᵀx) - relu(vᵀx)``.

    Parameters
    ----------
    W : array_like, shape (..., n, d)
    v : array_like, shape (..., d)
    X : array_like, shape (N, d)

    Returns
    -------
    dict
        ``loss``, ``loss_se`` of shape (...); ``grad``, ``grad_se`` of shape (..., n, d).

    References
    ----------
    Xu & Du (2023), eq. (3) and Appendix B (the expectation form of ∇ᵢ); ``ch-xu2023``.

    See Also
    --------
    student_teacher_loss, student_teacher_grad : the closed forms this estimates.
    """
    X = np.asarray(X, dtype=float)
    W = np.asarray(W, dtype=float)
    v = np.asarray(v, dtype=float)
    lead = np.broadcast_shapes(W.shape[:-2], v.shape[:-1])
    W = np.broadcast_to(W, lead + W.shape[-2:])
    v = np.broadcast_to(v, lead + v.shape[-1:])  # a single teacher (d,) for a batch of students
    N = X.shape[0]
    pw = np.einsum("...ji,ni->n...j", W, X)  # (N, ..., n)
    pv = np.einsum("...i,ni->n...", v, X)  # (N, ...)
    R = np.maximum(pw, 0).sum(-1) - np.maximum(pv, 0)
    loss = 0.5 * R * R
    coef = (pw > 0) * R[..., None]  # (N, ..., n)
    Xb = X.reshape((N,) + (1,) * (coef.ndim - 1) + (X.shape[1],))
    grad = coef[..., None] * Xb
    return {
        "loss": loss.mean(0),
        "loss_se": loss.std(0, ddof=1) / np.sqrt(N),
        "grad": grad.mean(0),
        "grad_se": grad.std(0, ddof=1) / np.sqrt(N),
    }
