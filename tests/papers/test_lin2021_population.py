"""Tests of gdtheory.papers.lin2021.population: g in polar form, the sign boundary, Prop. 3."""

import numpy as np
import pytest

from gdtheory.models import logistic as pop
from gdtheory.papers.lin2021 import population as lpop

V = np.array([0.0, 1.0])


def test_g_against_monte_carlo(q):
    w = np.array([[1.5, 3.0], [0.0, -1.0], [1.0, 0.0]])
    mc, se = lpop.g_monte_carlo(np.repeat(w, 1, axis=0), V, 200_000, np.random.default_rng(1))
    assert np.all(np.abs(mc - pop.g_of(w, q)) <= 5 * se)


def test_polar_and_cos(q):
    w = lpop.polar_to_plane(2.0, 0.3, V)
    assert np.linalg.norm(w) == pytest.approx(2.0)
    assert pop.cos_theta(w, V) == pytest.approx(np.cos(0.3))
    assert lpop.g_polar(2.0, 0.3, q) == pytest.approx(float(pop.g_of(w, q)))
    tiny = np.array([1e-10, 1.0])
    assert pop.one_minus_cos(tiny, V) == pytest.approx(5e-21, rel=1e-6)
    assert pop.one_minus_cos(np.array([0.6, -0.8]), V) == pytest.approx(1.8)


def test_sign_boundary_and_strip(q):
    th = lpop.sign_boundary_theta(1.0, q)
    assert abs(float(lpop.g_polar(1.0, th, q))) < 1e-12
    assert lpop.sign_boundary_theta(1.0, q) == pytest.approx(np.radians(68.282), abs=1e-5)
    hw = lpop.strip_halfwidth(np.array([1000.0]), q)[0]
    assert hw == pytest.approx(np.pi / np.sqrt(3), rel=1e-4)


def test_axis_and_adaptive(q):
    w = np.array([3.0, 0.5])
    assert lpop.minus_v_grad_adaptive(w, V) == pytest.approx(
        float(-pop.logistic_grad(w, q) @ V), abs=1e-13
    )
    assert lpop.axis_gradient(np.array([0.0]), q)[0] == pytest.approx(-1 / np.pi, abs=1e-14)


def test_mc_sd_cov_and_adaptive_loss(q):
    w = np.array([1.5, 3.0])
    rng = np.random.default_rng(0)
    # the exact sd of the 1000-sample mean against the spread of many Monte-Carlo means
    means = lpop.g_monte_carlo(np.repeat(w[None], 400, axis=0), V, 1000, rng)[0]
    sd = float(lpop.g_mc_sd(w[None], q, 1000)[0])
    assert means.std(ddof=1) == pytest.approx(sd, rel=4 / np.sqrt(2 * 399))
    # one-sample gradient covariance against the empirical covariance of per-sample gradients
    phi = rng.uniform(0, 2 * np.pi, 200_000)
    x = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    y = np.where(x @ V >= 0, 1.0, -1.0)
    per = -(y / (1 + np.exp(y * (x @ w))))[:, None] * x
    assert np.allclose(pop.grad_sample_cov(w, q), np.cov(per.T), atol=5e-3)
    assert pop.logistic_loss_adaptive(w, V) == pytest.approx(
        float(pop.logistic_loss(w, q)), abs=1e-12
    )
    a = np.array([0.0, 1.0, 5.0])
    assert np.allclose(lpop.prop3_axis_formula(a), lpop.axis_gradient(a, q), atol=1e-13)
    assert np.all(lpop.prop3_axis_formula(a, printed=True) > 0)


def test_scaled_quadrature_moments_and_labels(q):
    """The scaled rule carries the moments of diag(s) x and keeps the labels and accuracy."""
    qs = lpop.scaled_quadrature(q, (2.0, 2.0))
    assert (qs.c0, qs.m2) == pytest.approx((2.0, 4.0), abs=1e-13)
    assert np.array_equal(qs.y, np.where(qs.x @ V >= 0, 1.0, -1.0))
    # uniform law on the ellipse diag(1, 2) S^1: E|x| by an independent 1-D quadrature
    qe = lpop.scaled_quadrature(q, (1.0, 2.0))
    phi = np.linspace(0, 2 * np.pi, 200_001)[:-1]
    assert qe.c0 == pytest.approx(np.mean(np.hypot(np.cos(phi), 2 * np.sin(phi))), abs=1e-10)
    # isotropic scaling: Lemma 2 with c0 -> 2 c0 (spherically symmetric law of 2x)
    w = np.array([[0.3, 1.2], [-2.0, 0.5]])
    wb = w / np.linalg.norm(w, axis=1, keepdims=True)
    sin2 = 1 - (wb @ V) ** 2
    assert lpop.tangential_gradient(w, qs) == pytest.approx(2 * sin2 / np.pi, abs=1e-12)
    with pytest.raises(ValueError):
        lpop.scaled_quadrature(pop.circle_quadrature(np.array([0.6, 0.8]), 50), (1.0, 2.0))


def test_tangential_gradient_against_monte_carlo(q):
    """Lemma 2's left side by quadrature against a Monte-Carlo estimate, isotropic and not."""
    rng = np.random.default_rng(5)
    w = np.array([0.8, 0.6]) * 1.5
    for scale in ((1.0, 1.0), (1.0, 2.0)):
        phi = rng.uniform(0, 2 * np.pi, 400_000)
        x = np.stack([np.cos(phi), np.sin(phi)], axis=1) * np.array(scale)
        y = np.where(x @ V >= 0, 1.0, -1.0)
        per = -(y / (1 + np.exp(y * (x @ w))))[:, None] * x
        wb = w / np.linalg.norm(w)
        t = -(per @ V - (per @ wb) * (wb @ V))
        exact = lpop.tangential_gradient(w, lpop.scaled_quadrature(q, scale))
        assert abs(t.mean() - exact) < 5 * t.std() / np.sqrt(t.size)
