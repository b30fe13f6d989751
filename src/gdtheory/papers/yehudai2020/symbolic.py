"""Sympy derivations behind the closed forms of the Yehudai & Shamir (2020) chapter.

Every function derives its result by an actual integral, derivative, limit or solve (never a
typed answer); the chapter shows the result and compares it with the paper's formula.

References
----------
Yehudai & Shamir (2020), Assumption 4.1, Theorems 4.2 and 5.3, Lemma B.1, Lemmas 6.3 and D.2,
§3.2, Remark 4.4, Eq. (25); chapter ``ch-yehudai2020`` (section "Closed forms").
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from gdtheory.core.symbolic_kernels import RV, RW, polar_kernel
from gdtheory.core.symbolic_kernels import THETA as KTH

__all__ = [
    "assumption41_gaussian",
    "assumption41_shifted",
    "assumption41_sphere",
    "sphere_plane_density",
    "thm53_constant",
    "pie_slice_integrals",
    "polar_loss",
    "reduced_flow_rhs",
    "lemma_d_quantities",
    "thm42_small_r_limit",
    "hessian_at_v",
    "remark44_flow",
    "plane_second_moment",
    "leaky_cross_moment",
    "lemma63_circle_integrals",
    "stein_sin",
    "lemma51_tail",
    "eq27_taylor_constant",
]

R_, TH = sp.symbols("r theta", positive=True)
ALPHA = sp.Symbol("alpha", positive=True)
DELTA = sp.Symbol("delta", positive=True)


def _best_alpha(a4b: sp.Expr) -> sp.Expr:
    """The positive stationary point of α ↦ α⁴β(α) (log-derivative solved by sympy)."""
    dlog = sp.simplify(sp.diff(sp.expand_log(sp.log(a4b), force=True), ALPHA))
    sols = sp.solve(sp.Eq(sp.together(dlog), 0), ALPHA)
    sols = [s for s in sols if s.is_positive]
    if len(sols) != 1:
        raise ValueError(f"expected one positive stationary point, got {sols}")
    return sp.nsimplify(sp.simplify(sols[0]))


@lru_cache(maxsize=16)
def assumption41_gaussian() -> dict[str, sp.Expr]:
    """Assumption 4.1(1) for N(0, I_d): β(α) = inf_{‖y‖≤α} p(y) and the α maximising α⁴β.

    Every 2-D marginal is N(0, I₂), density e^{-‖y‖²/2}/(2π), smallest on ‖y‖ = α.

    References
    ----------
    Yehudai & Shamir (2020), Assumption 4.1 and the remark after it; chapter
    ``ch-yehudai2020``.
    """
    beta = sp.exp(-(ALPHA**2) / 2) / (2 * sp.pi)
    a = _best_alpha(ALPHA**4 * beta)
    b = beta.subs(ALPHA, a)
    return {"beta_of_alpha": beta, "alpha": a, "beta": sp.simplify(b), "a4b": sp.simplify(a**4 * b)}


@lru_cache(maxsize=16)
def assumption41_shifted(m: int = 1) -> dict[str, sp.Expr]:
    """Assumption 4.1(1) for N(μ, I₂) with ‖μ‖ = m (the law of Figure 1, m = 1).

    The density e^{-‖y-μ‖²/2}/(2π) is smallest on the disc ‖y‖ ≤ α at y = -α μ/‖μ‖.

    References
    ----------
    Yehudai & Shamir (2020), Assumption 4.1, §6.2; chapter ``ch-yehudai2020``.
    """
    beta = sp.exp(-((ALPHA + sp.Integer(m)) ** 2) / 2) / (2 * sp.pi)
    a = _best_alpha(ALPHA**4 * beta)
    b = beta.subs(ALPHA, a)
    return {"beta_of_alpha": beta, "alpha": a, "beta": sp.simplify(b), "a4b": sp.simplify(a**4 * b)}


@lru_cache(maxsize=16)
def sphere_plane_density(d: int, radius: sp.Expr | None = None) -> sp.Expr:
    """Density (in ρ = ‖y‖) of the 2-D marginal of U(R S^{d-1}), normalised by a sympy integral.

    The marginal of k coordinates of U(S^{d-1}) has density ∝ (1 - ‖y‖²)^{(d-k-2)/2}; here
    k = 2, scaled to radius R (default R = √d, so that E‖x‖² = d as for N(0, I_d)).

    References
    ----------
    Yehudai & Shamir (2020), Assumption 4.1 (the uniform distribution example); chapter
    ``ch-yehudai2020``.
    """
    rho = sp.Symbol("rho", positive=True)
    R = sp.sqrt(d) if radius is None else radius
    shape = (1 - rho**2 / R**2) ** sp.Rational(d - 4, 2)
    norm = sp.integrate(2 * sp.pi * rho * shape, (rho, 0, R))
    return sp.simplify(shape / norm).subs(rho, ALPHA)


@lru_cache(maxsize=16)
def assumption41_sphere(d: int) -> dict[str, sp.Expr]:
    """Assumption 4.1(1) for U(√d S^{d-1}), d ≥ 5: β(α) and the α maximising α⁴β.

    For d ≥ 5 the planar density decreases in ‖y‖, so the infimum over the disc is at ‖y‖ = α.

    References
    ----------
    Yehudai & Shamir (2020), Assumption 4.1 and Assumption 5.2 (a bounded spherical law);
    chapter ``ch-yehudai2020``.
    """
    if d < 5:
        raise ValueError("d >= 5 needed (for d = 4 the planar density is constant)")
    beta = sphere_plane_density(d)
    a = _best_alpha(ALPHA**4 * beta)
    b = beta.subs(ALPHA, a)
    return {"beta_of_alpha": beta, "alpha": a, "beta": sp.simplify(b), "a4b": sp.simplify(a**4 * b)}


def thm53_constant() -> dict[str, sp.Expr]:
    """Theorem 4.2's factor sin³(δ/4)/(8√2) at δ = π/2, exactly, and the ratio to 1/210.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 5.3 and its proof (C.1); chapter ``ch-yehudai2020``.
    """
    c = sp.sin(sp.pi / 8) ** 3 / (8 * sp.sqrt(2))
    c_rad = sp.radsimp(sp.simplify(sp.expand_trig(sp.sin(sp.pi / 8)).rewrite(sp.sqrt) ** 3)
                       / (8 * sp.sqrt(2)))
    return {"constant": c, "radical": sp.simplify(c_rad), "times_210": sp.simplify(210 * c)}


def pie_slice_integrals() -> dict[str, sp.Expr]:
    """Lemma B.1 exactly: ∫_P y₁², ∫_P y₂² over the wedge P of opening δ, radius α, and bounds.

    P = {θ(y, e₁) ≤ δ/2, ‖y‖ ≤ α}; polar integrals in (ρ, φ). Returns the two moments, the
    exact infimum over unit u (the smaller moment: the cross moment vanishes by symmetry), the
    rectangles' value (α⁴/8) sin³(δ/4) cos(δ/4), the printed bound α⁴ sin³(δ/4)/(8√2), and the
    δ → 0 limit of exact/bound.

    References
    ----------
    Yehudai & Shamir (2020), Lemma B.1, Eq. (5), Figure 2; chapter ``ch-yehudai2020``.
    """
    rho, phi = sp.symbols("rho varphi", real=True)
    area = lambda f: sp.integrate(sp.integrate(f * rho, (rho, 0, ALPHA)),  # noqa: E731
                                  (phi, -DELTA / 2, DELTA / 2))
    m1 = sp.simplify(area((rho * sp.cos(phi)) ** 2))
    m2 = sp.simplify(area((rho * sp.sin(phi)) ** 2))
    m12 = sp.simplify(area(rho**2 * sp.cos(phi) * sp.sin(phi)))
    rect = ALPHA**4 / 8 * sp.sin(DELTA / 4) ** 3 * sp.cos(DELTA / 4)
    bound = ALPHA**4 / (8 * sp.sqrt(2)) * sp.sin(DELTA / 4) ** 3
    ratio0 = sp.limit(m2 / bound, DELTA, 0)
    return {"m11": m1, "m22": m2, "m12": m12, "exact_inf": m2, "rectangles": rect,
            "bound": bound, "ratio_delta_to_0": ratio0, "area": sp.simplify(area(1))}


def polar_loss(kernel1: sp.Expr | None = None) -> sp.Expr:
    """F(r, θ) for ReLU, N(0, I), ‖v‖ = 1: ½(k(w,w) - 2k(w,v) + k(v,v)) from the kernel.

    ``kernel1`` is E[relu(wᵀx) relu(vᵀx)] in (r, θ) for ‖v‖ = 1; by default the toolkit's
    sympy polar-integral derivation (``core.symbolic_kernels.polar_kernel(1)``).

    References
    ----------
    Yehudai & Shamir (2020), Eq. (1), Appendix D.1 (Eq. (25)); chapter ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.gaussian_relu.neuron_loss : the numpy closed form.
    """
    if kernel1 is None:
        return _default_polar_loss()
    kww = sp.simplify(sp.limit(kernel1, TH, 0) * R_)  # k(w, w) = r² k(ŵ, ŵ)
    kvv = sp.simplify(sp.limit(kernel1, TH, 0).subs(R_, 1))
    return sp.simplify(sp.Rational(1, 2) * (kww - 2 * kernel1 + kvv))


@lru_cache(maxsize=1)
def _default_polar_loss() -> sp.Expr:
    k = polar_kernel(1)["kernel"].subs({RW: R_, RV: 1, KTH: TH})
    return polar_loss(k)


def reduced_flow_rhs(loss: sp.Expr | None = None) -> tuple[sp.Expr, sp.Expr]:
    """Gradient flow in polar coordinates of span{w, v}: ṙ = -∂_r F, θ̇ = -∂_θ F / r².

    References
    ----------
    Yehudai & Shamir (2020), §6.1 and Appendix D.1 (gradient flow on Eq. (1)); chapter
    ``ch-yehudai2020``.
    """
    F = polar_loss() if loss is None else loss
    return sp.simplify(-sp.diff(F, R_)), sp.simplify(-sp.diff(F, TH) / R_**2)


def _eq25_plane() -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    """Eq. (25) in the plane with v = e₁, w = r(cos θ, sin θ): (∇F, w, v)."""
    w = sp.Matrix([R_ * sp.cos(TH), R_ * sp.sin(TH)])
    v = sp.Matrix([1, 0])
    grad = w / 2 - (sp.sin(TH) * w / R_ + (sp.pi - TH) * v) / (2 * sp.pi)
    return grad, w, v


@lru_cache(maxsize=16)
def lemma_d_quantities() -> dict[str, sp.Expr]:
    """From Eq. (25): Lemma D.1's (v̄ - cos θ w̄)ᵀ∇F, θ̇, and Lemma D.2's -wᵀ∇F.

    Also the Cartesian gradient of :func:`polar_loss` minus Eq. (25) (should be 0) and the
    gradient correlation ⟨∇F, w - v⟩.

    References
    ----------
    Yehudai & Shamir (2020), Lemmas D.1, D.2, Eq. (25), Theorem 4.2; chapter
    ``ch-yehudai2020``.
    """
    grad, w, v = _eq25_plane()
    wbar = w / R_
    tang = sp.simplify(((v - sp.cos(TH) * wbar).T * grad)[0])
    F = polar_loss()
    # Cartesian gradient of F(r, θ) in the upper half-plane: ∂_r r̂ + (1/r) ∂_θ θ̂
    rhat = sp.Matrix([sp.cos(TH), sp.sin(TH)])
    that = sp.Matrix([-sp.sin(TH), sp.cos(TH)])
    cart = sp.diff(F, R_) * rhat + sp.diff(F, TH) / R_ * that
    return {
        "tangential": tang,
        "theta_dot": sp.simplify(-((that.T * grad)[0]) / R_),
        "minus_w_grad": sp.simplify(-(w.T * grad)[0]),
        "eq25_minus_gradF": sp.simplify(cart - grad),
        "correlation": sp.simplify((grad.T * (w - v))[0]),
    }


def thm42_small_r_limit() -> dict[str, sp.Expr]:
    """ρ(δ) at r → 0, θ = π - δ: lim ⟨∇F, w - v⟩/‖w - v‖² and its δ → 0 series.

    References
    ----------
    Yehudai & Shamir (2020), Theorem 4.2 (tightness of the exponent 3 of sin³(δ/4)); chapter
    ``ch-yehudai2020``.
    """
    q = lemma_d_quantities()["correlation"]
    grad, w, v = _eq25_plane()
    dist2 = sp.simplify(((w - v).T * (w - v))[0])
    lim = sp.simplify(sp.limit(q / dist2, R_, 0).subs(TH, sp.pi - DELTA))
    return {"limit": lim, "series": sp.series(lim, DELTA, 0, 5).removeO(),
            "leading": sp.limit(lim / DELTA**3, DELTA, 0)}


def hessian_at_v() -> sp.Matrix:
    """Hessian of F at w = v = e₁ for ReLU, N(0, I₂) (branch w₂ > 0, limit w₂ → 0⁺).

    In Cartesian coordinates r sin θ = w₂ and cos θ = w₁/r, so F is explicit; the one
    non-smooth term |w₂| cancels to third order.

    References
    ----------
    Yehudai & Shamir (2020), Eq. (1) with Eq. (25) (local rate near v); chapter
    ``ch-yehudai2020``.
    """
    w1, w2 = sp.symbols("w1 w2", positive=True)
    r = sp.sqrt(w1**2 + w2**2)
    th = sp.atan2(w2, w1)
    F = polar_loss().subs({TH: th}).subs({R_: r})
    H = sp.hessian(F, (w1, w2))
    return sp.simplify(H.applyfunc(lambda e: sp.limit(sp.simplify(e.subs(w1, 1)), w2, 0, "+")))


def remark44_flow() -> sp.Expr:
    """Gradient flow from w(0) = -c v on the ray θ = π: dsolve of ṙ = -∂_r F at θ = π.

    References
    ----------
    Yehudai & Shamir (2020), Remark 4.4; chapter ``ch-yehudai2020``.
    """
    t, c = sp.symbols("t c", positive=True)
    rf = sp.Function("r")
    rdot, _ = reduced_flow_rhs()
    ode = sp.Eq(rf(t).diff(t), rdot.subs(TH, sp.pi).subs(R_, rf(t)))
    return sp.dsolve(ode, rf(t), ics={rf(0): c}).rhs


@lru_cache(maxsize=16)
def plane_second_moment(d: int | None = None) -> sp.Expr:
    """E‖y‖² of the 2-D marginal: 2 for N(0, I_d), and for U(√d S^{d-1}) by a sympy integral.

    The scaling identity: for 2-homogeneous integrands (those of F and ∇F), E_D = (E_D‖x‖²/d)
    E_Gauss for every spherically symmetric D, because x = R u with u uniform and independent
    of R; equivalently every planar marginal has second moment 2 E_D‖x‖²/d.

    References
    ----------
    Yehudai & Shamir (2020), Assumption 6.1, Lemmas 6.2, 6.3 (the projection argument);
    chapter ``ch-yehudai2020``.
    """
    rho = sp.Symbol("rho", positive=True)
    if d is None:
        dens = sp.exp(-(rho**2) / 2) / (2 * sp.pi)
        return sp.integrate(2 * sp.pi * rho * rho**2 * dens, (rho, 0, sp.oo))
    dens = sphere_plane_density(d).subs(ALPHA, rho)
    return sp.simplify(sp.integrate(2 * sp.pi * rho * rho**2 * dens, (rho, 0, sp.sqrt(d))))


def leaky_cross_moment() -> sp.Expr:
    """E[(aᵀx) relu(bᵀx)] for unit a, b at angle ψ, x ~ N(0, I₂), by a polar integral.

    Gives cos ψ / 2, hence the leaky kernel γ aᵀb + (1-γ)² k(a, b).

    References
    ----------
    Yehudai & Shamir (2020), Theorem 3.2 (a strictly monotone activation); chapter
    ``ch-yehudai2020``.
    """
    rho, phi, psi = sp.symbols("rho varphi psi", positive=True)
    radial = sp.integrate(rho**3 * sp.exp(-(rho**2) / 2), (rho, 0, sp.oo)) / (2 * sp.pi)
    ang = sp.integrate(sp.cos(phi - psi) * sp.cos(phi), (phi, -sp.pi / 2, sp.pi / 2))
    return sp.simplify(radial * ang)


def lemma63_circle_integrals() -> dict[str, sp.Expr]:
    """Lemma 6.3's circle integral as printed (measure dy₁) and as the true circle average.

    Printed, Eq. (22)-(23): ∫₀¹ [y₁ σ(v₁y₁ + √((1-y₁²)(1-v₁²))) - 2r y₁²] dy₁, for v₁ = cos θ
    ≥ 0 (no kink). True: (1/2π) ∫_{cos φ > 0} (σ(cos(φ-θ)) - r cos φ) cos φ dφ, which has the
    Jacobian dφ = dy₁/√(1-y₁²) the printed integral drops.

    References
    ----------
    Yehudai & Shamir (2020), Lemma 6.3, Eqs. (21)-(23); chapter ``ch-yehudai2020``.
    """
    y, phi = sp.symbols("y1 varphi", real=True)
    v1 = sp.cos(TH)
    printed = sp.integrate(y * (v1 * y + sp.sqrt(1 - y**2) * sp.sin(TH)) - 2 * R_ * y**2,
                           (y, 0, 1))
    # true average: σ(cos(φ-θ)) > 0 for φ in (θ - π/2, θ + π/2); with cos φ > 0 too
    true = (sp.integrate((sp.cos(phi - TH) - R_ * sp.cos(phi)) * sp.cos(phi),
                         (phi, TH - sp.pi / 2, sp.pi / 2))
            - sp.integrate(R_ * sp.cos(phi) ** 2, (phi, -sp.pi / 2, TH - sp.pi / 2))) / (2 * sp.pi)
    return {"printed": sp.simplify(printed), "true": sp.simplify(true),
            "printed_threshold": sp.solve(printed, R_)[0], "true_threshold": sp.solve(true, R_)[0]}


def stein_sin() -> sp.Expr:
    """E[sin(a z) z] for z ~ N(0, 1) by a sympy integral (= a e^{-a²/2}).

    References
    ----------
    Yehudai & Shamir (2020), §3.2 (periodic activations); chapter ``ch-yehudai2020``.
    """
    z = sp.Symbol("z", real=True)
    a = sp.Symbol("a", positive=True)
    return sp.simplify(sp.integrate(sp.sin(a * z) * z * sp.exp(-(z**2) / 2), (z, -sp.oo, sp.oo))
                       / sp.sqrt(2 * sp.pi))


def lemma51_tail() -> dict[str, sp.Expr]:
    """Lemma 5.1's first term P(w₁ ≥ 2τ²d) for w₁ ~ N(0, τ²) in terms of u = τd, and bounds.

    Returns the exact tail ½ - ½ erf(√2 u), the lower bound the proof needs (from the upper
    bound erf(z) ≤ 2z/√π), and the printed chi-square constant (2/e)^{1/2} against 1.2.

    References
    ----------
    Yehudai & Shamir (2020), Lemma 5.1 and its proof (Appendix C); chapter ``ch-yehudai2020``.
    """
    u, x = sp.symbols("u x", positive=True)
    tau = sp.Symbol("tau", positive=True)
    dens = sp.exp(-(x**2) / (2 * tau**2)) / sp.sqrt(2 * sp.pi * tau**2)
    d = sp.Symbol("d", positive=True)
    tail = sp.simplify(sp.integrate(dens, (x, 2 * tau**2 * d, sp.oo)).subs(d, u / tau))
    return {"tail": tail, "needed_lower": sp.Rational(1, 2) - sp.sqrt(2 / sp.pi) * u,
            "chi2_base": sp.sqrt(2 / sp.E)}


def eq27_taylor_constant() -> sp.Expr:
    """The constant ½ - 1/6 - (π/2)²/24 of the Taylor step of Eq. (27) (Lemma D.2's proof).

    Derived from the series of sin α - α cos α - α³(1/2 - 1/6) + α⁵/24 (zero to order 5).

    References
    ----------
    Yehudai & Shamir (2020), Lemma D.2, Eq. (27); chapter ``ch-yehudai2020``.
    """
    a = sp.Symbol("a", positive=True)
    lower = a - a**3 / 6 - a * (1 - a**2 / 2 + a**4 / 24)
    return sp.simplify(sp.expand(lower / a**3)).subs(a, sp.pi / 2)
