"""Sympy derivations behind the closed forms of the linear-network chapter.

Every function returns sympy expressions derived by an actual integral, derivative or
solve, never typed answers; the chapter compares them with the paper's formulas.

References
----------
Lin, Sun & Zhang (2021); chapter ``ch-lin2021`` (section "Closed forms").
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "c0_sphere",
    "c0_gaussian",
    "c0_circle",
    "circle_mean",
    "eq4_dcos",
    "lemma2_pairing",
    "lemma2_angular_integral",
    "lemma2_printed_domain",
    "grad_at_origin",
    "hessian_at_origin",
    "sup_z_sigmoid",
    "g_small_r",
    "logistic_eta2",
    "strip_asymptote",
    "prop4_solution",
    "thm1_phase2_integral",
    "thm3_integrals",
    "tanh_form",
    "chi_mean",
]

PHI = sp.Symbol("varphi", real=True)


def c0_sphere() -> tuple[sp.Expr, sp.Symbol]:
    """c₀ = E‖P₂x‖ for x ~ U(S^{d-1}) as the Beta moment E√B, B = ‖P₂x‖² ~ Beta(1, (d-2)/2).

    Returns (c₀(d), d).

    References
    ----------
    Lin et al. (2021), §2 (c₀ = E_{D₂}‖x‖); chapter ``ch-lin2021``.
    """
    b, k = sp.symbols("b k", positive=True)
    d = sp.Symbol("d", positive=True)
    density = (1 - b) ** (k - 1) / sp.beta(1, k)
    moment = sp.simplify(sp.integrate(sp.sqrt(b) * density, (b, 0, 1)))
    return moment.subs(k, (d - 2) / 2), d


def c0_gaussian() -> sp.Expr:
    """c₀ = E‖x‖ for x ~ N(0, I₂) by the polar integral ∫∫ ρ · ρ e^{-ρ²/2}/(2π) dφ dρ.

    References
    ----------
    Lin et al. (2021), §2.1 (Gaussian example); chapter ``ch-lin2021``.
    """
    r = sp.Symbol("rho", positive=True)
    return sp.integrate(
        sp.integrate(r * r * sp.exp(-(r**2) / 2) / (2 * sp.pi), (PHI, 0, 2 * sp.pi)), (r, 0, sp.oo)
    )


def c0_circle() -> sp.Expr:
    """c₀ = E‖x‖ = (1/2π)∫₀^{2π} ‖(cos φ, sin φ)‖ dφ for x ~ U(S¹)."""
    norm = sp.sqrt(sp.cos(PHI) ** 2 + sp.sin(PHI) ** 2)
    return sp.integrate(sp.simplify(norm), (PHI, 0, 2 * sp.pi)) / (2 * sp.pi)


def circle_mean(f_pos: sp.Expr, f_neg: sp.Expr) -> sp.Expr:
    """E f over x = (cos φ, sin φ) ~ U(S¹), v = e₂: f_pos where y = +1 (φ ∈ [0, π)), else f_neg."""
    return (sp.integrate(f_pos, (PHI, 0, sp.pi)) + sp.integrate(f_neg, (PHI, sp.pi, 2 * sp.pi))) / (
        2 * sp.pi
    )


def eq4_dcos() -> tuple[sp.Expr, sp.Expr]:
    """d/dt cos θ along ẇ = -∇L: the chain rule versus the paper's Eq. (4), symbolic 2-D vectors.

    Returns (chain-rule derivative, Eq. (4) right-hand side).

    References
    ----------
    Lin et al. (2021), Eq. (4); chapter ``ch-lin2021``.
    """
    w1, w2, v1, v2, g1, g2 = sp.symbols("w1 w2 v1 v2 g1 g2", real=True)
    w, v, G = sp.Matrix([w1, w2]), sp.Matrix([v1, v2]), sp.Matrix([g1, g2])
    nw = sp.sqrt(w1**2 + w2**2)
    cos = (v.T * w)[0] / nw
    chain = sum(sp.diff(cos, wi) * (-gi) for wi, gi in zip(w, G, strict=True))
    wb = w / nw
    eq4 = -((v - (wb.T * v)[0] * wb).T * G)[0] / nw
    return sp.simplify(chain), sp.simplify(eq4)


def lemma2_pairing() -> sp.Expr:
    """1/(1+e^a) + 1/(1+e^{-a}), the pairing identity in the proof of Lemma 2 (A.4)."""
    a = sp.Symbol("a", real=True)
    return sp.simplify(1 / (1 + sp.exp(a)) + 1 / (1 + sp.exp(-a)))


def lemma2_angular_integral() -> tuple[sp.Expr, sp.Symbol]:
    """ρ/c₀ = (sin θ/4π)∫|sin φ| 1{|tan θ tan φ| ≥ 1} dφ, θ ∈ (0, π/2): the proof of Lemma 2.

    The set {|tan θ tan φ| ≥ 1} is [π/2-θ, π/2+θ] ∪ [3π/2-θ, 3π/2+θ].

    Returns (ρ/c₀ as a function of θ, θ).

    References
    ----------
    Lin et al. (2021), Lemma 2 and A.4 (with erratum E10); chapter ``ch-lin2021``.
    """
    th = sp.Symbol("theta", positive=True)
    half = sp.pi / 2
    integral = sp.integrate(sp.sin(PHI), (PHI, half - th, half + th)) + sp.integrate(
        -sp.sin(PHI), (PHI, 3 * half - th, 3 * half + th)
    )
    return sp.simplify(sp.sin(th) / (4 * sp.pi) * integral), th


def _abs_sin_integral(lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    """∫_lo^hi |sin φ| dφ for -π/2 ≤ lo ≤ hi ≤ π/2 (explicit endpoints), split at φ = 0."""
    out = sp.Integer(0)
    if bool(lo < 0):
        out += sp.integrate(-sp.sin(PHI), (PHI, lo, sp.Min(hi, 0)))
    if bool(hi > 0):
        out += sp.integrate(sp.sin(PHI), (PHI, sp.Max(lo, 0), hi))
    return out


def lemma2_printed_domain(theta: sp.Expr) -> sp.Expr:
    """ρ/c₀ with the domain of the proof of Lemma 2 as printed, {|tan θ - tan φ| ≥ 1}.

    (sin θ/4π)∫₀^{2π}|sin φ| 1{|tan θ - tan φ| ≥ 1} dφ at an explicit θ ∈ (0, π/2).  Both
    |sin| and tan have period π, and on (-π/2, π/2) the set is
    [arctan(tan θ + 1), π/2) ∪ (-π/2, arctan(tan θ - 1)].  With the product domain
    (:func:`lemma2_angular_integral`) the value is sin²θ/π.

    References
    ----------
    Lin et al. (2021), proof of Lemma 2 (A.4); chapter ``ch-lin2021`` (erratum E10).
    """
    theta = sp.sympify(theta)
    a, b = sp.tan(theta) + 1, sp.tan(theta) - 1
    half = sp.pi / 2
    inner = _abs_sin_integral(sp.atan(a), half) + _abs_sin_integral(-half, sp.atan(b))
    return sp.nsimplify(sp.simplify(sp.sin(theta) / (4 * sp.pi) * 2 * inner))


def grad_at_origin() -> sp.Matrix:
    """∇L(0) = -E[y x]/2 for x ~ U(S¹), v = e₂ (Eq. (2) at w = 0, Proposition 3)."""
    x = sp.Matrix([sp.cos(PHI), sp.sin(PHI)])
    return sp.Matrix([-circle_mean(xi / 2, -xi / 2) for xi in x])


def hessian_at_origin() -> sp.Matrix:
    """∇²L(0) = E[σ(1-σ) x xᵀ] at σ = ½, i.e. Σ/4, for x ~ U(S¹) (Proposition 1)."""
    x = sp.Matrix([sp.cos(PHI), sp.sin(PHI)])
    M = x * x.T / 4
    return M.applyfunc(lambda e: circle_mean(e, e))


def sup_z_sigmoid() -> tuple[sp.Expr, sp.Expr]:
    """argmax and max of z/(1+e^z): the supremum behind Lemma 3(i) (g ≤ 0.3).

    Returns (z*, value).  The value is reduced with the defining relation of
    W = LambertW(1/e), W e^W = 1/e, i.e. e^{W+1} = 1/W.
    """
    z = sp.Symbol("z", real=True)
    h = z / (1 + sp.exp(z))
    (zs,) = sp.solve(sp.diff(h, z), z)
    W = sp.LambertW(sp.exp(-1))
    w = sp.Symbol("w", positive=True)
    value = sp.simplify(h.subs(z, zs.subs(W, w)).xreplace({sp.exp(w + 1): 1 / w}))
    return zs, value.subs(w, W)


def g_small_r(order: int = 2) -> tuple[sp.Expr, sp.Symbol, sp.Symbol]:
    """Taylor expansion of g(r, θ)/r at r = 0 for x ~ U(S¹), from z/(1+e^z) = z/2 - z²/4 + ….

    Returns (expansion up to r^{order-1}, r, θ).

    References
    ----------
    Lin et al. (2021), Lemma 3(iv) and A.5; chapter ``ch-lin2021``.
    """
    r, th, z = sp.symbols("r theta z", real=True)
    h = sp.series(z / (1 + sp.exp(z)), z, 0, order + 1).removeO()
    # w = r (sin θ, cos θ), v = e₂; z = y wᵀx
    wx = r * (sp.sin(th) * sp.cos(PHI) + sp.cos(th) * sp.sin(PHI))
    gpos = sp.expand(h.subs(z, wx))
    gneg = sp.expand(h.subs(z, -wx))
    g = circle_mean(gpos, gneg)
    return sp.simplify(sp.expand(g / r)), r, th


def logistic_eta2() -> sp.Expr:
    """∫₀^∞ z/(1+e^z) dz = Σ_k (-1)^{k+1}∫₀^∞ z e^{-kz} dz = η(2)."""
    z = sp.Symbol("z", positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    term = sp.integrate(z * sp.exp(-k * z), (z, 0, sp.oo))
    return sp.summation((-1) ** (k + 1) * term, (k, 1, sp.oo))


def strip_asymptote() -> tuple[sp.Expr, sp.Expr, sp.Symbol]:
    """Limit of π w₂ g(a, w₂) as w₂ → ∞ (x ~ U(S¹), v = e₂) and the zero a* of the limit.

    Near the two label boundaries s = w₂φ is O(1); both contribute ∫ h(sgn(s)(a+s)) ds with
    h(z) = z/(1+e^z), which equals 2∫₀^∞h + ∫₀^a [h(-u) - h(u)] du.

    Returns (limit as a function of a, positive root a*, a).

    References
    ----------
    Lin et al. (2021), Figure 2 (far field of the sign map); chapter ``ch-lin2021``.
    """
    a, u = sp.symbols("a u", positive=True)
    h = lambda e: e / (1 + sp.exp(e))  # noqa: E731
    odd = sp.simplify(h(-u) - h(u))
    limit = 2 * logistic_eta2() + sp.integrate(odd, (u, 0, a))
    roots = [s for s in sp.solve(sp.Eq(limit, 0), a) if s.is_positive]
    return sp.simplify(limit), roots[0], a


def tanh_form(s: sp.Expr) -> sp.Expr:
    """The identity 1 - 2/(e^s + 1) = tanh(s/2): returns the difference (should simplify to 0)."""
    return sp.simplify((1 - 2 / (sp.exp(s) + 1) - sp.tanh(s / 2)).rewrite(sp.exp))


def prop4_solution() -> dict:
    """Proposition 4 (N = 2): the paper's closed form, its ODE residual and the zero crossing.

    Returns a dict with the formula ``cos``, the ODE ``residual`` of ċ = (c₀/π)(1-c²),
    the initial-value ``init_residual``, the tanh form difference and the crossing time ``t0``.

    References
    ----------
    Lin et al. (2021), Proposition 4 and B.3; chapter ``ch-lin2021``.
    """
    t, c0, cth0 = sp.symbols("t c_0 c_theta0", positive=True)
    C1 = (1 + cth0) / (1 - cth0)
    cos = 1 - 2 / (C1 * sp.exp(2 * c0 * t / sp.pi) + 1)
    residual = sp.simplify(sp.diff(cos, t) - c0 / sp.pi * (1 - cos**2))
    init_residual = sp.simplify(cos.subs(t, 0) - cth0)
    tanh_diff = sp.simplify((cos - sp.tanh(c0 * t / sp.pi + sp.log(C1) / 2)).rewrite(sp.exp))
    (t0,) = sp.solve(sp.Eq(cos, 0), t)
    return dict(
        cos=cos,
        residual=residual,
        init_residual=init_residual,
        tanh_diff=tanh_diff,
        t0=sp.simplify(t0),
        symbols=(t, c0, cth0),
    )


def thm1_phase2_integral() -> dict:
    """The integral behind Theorem 1's second phase, ∫_T^t c₀/(π√(0.6(s-T) + R²)) ds.

    Returns the integral, the resulting exponent 2·integral + B (with B = 2 artanh cos θ(T)),
    and the paper's printed exponent, as functions of (t, T, R, c₀, B).

    References
    ----------
    Lin et al. (2021), Theorem 1, A.6–A.7; chapter ``ch-lin2021`` (erratum E2).
    """
    t, T, R, c0, s = sp.symbols("t T R c_0 s", positive=True)
    Bth = sp.Symbol("beta_T", real=True)  # -2 ln|tan(θ(T)/2)|
    k = sp.Rational(3, 5)
    integral = sp.integrate(c0 / (sp.pi * sp.sqrt(k * (s - T) + R**2)), (s, T, t))
    integral = sp.simplify(integral)
    proof_exponent = sp.expand(2 * integral + Bth)
    A2c = 4 * c0 / (sp.sqrt(k) * sp.pi)
    B2 = Bth - 4 * c0 * R / (k * sp.pi)
    C2 = R**2 / k
    corrected = A2c * sp.sqrt(t - T + C2) + B2
    printed = 4 * c0 / sp.sqrt(k * sp.pi) * sp.sqrt(t - T) + C2 + B2
    return dict(
        integral=integral,
        proof=proof_exponent,
        corrected=corrected,
        printed=printed,
        symbols=(t, T, R, c0, Bth),
    )


def thm3_integrals() -> dict:
    """The two integrals of Theorem 3: ∫₀^t ds/(B₁ + A₁s) (phase-1 exponent α) and
    ∫₀^t (0.6s + D)^{N/2-1} ds (upper bound's F).

    References
    ----------
    Lin et al. (2021), Theorem 3 and §4.3; chapter ``ch-lin2021`` (erratum E3).
    """
    t, s, A1, B1, D, c0 = sp.symbols("t s A_1 B_1 D c_0", positive=True)
    N = sp.Symbol("N", positive=True)
    phase1 = sp.simplify(sp.integrate(1 / (B1 + A1 * s), (s, 0, t)))
    k = sp.Rational(3, 5)
    upper = sp.integrate((k * s + D) ** (N / 2 - 1), (s, 0, t), conds="none")
    return dict(phase1=phase1, upper=sp.simplify(upper), symbols=(t, A1, B1, D, N, c0))


def chi_mean(d: int) -> sp.Expr:
    """E‖g‖ for g ~ N(0, I_d), by the radial integral ∫ρ·ρ^{d-1}e^{-ρ²/2} / ∫ρ^{d-1}e^{-ρ²/2}.

    With g = ‖g‖x, x ~ U(S^{d-1}) independent of ‖g‖, the sphere's c₀ is the Gaussian c₀
    divided by E‖g‖: an independent route to :func:`c0_sphere`.

    References
    ----------
    Lin et al. (2021), §2 (Assumption 1 examples); chapter ``ch-lin2021``.
    """
    r = sp.Symbol("rho", positive=True)
    dens = r ** (d - 1) * sp.exp(-(r**2) / 2)
    return sp.simplify(sp.integrate(r * dens, (r, 0, sp.oo)) / sp.integrate(dens, (r, 0, sp.oo)))
