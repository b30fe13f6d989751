"""Tests of gdtheory.linear_nets: reduced vs Cartesian flows, initialisation, bounds."""

import numpy as np
import pytest

from gdtheory.core.angles import signed_angle_2d
from gdtheory.models import deep_linear as dl
from gdtheory.models import logistic as pop
from gdtheory.models.deep_linear import end_to_end
from gdtheory.models.logistic import gradient_flow
from gdtheory.papers.lin2021 import bounds as bd
from gdtheory.papers.lin2021 import reduction as red
from gdtheory.papers.lin2021 import sgd_noise as sgdn


def test_reduced_vs_cartesian(q, W0, V):
    t = np.linspace(0, 6, 61)
    f1 = red.reduced_flow(1, 1.0, -0.8, 6.0, q)
    w = gradient_flow(W0, q, t)
    assert np.allclose(pop.cos_theta(w, V), f1.cos(t), atol=1e-8)
    assert np.allclose(np.linalg.norm(w, axis=1), f1.r(t), rtol=1e-8)
    assert f1.T == pytest.approx(2.44867, abs=1e-5) and f1.n_turns == 1
    f3 = red.reduced_flow(3, 1.0, -0.8, 6.0, q)
    we = dl.induced_flow(3, W0, q, t)
    assert np.allclose(pop.cos_theta(we, V), f3.cos(t), atol=1e-8)


def test_prop4_crossing(q):
    f2 = red.reduced_flow(2, 1.0, -0.8, 5.0, q)
    assert f2.t_cross == pytest.approx(np.pi * np.log(3), abs=1e-8)


def test_balanced_init_and_preconditioner(W0):
    e1 = np.array([1.0, 0.0])
    Ws = dl.balanced_init(2.5 * W0, [e1, e1], paper=False)
    assert dl.balance_residuals(Ws).max() < 1e-12
    we = end_to_end([W[None] for W in Ws])[0]
    assert np.allclose(we, 2.5 * W0)
    nw = np.linalg.norm(we)
    P = nw ** (2 - 2 / 3) * (np.eye(2) + 2 * np.outer(we, we) / nw**2)
    assert np.allclose(dl.preconditioner(Ws), P, atol=1e-12)
    bad = dl.balanced_init(2.5 * W0, [e1, e1], paper=True)
    assert dl.balance_residuals(bad)[0] == pytest.approx(5.25)


def test_layerwise_matches_induced(q, W0):
    rng = np.random.default_rng(0)
    Ws = dl.balanced_init(W0, [rng.normal(size=3) for _ in range(2)], paper=True)
    t = np.linspace(0, 3, 7)
    we, Wend = dl.layerwise_flow(Ws, q, t)
    assert np.allclose(we, dl.induced_flow(3, W0, q, t), atol=1e-8)
    assert dl.balance_residuals(Wend).max() < 1e-8


def test_bounds_formulas():
    s1, s2 = bd.thm1_exponents(np.array([0.0, 2.0]), c0=1, r0=1, cos0=-0.8, t_anchor=2.0,
                               r_anchor=0.5, cos_anchor=0.1)
    assert bd.cos_from_exponent(s1[0]) == pytest.approx(-0.8)
    assert bd.cos_from_exponent(s2[1]) == pytest.approx(0.1)  # corrected: exact at the anchor
    _, s2p = bd.thm1_exponents(np.array([2.0]), c0=1, r0=1, cos0=-0.8, t_anchor=2.0,
                               r_anchor=0.5, cos_anchor=0.1, literal=True)
    assert bd.cos_from_exponent(s2p[0]) != pytest.approx(0.1)
    a, b, up = bd.thm3_exponents(np.array([0.0]), N=4, c0=1, r0=1, cos0=-0.8, t_anchor=0.0,
                                 r_anchor=1, cos_anchor=-0.8)
    assert bd.cos_from_exponent(np.r_[a, b, up]) == pytest.approx([-0.8] * 3)
    ub, lb = bd.lemma8_bounds(np.array([0.0]), N=4, c0=1, r0=1.0)
    assert (ub[0], lb[0]) == pytest.approx((1.0, 1.0))
    assert bd.one_minus_from_exponent(2000.0) == 0.0
    S = bd.gd_sums(np.ones(3), 1.0)
    assert S == pytest.approx([0, 1 / np.sqrt(2), 1 / np.sqrt(2) + 1 / np.sqrt(3),
                               1 / np.sqrt(2) + 1 / np.sqrt(3) + 0.5])


def test_artanh_cos(V):
    w = np.array([[0.6, -0.8], [1e-9, 1.0]])
    xi = red.artanh_cos(w, V)
    assert xi[0] == pytest.approx(np.arctanh(-0.8))
    assert xi[1] == pytest.approx(0.5 * np.log(4e18), rel=1e-6)


