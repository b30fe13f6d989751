"""Tests of gdtheory.models.logistic: quadrature vs closed forms, finite differences, MC."""

import numpy as np
import pytest

from gdtheory.models import logistic as pop

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




def test_lemma2_identity(q):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(50, 2)) * 3
    wb = w / np.linalg.norm(w, axis=1, keepdims=True)
    tang = -np.einsum("ni,ni->n", V - (wb @ V)[:, None] * wb, pop.logistic_grad(w, q))
    sin2 = 1 - (wb @ V) ** 2
    assert np.allclose(tang, sin2 / np.pi, atol=1e-13)








