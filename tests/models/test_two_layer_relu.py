"""Tests of gdtheory.models.two_layer_relu (Min et al. (1), (12); Long et al. (2), (6), (8)).

Long et al.'s network (6), which ``gdtheory.papers.long2021.hinge_net`` now delegates to this
model, is compared bit for bit with the literal formulas (6) and (8) written out below.
Gradients of the smooth losses are compared with central differences under the derived
tolerance 4 × (Richardson truncation estimate + eps·scale/h), at points where no
pre-activation is within 1e-3 of a kink and no hinge margin within 1e-3 of 1.
"""

import numpy as np
import pytest

from gdtheory.models import two_layer_relu as M

EPS = np.finfo(float).eps
SMOOTH = ("logistic", "logistic2", "exponential", "square")


class _Literal:
    """Long et al.'s (6), (2) and (8) written out, independently of the model's code."""

    @staticmethod
    def network_output(W, U, X, b=0.0):
        pw = np.einsum("...kd,nd->...kn", W, X) - b
        pu = np.einsum("...kd,nd->...kn", U, X) - b
        return np.maximum(pw, 0).sum(-2) - np.maximum(pu, 0).sum(-2)

    @classmethod
    def hinge_loss(cls, W, U, X, b=0.0):
        return np.maximum(1.0 - cls.network_output(W, U, X, b), 0).sum(-1)

    @staticmethod
    def gradient(W, U, X, b=0.0):
        pw = np.einsum("...kd,nd->...kn", W, X) - b
        pu = np.einsum("...kd,nd->...kn", U, X) - b
        f = np.maximum(pw, 0).sum(-2) - np.maximum(pu, 0).sum(-2)
        inloss = (f < 1.0)[..., None, :]
        gw = -np.einsum("...kn,nd->...kd", (inloss & (pw > 0)).astype(float), X)
        gu = np.einsum("...kn,nd->...kd", (inloss & (pu > 0)).astype(float), X)
        return gw, gu


def _long2021():
    return _Literal


def _data(rng, n=12, d=3, R=4, m=5):
    X = rng.standard_normal((n, d))
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    W = rng.standard_normal((R, m, d))
    a = rng.standard_normal((R, m))
    return X, y, W, a


@pytest.mark.parametrize("b", [0.0, 0.03])
def test_long2021_network_6_bit_for_bit(b):
    hn = _long2021()
    rng = np.random.default_rng(0)
    for k, d, runs in [(1, 2, 3), (4, 2, 16), (3, 3, 2), (3, 7, 2)]:
        X = rng.standard_normal((40, d))
        Wp = rng.standard_normal((runs, k, d))
        Wn = rng.standard_normal((runs, k, d))
        W, a = M.signed_stack(Wp, Wn)
        y = np.ones(40)
        f_ref = hn.network_output(Wp, Wn, X, b)
        gw, gu = hn.gradient(Wp, Wn, X, b)
        gW, _ = M.gradient(W, a, X, y, loss="hinge", b=b)
        W1, a1 = M.gd_step(W, a, X, y, 0.01, train_a=False, loss="hinge", b=b)
        if d <= 4:  # the paper's d = 2: the same einsum contractions, bit for bit
            assert np.array_equal(M.forward(W, a, X, b), f_ref)
            assert np.array_equal(
                M.loss(W, a, X, y, loss="hinge", b=b), hn.hinge_loss(Wp, Wn, X, b)
            )
            assert np.array_equal(gW[..., :k, :], gw) and np.array_equal(gW[..., k:, :], gu)
            assert np.array_equal(W1[..., :k, :], Wp - 0.01 * gw)
            assert np.array_equal(a1, a)
        else:  # BLAS matmul: equal to rounding
            np.testing.assert_allclose(M.forward(W, a, X, b), f_ref, rtol=1e-15, atol=1e-15)
            np.testing.assert_allclose(gW, np.concatenate([gw, gu], -2), rtol=1e-15, atol=1e-14)


def _fd_check(fun, x, exact, h=1e-6):
    x = np.asarray(x, dtype=float)

    def jac(step):
        J = np.zeros(x.shape)
        for idx in np.ndindex(x.shape):
            e = np.zeros_like(x)
            e[idx] = step
            J[idx] = (fun(x + e) - fun(x - e)) / (2 * step)
        return J

    J1, J2 = jac(h), jac(2 * h)
    tol = 4 * (np.abs(J1 - J2) / 3 + EPS * (abs(fun(x)) + 1) / h)
    assert np.all(np.abs(J1 - exact) <= tol), np.max(np.abs(J1 - exact) / tol)


def _away_from_kinks(W, X, b=0.0):
    return np.min(np.abs(M.preactivations(W, X, b))) > 1e-3


@pytest.mark.parametrize("loss", SMOOTH + ("hinge",))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("alpha", [0.0, 0.1])
def test_gradient_against_finite_differences(loss, reduction, alpha):
    rng = np.random.default_rng(1)
    X, y, W, a = _data(rng, R=1)
    W, a = W[0], a[0]
    assert _away_from_kinks(W, X)
    if loss == "hinge":
        assert np.min(np.abs(y * M.forward(W, a, X, alpha=alpha) - 1)) > 1e-3
    kw = dict(loss=loss, reduction=reduction, alpha=alpha)
    gW, ga = M.gradient(W, a, X, y, **kw)
    _fd_check(lambda Z: M.loss(Z, a, X, y, **kw), W, gW)
    _fd_check(lambda c: M.loss(W, c, X, y, **kw), a, ga)


