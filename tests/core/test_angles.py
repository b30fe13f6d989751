"""Tests of gdtheory.core.angles: special values, the w = 0 convention, accuracy against mpmath.

Accuracy is measured against a 60-digit mpmath evaluation of the *float* inputs, so the
reference is the exact angle between the vectors the function receives.
"""

import mpmath as mp
import numpy as np
import pytest

from gdtheory.core import angles as A

EPS = np.finfo(float).eps
mp.mp.dps = 60


def _mp_angle(w, v):
    w = [mp.mpf(float(x)) for x in w]
    v = [mp.mpf(float(x)) for x in v]
    nw = mp.sqrt(sum(x * x for x in w))
    nv = mp.sqrt(sum(x * x for x in v))
    chord = mp.sqrt(sum((x / nw - y / nv) ** 2 for x, y in zip(w, v, strict=True)))
    return 2 * mp.asin(chord / 2)


def _pair_at(rng, d, theta):
    """Random orthonormal frame in R^d, w along e1, v at angle theta, random norms."""
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    w = Q[:, 0] * rng.uniform(0.5, 2.0)
    v = (np.cos(theta) * Q[:, 0] + np.sin(theta) * Q[:, 1]) * rng.uniform(0.5, 2.0)
    return w, v


def test_unit_and_zero_convention():
    w = np.array([[3.0, 4.0], [0.0, 0.0]])
    u = A.unit(w)
    np.testing.assert_array_equal(u[0], [0.6, 0.8])
    np.testing.assert_array_equal(u[1], [0.0, 0.0])
    v = np.array([1.0, 2.0])
    assert A.angle(np.zeros(2), v) == np.pi / 2
    assert A.angle(v, np.zeros(2)) == np.pi / 2
    assert A.pi_minus_angle(np.zeros(2), v) == np.pi / 2
    assert A.one_minus_cos(np.zeros(2), v) == 1.0
    assert A.signed_angle_2d(np.zeros(2), v) == 0.0


def test_special_values():
    e1, e2 = np.eye(2)
    assert A.angle(e1, e1) == 0.0
    assert A.angle(e1, 2 * e1) == 0.0
    assert A.angle(e1, e2) == pytest.approx(np.pi / 2, abs=2 * EPS)
    assert A.angle(e1, -e1) == pytest.approx(np.pi, abs=2 * EPS)
    w = np.array([0.3, -1.7, 2.2])
    assert A.angle(w, -w) == pytest.approx(np.pi, abs=4 * EPS)
    assert A.pi_minus_angle(w, -w) == 0.0
    assert A.one_minus_cos(e1, -e1) == pytest.approx(2.0, abs=2 * EPS)
    assert A.signed_angle_2d(e1, e2) == pytest.approx(np.pi / 2)
    assert A.signed_angle_2d(e2, e1) == pytest.approx(-np.pi / 2)
    assert A.signed_angle_2d(e1, -e1) == np.pi  # range (-pi, pi]
    assert A.signed_angle_2d(e1, np.array([-1.0, -0.0])) == np.pi
    assert A.sin_minus_theta_cos(0.0) == 0.0
    assert A.sin_minus_theta_cos(np.pi) == pytest.approx(np.pi, rel=2 * EPS)
    assert A.g_arccos1(0.0) == pytest.approx(np.pi, rel=2 * EPS)
    assert A.g_arccos1(np.pi / 2) == pytest.approx(1.0, rel=2 * EPS)
    assert A.g_arccos1(np.pi) == pytest.approx(0.0, abs=1e-45)


def test_equals_two_arcsin_and_arccos_at_moderate_angles():
    rng = np.random.default_rng(0)
    w, v = rng.standard_normal((2, 100, 6))
    th = A.angle(w, v)
    chord = np.linalg.norm(A.unit(w) - A.unit(v), axis=-1)
    np.testing.assert_allclose(th, 2 * np.arcsin(chord / 2), rtol=4 * EPS, atol=4 * EPS)
    cos = (A.unit(w) * A.unit(v)).sum(-1)
    np.testing.assert_allclose(th, np.arccos(cos), atol=1e-12)
    np.testing.assert_allclose(A.pi_minus_angle(w, v), np.pi - th, atol=8 * EPS)
    np.testing.assert_allclose(
        np.abs(A.signed_angle_2d(w[:, :2], v[:, :2])), A.angle(w[:, :2], v[:, :2]), atol=8 * EPS
    )


