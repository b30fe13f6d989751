"""Tests of gdtheory.population: quadrature vs closed forms, finite differences, Monte Carlo."""

import numpy as np
import pytest

from gdtheory import population as pop

V = np.array([0.0, 1.0])


@pytest.fixture(scope="module")
def q():
    return pop.circle_quadrature(V, 400)


def test_moments(q):
    qg = pop.plane_quadrature(V, 800, "gaussian")
    assert q.p.sum() == pytest.approx(1, abs=1e-14)
    assert (q.c0, q.m2) == pytest.approx((1.0, 1.0), abs=1e-14)
    assert (qg.c0, qg.m2) == pytest.approx((np.sqrt(np.pi / 2), 2.0), abs=1e-12)
    with pytest.raises(ValueError):
        pop.plane_quadrature(V, 10, "cauchy")


def test_grad_is_derivative_of_loss(q):
    w = np.array([[0.3, -1.2], [2.0, 0.5], [-4.0, 3.0]])
    h = 1e-5
    fd = np.stack([(pop.logistic_loss(w + h * e, q) - pop.logistic_loss(w - h * e, q)) / (2 * h)
                   for e in np.eye(2)], axis=-1)
    assert np.allclose(fd, pop.logistic_grad(w, q), rtol=1e-7, atol=1e-10)


def test_hessian_is_derivative_of_grad(q):
    w = np.array([0.7, -0.4])
    h = 1e-5
    fd = np.stack([(pop.logistic_grad(w + h * e, q) - pop.logistic_grad(w - h * e, q)) / (2 * h)
                   for e in np.eye(2)], axis=-1)
    assert np.allclose(fd, pop.logistic_hessian(w, q), atol=1e-9)
    assert np.allclose(pop.logistic_hessian(np.zeros(2), q), np.eye(2) / 8, atol=1e-14)


def test_g_against_monte_carlo(q):
    w = np.array([[1.5, 3.0], [0.0, -1.0], [1.0, 0.0]])
    mc, se = pop.g_monte_carlo(np.repeat(w, 1, axis=0), V, 200_000, np.random.default_rng(1))
    assert np.all(np.abs(mc - pop.g_of(w, q)) <= 5 * se)


def test_lemma2_identity(q):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(50, 2)) * 3
    wb = w / np.linalg.norm(w, axis=1, keepdims=True)
    tang = -np.einsum("ni,ni->n", V - (wb @ V)[:, None] * wb, pop.logistic_grad(w, q))
    sin2 = 1 - (wb @ V) ** 2
    assert np.allclose(tang, sin2 / np.pi, atol=1e-13)


def test_polar_and_cos(q):
    w = pop.polar_to_plane(2.0, 0.3, V)
    assert np.linalg.norm(w) == pytest.approx(2.0)
    assert pop.cos_theta(w, V) == pytest.approx(np.cos(0.3))
    assert pop.g_polar(2.0, 0.3, q) == pytest.approx(float(pop.g_of(w, q)))
    tiny = np.array([1e-10, 1.0])
    assert pop.one_minus_cos(tiny, V) == pytest.approx(5e-21, rel=1e-6)
    assert pop.one_minus_cos(np.array([0.6, -0.8]), V) == pytest.approx(1.8)


def test_sign_boundary_and_strip(q):
    th = pop.sign_boundary_theta(1.0, q)
    assert abs(float(pop.g_polar(1.0, th, q))) < 1e-12
    assert pop.sign_boundary_theta(1.0, q) == pytest.approx(np.radians(68.282), abs=1e-5)
    hw = pop.strip_halfwidth(np.array([1000.0]), q)[0]
    assert hw == pytest.approx(np.pi / np.sqrt(3), rel=1e-4)


def test_axis_and_adaptive(q):
    w = np.array([3.0, 0.5])
    assert pop.minus_v_grad_adaptive(w, V) == pytest.approx(float(-pop.logistic_grad(w, q) @ V),
                                                           abs=1e-13)
    assert pop.axis_gradient(np.array([0.0]), q)[0] == pytest.approx(-1 / np.pi, abs=1e-14)


def test_mc_sd_cov_and_adaptive_loss(q):
    w = np.array([1.5, 3.0])
    rng = np.random.default_rng(0)
    # the exact sd of the 1000-sample mean against the spread of many Monte-Carlo means
    means = pop.g_monte_carlo(np.repeat(w[None], 400, axis=0), V, 1000, rng)[0]
    sd = float(pop.g_mc_sd(w[None], q, 1000)[0])
    assert means.std(ddof=1) == pytest.approx(sd, rel=4 / np.sqrt(2 * 399))
    # one-sample gradient covariance against the empirical covariance of per-sample gradients
    phi = rng.uniform(0, 2 * np.pi, 200_000)
    x = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    y = np.where(x @ V >= 0, 1.0, -1.0)
    per = -(y / (1 + np.exp(y * (x @ w))))[:, None] * x
    assert np.allclose(pop.grad_sample_cov(w, q), np.cov(per.T), atol=5e-3)
    assert pop.logistic_loss_adaptive(w, V) == pytest.approx(float(pop.logistic_loss(w, q)),
                                                             abs=1e-12)
    a = np.array([0.0, 1.0, 5.0])
    assert np.allclose(pop.prop3_axis_formula(a), pop.axis_gradient(a, q), atol=1e-13)
    assert np.all(pop.prop3_axis_formula(a, printed=True) > 0)