def test_loss_derivative_against_finite_differences_and_stability():
    f = np.linspace(-3, 3, 13) + 0.01
    y = np.where(np.arange(13) % 2, 1.0, -1.0)
    h = 1e-6
    for name in SMOOTH:
        fd = (M.loss_value(name, y, f + h) - M.loss_value(name, y, f - h)) / (2 * h)
        np.testing.assert_allclose(M.loss_derivative(name, y, f), fd, rtol=1e-7, atol=1e-8)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert M.loss_value("logistic", 1.0, 1000.0) == pytest.approx(np.exp(-1000.0), abs=1e-300)
        assert M.loss_value("logistic", 1.0, -1000.0) == pytest.approx(1000.0)
        assert M.loss_derivative("logistic", 1.0, -1000.0) == -1.0
    assert M.loss_value("logistic2", 1.0, 0.0) == pytest.approx(2 * np.log(2))
    assert M.loss_value("hinge", 1.0, 1.0) == 0.0 and M.loss_derivative("hinge", 1.0, 1.0) == 0.0
    with pytest.raises(ValueError):
        M.loss_value("cross-entropy", 1.0, 0.0)


def test_mean_is_sum_over_n_and_batching():
    rng = np.random.default_rng(2)
    X, y, W, a = _data(rng)
    kw = dict(loss="exponential")
    np.testing.assert_allclose(
        M.loss(W, a, X, y, reduction="mean", **kw), M.loss(W, a, X, y, **kw) / len(X), rtol=1e-15
    )
    gs = M.gradient(W, a, X, y, **kw)
    gm = M.gradient(W, a, X, y, reduction="mean", **kw)
    for s, m in zip(gs, gm, strict=True):
        np.testing.assert_allclose(m, s / len(X), rtol=1e-14, atol=1e-300)
    # runs in a leading axis equal the runs one by one; per-run data sets broadcast too
    gW, ga = gs
    for r in range(W.shape[0]):
        gWr, gar = M.gradient(W[r], a[r], X, y, **kw)
        np.testing.assert_array_equal(gW[r], gWr)
        np.testing.assert_array_equal(ga[r], gar)
    Xr = np.broadcast_to(X, (W.shape[0],) + X.shape)
    np.testing.assert_allclose(M.gradient(W, a, Xr, y, **kw)[0], gW, rtol=1e-15)
    assert M.forward(W, a[0], X).shape == (W.shape[0], len(X))


def test_activation_pattern_is_strict_and_relu_prime_zero():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    W = np.array([[0.0, 1.0], [1.0, 0.0]])  # neuron 0 has pre-activation exactly 0 on x_0, x_2
    pat = M.activation_pattern(W, X)
    np.testing.assert_array_equal(pat, [[False, True, False], [True, False, False]])
    a = np.array([1.0, 1.0])
    y = np.array([1.0, 1.0, 1.0])
    gW, _ = M.gradient(W, a, X, y, loss="square")
    f = M.forward(W, a, X)
    # neuron 0 only sees x_1 (relu'(0) = 0 on x_0 and x_2)
    np.testing.assert_array_equal(gW[0], (f[1] - 1.0) * X[1])
    # leaky: σ'(0) = α on the kink
    gWl, _ = M.gradient(W, a, X, y, loss="square", alpha=0.5)
    fl = M.forward(W, a, X, alpha=0.5)
    np.testing.assert_allclose(gWl[0], ((fl - 1) * np.array([0.5, 1.0, 0.5])) @ X)
    assert M.activation_pattern(W, X, b=-0.5).all(axis=-1).tolist() == [True, False]


def test_gd_step_and_signed_stack():
    rng = np.random.default_rng(3)
    X, y, W, a = _data(rng, R=1)
    W1, a1 = M.gd_step(W, a, X, y, 0.1, loss="logistic")
    gW, ga = M.gradient(W, a, X, y, loss="logistic")
    np.testing.assert_array_equal(W1, W - 0.1 * gW)
    np.testing.assert_array_equal(a1, a - 0.1 * ga)
    _, a2 = M.gd_step(W, a, X, y, 0.1, train_a=False)
    np.testing.assert_array_equal(a2, a)
    Ws, s = M.signed_stack(np.ones((2, 3, 4)), np.zeros((2, 1, 4)))
    assert Ws.shape == (2, 4, 4) and s.tolist() == [1, 1, 1, -1]


def test_matmul_path_for_large_d():
    """d > 4 uses BLAS matmul; it agrees with the einsum contraction to rounding."""
    rng = np.random.default_rng(4)
    X, y, W, a = _data(rng, n=30, d=9)
    gW, ga = M.gradient(W, a, X, y, loss="logistic", reduction="mean")
    P = np.einsum("...kd,nd->...kn", W, X)
    f = (a[..., None] * np.maximum(P, 0)).sum(-2)
    c = M.loss_derivative("logistic", y, f) / len(X)
    ref = np.einsum("...kn,nd->...kd", a[..., None] * c[..., None, :] * (P > 0), X)
    np.testing.assert_allclose(gW, ref, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(ga, np.einsum("...kn,...n->...k", np.maximum(P, 0), c), rtol=1e-13)
    np.testing.assert_allclose(M.forward(W, a, X), f, rtol=1e-14, atol=1e-14)
