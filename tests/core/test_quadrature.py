"""Tests of gdtheory.core.quadrature: rules, radial moments, the shifted-Gaussian neuron.

Accuracy claims tested here: with the defaults (32 Gauss–Legendre nodes per arc; 48 radial
nodes for the 2-D rule) the rules reach 1e-14 relative against closed forms at μ = 0, against
mpmath for the radial moments, and against scipy ``quad`` of an independent one-dimensional
reduction (Stein's lemma for the coordinate orthogonal to w) for |μ| <= 1. Monte Carlo
comparisons use the Bonferroni threshold at family-wise level 1e-4.
"""

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate
from scipy.stats import norm

from gdtheory.core import gaussian_relu as G
from gdtheory.core import quadrature as Q
from gdtheory.core.samplers import ShiftedGaussian
from gdtheory.core.stats import bonferroni_z

EPS = np.finfo(float).eps


def test_angular_rule_weights_and_exactness():
    phi, w = Q.angular_rule(np.array([5.0, 1.0, -2.0]), 8)
    assert phi.shape == w.shape == (24,)
    assert w.sum() == pytest.approx(2 * np.pi, rel=4 * EPS)
    # a trigonometric polynomial with kinks only at the breaks is integrated exactly
    br = np.array([0.3, 2.5])
    phi, w = Q.angular_rule(br, 16)
    f = np.abs(np.sin(phi - 0.3 - np.pi)) * np.cos(phi) ** 2  # kinks at 0.3 and 0.3 + π
    br2 = np.array([0.3, 0.3 + np.pi])
    phi2, w2 = Q.angular_rule(br2, 16)
    f2 = np.abs(np.sin(phi2 - 0.3)) * np.cos(phi2) ** 2
    mp.mp.dps = 30
    exact = float(
        mp.quad(lambda t: abs(mp.sin(t - 0.3)) * mp.cos(t) ** 2, [0, 0.3, 0.3 + mp.pi, 2 * mp.pi])
    )
    assert (w2 * f2).sum() == pytest.approx(exact, rel=1e-14)
    assert abs((w * f).sum() - exact) > 1e-8  # control: a break in the wrong place is inexact
    phi0, w0 = Q.angular_rule(None, 4)
    assert w0.sum() == pytest.approx(2 * np.pi)
    phib, wb = Q.angular_rule(np.zeros((3, 2, 4)), 5)
    assert phib.shape == (3, 2, 20)


def test_kink_angles():
    a = Q.kink_angles(np.array([[1.0, 0.0], [0.0, 2.0]]))
    np.testing.assert_allclose(np.sort(a), [0.0, np.pi / 2, np.pi, 3 * np.pi / 2], atol=4 * EPS)
    w = np.array([0.3, -1.2])
    for t in Q.kink_angles(w[None]):
        assert abs(w @ [np.cos(t), np.sin(t)]) < 4 * EPS


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_radial_moment_against_mpmath(k):
    mp.mp.dps = 30
    for m in [-3.0, -1.0, -0.2, 0.0, 0.5, 2.0, 5.0]:
        ref = mp.quad(lambda r, m=m: r**k * mp.exp(m * r - r * r / 2), [0, mp.inf])
        got = Q.radial_moment(k, m)
        bound = 8 * EPS * (1 + m * m) ** k  # cancellation of the upward recurrence for m < 0
        assert abs(mp.mpf(float(got)) - ref) / ref <= bound, (k, m)


def test_homogeneous_expectation_closed_forms_at_zero_mean():
    rng = np.random.default_rng(0)
    w, v = rng.standard_normal((2, 10, 2))
    for alpha in (0.0, 0.25):
        loss = Q.shifted_neuron_loss(w, v, np.zeros(2), alpha)
        grad = Q.shifted_neuron_grad(w, v, np.zeros(2), alpha)
        np.testing.assert_allclose(loss, G.neuron_loss(w, v, alpha), rtol=1e-14)
        np.testing.assert_allclose(grad, G.neuron_grad(w, v, alpha), rtol=1e-13, atol=1e-15)
    # the circle law: for 2-homogeneous integrands E_circle = E|x|²_circle / E|x|²_gauss × E_gauss
    br = Q.kink_angles(np.stack([w, v], -2))
    k1c = Q.homogeneous_expectation(
        lambda E: (
            np.maximum(np.einsum("...i,...mi->...m", w, E), 0)
            * np.maximum(np.einsum("...i,...mi->...m", v, E), 0)
        ),
        2,
        br,
        law="circle",
        radius=3.0,
    )
    np.testing.assert_allclose(k1c, 9.0 / 2.0 * G.kernel1(w, v), rtol=1e-13)


