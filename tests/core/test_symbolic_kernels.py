"""Tests of gdtheory.core.symbolic_kernels: the polar derivations equal the numpy closed forms."""

import numpy as np
import sympy as sp

from gdtheory.core import gaussian_relu as G
from gdtheory.core.angles import angle
from gdtheory.core.symbolic_kernels import (
    ALPHA,
    RV,
    RW,
    THETA,
    kernel_function,
    polar_hessian_2d,
    polar_kernel,
)


def test_symbolic_forms():
    k0 = polar_kernel(0)
    assert sp.simplify(k0["kernel"] - (sp.pi - THETA) / (2 * sp.pi)) == 0
    k1 = polar_kernel(1)
    assert k1["radial"] == 1 / sp.pi
    target = RW * RV * (sp.sin(THETA) + (sp.pi - THETA) * sp.cos(THETA)) / (2 * sp.pi)
    assert sp.simplify(k1["kernel"] - target) == 0
    # Xu & Du's equivalent form: Υ = ½ wᵀv + |w||v| (sin θ - θ cos θ)/(2π)
    alt = RW * RV * sp.cos(THETA) / 2 + RW * RV * (sp.sin(THETA) - THETA * sp.cos(THETA)) / (
        2 * sp.pi
    )
    assert sp.simplify(k1["kernel"] - alt) == 0
    kl = polar_kernel(1, ALPHA)["kernel"]
    assert sp.simplify(kl - (ALPHA * RW * RV * sp.cos(THETA) + (1 - ALPHA) ** 2 * target)) == 0
    # special values θ → 0 and θ → π
    assert sp.limit(k1["kernel"], THETA, 0) == RW * RV / 2
    assert sp.limit(k1["kernel"], THETA, sp.pi) == 0


def test_numeric_points_against_numpy_closed_forms():
    rng = np.random.default_rng(0)
    w, v = rng.standard_normal((2, 50, 5))
    rw, rv, th = np.linalg.norm(w, axis=-1), np.linalg.norm(v, axis=-1), angle(w, v)
    np.testing.assert_allclose(kernel_function(0)(rw, rv, th), G.kernel0(w, v), rtol=1e-14)
    np.testing.assert_allclose(
        kernel_function(1)(rw, rv, th), G.kernel1(w, v), rtol=1e-12, atol=1e-15
    )
    np.testing.assert_allclose(
        kernel_function(1, 0.3)(rw, rv, th), G.leaky_kernel(w, v, 0.3), rtol=1e-12, atol=1e-15
    )


def test_sympy_hessian_equals_zeta_in_the_plane():
    H, (x, y) = polar_hessian_2d()
    f = sp.lambdify((x, y, RV), H, "numpy")
    rng = np.random.default_rng(1)
    for _ in range(5):
        w = rng.standard_normal(2)
        w[1] = abs(w[1]) + 0.1
        rv = rng.uniform(0.5, 2)
        ref = np.array(f(w[0], w[1], rv), dtype=float)
        np.testing.assert_allclose(
            G.kernel1_hessian(w, np.array([rv, 0.0])), ref, rtol=1e-12, atol=1e-14
        )
