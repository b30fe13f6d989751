"""Tests of gdtheory.core.gaussian_relu (Xu & Du (3), (4), (23), (51); Yehudai & Shamir (25)).

Tolerances:

* Monte Carlo: z = (sample mean - closed form)/standard error for every number of a test;
  the test passes iff max|z| <= the two-sided Bonferroni threshold at family-wise level 1e-4
  over all z of that test (about 4.9 standard errors for ~60 numbers).
* Finite differences: central differences with step h; the truncation error of each entry is
  estimated by Richardson, |D(h) - D(2h)|/3 (the h² term), the rounding error by
  eps·max|f|/h; the tolerance is 4 × (truncation + rounding). Points are away from the kinks
  (sin θ >= 0.25 for every pair, norms in [0.5, 2]).
"""

import mpmath as mp
import numpy as np
import pytest

from gdtheory.core import gaussian_relu as G
from gdtheory.core.angles import angle
from gdtheory.core.quadrature import homogeneous_expectation, kink_angles
from gdtheory.core.stats import bonferroni_z

EPS = np.finfo(float).eps
LEVEL = 1e-4
D = 5
N_MC = 200_000


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(20240).standard_normal((N_MC, D))


def _generic(rng, shape, d=D, min_sin=0.25):
    """Random vectors with norms in [0.5, 2] and pairwise |sin θ| >= min_sin (rejection)."""
    while True:
        V = rng.standard_normal(shape + (d,))
        V *= rng.uniform(0.5, 2.0, shape)[..., None] / np.linalg.norm(V, axis=-1, keepdims=True)
        flat = V.reshape(-1, d)
        th = angle(flat[:, None], flat[None])
        off = ~np.eye(len(flat), dtype=bool)
        if np.all(np.sin(th[off]) >= min_sin):
            return V


def _jacobian(f, x, h):
    """Central-difference Jacobian of f at x: shape f(x).shape + x.shape."""
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(f(x))
    J = np.zeros(f0.shape + x.shape)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        J[(...,) + idx] = (np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h)
    return J, f0


def assert_fd(f, x, exact, h=1e-5):
    """Compare ``exact`` with central differences of ``f`` at ``x`` under the derived tolerance."""
    J1, f0 = _jacobian(f, x, h)
    J2, _ = _jacobian(f, x, 2 * h)
    trunc = np.abs(J1 - J2) / 3
    scale = np.max(np.abs(f0)) + np.max(np.abs(x)) * np.max(np.abs(J1))
    rnd = EPS * scale / h
    tol = 4 * (trunc + rnd)
    err = np.abs(np.asarray(exact) - J1)
    assert np.all(err <= tol), f"max err/tol = {np.max(err / tol):.3g}, max err = {err.max():.3g}"
    return float(np.max(err / np.maximum(np.abs(J1), 1e-300)))


def _assert_z(z):
    z = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in z])
    thr = bonferroni_z(LEVEL, z.size)
    assert np.max(np.abs(z)) <= thr, f"max|z| = {np.max(np.abs(z)):.2f} > {thr:.2f}"
    return float(np.max(np.abs(z)))


# ------------------------------------------------------------------------- Monte Carlo


def test_kernels_against_monte_carlo(X):
    rng = np.random.default_rng(1)
    P = _generic(rng, (6, 2))
    w, v = P[:, 0], P[:, 1]
    pw, pv = X @ w.T, X @ v.T  # (N, 6)
    z = []
    for vals, closed in [
        ((pw > 0) & (pv > 0), G.kernel0(w, v)),
        (np.maximum(pw, 0) * np.maximum(pv, 0), G.kernel1(w, v)),
        (
            np.where(pw > 0, pw, 0.2 * pw) * np.where(pv > 0, pv, 0.2 * pv),
            G.leaky_kernel(w, v, 0.2),
        ),
        (np.maximum(pw, 0) ** 2, G.kernel1(w, w)),
    ]:
        vals = vals.astype(float)
        z.append((vals.mean(0) - closed) / (vals.std(0, ddof=1) / np.sqrt(N_MC)))
    for alpha in (0.0, 0.2):
        sp = np.where(pv > 0, pv, alpha * pv)
        dw = np.where(pw > 0, 1.0, alpha)
        g = (dw * sp)[..., None] * X[:, None, :]
        closed = G.leaky_kernel_grad(w, v, alpha) if alpha else G.kernel1_grad(w, v)
        z.append((g.mean(0) - closed) / (g.std(0, ddof=1) / np.sqrt(N_MC)))
    _assert_z(z)


