"""sympy derivations of the Gaussian arc-cosine kernels by a polar integral in the plane of w, v.

Only the projection of x ~ N(0, I_d) onto span(w, v) enters ``σ(wᵀx) σ(vᵀx)``, and it is a
standard Gaussian in ℝ². With ``w = r_w (1, 0)``, ``v = r_v (cos θ, sin θ)``, θ ∈ (0, π) and
``x = ρ (cos φ, sin φ)`` (density ``ρ e^(-ρ²/2)/(2π)``), a degree-q homogeneous activation
splits the integral into a radial factor ``(1/2π)∫₀^∞ ρ^(2q+1) e^(-ρ²/2) dρ`` and an angular
factor over the four arcs cut by the kinks ``φ = ±π/2`` and ``φ = θ ± π/2``, on each of
which the signs of ``cos φ`` and ``cos(φ - θ)`` are fixed. sympy does both integrals; nothing is
typed in.

References
----------
Xu & Du (2023), Appendix B (Υ); Yehudai & Shamir (2020), Appendix D; Cho & Saul (2009);
chapters ``ch-xu2023``, ``ch-yehudai2020``.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["RW", "RV", "THETA", "ALPHA", "polar_kernel", "kernel_function", "polar_hessian_2d"]

RW, RV = sp.symbols("r_w r_v", positive=True)
THETA = sp.Symbol("theta", positive=True)
ALPHA = sp.Symbol("alpha", nonnegative=True)
_RHO, _PHI = sp.symbols("rho phi", positive=True)


def _arcs():
    """The four arcs of [-π/2, 3π/2) with the signs of (cos φ, cos(φ - θ)) on each."""
    h = sp.pi / 2
    return [
        (-h, THETA - h, 1, -1),
        (THETA - h, h, 1, 1),
        (h, THETA + h, -1, 1),
        (THETA + h, 3 * h, -1, -1),
    ]


def polar_kernel(order: int, alpha: sp.Expr | float = 0) -> dict[str, sp.Expr]:
    """Derive ``E[σ(wᵀx) σ(vᵀx)]`` for x ~ N(0, I) by a polar integral (sympy).

    Parameters
    ----------
    order : {0, 1}
        0: ``σ(z) = 1(z > 0)``; 1: ``σ(z) = z`` for z > 0 and ``α z`` for z < 0 (leaky ReLU,
        α = 0 the ReLU).
    alpha : sympy expression or number
        Leaky slope, order 1 only (use :data:`ALPHA` for a symbolic slope).

    Returns
    -------
    dict
        ``radial``: ``(1/2π)∫ρ^(2q+1)e^(-ρ²/2)dρ``; ``angular``: the simplified angular
        integral; ``kernel``: their product times ``r_w^q r_v^q``, in the symbols
        :data:`RW`, :data:`RV`, :data:`THETA` (θ ∈ (0, π)).

    References
    ----------
    Xu & Du (2023), Appendix B; Yehudai & Shamir (2020), Appendix D and Theorem 3.2;
    Cho & Saul (2009); ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.kernel0, gdtheory.core.gaussian_relu.kernel1 :
        the numpy closed forms compared with this derivation in the tests.
    """
    if order not in (0, 1):
        raise ValueError("order must be 0 or 1")
    radial = sp.integrate(_RHO ** (2 * order + 1) * sp.exp(-(_RHO**2) / 2), (_RHO, 0, sp.oo))
    radial = sp.simplify(radial / (2 * sp.pi))
    angular = sp.Integer(0)
    for lo, hi, s1, s2 in _arcs():
        if order == 0:
            if s1 > 0 and s2 > 0:
                angular += sp.integrate(sp.Integer(1), (_PHI, lo, hi))
            continue
        lam1 = 1 if s1 > 0 else alpha
        lam2 = 1 if s2 > 0 else alpha
        integrand = lam1 * lam2 * sp.cos(_PHI) * sp.cos(_PHI - THETA)
        angular += sp.integrate(integrand, (_PHI, lo, hi))
    angular = sp.simplify(sp.expand_trig(sp.expand(angular)))
    kernel = sp.simplify(radial * angular * (RW * RV) ** order)
    return {"radial": radial, "angular": angular, "kernel": kernel}


def kernel_function(order: int, alpha: float = 0.0):
    """The derived kernel as a numpy function ``f(r_w, r_v, theta)`` (``sympy.lambdify``).

    References
    ----------
    Xu & Du (2023), Appendix B; ``ch-xu2023``.

    See Also
    --------
    polar_kernel : the expression that is lambdified.
    """
    expr = polar_kernel(order, alpha)["kernel"]
    return sp.lambdify((RW, RV, THETA), expr, modules="numpy")


def polar_hessian_2d() -> tuple[sp.Matrix, tuple[sp.Symbol, sp.Symbol]]:
    """Cartesian Hessian in ``w = (x, y)``, y > 0, of Υ(w, v) with ``v = r_v e₁`` (sympy).

    Υ is the derived order-1 kernel with ``r_w = √(x² + y²)`` and ``θ = atan2(y, x)``, then
    differentiated twice by sympy: an independent route to Xu & Du's ζ of eq. (51).

    Returns
    -------
    H : sympy.Matrix, 2 × 2, in the symbols ``(x, y)`` and :data:`RV`
    symbols : tuple (x, y)

    References
    ----------
    Xu & Du (2023), eq. (51) (ζ); ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.kernel1_hessian : compared with this at random points.
    """
    x = sp.Symbol("x", real=True)
    y = sp.Symbol("y", positive=True)
    k = polar_kernel(1)["kernel"].subs({RW: sp.sqrt(x**2 + y**2), THETA: sp.atan2(y, x)})
    H = sp.hessian(k, (x, y))
    return H, (x, y)
