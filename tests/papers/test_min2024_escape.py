"""Tests of gdtheory.papers.min2024.escape, .theorem1, .symbolic, .solutions, .experiments."""

import numpy as np
import pytest
import sympy as sp

from gdtheory.papers.min2024 import assumptions as asm
from gdtheory.papers.min2024 import escape, experiments, solutions, symbolic, theorem1


def test_phi_of_t_solves_ode_numerically():
    t = np.linspace(0, 3, 3001)
    phi = escape.phi_of_t(-1.3, t)
    dphi = np.gradient(phi, t)
    assert np.abs(dphi + np.sin(phi))[5:-5].max() < 1e-5


def test_worst_escape_time_is_sup():
    d = 0.05
    assert escape.escape_time(-np.pi / 2 + 1e-9, d) == pytest.approx(
        escape.worst_escape_time(d), rel=1e-6)


def test_theorem1_constants():
    assert theorem1.horizon_T(1e-6, 50, 5, 1.0) == pytest.approx(0.592975, abs=1e-6)
    e = theorem1.log10_eps_bound(0.17, 0.03, 0.03, 1, 1, 1, 50, 5)
    assert e["log10_eps"] == min(e["log10_eps1"], e["log10_eps2"])


def test_symbolic_identities():
    assert symbolic.balancedness_rate() == 0
    a, b = symbolic.gd_balance_drift()
    assert sp.expand(a - b) == 0
    assert symbolic.lemma10_identity() == 0
    r, c = symbolic.e15_factor()
    assert r.subs(c, 8) == 1


def test_single_neuron_gd_examples():
    x = np.array([1.0, 0.0])
    W, _ = solutions.single_neuron_gd(x, -1.0, np.array([0.0, 1.0]), 1.0, eta=0.1, n_steps=3)
    assert np.all(W == [0.0, 1.0])
    W, _ = solutions.single_neuron_gd(x, -1.0, np.array([0.0, 1.0]), 1.0, eta=0.1, n_steps=3,
                                      relu_grad_at_zero=0.5)
    assert W[1, 0] == pytest.approx(-0.05) and W[3, 0] == W[1, 0]


def test_gd_padding_matches_unpadded():
    X, y = asm.two_point(0.1)
    rng = np.random.default_rng(0)
    W, v = experiments.gaussian_init(rng, (), 8, 2, 1e-2)
    a = experiments.gd(X, y, W, v, eta=1e-2, n_iter=30, record_every=10)
    Xp = np.zeros((5, 2))
    Xp[:2] = X
    b = experiments.gd(Xp, np.ones(5), W, v, eta=1e-2, n_iter=30, record_every=10, n_real=2)
    assert np.allclose(a["W"], b["W"]) and np.allclose(a["loss"], b["loss"])


def test_stable_rank_and_bands():
    W = np.array([[1.0, 0.0], [2.0, 0.0]])
    assert experiments.stable_rank(W) == pytest.approx(1.0)
    X, y = asm.t5()
    b = experiments.alignment_bands(W[None], np.array([[1.0, -1.0]]), X, y)
    assert b["min_plus"][0] == b["max_plus"][0]
