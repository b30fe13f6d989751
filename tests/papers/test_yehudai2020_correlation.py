"""Tests of gdtheory.papers.yehudai2020.correlation (Theorem 4.2, Lemma B.1, Figure 2)."""

from __future__ import annotations

import numpy as np

from gdtheory.core.gaussian_relu import neuron_grad
from gdtheory.papers.yehudai2020 import correlation as cor


def test_rectangles_lie_in_the_pie_slice():
    for alpha, delta in [(1.0, np.pi / 2), (2.0, 0.3), (0.5, np.pi)]:
        for x0, x1, y0, y1 in cor.rectangles(alpha, delta):
            X, Y = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
            pts = np.stack([X, Y], -1) * (1 - 1e-12)
            assert cor.pie_slice_mask(pts, alpha, delta).all()


def test_wedge_moments_match_closed_form():
    alpha, delta = 1.3, 0.9
    M = cor.wedge_moments_quadrature(alpha, delta)
    assert np.isclose(M[0, 0], alpha**4 * (delta + np.sin(delta)) / 8, rtol=1e-13)
    assert np.isclose(M[1, 1], alpha**4 * (delta - np.sin(delta)) / 8, rtol=1e-13)
    assert abs(M[0, 1]) < 1e-15


def test_correlation_ratio_small_r_limit_for_gaussian():
    v = np.array([1.0, 0.0])
    delta = 0.5
    w = cor.plane_points(1e-8, np.pi - delta, v)[None]
    q = cor.correlation_ratio(lambda W: neuron_grad(W, v), w, v)
    assert np.isclose(q[0], (2 * delta - np.sin(2 * delta)) / (4 * np.pi), rtol=1e-6)


def test_infimum_ratio_is_not_above_grid_points():
    v = np.array([1.0, 0.0])
    best, w = cor.infimum_ratio(lambda W: neuron_grad(W, v), v, np.pi / 2, n_r=20, n_theta=20)
    assert np.linalg.norm(w) <= 2 + 1e-12
    pts = cor.plane_points(np.linspace(0.1, 2, 7)[:, None], np.linspace(0, np.pi / 2, 7)[None],
                           v).reshape(-1, 2)
    assert best <= cor.correlation_ratio(lambda W: neuron_grad(W, v), pts, v).min() + 1e-12


def test_restricted_moments_agree_in_the_plane_and_shrink_in_high_dimension():
    a2, b2 = cor.restricted_moments(2, 2.0, 1.0, 0.4)
    a8, b8 = cor.restricted_moments(8, 2.0, 1.0, 0.4)
    assert np.isclose(a2, b2, rtol=1e-14)
    assert np.isclose(b8, b2) and a8 < b8
