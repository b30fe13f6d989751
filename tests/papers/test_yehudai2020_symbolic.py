"""Tests of gdtheory.papers.yehudai2020.symbolic and .nonmonotone."""

from __future__ import annotations

import numpy as np
import sympy as sp

from gdtheory.core.gaussian_relu import neuron_loss
from gdtheory.papers.yehudai2020 import nonmonotone as nm
from gdtheory.papers.yehudai2020 import symbolic as sym


def test_polar_loss_matches_toolkit():
    f = sp.lambdify((sym.R_, sym.TH), sym.polar_loss())
    v = np.array([1.0, 0.0])
    for r, th in [(0.3, 0.5), (1.7, 2.9), (1.0, 1e-3)]:
        w = r * np.array([np.cos(th), np.sin(th)])
        assert np.isclose(f(r, th), neuron_loss(w, v), rtol=1e-12)


def test_assumption41_constants():
    g = sym.assumption41_gaussian()
    assert g["alpha"] == 2
    s = sym.assumption41_shifted(1)
    assert sp.simplify(s["alpha"] - (sp.sqrt(17) - 1) / 2) == 0
    assert sym.assumption41_sphere(10)["alpha"] == 2


def test_sphere_density_is_normalised():
    rho = sp.Symbol("rho", positive=True)
    dens = sym.sphere_plane_density(7).subs(sym.ALPHA, rho)
    assert sp.simplify(sp.integrate(2 * sp.pi * rho * dens, (rho, 0, sp.sqrt(7))) - 1) == 0


def test_lemma63_integrals_and_small_r_limit():
    ci = sym.lemma63_circle_integrals()
    assert sp.simplify(ci["true_threshold"] - (sp.sin(sym.TH) + (sp.pi - sym.TH)
                                               * sp.cos(sym.TH)) / sp.pi) == 0
    lim = sym.thm42_small_r_limit()
    assert sp.simplify(lim["leading"] - 1 / (3 * sp.pi)) == 0


def test_angle_summary_on_a_synthetic_series():
    th = np.array([1.0, 1.2, 3.0, 2.0, 0.05, 0.2, 0.05, 0.01])
    s = nm.angle_summary(th, level=0.1)
    assert s["max"] == 3.0 and s["argmax"] == 2
    assert s["below_for_good"] == 6
    assert np.isclose(s["first_step"], 0.2)
    assert np.isclose(s["max_step"], 1.8)
