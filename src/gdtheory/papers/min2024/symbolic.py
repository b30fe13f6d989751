"""Sympy derivations for Min et al. (2024): model identities, Lemma 2, the constant algebra of
Lemmas 1, 3, 10, 11, App. C.2 and D, and the two-point escape time.

Each function derives something and returns ``(derived, stated)`` pairs of sympy expressions
(or a dict of them) so that a chapter can compare the derivation with the paper's formula.

References
----------
Min, Mallada & Vidal (2024), Eqs. (3), (9)–(13), (23)–(29), Lemma 15, App. D.2–D.3, App. A.2;
chapter ``ch-min2024``.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "gradients_fixed_pattern",
    "balancedness_rate",
    "gd_balance_drift",
    "norm_sq_rate",
    "direction_derivative",
    "lemma2_losses",
    "lemma10_identity",
    "lemma11_algebra",
    "lemma3_exponent",
    "lemma1_composition",
    "eps2_solve",
    "e15_factor",
    "riccati",
    "alpha_chain",
    "log_inequality",
    "refined_alignment_arithmetic",
    "linear_invariance",
    "escape_ode",
    "union_halfplane_probability",
]


def _vec(name, d):
    return sp.Matrix(sp.symbols(f"{name}1:{d + 1}", real=True))


def gradients_fixed_pattern(d: int = 3, n: int = 2):
    """∇_w L and ∂_v L of L = Σ_i ℓ(y_i, v⟨w, x_i⟩) on a region where all x_i activate w,
    against (12): ∇_w L = Σ ℓ'_i v x_i, ∂_v L = Σ ℓ'_i ⟨w, x_i⟩.

    Returns (derived_grad_w - stated_grad_w, derived_dv - stated_dv); both must vanish.
    """
    w = _vec("w", d)
    v = sp.Symbol("v", real=True)
    xs = [_vec(f"x{i}_", d) for i in range(n)]
    ys = sp.symbols(f"y1:{n + 1}", real=True)
    ell = sp.Function("ell")
    L = sum(ell(ys[i], v * (w.T * xs[i])[0]) for i in range(n))
    gw = sp.Matrix([sp.diff(L, wk) for wk in w])
    gv = sp.diff(L, v)
    u = sp.Symbol("u")
    lp = [sp.diff(ell(ys[i], u), u).subs(u, v * (w.T * xs[i])[0]) for i in range(n)]
    gw_stated = sum((lp[i] * v * xs[i] for i in range(n)), sp.zeros(d, 1))
    gv_stated = sum(lp[i] * (w.T * xs[i])[0] for i in range(n))
    return sp.simplify(gw - gw_stated), sp.simplify(gv - gv_stated)


def balancedness_rate(d: int = 3, n: int = 2):
    """d/dt (v² - ‖w‖²) under ẇ = -∇_w L, v̇ = -∂_v L with generic ℓ'_i, active pattern 1_i.

    With σ(z) = z 1{z>0}, ∇_w L = v Σ c_i a_i x_i, ∂_v L = Σ c_i a_i ⟨w, x_i⟩ (a_i ∈ {0,1});
    returns the rate, which must be identically 0 (Du et al. 2018, quoted in Section 2.1).
    """
    w = _vec("w", d)
    v = sp.Symbol("v", real=True)
    xs = [_vec(f"x{i}_", d) for i in range(n)]
    c = sp.symbols(f"c1:{n + 1}", real=True)
    a = sp.symbols(f"a1:{n + 1}", real=True)
    gw = sum((c[i] * a[i] * v * xs[i] for i in range(n)), sp.zeros(d, 1))
    gv = sum(c[i] * a[i] * (w.T * xs[i])[0] for i in range(n))
    rate = 2 * v * (-gv) - 2 * (w.T * (-gw))[0]
    return sp.expand(rate)


def gd_balance_drift(d: int = 3, n: int = 2):
    """One GD step of size η changes v² - ‖w‖² by exactly η²((∂_v L)² - ‖∇_w L‖²).

    Returns (derived change, stated change).
    """
    w = _vec("w", d)
    v, eta = sp.symbols("v eta", real=True)
    xs = [_vec(f"x{i}_", d) for i in range(n)]
    c = sp.symbols(f"c1:{n + 1}", real=True)
    gw = sum((c[i] * v * xs[i] for i in range(n)), sp.zeros(d, 1))
    gv = sum(c[i] * (w.T * xs[i])[0] for i in range(n))
    w1, v1 = w - eta * gw, v - eta * gv
    change = (v1**2 - (w1.T * w1)[0]) - (v**2 - (w.T * w)[0])
    stated = eta**2 * (gv**2 - (gw.T * gw)[0])
    return sp.expand(change), sp.expand(stated)


def norm_sq_rate(d: int = 3):
    """d/dt ‖w‖² = 2⟨w, ẇ⟩ (the proof of Lemma 3 prints ⟨w, ẇ⟩). Returns (derived, printed)."""
    t = sp.Symbol("t")
    w = sp.Matrix([sp.Function(f"w{k}")(t) for k in range(d)])
    derived = sp.diff((w.T * w)[0], t)
    printed = (w.T * w.diff(t))[0]
    return sp.expand(derived), sp.expand(printed)


def direction_derivative(d: int = 3):
    """d/dt (w/‖w‖) against P_w ẇ / ‖w‖ (proof of Lemma 4). Returns their difference."""
    t = sp.Symbol("t")
    w = sp.Matrix([sp.Function(f"w{k}")(t) for k in range(d)])
    nrm = sp.sqrt((w.T * w)[0])
    lhs = (w / nrm).diff(t)
    wd = w.diff(t)
    rhs = (wd - w * (w.T * wd)[0] / nrm**2) / nrm
    return sp.simplify(lhs - rhs)


def lemma2_losses():
    """-∂ŷℓ(y, ŷ) - y for the three losses, for y = +1 and y = -1, and the ŷ → 0 limits.

    Returns a dict: ``exp`` (y(e^{-yŷ} - 1)), ``logistic2`` (-tanh(ŷ/2) for both y),
    ``logistic`` (main text; its limit at ŷ → 0 is -y/2 ≠ 0), keyed by loss then by y.
    """
    yh = sp.Symbol("yhat", real=True)
    out = {}
    for name, ell in (
        ("exp", lambda y: sp.exp(-y * yh)),
        ("logistic2", lambda y: 2 * sp.log(1 + sp.exp(-y * yh))),
        ("logistic", lambda y: sp.log(1 + sp.exp(-y * yh))),
    ):
        out[name] = {y: sp.simplify(-sp.diff(ell(y), yh) - y) for y in (1, -1)}
    out["limits"] = {name: {y: sp.limit(out[name][y], yh, 0) for y in (1, -1)}
                     for name in ("exp", "logistic2", "logistic")}
    out["yhat"] = yh
    return out


def lemma10_identity(d: int = 3):
    """x_rᵀ P_w x_a = ‖x_a‖(ψ_ra - ψ_rj ψ_aj) for unit x_r (Lemma 10, Eq. (23)). Returns diff."""
    w, xa, xr = _vec("w", d), _vec("a", d), _vec("r", d)
    nw, na = sp.sqrt((w.T * w)[0]), sp.sqrt((xa.T * xa)[0])
    P = sp.eye(d) - w * w.T / nw**2
    lhs = (xr.T * P * xa)[0]
    psi_rj = (xr.T * w)[0] / nw
    psi_ra = (xr.T * xa)[0] / na
    psi_aj = (w.T * xa)[0] / (nw * na)
    return sp.simplify(lhs - na * (psi_ra - psi_rj * psi_aj))


def lemma11_algebra():
    """n_a(1 + (n_a - 1)μ) - μ n_a² = n_a(1 - μ) (proof of Lemma 11). Returns (derived, stated)."""
    na, mu = sp.symbols("n_a mu", positive=True)
    return sp.expand(na * (1 + (na - 1) * mu) - mu * na**2), sp.expand(na * (1 - mu))


def lemma3_exponent():
    """Grönwall exponent of Lemma 3 at t = T: derived value and the paper's simplification.

    Returns (exponent, stated) with exponent = 2n(X + 4ε√h X² W²)·ln(1/(√hε))/(4nX) and
    stated = (1 + 4ε√h X W²)/2 · ln(1/(√h ε)).
    """
    n, X, W, h, eps = sp.symbols("n X_max W_max h epsilon", positive=True)
    lg = sp.log(1 / (sp.sqrt(h) * eps))
    expo = 2 * n * (X + 4 * eps * sp.sqrt(h) * X**2 * W**2) * lg / (4 * n * X)
    stated = (1 + 4 * eps * sp.sqrt(h) * X * W**2) / 2 * lg
    return sp.simplify(expo), stated


def lemma1_composition():
    """Lemma 4's 2nX_max·max|f| with Lemma 3's max|f| ≤ 2ε√h X_max W_max² gives Lemma 1's bound."""
    n, X, W, h, eps = sp.symbols("n X_max W_max h epsilon", positive=True)
    return 2 * n * X * (2 * eps * sp.sqrt(h) * X * W**2), 4 * eps * n * sp.sqrt(h) * X**2 * W**2