@pytest.mark.parametrize("alpha", [0.0, 0.2])
def test_neuron_loss_and_grad_against_monte_carlo(X, alpha):
    rng = np.random.default_rng(2)
    P = _generic(rng, (5, 2))
    w, v = P[:, 0], P[:, 1]
    w = np.concatenate([w, np.zeros((1, D))])  # w = 0: the σ'(0) = α convention
    v = np.concatenate([v, v[:1]])
    mc = G.mc_neuron(w, v, X, alpha)
    _assert_z(
        [
            (mc["loss"] - G.neuron_loss(w, v, alpha)) / mc["loss_se"],
            (mc["grad"][:-1] - G.neuron_grad(w, v, alpha)[:-1]) / mc["grad_se"][:-1],
        ]
    )
    if alpha:
        np.testing.assert_allclose(
            G.neuron_grad(w, v, alpha)[-1], -0.5 * alpha * (1 + alpha) * v[-1]
        )
        z0 = (mc["grad"][-1] - G.neuron_grad(w, v, alpha)[-1]) / mc["grad_se"][-1]
        _assert_z([z0])
    else:
        np.testing.assert_array_equal(G.neuron_grad(w, v)[-1], 0.0)
        np.testing.assert_array_equal(mc["grad"][-1], 0.0)


def test_student_teacher_against_monte_carlo(X):
    rng = np.random.default_rng(3)
    P = _generic(rng, (4, 4))
    W, v = P[:, :3], P[:, 3]  # 4 students of n = 3 neurons
    mc = G.mc_student_teacher(W, v, X)
    _assert_z(
        [
            (mc["loss"] - G.student_teacher_loss(W, v)) / mc["loss_se"],
            (mc["grad"] - G.student_teacher_grad(W, v)) / mc["grad_se"],
        ]
    )


# ------------------------------------------------------------------------- finite differences


def test_kernel_gradients_against_finite_differences():
    rng = np.random.default_rng(4)
    for _ in range(3):
        w, v = _generic(rng, (2,))
        assert_fd(lambda x, v=v: G.kernel0(x, v), w, G.kernel0_grad(w, v))
        assert_fd(lambda x, v=v: G.kernel1(x, v), w, G.kernel1_grad(w, v))
        assert_fd(lambda x, v=v: G.leaky_kernel(x, v, 0.3), w, G.leaky_kernel_grad(w, v, 0.3))
        assert_fd(lambda x, v=v: G.kernel1_grad(x, v), w, G.kernel1_hessian(w, v))
        assert_fd(lambda x, w=w: G.kernel1_grad(w, x), v, G.kernel1_cross_hessian(w, v))


@pytest.mark.parametrize("alpha", [0.0, 0.3])
def test_neuron_gradient_and_hessian_against_finite_differences(alpha):
    rng = np.random.default_rng(5)
    for _ in range(3):
        w, v = _generic(rng, (2,))
        assert_fd(lambda x, v=v: G.neuron_loss(x, v, alpha), w, G.neuron_grad(w, v, alpha))
        assert_fd(lambda x, v=v: G.neuron_grad(x, v, alpha), w, G.neuron_hessian(w, v, alpha))


def test_student_teacher_gradient_and_hessian_against_finite_differences():
    rng = np.random.default_rng(6)
    for n in (1, 3):
        P = _generic(rng, (n + 1,))
        W, v = P[:n], P[n]
        assert_fd(lambda x, v=v: G.student_teacher_loss(x, v), W, G.student_teacher_grad(W, v))
        H = G.student_teacher_hessian(W, v)
        assert_fd(
            lambda x, n=n, v=v: G.student_teacher_grad(x.reshape(n, D), v).ravel(), W.ravel(), H
        )
        np.testing.assert_allclose(H, H.T, atol=4 * EPS)


# ------------------------------------------------------------------------- identities


def test_eq23_equals_upsilon_form_and_eq4_equals_kernel_form():
    rng = np.random.default_rng(7)
    W = rng.standard_normal((3, 4, D))
    v = rng.standard_normal(D)
    ups = (
        0.5 * G.kernel1(W[:, :, None], W[:, None]).sum((-2, -1))
        - G.kernel1(W, v).sum(-1)
        + 0.5 * G.kernel1(v, v)
    )
    np.testing.assert_allclose(G.student_teacher_loss(W, v), ups, rtol=1e-13)
    grad = G.kernel1_grad(W[:, :, None], W[:, None]).sum(-2) - G.kernel1_grad(W, v)
    np.testing.assert_allclose(G.student_teacher_grad(W, v), grad, rtol=1e-13, atol=1e-15)
    # the i = j pair: E[relu(wᵀx)²] = |w|²/2, so ½E[...] = |w|²/4
    np.testing.assert_allclose(G.kernel1(W, W), 0.5 * (W * W).sum(-1), rtol=4 * EPS)


