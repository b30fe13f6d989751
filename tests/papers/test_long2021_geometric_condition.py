"""Tests of gdtheory.papers.long2021.geometric_condition (Lemma 4, Remark 3, Fig. 4)."""

from math import comb

import numpy as np
import pytest

from gdtheory.papers.long2021 import geometric_condition as g


def test_gap_examples():
    tri = np.array([[np.cos(t), np.sin(t)] for t in (0, 2 * np.pi / 3, 4 * np.pi / 3)])
    assert g.gc_holds_2d(tri)
    assert not g.gc_holds_2d(tri[:2])
    half = np.array([[1.0, 0.3], [0.2, 1.0], [0.5, -1.0]])
    assert not g.gc_holds_2d(half)
    np.testing.assert_allclose(g.max_circular_gap(tri), 2 * np.pi / 3)


@pytest.mark.parametrize("d,k", [(2, 4), (3, 5), (3, 7)])
def test_four_forms_agree(d, k):
    rng = np.random.default_rng(10 * d + k)
    W = rng.standard_normal((150, k, d))
    hemi = g.gc_holds_hemisphere(W)
    lp = np.array([g.gc_holds_lp(w) for w in W])
    hull = np.array([g.gc_holds_hull(w) for w in W])
    np.testing.assert_array_equal(hemi, lp)
    np.testing.assert_array_equal(hemi, hull)
    if d == 2:
        np.testing.assert_array_equal(hemi, g.gc_holds_2d(W))
    assert 0 < hemi.mean() < 1


@pytest.mark.parametrize("d,k", [(2, 3), (2, 6), (3, 6), (3, 9)])
def test_wendel_vs_monte_carlo(d, k):
    n = 20000
    rng = np.random.default_rng(100 * d + k)
    hits = g.gc_holds(rng.standard_normal((n, k, d)))
    p = g.wendel_probability(k, d)
    se = np.sqrt(p * (1 - p) / n)
    assert abs(hits.mean() - p) <= 4 * se


def test_wendel_closed_forms():
    for k in range(3, 15):
        assert g.wendel_probability(k, 2) == pytest.approx(1 - k / 2 ** (k - 1), abs=1e-15)
        assert g.wendel_probability(k, 3) == pytest.approx(
            1 - (1 + (k - 1) + comb(k - 1, 2)) / 2 ** (k - 1), abs=1e-15)
    assert g.wendel_probability(2, 2) == 0.0


def test_kelvin_and_rho():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 2))
    np.testing.assert_allclose(g.kelvin(g.kelvin(X)), X, rtol=1e-13)
    np.testing.assert_allclose(np.linalg.norm(g.kelvin(X), axis=1), 1 / np.linalg.norm(X, axis=1))
    W = rng.standard_normal((3, 2))
    assert np.all(g.rho(np.linspace(0, 2 * np.pi, 50), W, W) == 0)
    r = g.rho(np.linspace(0, 2 * np.pi, 200), 5 * W, 0 * W)
    assert r.min() >= 0 and r.max() == 1


def test_polar():
    th = np.array([0.0, np.pi / 2, np.pi])
    np.testing.assert_allclose(g.polar(th), [[1, 0], [0, 1], [-1, 0]], atol=1e-15)
    np.testing.assert_allclose(g.polar(th, 2.0), 2 * g.polar(th))
    np.testing.assert_allclose(g.polar(th, np.array([1.0, 2.0, 3.0]))[:, 0], [1, 0, -3], atol=1e-15)