def eps2_solve():
    """Solve T = t₁ for ε: (1/(4nX_max)) ln(1/(√h ε)) = 16 ln n / (m √μ X_min).

    Returns (solution, second term of (28)) with m = min{ζ, ξ}.
    """
    n, Xa, Xi, h, eps, m, mu = sp.symbols("n X_max X_min h epsilon m mu", positive=True)
    T = sp.log(1 / (sp.sqrt(h) * eps)) / (4 * n * Xa)
    t1 = 16 * sp.log(n) / (m * sp.sqrt(mu) * Xi)
    sol = sp.solve(sp.Eq(T, t1), eps)
    stated = sp.exp(-64 * n * Xa / (m * sp.sqrt(mu) * Xi) * sp.log(n)) / sp.sqrt(h)
    return sol[0], stated


def e15_factor():
    """max|f| implied by the first term of (28) through Lemma 3, divided by the bound (29).

    Returns the ratio (2 with the printed constant 4; 1 with 8).
    """
    n, Xa, Xi, h, W, m, mu, c = sp.symbols("n X_max X_min h W_max m mu c", positive=True)
    eps1 = m * sp.sqrt(mu) * Xi / (c * sp.sqrt(h) * n * Xa**2 * W**2)
    fmax = 2 * eps1 * sp.sqrt(h) * Xa * W**2
    bound29 = m * sp.sqrt(mu) * Xi / (4 * n * Xa)
    return sp.simplify(fmax / bound29), c


