"""Tests of gdtheory.papers.yehudai2020.spherical and .initialization (§5, §6.1)."""

from __future__ import annotations

import numpy as np

from gdtheory.core.gaussian_relu import neuron_grad
from gdtheory.papers.yehudai2020 import convergence as conv
from gdtheory.papers.yehudai2020 import initialization as ini
from gdtheory.papers.yehudai2020 import spherical as sph


def test_reduced_rhs_matches_projected_toolkit_gradient():
    rng = np.random.default_rng(0)
    for _ in range(10):
        r, th = rng.uniform(0.05, 2), rng.uniform(0.05, np.pi - 0.05)
        w = r * np.array([np.cos(th), np.sin(th), 0.0])
        v = np.array([1.0, 0.0, 0.0])
        g = neuron_grad(w, v)
        rdot, udot = sph.reduced_rhs(0.0, np.array([r, np.log(np.tan(th / 2))]))
        assert np.isclose(rdot, -w @ g / r, atol=1e-14)
        assert np.isclose(udot * np.sin(th), sph.theta_dot(g, w, v), atol=1e-13)


def test_h_threshold_is_the_sign_change_of_the_norm_derivative():
    v = np.array([1.0, 0.0])
    for th in (0.3, 1.2, 2.5):
        h = float(sph.h_threshold(th))
        for r, sign in ((0.999 * h, 1), (1.001 * h, -1)):
            w = r * np.array([np.cos(th), np.sin(th)])
            assert np.sign(sph.norm2_dot(neuron_grad(w, v), w)) == sign


def test_lemma63_crossing_value():
    tc = sph.lemma63_crossing()
    assert np.isclose(sph.lemma63_threshold(tc), sph.h_threshold(tc), atol=1e-14)
    assert 0.88 < tc < 0.8802


def test_reduced_flow_matches_cartesian_gd():
    v = np.zeros(4)
    v[0] = 1.0
    w0 = np.array([np.cos(2.0), np.sin(2.0), 0, 0]) * 0.8
    eta, T = 1e-3, 3000
    run = conv.gd_run(lambda W: neuron_grad(W, v), w0[None], v, eta, T)
    f = sph.reduced_flow(0.8, 2.0, np.array([0.0, eta * T]))
    assert abs(run["dist2"][-1, 0] - f["dist2"][-1]) < 5e-3


def test_lemma51_routes_agree_and_match_sampling():
    d, tau = 8, 1 / (8 * np.sqrt(2))
    p = float(ini.lemma51_exact(d, tau))
    assert np.isclose(p, ini.lemma51_conditional(d, tau), rtol=1e-9)
    rng = np.random.default_rng(1)
    W = rng.standard_normal((200_000, d)) * tau
    freq = ini.safe_zone(W, np.eye(d)[0], 2 * tau**2 * d).mean()
    assert abs(freq - p) < 5 * np.sqrt(p * (1 - p) / 2e5)


def test_init_failure_probabilities_match_sampling():
    d = 6
    pth, pno = ini.thm64_init_failure(d)
    rng = np.random.default_rng(2)
    W = rng.standard_normal((200_000, d)) / np.sqrt(d)
    c = W[:, 0] / np.linalg.norm(W, axis=1)
    f = np.mean(c < np.cos(3 * np.pi / 4))
    assert abs(f - pth) < 5 * np.sqrt(pth * (1 - pth) / 2e5)
    assert pno < 1e-3


def test_sgd_second_moment_matches_monte_carlo():
    d, R = 6, np.sqrt(6)
    w2, v2 = np.array([0.4, -0.5]), np.array([1.0, 0.0])
    ex = float(conv.sgd_grad_second_moment(w2, v2, R, d))
    rng = np.random.default_rng(3)
    X = rng.standard_normal((400_000, d))
    X *= R / np.linalg.norm(X, axis=1, keepdims=True)
    pw, pv = X[:, :2] @ w2, X[:, :2] @ v2
    q = (np.maximum(pw, 0) - np.maximum(pv, 0)) ** 2 * (pw > 0) * R**2
    assert abs(q.mean() - ex) < 5 * q.std() / np.sqrt(q.size)