def test_special_values():
    v = np.array([0.6, -0.8, 0.0])
    e = np.array([0.8, 0.6, 0.0])  # ⊥ v
    w = 2.0 * v  # exact scaling: θ(w, v) = 0 and θ(w, -v) = π exactly
    assert G.kernel0(w, v) == 0.5
    assert G.kernel0(w, -v) == 0.0
    assert G.kernel0(e, v) == pytest.approx(0.25, rel=4 * EPS)
    assert G.kernel1(w, -v) == 0.0
    assert G.kernel1(e, v) == pytest.approx(1 / (2 * np.pi), rel=4 * EPS)
    assert G.kernel1(w, v) == pytest.approx(0.5 * 2.0, rel=4 * EPS)
    assert G.neuron_loss(np.zeros(3), v) == pytest.approx(0.25)
    assert G.neuron_loss(-v, v) == pytest.approx(0.5)
    assert G.neuron_loss(-2 * v, v) == pytest.approx((4 + 1) / 4)  # F(-cv) = (c² + 1)/4
    np.testing.assert_allclose(G.neuron_grad(-2 * v, v), -v, atol=4 * EPS)  # ∇F(-cv) = -c v/2
    np.testing.assert_array_equal(G.neuron_grad(v, v), 0.0)
    assert G.neuron_loss(v, v) == 0.0
    np.testing.assert_allclose(G.neuron_hessian(v, v), 0.5 * np.eye(3), atol=4 * EPS)
    np.testing.assert_allclose(
        G.neuron_hessian(v, v, 0.2), (1 + 0.04) / 2 * np.eye(3), atol=4 * EPS
    )
    np.testing.assert_array_equal(G.kernel1_grad(np.zeros(3), v), 0.0)
    assert np.all(np.isnan(G.kernel1_hessian(np.zeros(3), v)))
    # student = teacher plus a dead neuron: zero loss, zero gradient
    W = np.stack([v, np.zeros(3)])
    assert G.student_teacher_loss(W, v) == 0.0
    np.testing.assert_array_equal(G.student_teacher_grad(W, v), 0.0)
    assert np.isnan(G.student_teacher_hessian(W, v)[3:, :]).all()
    assert not np.isnan(G.student_teacher_hessian(W, v)[:3, :3]).any()


def test_toy_case_3_equal_neurons_is_one_neuron_with_teacher_v_over_n():
    """Xu & Du App. A, Toy Case 3: n equal neurons have n × the gradient for teacher v/n."""
    rng = np.random.default_rng(8)
    w, v = rng.standard_normal((2, D))
    for n in (2, 4):
        W = np.repeat(w[None], n, 0)
        g = G.student_teacher_grad(W, v)
        np.testing.assert_allclose(
            g, np.repeat(n * G.neuron_grad(w, v / n)[None], n, 0), rtol=1e-14, atol=1e-15
        )


def test_zero_padding_batches_students_of_different_widths():
    rng = np.random.default_rng(9)
    v = rng.standard_normal(D)
    W = rng.standard_normal((2, D))
    Wpad = np.concatenate([W, np.zeros((3, D))])
    np.testing.assert_allclose(
        G.student_teacher_loss(Wpad, v), G.student_teacher_loss(W, v), rtol=4 * EPS
    )
    g = G.student_teacher_grad(Wpad, v)
    np.testing.assert_allclose(g[:2], G.student_teacher_grad(W, v), rtol=4 * EPS, atol=4 * EPS)
    np.testing.assert_array_equal(g[2:], 0.0)


def test_small_angle_loss_keeps_relative_accuracy():
    """F(w) near w = v at θ = 1e-7: (23)-type form vs a 50-digit evaluation of the same inputs."""
    mp.mp.dps = 50
    v = np.array([1.0, 0.0, 0.0])
    for theta, s in [(1e-7, 1.0), (1e-4, 1.0 + 1e-9), (1e-3, 0.999)]:
        w = s * np.array([np.cos(theta), np.sin(theta), 0.0])
        W = [mp.mpf(float(x)) for x in w]
        V = [mp.mpf(float(x)) for x in v]
        nw = mp.sqrt(sum(x * x for x in W))
        th = mp.acos(sum(a * b for a, b in zip(W, V, strict=True)) / nw)
        ref = sum((a - b) ** 2 for a, b in zip(W, V, strict=True)) / 4 - nw * (
            mp.sin(th) - th * mp.cos(th)
        ) / (2 * mp.pi)
        got = G.neuron_loss(w, v)
        assert abs(mp.mpf(float(got)) - ref) / ref <= 1e-13
        got_st = G.student_teacher_loss(np.stack([0.5 * w, 0.5 * w]), v)
        assert abs(mp.mpf(float(got_st)) - ref) / ref <= 1e-13