def _stein_grad(w, v, mu, alpha=0.0):
    """Independent route: coordinates (s, t) along ŵ and ŵ⊥, inner t-integral exact (Stein).

    For σ = leaky with slope α, σ(z) = αz + (1 - α) relu(z); the inner expectations of
    relu(as + bt) and relu(as + bt)·t over t ~ N(m_t, 1) are closed forms; the outer integral
    over s ~ N(m_s, 1) is done by scipy quad with the break at s = 0.
    """
    r = np.linalg.norm(w)
    e1 = w / r
    e2 = np.array([-e1[1], e1[0]])
    ms, mt = e1 @ mu, e2 @ mu
    a, b = v @ e1, v @ e2

    def inner(s):
        M, S = a * s + b * mt, abs(b)
        z = M / S
        er = M * norm.cdf(z) + S * norm.pdf(z)  # E relu(as + bt)
        ert = mt * er + b * norm.cdf(z)  # E relu(as + bt) t
        ev, evt = a * s + b * mt, (a * s + b * mt) * mt + b  # E (as + bt), E (as + bt) t
        return alpha * ev + (1 - alpha) * er, alpha * evt + (1 - alpha) * ert

    def gs(s, comp):
        sig_w = r * s if s > 0 else alpha * r * s
        dsig = 1.0 if s > 0 else alpha
        e_sv, e_svt = inner(s)
        # E_t[(σ(rs) - σ(v·x)) σ'(rs) x], x = s e1 + t e2
        val = (sig_w - e_sv) * s if comp == 0 else sig_w * mt - e_svt
        return dsig * val * norm.pdf(s - ms)

    lo, hi = ms - 12, ms + 12
    g = [
        sum(
            integrate.quad(gs, x0, x1, args=(c,), epsabs=1e-13, epsrel=1e-13, limit=200)[0]
            for x0, x1 in ((lo, 0.0), (0.0, hi))
        )
        for c in (0, 1)
    ]
    return g[0] * e1 + g[1] * e2


@pytest.mark.parametrize("alpha", [0.0, 0.2])
def test_shifted_gradient_against_independent_stein_reduction(alpha):
    v = np.array([1.0, 0.0])
    mu = np.array([0.0, 1.0])
    for w in ([-1.0, 1.0], [-1.0, 0.5], [0.5, 0.5], [0.7, -1.3]):
        w = np.array(w)
        ref = _stein_grad(w, v, mu, alpha)
        np.testing.assert_allclose(
            Q.shifted_neuron_grad(w, v, mu, alpha), ref, rtol=1e-12, atol=1e-13
        )


def test_shifted_values_of_the_spec_table():
    """Yehudai & Shamir Fig. 1 setting (μ = (0, 1), v = (1, 0)); values printed to 6 decimals."""
    v, mu = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    table = {
        (-1.0, 1.0): ((-0.917462, 1.659489), 1.466880),
        (-1.0, 0.5): ((-0.717406, 0.931640), 0.827850),
        (-1.0, 0.0): ((-0.5, 1 / np.sqrt(2 * np.pi)), 0.5),
        (0.5, 0.5): ((-0.113065, 0.569695), 0.138297),
    }
    for w, (g, f) in table.items():
        np.testing.assert_allclose(Q.shifted_neuron_grad(np.array(w), v, mu), g, atol=6e-7)
        assert Q.shifted_neuron_loss(np.array(w), v, mu) == pytest.approx(f, abs=6e-7)


