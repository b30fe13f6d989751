"""Tests of gdtheory.papers.long2021.hinge_net (eqs. (3), (6), (8), Lemma 3; ch-long2021)."""

import numpy as np
import pytest

from gdtheory.papers.long2021 import hinge_net as hn
from gdtheory.papers.long2021 import rays as data

E, R = data.long2021_rays()
X = data.long2021_points()
ETA = 1 / (10 * 880)


def test_gradient_vs_finite_differences():
    rng = np.random.default_rng(1)
    W, U = rng.standard_normal((2, 4, 2))
    gw, gu = hn.gradient(W, U, X)
    h = 1e-7
    for V, gV, sgn in ((W, gw, 0), (U, gu, 1)):
        num = np.zeros_like(V)
        for j in range(V.shape[0]):
            for i in range(2):
                P = V.copy()
                P[j, i] += h
                M = V.copy()
                M[j, i] -= h
                args_p = (P, U) if sgn == 0 else (W, P)
                args_m = (M, U) if sgn == 0 else (W, M)
                num[j, i] = (hn.hinge_loss(*args_p, X) - hn.hinge_loss(*args_m, X)) / (2 * h)
        np.testing.assert_allclose(num, gV, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("b", [0.0, 0.03])
def test_engine_matches_direct_loop(b):
    rng = np.random.default_rng(7)
    W, U = hn.init_weights(rng, 4, 3)
    s = hn.run_gd(W, U, E, R, ETA, b=b)
    for i in range(4):
        tr = hn.gd_trajectory(W[i], U[i], X, ETA, b=b)
        assert len(tr["loss"]) - 1 == s.iters[i]
        norms = hn.column_norm_sum(tr["W"]) + hn.column_norm_sum(tr["U"])
        assert s.max_norm[i] == pytest.approx(norms.max(), rel=1e-12)
        assert s.max_loss_increase[i] == pytest.approx(np.diff(tr["loss"]).max(), abs=1e-9)


def test_same_seed_bit_identical_and_half_space():
    a = hn.init_weights(np.random.default_rng(3), 5, 4, half_space=True)
    b = hn.init_weights(np.random.default_rng(3), 5, 4, half_space=True)
    np.testing.assert_array_equal(a[0], b[0])
    assert (a[0][..., 0] >= 0).all() and (a[1][..., 0] >= 0).all()
    sa = hn.run_gd(*a, E, R, ETA)
    sb = hn.run_gd(*b, E, R, ETA)
    for k, v in sa.as_dict().items():
        np.testing.assert_array_equal(v, sb.as_dict()[k])
    assert not sa.gc0.any()


def test_lemma3_and_convergence():
    W, U = hn.init_weights(np.random.default_rng(11), 40, 4)
    s = hn.run_gd(W, U, E, R, ETA)
    assert s.converged.all() and s.gc_final.all()
    assert s.min_w_increment.min() >= 0
    assert s.max_u_excess.max() <= 1e-12
    assert (s.max_norm >= s.norm0).all()
    assert (s.n_nogc <= s.iters).all()


def test_zero_neurons_never_move():
    rng = np.random.default_rng(2)
    W, U = hn.init_weights(rng, 3, 4)
    W[:, 0] = 0.0
    gw, gu = hn.gradient(W, U, X)
    assert np.all(gw[:, 0] == 0)


def test_concat_summaries():
    rng = np.random.default_rng(5)
    W0, U0 = hn.init_weights(rng, 4, 3)
    a = hn.run_gd(W0[:2], U0[:2], E, R, ETA)
    b = hn.run_gd(W0[2:], U0[2:], E, R, ETA)
    c = hn.concat_summaries([a, b])
    whole = hn.run_gd(W0, U0, E, R, ETA)
    for k, v in whole.as_dict().items():
        np.testing.assert_array_equal(getattr(c, k), v)


def test_loss_records_match_the_direct_trajectory():
    W, U = hn.init_weights(np.random.default_rng(8), 6, 3, half_space=True)
    s = hn.run_gd(W, U, E, R, ETA, record_loss=True)
    for i in range(6):
        tr = hn.gd_trajectory(W[i], U[i], X, ETA)
        np.testing.assert_allclose(s.loss_history[i], tr["loss"], rtol=1e-12, atol=1e-9)
        assert s.loss0[i] == pytest.approx(tr["loss"][0], rel=1e-12)
        tg = s.t_gc[i]
        assert tg > 0  # half-space: no GC at t = 0
        assert s.loss_at_gc[i] == pytest.approx(tr["loss"][tg], rel=1e-12)
        want = tr["loss"][2 * tg] if 2 * tg < len(tr["loss"]) else 0.0
        assert s.loss_at_2gc[i] == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert s.t_end[i] == s.iters[i] and not s.stationary[i]


def test_exact_critical_point_is_flagged_stationary():
    from gdtheory.papers.long2021.geometric_condition import polar

    Wc = polar(np.radians([-51.75, 2.25, 56.25]), 30.0)[None]  # Prop. 1 counterexample
    W0, U0 = hn.init_weights(np.random.default_rng(0), 2, 3)
    Wb = np.concatenate([Wc, W0[:1]])
    Ub = np.concatenate([np.zeros_like(Wc), U0[:1]])
    s = hn.run_gd(Wb, Ub, E, R, ETA, max_iter=5000)
    assert s.stationary[0] and not s.converged[0] and s.t_end[0] == 0
    assert s.loss0[0] == pytest.approx(176.0)
    assert s.converged[1] and not s.stationary[1]
    assert s.loss_history[0] is None
