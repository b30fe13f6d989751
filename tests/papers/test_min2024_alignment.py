"""Tests of gdtheory.papers.min2024.alignment (Min et al. 2024, Eq. (13), Lemmas 2, 4)."""

import numpy as np
import pytest

from gdtheory.models import two_layer_relu as trl
from gdtheory.papers.min2024 import alignment as al
from gdtheory.papers.min2024 import assumptions as asm
from gdtheory.papers.min2024 import experiments as ex


def _state(seed=0, eps=1e-2):
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((4, 2))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    rho = np.log(eps) + rng.standard_normal(4) * 0.1
    s = np.array([1.0, -1.0, 1.0, -1.0])
    return U, rho, s


def test_reduced_field_is_minus_model_gradient():
    X, y = asm.t5()
    U, rho, s = _state()
    _, f, g = al._reduced_field(U, rho, s, X, y, "exponential")
    W, v = U * np.exp(rho)[:, None], s * np.exp(rho)
    gW, _ = trl.gradient(W, v, X, y, loss="exponential")
    assert np.allclose(np.exp(rho)[:, None] * g, -gW, rtol=1e-12, atol=1e-18)
    assert np.allclose(f, trl.forward(W, v, X), rtol=1e-12, atol=1e-18)


def test_reduced_euler_equals_plain_euler_on_w():
    X, y = asm.t5()
    U, rho, s = _state(1)
    run = al.reduced_gf(X, y, U, rho, s, dt=1e-3, n_steps=50, record_every=50)
    W = U * np.exp(rho)[:, None]
    for _ in range(50):
        v = s * np.linalg.norm(W, axis=1)
        gW, _ = trl.gradient(W, v, X, y, loss="exponential")
        W = W - 1e-3 * gW
    W_red = run["U"][-1] * np.exp(run["rho"][-1])[:, None]
    assert np.allclose(W_red, W, rtol=1e-10)


def test_lemma4_holds_and_direction_derivative_matches():
    X, y = asm.t5()
    U, rho, s = _state(2, eps=1e-3)
    lhs, rhs, fmax = al.lemma4_error(U, rho, s, X, y)
    assert fmax <= 1 and np.all(lhs <= rhs)
    W, v = U * np.exp(rho)[:, None], s * np.exp(rho)
    d = ex.direction_derivative(W, v, X, y, loss="exponential")
    _, _, g = al._reduced_field(U, rho, s, X, y, "exponential")
    assert np.allclose(d, al.project_out(U, g), rtol=1e-10)


def test_lemma2_ratio():
    yh = np.linspace(-1, 1, 2001)
    yh = yh[yh != 0]
    assert al.lemma2_ratio(yh, "exponential").max() == pytest.approx((np.e - 1) / 2, rel=1e-9)
    assert al.lemma2_ratio(yh, "logistic2").max() <= 0.25 + 1e-9
    assert al.lemma2_ratio(np.array([1e-6]), "logistic")[0] > 1e4


def test_forbidden_transitions_rule():
    idx = (np.array([0, 1, 0]), np.array([0, 0, 1]))  # (neuron, point)
    signs = np.array([1.0, -1.0])
    y = np.array([1.0, -1.0])
    on = np.array([True, True, True])
    # V+ gains positive (ok), V- gains positive (forbidden), V+ gains negative (forbidden)
    assert al.forbidden_transitions(idx, on, signs, y).tolist() == [False, True, True]