@pytest.mark.parametrize("d", [2, 5, 50])
def test_full_relative_accuracy_small_angles_and_near_pi(d):
    """Relative error <= 4 ulps for theta in [1e-15, 1] (and pi - theta likewise) vs mpmath."""
    rng = np.random.default_rng(d)
    worst, worst_supp = 0.0, 0.0
    for theta in np.logspace(-15, 0, 16):
        for _ in range(4):
            w, v = _pair_at(rng, d, theta)
            ref = _mp_angle(w, v)
            worst = max(worst, float(abs(mp.mpf(float(A.angle(w, v))) - ref) / ref))
            ref_s = mp.pi - _mp_angle(w, -v)
            got_s = mp.mpf(float(A.pi_minus_angle(w, -v)))
            worst_supp = max(worst_supp, float(abs(got_s - ref_s) / ref_s))
    assert worst <= 4 * EPS
    assert worst_supp <= 4 * EPS


def test_arccos_is_the_control_that_fails():
    """The naive formula loses all accuracy at theta = 1e-8, which is why angle() exists."""
    rng = np.random.default_rng(3)
    w, v = _pair_at(rng, 5, 1e-8)
    ref = float(_mp_angle(w, v))
    naive = np.arccos(np.clip(A.unit(w) @ A.unit(v), -1, 1))
    assert abs(naive - ref) / ref > 1e-2
    assert abs(A.angle(w, v) - ref) / ref <= 4 * EPS


def test_one_minus_cos_relative_accuracy():
    rng = np.random.default_rng(4)
    for theta in [1e-12, 1e-8, 1e-4, 0.5, 2.0, 3.1]:
        w, v = _pair_at(rng, 5, theta)
        ref = 1 - mp.cos(_mp_angle(w, v))
        assert abs(mp.mpf(float(A.one_minus_cos(w, v))) - ref) / ref <= 8 * EPS


def test_sin_minus_theta_cos_against_mpmath():
    """Series below 1, direct above: <= 4 ulps everywhere, including both sides of the switch."""
    thetas = np.concatenate(
        [np.logspace(-8, 0, 33), [0.999999, 1.0, 1.000001], np.linspace(1, np.pi, 9)]
    )
    got = A.sin_minus_theta_cos(thetas)
    for t, g in zip(thetas, got, strict=True):
        tt = mp.mpf(float(t))
        ref = mp.sin(tt) - tt * mp.cos(tt)
        assert abs(mp.mpf(float(g)) - ref) / ref <= 4 * EPS, t
    np.testing.assert_array_equal(A.sin_minus_theta_cos(-thetas), -got)


def test_naive_sin_minus_theta_cos_is_the_control():
    """At the 1e-2 switch point the specs suggest, the direct formula is ~1e-11 off."""
    t = 1e-2
    ref = float(mp.sin(mp.mpf(t)) - mp.mpf(t) * mp.cos(mp.mpf(t)))
    assert abs((np.sin(t) - t * np.cos(t)) - ref) / ref > 1e3 * EPS


def test_g_arccos1_near_pi():
    for t in [0.1, 1.0, np.pi / 2, 2.0, 3.0, np.pi - 1e-3, np.pi - 1e-6, np.pi - 1e-9]:
        tt = mp.mpf(float(t))
        ref = mp.sin(tt) + (mp.pi - tt) * mp.cos(tt)
        assert abs(mp.mpf(float(A.g_arccos1(t))) - ref) / ref <= 8 * EPS, t


def test_shapes_and_broadcasting():
    rng = np.random.default_rng(5)
    W = rng.standard_normal((4, 1, 3, 5))
    V = rng.standard_normal((7, 1, 5))
    th = A.angle(W, V)
    assert th.shape == (4, 7, 3)
    assert A.angle_pair(W, V)[1].shape == (4, 7, 3)
    assert A.one_minus_cos(W, V).shape == (4, 7, 3)
    np.testing.assert_allclose(th[2, 5, 1], A.angle(W[2, 0, 1], V[5, 0]), rtol=0, atol=0)
    assert A.unit(W).shape == W.shape
    assert A.signed_angle_2d(W[..., :2], V[..., :2]).shape == (4, 7, 3)
    assert A.sin_minus_theta_cos(np.zeros((2, 3))).shape == (2, 3)