def test_shifted_against_monte_carlo_and_plane_rule():
    rng = np.random.default_rng(1)
    mu = np.array([0.3, 1.0])
    w, v = rng.standard_normal((2, 4, 2))
    X = ShiftedGaussian(mu).sample(np.random.default_rng(2), 400_000)
    z = []
    for alpha in (0.0, 0.2):
        mc = G.mc_neuron(w, v, X, alpha)
        z.append((mc["loss"] - Q.shifted_neuron_loss(w, v, mu, alpha)) / mc["loss_se"])
        z.append((mc["grad"] - Q.shifted_neuron_grad(w, v, mu, alpha)) / mc["grad_se"])
    z = np.concatenate([np.ravel(a) for a in z])
    assert np.max(np.abs(z)) <= bonferroni_z(1e-4, z.size)
    # the 2-D rule (radial Gauss–Legendre) is a second route to the same numbers
    br = Q.kink_angles(np.stack([w, v], -2))

    def f(Xq):
        pw = np.einsum("...i,...ni->...n", w, Xq)
        pv = np.einsum("...i,...ni->...n", v, Xq)
        return 0.5 * (np.maximum(pw, 0) - np.maximum(pv, 0)) ** 2

    np.testing.assert_allclose(
        Q.plane_expectation(f, br, mu=mu), Q.shifted_neuron_loss(w, v, mu), rtol=1e-13
    )


def test_shifted_gradient_against_finite_differences_and_convergence():
    mu = np.array([0.0, 1.0])
    v = np.array([1.0, 0.0])
    h = 1e-5
    for w in (np.array([-1.0, 0.5]), np.array([0.4, 0.9])):
        g = Q.shifted_neuron_grad(w, v, mu)
        fd = np.array(
            [
                (Q.shifted_neuron_loss(w + e, v, mu) - Q.shifted_neuron_loss(w - e, v, mu))
                / (2 * h)
                for e in h * np.eye(2)
            ]
        )
        fd2 = np.array(
            [
                (Q.shifted_neuron_loss(w + e, v, mu) - Q.shifted_neuron_loss(w - e, v, mu))
                / (4 * h)
                for e in 2 * h * np.eye(2)
            ]
        )
        tol = 4 * (np.abs(fd - fd2) / 3 + 4 * EPS / h)
        assert np.all(np.abs(g - fd) <= tol)
        np.testing.assert_allclose(
            Q.shifted_neuron_grad(w, v, mu, n_per_arc=64), g, rtol=1e-14, atol=4e-15
        )


def test_plane_rule_moments():
    for mu in (np.zeros(2), np.array([0.0, 1.0]), np.array([0.6, -0.8])):
        X, w = Q.plane_rule(np.array([0.3, 2.0]), mu=mu)
        assert w.sum() == pytest.approx(1.0, abs=1e-14)
        np.testing.assert_allclose(w @ X, mu, atol=1e-14)
        cov = np.einsum("n,ni,nj->ij", w, X - mu, X - mu)
        np.testing.assert_allclose(cov, np.eye(2), atol=1e-14)
    Xc, wc = Q.plane_rule(None, law="circle", radius=2.0)
    np.testing.assert_allclose(np.linalg.norm(Xc, axis=-1), 2.0)
    assert wc.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        Q.plane_rule(None, law="cauchy")


def test_batched_shapes():
    rng = np.random.default_rng(3)
    w = rng.standard_normal((5, 1, 2))
    v = rng.standard_normal((3, 2))
    mu = rng.standard_normal((5, 3, 2))
    g = Q.shifted_neuron_grad(w, v, mu)
    assert g.shape == (5, 3, 2)
    np.testing.assert_allclose(
        g[4, 2], Q.shifted_neuron_grad(w[4, 0], v[2], mu[4, 2]), rtol=1e-15, atol=1e-16
    )
    assert Q.shifted_neuron_loss(w, v, mu).shape == (5, 3)
    with pytest.raises(ValueError):
        Q.shifted_neuron_grad(np.ones(3), np.ones(3), np.zeros(3))
