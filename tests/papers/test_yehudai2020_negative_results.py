"""Tests of gdtheory.papers.yehudai2020.negative_results (Theorem 3.1, §3.2)."""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from gdtheory.core.gaussian_relu import mc_neuron
from gdtheory.papers.yehudai2020 import negative_results as neg


def test_construction_signs_and_unit_target():
    p = np.array([0.2, 0.5, 0.7, 0.49])
    b, X, v = neg.thm31_construction(p)
    assert b.tolist() == [1.0, -1.0, -1.0, 1.0]
    assert np.allclose(X, np.diag(b))
    assert np.isclose(np.linalg.norm(v), 1.0)


def test_grad_matches_finite_differences_of_loss():
    rng = np.random.default_rng(0)
    d = 6
    b, _, _ = neg.thm31_construction(np.full(d, 0.5))
    W = rng.standard_normal((20, d))
    W = W[np.all(np.abs(W) > 1e-3, axis=1)]  # away from kinks
    h = 1e-6
    fd = np.stack([(neg.thm31_loss(W + h * e, b) - neg.thm31_loss(W - h * e, b)) / (2 * h)
                   for e in np.eye(d)], -1)
    assert np.abs(fd - neg.thm31_grad(W, b)).max() < 1e-8


def test_dead_coordinates_have_zero_gradient_and_loss_floor():
    rng = np.random.default_rng(1)
    d = 12
    b, _, _ = neg.thm31_construction(np.full(d, 0.5))
    W0 = rng.standard_normal((50, d))
    dead = neg.dead_mask(W0, b)
    G = neg.thm31_grad(W0, b)
    assert np.all(G[dead] == 0)
    W, F = neg.thm31_gd(W0, b, eta=d / 2, T=80)
    assert np.all(W[dead] == W0[dead])
    assert np.allclose(F[-1], dead.sum(1) / (2 * d**2), atol=1e-15)


def test_gf_closed_form_solves_the_flow():
    rng = np.random.default_rng(2)
    d = 5
    b, _, _ = neg.thm31_construction(np.full(d, 0.5))
    W0 = rng.standard_normal((4, d))
    t = np.array([0.3, 0.3 + 1e-6])
    W = neg.thm31_gf(W0, b, t)
    vel = (W[1] - W[0]) / 1e-6
    assert np.abs(vel + neg.thm31_grad(W[0], b)).max() < 1e-5


def test_eq3_grad_agrees_with_toolkit_mc_neuron():
    rng = np.random.default_rng(3)
    d = 4
    w = rng.standard_normal(d)
    v = rng.standard_normal(d)
    X = rng.standard_normal((30, d))
    per = neg.eq3_grad(np.broadcast_to(w, X.shape), v, X)
    assert np.allclose(per.mean(0), mc_neuron(w, v, X)["grad"], atol=1e-14)


def test_failure_probability_is_binomial_and_poisson_binomial_reduces():
    d = np.arange(1, 60)
    pf = neg.thm31_failure_probability(d)
    assert np.allclose(pf, binom.cdf(np.ceil(d / 4) - 1, d, 0.5))
    assert np.isclose(float(neg.thm31_failure_probability(20, np.full(20, 0.5))), pf[19])


def test_periodic_closed_form_matches_monte_carlo():
    rng = np.random.default_rng(4)
    d = 6
    w = rng.standard_normal(d) / 2
    v = rng.standard_normal(d) / 2
    X = rng.standard_normal((400_000, d))
    mean, se = neg.periodic_grad_mc(X, w, v)
    z = (mean - neg.periodic_target_grad(w, v)) / se
    assert np.abs(z).max() < 5


def test_periodic_variance_matches_monte_carlo_over_targets():
    rng = np.random.default_rng(5)
    d, rho = 8, 1.5
    w = np.zeros(d)
    w[0] = 1.0
    V = rng.standard_normal((100_000, d))
    V *= rho / np.linalg.norm(V, axis=1, keepdims=True)
    g = neg.periodic_target_grad(w, V)
    var_mc = np.sum(np.var(g, axis=0))
    assert abs(var_mc / neg.periodic_variance(d, rho) - 1) < 0.02
