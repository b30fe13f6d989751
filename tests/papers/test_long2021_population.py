"""Tests of gdtheory.papers.long2021.population (the continuum §6.1 density; ch-long2021)."""

import numpy as np
import pytest

from gdtheory.papers.long2021 import hinge_net as hn
from gdtheory.papers.long2021 import population as pop
from gdtheory.papers.long2021 import rays


@pytest.fixture(scope="module")
def config():
    W, U = np.random.default_rng(0).standard_normal((2, 4, 3, 2))
    return W, U


def test_refined_grids_converge_to_the_population(config):
    W, U = config
    p = pop.population_terms(W, U)
    errs = []
    for ref in (4, 16):
        E, R = rays.long2021_rays(refine=ref)
        X = (E[:, None, :] * R[None, :, None]).reshape(-1, 2)
        loss = hn.hinge_loss(W, U, X) / len(X)
        gw, gu = hn.gradient(W, U, X)
        errs.append(max(np.abs(loss - p["loss"]).max(), np.abs(gw / len(X) - p["grad_w"]).max(),
                        np.abs(gu / len(X) - p["grad_u"]).max()))
    # the grids are first-order accurate in 1/refine: four times finer, about four times closer
    assert errs[1] < errs[0] / 3 and errs[1] < 2e-3


def test_gradient_is_the_derivative_of_the_loss(config):
    W, U = config
    p = pop.population_terms(W[0], U[0])
    h = 1e-6
    for V, g, first in ((W[0], p["grad_w"], True), (U[0], p["grad_u"], False)):
        num = np.zeros_like(V)
        for j in range(V.shape[0]):
            for d in range(2):
                P, M = V.copy(), V.copy()
                P[j, d] += h
                M[j, d] -= h
                lp = pop.population_terms(P, U[0])["loss"] if first else pop.population_terms(
                    W[0], P)["loss"]
                lm = pop.population_terms(M, U[0])["loss"] if first else pop.population_terms(
                    W[0], M)["loss"]
                num[j, d] = (lp - lm) / (2 * h)
        np.testing.assert_allclose(num, g, atol=1e-8)


def test_quadrature_is_exact_on_its_pieces(config):
    W, U = config
    a, b = pop.population_terms(W, U, n_nodes=8), pop.population_terms(W, U, n_nodes=40)
    for key in ("loss", "grad_w", "grad_u", "p_u"):
        np.testing.assert_allclose(a[key], b[key], atol=1e-13)


def test_closed_forms():
    # everything in the loss (f < 1/2 on the annulus): rho = 2, half annulus under one neuron
    q = pop.population_terms(np.zeros((1, 2)), np.array([[0.01, 0.0]]))
    np.testing.assert_allclose(q["grad_u"][0], [2 * np.log(2) / np.pi, 0.0], atol=1e-15)
    np.testing.assert_allclose([q["p_u"][0], q["p_loss"]], [0.5, 1.0], atol=1e-15)
    # the inradius-1 triangle of Proposition 2 has zero loss exactly
    tri = 2.0 * np.stack([np.cos(2 * np.pi * np.arange(3) / 3),
                          np.sin(2 * np.pi * np.arange(3) / 3)], 1)
    t = pop.population_terms(tri, np.zeros_like(tri))
    assert t["loss"] == 0.0 and np.abs(t["grad_w"]).max() == 0.0
    np.testing.assert_allclose(t["f_min"], np.sqrt(3), atol=1e-9)


def test_population_gd_lemma3a_and_batching():
    W0, U0 = hn.init_weights(np.random.default_rng(5), 3, 3)
    r = pop.population_gd(W0, U0, 0.1, max_iter=60)
    assert (r["min_w_increment"] >= 0).all()
    one = pop.population_gd(W0[1:2], U0[1:2], 0.1, max_iter=60)
    np.testing.assert_allclose(one["loss"][0], r["loss"][1], rtol=1e-12)


def test_log_rate_ratio():
    from gdtheory.papers.long2021.phases import log_rate_ratio

    t = np.arange(200)
    geo_ = np.exp(-0.05 * t)  # one constant rate: ratio 1
    assert log_rate_ratio(geo_, 40, 199) == pytest.approx(0.0, abs=1e-12)
    two = np.where(t < 40, np.exp(-0.02 * t), np.exp(-0.8 - 0.06 * (t - 40)))
    assert log_rate_ratio(two, 40, 199) == pytest.approx(np.log(3.0), rel=1e-12)
    assert np.isnan(log_rate_ratio(geo_, 0, 199)) and np.isnan(log_rate_ratio(geo_, 150, 151))