def test_log_forms_do_not_underflow(q):
    assert bd.neg_log_one_minus_from_exponent(2000.0) == pytest.approx(2000 - np.log(2))
    f = red.reduced_flow(4, 1.0, -0.8, 300.0, q)
    t = np.array([5.0, 300.0])
    assert f.neg_log_one_minus_cos(t)[0] == pytest.approx(-np.log(f.one_minus_cos(5.0)))
    assert np.isfinite(f.neg_log_one_minus_cos(t)[1]) and f.neg_log_one_minus_cos(t)[1] > 745
    assert f.one_minus_cos(300.0) == 0.0  # the plain form underflows there


def test_events_g_and_prop4(q, W0):
    for N in (1, 2, 4):
        f = red.reduced_flow(N, 1.0, -0.8, 12.0, q)
        T, tc = dl.induced_flow_events(N, W0, q, 12.0)
        assert T == pytest.approx(f.T, abs=1e-9) and tc == pytest.approx(f.t_cross, abs=1e-9)
        assert abs(float(f.g(f.T, q))) < 1e-9
    t = np.linspace(0, 5, 11)
    f2 = red.reduced_flow(2, 1.0, -0.8, 5.0, q)
    assert np.allclose(f2.cos(t), red.prop4_cos(t, q.c0, -0.8), atol=1e-10)
    e1 = np.array([1.0, 0.0])
    Ws = dl.balanced_init(2.5 * W0, [e1, e1, e1], paper=False)
    we = end_to_end([W[None] for W in Ws])[0]
    assert np.allclose(dl.preconditioner(Ws), dl.preconditioner_formula(we, 4), atol=1e-12)


def test_linear_noise_matches_sgd_spread(q, W0, V):
    from gdtheory.models.deep_linear import sgd_logistic

    lr, batch = 1e-2, 100
    n, W = sgd_logistic(W0, V, lr=lr, batch=batch, n_iter=300, rng=np.random.default_rng(1),
                        n_runs=200, log_every=100)
    lna = sgdn.sgd_linear_noise([W0[None, :]], q, lr=lr, batch=batch, t_eval=lr * n)
    za, zn = sgdn.sgd_z_scores(W, V, lna)
    # standardised deviations of 200 runs: mean 0 and spread 1 within sampling error
    for z in (za, zn):
        assert np.abs(z.mean(axis=0)).max() < 4 / np.sqrt(200)
        assert np.abs(z.std(axis=0, ddof=1) - 1).max() < 4 / np.sqrt(2 * 199)
    assert np.allclose(signed_angle_2d(np.array([[1.0, 0.0], [0.0, -1.0]]), V),
                       [np.pi / 2, np.pi])


def test_slopes_richardson_and_lemma5_delta(q, W0, V):
    """Log-log slopes and Richardson steps on exact power laws; delta* of condition (11)."""
    # exponent 1/2 with relative corrections n^-1/2 and n^-1; f on the grid n = 0, 1, ...
    n = np.arange(0, 10_001, dtype=float)
    f = 3 * np.sqrt(n) + 2.0 + 5 / np.sqrt(np.maximum(n, 1))
    pts = np.array([10, 100, 1000, 10_000])
    s = bd.loglog_slopes(f, pts)
    assert np.all(np.abs(s - 0.5) > 1e-3)
    e = bd.richardson(bd.richardson(s, 10, 0.5), 10, 1.0)
    assert abs(e[-1] - 0.5) < 1e-3 and len(e) == 1
    assert bd.richardson(np.array([1.0 + 0.1, 1.0 + 0.1 / 4]), 4, 1.0)[0] == pytest.approx(1.0)
    from gdtheory.models.logistic import population_gd

    etas = np.array([0.1, 100.0])
    W = population_gd(W0, etas, 50, q)
    sched = np.repeat(etas[:, None], 50, axis=1)
    d = bd.lemma5_delta(W, sched, V, q.c0)
    nrm = np.linalg.norm(W, axis=-1)
    lhs = nrm[:, 1:] + np.sum(W[:, :-1] / nrm[:, :-1, None] * W[:, 1:], axis=-1)
    cos = (W[:, :-1] @ V) / nrm[:, :-1]
    for k in range(2):
        pos = cos[k] > 0
        # (11) holds with delta*, and fails somewhere with any larger delta
        assert np.all(lhs[k] >= (1 + d[k]) * q.c0 * sched[k] * cos[k] / np.pi - 1e-12)
        assert np.any(lhs[k][pos] < (1 + d[k] + 1e-6) * q.c0 * sched[k][pos] * cos[k][pos] / np.pi)


def test_printed_balance_residuals(W0):
    from gdtheory.papers.lin2021 import errata as err

    e1 = np.array([1.0, 0.0])
    Ws = dl.balanced_init(W0, [e1, e1, e1], paper=True)
    u1 = W0 / np.linalg.norm(W0)
    assert dl.balance_residuals(Ws).max() < 1e-12
    assert err.printed_balance_residuals(Ws)[0] == pytest.approx(
        np.linalg.norm(np.outer(e1, e1) - np.outer(u1, u1)))
    with pytest.raises(ValueError):
        err.printed_balance_residuals([np.ones((3, 2)), np.ones((1, 3))])
