"""Tests of gdtheory.papers.lin2021.symbolic: each derivation against its known closed form."""

import pytest
import sympy as sp

from gdtheory.papers.lin2021 import symbolic as sym


def test_c0():
    c0, d = sym.c0_sphere()
    assert sp.gammasimp(c0.subs(d, 3)) == sp.pi / 4
    assert sp.gammasimp(c0.subs(d, 10)) == sp.Rational(128, 315)
    assert sp.simplify(sym.c0_gaussian() - sp.sqrt(sp.pi / 2)) == 0
    assert sym.c0_circle() == 1


def test_eq4_and_lemma2():
    chain, eq4 = sym.eq4_dcos()
    assert sp.simplify(chain - eq4) == 0
    assert sym.lemma2_pairing() == 1
    rho, th = sym.lemma2_angular_integral()
    assert sp.simplify(rho - sp.sin(th) ** 2 / sp.pi) == 0


def test_origin_and_sup():
    assert sym.grad_at_origin() == sp.Matrix([0, -1 / sp.pi])
    assert sym.hessian_at_origin() == sp.eye(2) / 8
    zs, val = sym.sup_z_sigmoid()
    assert val == sp.LambertW(sp.exp(-1))
    assert abs(float(zs) - 1.2784645) < 1e-6


def test_small_r_and_strip():
    gbar, r, th = sym.g_small_r()
    assert sp.simplify(gbar - (sp.cos(th) / sp.pi - r / 8)) == 0
    assert sym.logistic_eta2() == sp.pi**2 / 12
    lim, a_star, a = sym.strip_asymptote()
    assert sp.simplify(a_star - sp.pi / sp.sqrt(3)) == 0


def test_prop4_and_theorems():
    p4 = sym.prop4_solution()
    assert p4["residual"] == 0 and p4["init_residual"] == 0 and p4["tanh_diff"] == 0
    assert sym.tanh_form(sp.Symbol("s", real=True)) == 0
    t1 = sym.thm1_phase2_integral()
    assert sp.simplify(t1["proof"] - t1["corrected"]) == 0
    assert sp.simplify(t1["printed"] - t1["corrected"]) != 0
    t3 = sym.thm3_integrals()
    t, A1, B1, D, N, c0 = t3["symbols"]
    assert sp.simplify(t3["phase1"] - sp.log((A1 * t + B1) / B1) / A1) == 0


def test_chi_mean_gives_sphere_c0():
    c0_sph, d = sym.c0_sphere()
    for k in (2, 3, 10):
        assert sp.simplify(sym.c0_gaussian() / sym.chi_mean(k) - c0_sph.subs(d, k)) == 0


def test_printed_domain_of_lemma2():
    """The printed domain |tan th - tan phi| >= 1 does not give sin^2 th/pi (erratum E10)."""
    import numpy as np
    from scipy.integrate import quad

    for th in (sp.pi / 4, sp.pi / 3, sp.pi / 6):
        val = float(sym.lemma2_printed_domain(th))
        t = float(sp.tan(th))
        brk = [np.arctan(t + 1), np.arctan(t - 1), 0.0]
        num = 2 * quad(lambda p, t=t: abs(np.sin(p)) * (abs(t - np.tan(p)) >= 1),
                       -np.pi / 2, np.pi / 2, points=brk, limit=200)[0]
        assert val == pytest.approx(float(sp.sin(th)) / (4 * np.pi) * num, rel=1e-8)
        assert abs(val - float(sp.sin(th) ** 2 / sp.pi)) > 1e-3


def test_small_r_to_third_order():
    gbar, r, th = sym.g_small_r(order=4)
    assert sp.simplify(gbar - (sp.cos(th) / sp.pi - r / 8 + r**3 / 128)) == 0