# ------------------------------------------------------------------------- quadrature and shapes


def test_kernels_against_plane_quadrature():
    """In the plane, angle-only quadrature with break angles at the kinks (independent route)."""
    rng = np.random.default_rng(10)
    w, v = rng.standard_normal((2, 8, 2))
    br = kink_angles(np.stack([w, v], -2))

    def dots(E):
        return np.einsum("...i,...mi->...m", w, E), np.einsum("...i,...mi->...m", v, E)

    k0 = homogeneous_expectation(lambda E: ((dots(E)[0] > 0) & (dots(E)[1] > 0)) * 1.0, 0, br)
    k1 = homogeneous_expectation(
        lambda E: np.maximum(dots(E)[0], 0) * np.maximum(dots(E)[1], 0), 2, br
    )
    kl = homogeneous_expectation(
        lambda E: np.prod([np.where(p > 0, p, 0.3 * p) for p in dots(E)], axis=0), 2, br
    )
    np.testing.assert_allclose(G.kernel0(w, v), k0, rtol=1e-14)
    np.testing.assert_allclose(G.kernel1(w, v), k1, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(G.leaky_kernel(w, v, 0.3), kl, rtol=1e-13, atol=1e-16)


def test_shapes_and_broadcasting():
    rng = np.random.default_rng(11)
    W = rng.standard_normal((4, 1, 3, D))
    v = rng.standard_normal((7, D))
    L = G.student_teacher_loss(W, v)
    g = G.student_teacher_grad(W, v)
    H = G.student_teacher_hessian(W, v)
    assert L.shape == (4, 7) and g.shape == (4, 7, 3, D) and H.shape == (4, 7, 3 * D, 3 * D)
    np.testing.assert_allclose(L[2, 5], G.student_teacher_loss(W[2, 0], v[5]), rtol=4 * EPS)
    np.testing.assert_allclose(
        g[2, 5], G.student_teacher_grad(W[2, 0], v[5]), rtol=4 * EPS, atol=4 * EPS
    )
    np.testing.assert_allclose(
        H[2, 5], G.student_teacher_hessian(W[2, 0], v[5]), rtol=4 * EPS, atol=4 * EPS
    )
    w = rng.standard_normal((6, 1, D))
    assert G.kernel1(w, v).shape == (6, 7)
    assert G.kernel1_grad(w, v).shape == (6, 7, D)
    assert G.kernel1_hessian(w, v).shape == (6, 7, D, D)
    assert G.neuron_hessian(w, v, 0.1).shape == (6, 7, D, D)
    assert G.kernel0_grad(w, v).shape == (6, 7, D)
    with pytest.raises(ValueError):
        G.student_teacher_loss(np.ones(3), np.ones(3))


def test_lean_path_agrees_to_rounding():
    rng = np.random.default_rng(12)
    W = rng.standard_normal((6, 4, D))
    v = rng.standard_normal(D)
    np.testing.assert_allclose(
        G.student_teacher_grad(W, v, compensated=False), G.student_teacher_grad(W, v), atol=1e-14
    )
    np.testing.assert_allclose(
        G.student_teacher_loss(W, v, compensated=False), G.student_teacher_loss(W, v), rtol=1e-14
    )
    W[:, 1] = 0.0
    np.testing.assert_array_equal(G.student_teacher_grad(W, v, compensated=False)[:, 1], 0.0)


def test_loop_gradient_equals_the_reference_and_ignores_padding():
    rng = np.random.default_rng(7)
    W = rng.normal(size=(6, 4, 5))
    W[2, 3] = 0.0  # a padded (narrower) student
    v = rng.normal(size=(6, 5))
    mask = np.linalg.norm(W, axis=-1) > 0
    ref = G.student_teacher_grad(W, v)
    got = G.student_teacher_grad_loop(W, v, mask)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(got[2, 3], 0.0)


def test_monte_carlo_broadcasts_one_teacher_over_a_batch():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((500, 3))
    v = rng.standard_normal(3)
    w = rng.standard_normal((4, 3))
    W = rng.standard_normal((4, 2, 3))
    one = G.mc_neuron(w, v, X)
    each = G.mc_neuron(w, np.broadcast_to(v, w.shape), X)
    st = G.mc_student_teacher(W, v, X)
    st_each = G.mc_student_teacher(W, np.broadcast_to(v, (4, 3)), X)
    for a, b in ((one, each), (st, st_each)):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    assert one["grad"].shape == (4, 3) and st["grad"].shape == (4, 2, 3)
