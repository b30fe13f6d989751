"""Tests of gdtheory.flows: GD, SGD (layer gradients, reproducibility, agreement with GF)."""

import numpy as np
import pytest

from gdtheory.models import deep_linear as dl
from gdtheory.models import logistic as pop
from gdtheory.models.deep_linear import sgd_linear_net, sgd_logistic
from gdtheory.models.logistic import population_gd
from gdtheory.papers.lin2021 import reduction as red


def test_population_gd(q, W0):
    W = population_gd(W0, np.array([0.1, 1.0]), 3, q)
    assert W.shape == (2, 4, 2)
    assert np.allclose(W[1, 1], W0 - 1.0 * pop.logistic_grad(W0, q))


def test_sgd_layer_gradients(V):
    """One small SGD step moves w_e by -lr P grad, P the layer-wise preconditioner, grad the
    minibatch gradient on the same samples (any layers, balanced or not)."""
    rng = np.random.default_rng(3)
    Ws = [rng.normal(size=(2, 2)), rng.normal(size=(3, 2)), rng.normal(size=(1, 3))]
    lr, batch = 1e-7, 64
    _, we_log = sgd_linear_net([W[None] for W in Ws], V, lr=lr, batch=batch, n_iter=1,
                               rng=np.random.default_rng(7), log_every=1)
    phi = np.random.default_rng(7).uniform(0, 2 * np.pi, size=(1, 1, 1, batch))[0, 0, 0]
    x = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    y = np.where(x @ V >= 0, 1.0, -1.0)
    we = we_log[0, 0]
    grad = -np.mean((y / (1 + np.exp(y * (x @ we))))[:, None] * x, axis=0)
    step = (we_log[0, 1] - we) / lr
    assert np.allclose(step, -dl.preconditioner(Ws) @ grad, rtol=1e-5, atol=1e-8)


def test_sgd_reproducible_and_tracks_gf(q, W0, V):
    kw = dict(lr=1e-3, batch=1000, n_iter=2000, n_runs=2)
    a = sgd_logistic(W0, V, rng=np.random.default_rng(0), **kw)
    b = sgd_logistic(W0, V, rng=np.random.default_rng(0), **kw)
    assert np.array_equal(a[1], b[1])
    f = red.reduced_flow(1, 1.0, -0.8, 2.0, q)
    t = 1e-3 * a[0]
    assert np.abs(pop.cos_theta(a[1], V) - f.cos(t)).max() < 0.01


def test_sgd_gaussian_data(W0, V):
    v10 = np.eye(10)[0]
    n, W = sgd_logistic(np.eye(10)[1], v10, lr=1e-2, batch=100, n_iter=20,
                        rng=np.random.default_rng(0), data="gaussian", log_every=10)
    assert W.shape == (1, 3, 10)
    with pytest.raises(ValueError):
        sgd_logistic(W0, V, lr=1e-2, batch=10, n_iter=1, rng=np.random.default_rng(0), data="x")


def test_gd_step(q):
    from gdtheory.models.logistic import gd_step

    w = np.array([1.0, 2.0])
    assert np.allclose(gd_step(w, 0.5, q), population_gd(w, np.array([0.5]), 1, q)[0, 1])
