"""Tests of gdtheory.papers.xu2023.setting, closed_forms and toy_cases (chapter ch-xu2023)."""

import numpy as np
import sympy as sp

from gdtheory.core import gaussian_relu as gr
from gdtheory.papers.xu2023 import closed_forms as cf
from gdtheory.papers.xu2023 import setting as st
from gdtheory.papers.xu2023 import toy_cases as tc


def test_lemma3_probability_against_monte_carlo():
    rng = np.random.default_rng(1)
    d, N = 8, 40000
    W = st.init_students(rng, N, 1, d, 0.3)
    v = np.zeros(d)
    v[0] = 1.0
    ok = st.lemma3_event(W, v, 0.3)["network"]
    p = st.lemma3_probability(d)["both"]
    assert abs(ok.mean() - p) <= 5 * np.sqrt(p * (1 - p) / N)


def test_lemma3_proof_bounds_hold():
    b = st.lemma3_proof_bounds(np.arange(2, 200))
    assert np.all(b["norm_exact"] <= b["norm_bound"])
    assert np.all(b["proj_exact"] <= b["proj_bound"])


def test_parameter_chain_and_edges():
    vals = st.parameter_values(keep=())
    n = sp.Symbol("n", positive=True)
    assert sp.simplify(vals["C"] - n**-170) == 0
    edges = st.dependency_edges()
    assert ("epsilon_1", "epsilon_2") in edges and ("T_2", "T_1") in edges
    assert all(a != b for a, b in edges)


def test_regime_constant_is_huge():
    assert st.regime_log10_constants(2, 10, 0.1, 0.05)["c_sigma"] > 1000


def test_closed_form_identities():
    lhs, rhs = cf.eq23_rearrangement(2)
    assert sp.simplify(lhs - rhs) == 0
    assert cf.eq4_kernel_gradient_2d() == sp.zeros(2, 1)


def test_z_velocity_is_projected_gradient():
    rng = np.random.default_rng(2)
    W = rng.standard_normal((3, 4, 6))
    v = np.array([1.0, 0, 0, 0, 0, 0])
    g = gr.student_teacher_grad(W, v)
    proj = -(g - g[..., :1] * np.array([1.0, 0, 0, 0, 0, 0]))
    assert np.allclose(cf.z_velocity(W, v), proj, atol=1e-13)


def test_toy1_corrected_recursion_matches_gd():
    W, v = tc.toy1_state(0.2, 0.15, d=2)
    rec = tc.toy1_recursion(0.2, 0.15, 0.05, 200, printed=False)
    for _ in range(200):
        W = W - 0.05 * gr.student_teacher_grad(W, v)
    l1, l2, defect = tc.toy1_lambdas(W)
    assert abs(l1 - rec[0, -1]) < 1e-13 and abs(l2 - rec[1, -1]) < 1e-13 and defect == 0


def test_toy1_printed_coefficient_differs():
    c = tc.toy1_gradient_coefficients()
    assert sp.simplify(sp.expand_trig(c["v_derived"] - c["v_corrected"])) == 0
    assert sp.simplify(c["v_derived"] - c["v_printed"]) != 0


def test_toy1_constants():
    a = tc.toy1_asymptotics()
    assert sp.simplify(a["loss_t3"] - sp.pi**2 / 6) == 0
    assert abs(float(a["grad_ratio"]) - (162 / np.pi**2) ** (1 / 6)) < 1e-12


def test_toy2_limit_and_remark26():
    lim = tc.toy2_limit([0.1, 0.3, 0.05], 0.05)
    assert abs(lim["limit"].sum() - 1) < 1e-15
    r = tc.remark26_gradient()
    n, c = sp.symbols("n c", positive=True)
    assert sp.simplify(r["coef"] + n * c / 2) == 0 and sp.simplify(r["eta_zero"] - 2 / n) == 0
    v = np.array([1.0, 0, 0])
    W = np.repeat(-0.7 * v[None], 3, axis=0)
    assert np.allclose(gr.student_teacher_grad(W, v), -3 * 0.7 / 2 * v, atol=1e-15)