def riccati():
    """Solution of dL/dt = -α L², L(t₂) = L₂, against L₂/(L₂ α (t - t₂) + 1) (App. D.2)."""
    t, t2, a, L2 = sp.symbols("t t_2 alpha L_2", positive=True)
    L = sp.Function("L")
    sol = sp.dsolve(sp.Eq(L(t).diff(t), -a * L(t) ** 2), L(t), ics={L(t2): L2})
    return sp.simplify(sol.rhs), L2 / (L2 * a * (t - t2) + 1)


def alpha_chain():
    """L₊² + L₋² - ½(L₊ + L₋)² = ½(L₊ - L₋)² (App. D.2). Returns (derived, stated)."""
    a, b = sp.symbols("L_plus L_minus", positive=True)
    return sp.expand(a**2 + b**2 - (a + b) ** 2 / 2), sp.expand((a - b) ** 2 / 2)


def log_inequality():
    """h(z) = 2z/(1+z) - ln(1+z): h(0) and h'(z) (must equal (1-z)/(1+z)², ≥ 0 on [0, 1])."""
    z = sp.Symbol("z", nonnegative=True)
    hz = 2 * z / (1 + z) - sp.log(1 + z)
    return hz.subs(z, 0), sp.simplify(sp.diff(hz, z) - (1 - z) / (1 + z) ** 2), z, hz


def refined_alignment_arithmetic():
    """Rate √μ n₊ X_min/24 over a time 6/(√μ n₊ X_min) raises cos(x₊, w) by 1/4 (App. D.2)."""
    s = sp.Symbol("s", positive=True)  # s = √μ n₊ X_min
    return sp.simplify(s / 24 * 6 / s), sp.Rational(1, 4)


def linear_invariance():
    """d/dt (WᵀW - vvᵀ) under GF on ℓ(y, xᵀWv) (one point, W ∈ R^{3×2}); must vanish (D.3)."""
    W = sp.Matrix(3, 2, sp.symbols("W1:7", real=True))
    v = sp.Matrix(sp.symbols("v1:3", real=True))
    x = sp.Matrix(sp.symbols("x1:4", real=True))
    c = sp.Symbol("c", real=True)  # ℓ'(y, xᵀWv)
    gW = c * x * v.T
    gv = c * W.T * x
    Wd, vd = -gW, -gv
    rate = Wd.T * W + W.T * Wd - (vd * v.T + v * vd.T)
    return sp.simplify(rate)


def escape_ode():
    """φ(t) = 2 atan(tan(φ₀/2) e^{-t}) solves φ' = -sin φ; the escape time from -π/2 to -δ.

    Returns (residual of the ODE, tan(φ(0)/2) - tan(φ₀/2), t* from -π/2 to -δ, ln cot(δ/2)).
    """
    t, p0 = sp.symbols("t phi0", real=True)
    d = sp.Symbol("delta", positive=True)
    phi = 2 * sp.atan(sp.tan(p0 / 2) * sp.exp(-t))
    res = sp.simplify(sp.diff(phi, t) + sp.sin(phi))
    ts = sp.Symbol("T", positive=True)
    # tan(-δ/2) = tan(-π/4) e^{-T}
    tstar = sp.solve(sp.Eq(sp.tan(-d / 2), sp.tan(-sp.pi / 4) * sp.exp(-ts)), ts)[0]
    start = sp.simplify(sp.tan(phi.subs(t, 0) / 2) - sp.tan(p0 / 2))
    return res, start, sp.simplify(tstar), sp.log(1 / sp.tan(d / 2))


def union_halfplane_probability():
    """P(an isotropic w in R² activates at least one of positives spanning an arc θ ≤ π).

    The union of the open half-planes {⟨w, x_i⟩ > 0} is an arc of width π + θ, so
    P = (π + θ)/(2π) ≥ 1/2. Returns (P, P at θ = π/6 (T5), P at θ = π/2 - δ (two points)).
    """
    th, d = sp.symbols("theta delta", nonnegative=True)
    P = (sp.pi + th) / (2 * sp.pi)
    return P, P.subs(th, sp.pi / 6), sp.simplify(P.subs(th, sp.pi / 2 - d))
