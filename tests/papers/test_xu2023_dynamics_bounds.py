"""Tests of gdtheory.papers.xu2023.dynamics, fits, phases, gradient_bounds, lower_bound."""

import numpy as np
import sympy as sp

from gdtheory.core import gaussian_relu as gr
from gdtheory.papers.xu2023 import dynamics as dy
from gdtheory.papers.xu2023 import fits
from gdtheory.papers.xu2023 import gradient_bounds as gb
from gdtheory.papers.xu2023 import lower_bound as lb
from gdtheory.papers.xu2023 import phases as ph


def _students(seed=0, B=4, n=3, d=7):
    rng = np.random.default_rng(seed)
    W = np.zeros((B, 4, d))
    W[:, :n] = 0.3 * rng.standard_normal((B, n, d))
    v = np.zeros(d)
    v[0] = 1.0
    return W, v


def test_lean_grad_equals_toolkit_with_padding():
    W, v = _students()
    A, vk, Q = dy.span_coordinates(W, v)
    assert np.allclose(A @ np.swapaxes(Q, -1, -2), W, atol=1e-14)
    mask = np.linalg.norm(A, axis=-1) > 0
    assert np.allclose(dy.lean_grad(A, 1.0, mask), gr.student_teacher_grad(A, vk), atol=1e-14)


def test_run_gd_records_and_freezes():
    W, v = _students()
    A, vk, _ = dy.span_coordinates(W, v)
    out = dy.run_gd(A, 1.0, 0.05, np.array([0, 5, 10]), stop_at=np.array([5, 99, 99, 99]))
    assert np.array_equal(out[1, 0], out[2, 0]) and not np.array_equal(out[1, 1], out[2, 1])
    Wm = A.copy()
    for _ in range(10):
        Wm = Wm - 0.05 * gr.student_teacher_grad(Wm, vk)
    assert np.allclose(out[2, 1:], Wm[1:], atol=1e-14)


def test_gradient_flow_decreases_loss():
    W, v = _students(B=1)
    A, vk, _ = dy.span_coordinates(W, v)
    t = np.array([0.0, 1.0, 10.0, 100.0])
    Wt = dy.gradient_flow(A[0, :3], vk[0], t)
    L = gr.student_teacher_loss(Wt, vk[0])
    assert np.all(np.diff(L) < 0)


def test_fits_recover_offset_power_law():
    t = np.logspace(1, 4, 80)
    L = 0.7 * (t + 12.0) ** -3
    f = fits.offset_power_fit(t, L, 100, 1e4)
    assert abs(f["alpha"] + 3) < 1e-6 and abs(f["tau"] - 12) < 1e-3
    g = fits.inverse_cube_root_fit(t, L, 100, 1e4)
    assert abs(g["C"] - 0.7) < 1e-9
    r = fits.log_linear_rate(t, np.exp(-0.3 * t), 10, 100)
    assert abs(r["rate"] + 0.3) < 1e-12


def test_q_terms_update_identity():
    W, v = _students(B=2)
    A, vk, _ = dy.span_coordinates(W, v)
    A = A[:, :3]
    p0 = ph.projections(A, vk)
    A1 = A - 0.01 * gr.student_teacher_grad(A, vk)
    p1 = ph.projections(A1, vk)
    Q = ph.q_terms(A, vk, 0.01)
    assert np.allclose(p1["h"], p0["h"] + 0.005 * p0["H"][:, None] - Q, atol=1e-15)


def test_lemma20_threshold_and_counterexample():
    assert abs(gb.LEMMA20_THETA_MAX - 2.8624945686) < 1e-9
    v = np.array([1.0, 0, 0])
    W = -2 * v[None, None]
    assert gb.lemma20_ratio(W, v, gr.student_teacher_loss(W, v))[0, 0] > 1


def test_zeta_norm_and_lemma23_bound():
    rng = np.random.default_rng(3)
    w, u = rng.standard_normal((50, 4)), rng.standard_normal((50, 4))
    z = gb.zeta_norm(w, u)
    H = gr.kernel1_hessian(w, u)
    assert np.allclose(z, np.abs(np.linalg.eigvalsh(H)).max(-1), atol=1e-12)
    assert gb.lemma23_bound(2) > 1


def test_lemma24_sum_factor():
    assert abs(float(gb.lemma24_sum_factor(1.0)) - np.pi**2 / 6) < 1e-12
    x = gb.lemma24_sum_threshold()
    assert 1 < x < 2 and abs(float(gb.lemma24_sum_factor(x)) - 2) < 1e-10


def test_lower_bound_quantities():
    v = np.array([1.0, 0, 0])
    W = np.array([[[0.5, 0.1, 0.0], [0.5, -0.1, 0.0]]])
    assert np.allclose(lb.potential_Z(W, v), 0.2)
    assert np.allclose(lb.kappa_max(W, v), np.pi)
    r = lb.remark18_solution()
    assert r["residual"] == 0 and r["limit"] == -1
    d, C, t = sp.symbols("delta C t", positive=True)
    assert sp.simplify(r["perturbation"] - d * sp.exp(2 * C * t)) == 0


def test_lemma17_sides_finite_difference():
    rng = np.random.default_rng(4)
    v = np.zeros(5)
    v[0] = 1.0
    W = rng.standard_normal((20, 3, 5)) * 0.3
    W[..., 0] = np.abs(W[..., 0]) + 0.2
    G = gr.student_teacher_grad(W, v)
    i, j = np.zeros(20, int), np.ones(20, int)
    lhs, _, _ = lb.lemma17_sides(W, v, G, i, j)
    _, _, cp = lb.lemma17_sides(W - 1e-6 * G, v, G, i, j)
    _, _, cm = lb.lemma17_sides(W + 1e-6 * G, v, G, i, j)
    assert np.allclose((cp - cm) / 2e-6, lhs, atol=1e-7)
