"""Tests of gdtheory.core.samplers: the protocol, shapes, reproducibility and the laws' moments.

Moment checks are z-scores against the exact moments, with the Bonferroni threshold at
family-wise level 1e-4 over all z of a test.
"""

import numpy as np
import pytest

from gdtheory.core.samplers import Gaussian, Sampler, ShiftedGaussian, UniformCircle, UniformSphere
from gdtheory.core.stats import bonferroni_z

N = 100_000
LAWS = [Gaussian(3), ShiftedGaussian((0.0, 1.0)), UniformSphere(4, radius=2.0), UniformCircle(1.5)]


def _z_ok(z):
    z = np.concatenate([np.ravel(a) for a in z])
    assert np.max(np.abs(z)) <= bonferroni_z(1e-4, z.size)


@pytest.mark.parametrize("law", LAWS, ids=lambda s: type(s).__name__)
def test_protocol_shapes_and_reproducibility(law):
    assert isinstance(law, Sampler)
    x = law.sample(np.random.default_rng(0), 7)
    assert x.shape == (7, law.d) and x.dtype == np.float64
    np.testing.assert_array_equal(x, law.sample(np.random.default_rng(0), 7))
    assert law.sample(np.random.default_rng(0), (2, 3)).shape == (2, 3, law.d)
    assert law.mean.shape == (law.d,)


@pytest.mark.parametrize("law", LAWS, ids=lambda s: type(s).__name__)
def test_mean_and_second_moment(law):
    x = law.sample(np.random.default_rng(1), N)
    se = x.std(0, ddof=1) / np.sqrt(N)
    sq = (x * x).sum(-1)
    z = [(x.mean(0) - law.mean) / se]
    if sq.std() > 0:
        z.append([(sq.mean() - law.second_moment) / (sq.std(ddof=1) / np.sqrt(N))])
    else:
        assert sq.mean() == pytest.approx(law.second_moment, rel=1e-14)
    _z_ok(z)


def test_gaussian_covariance_and_sphere_norms():
    x = Gaussian(3).sample(np.random.default_rng(2), N)
    prods = x[:, :, None] * x[:, None, :]
    z = (prods.mean(0) - np.eye(3)) / (prods.std(0, ddof=1) / np.sqrt(N))
    _z_ok([z])
    s = UniformSphere(5, radius=3.0).sample(np.random.default_rng(3), 1000)
    np.testing.assert_allclose(np.linalg.norm(s, axis=-1), 3.0, rtol=4e-16)
    # uniform direction: E[x xᵀ] = r²/d I
    s = UniformSphere(5, radius=3.0).sample(np.random.default_rng(4), N)
    prods = s[:, :, None] * s[:, None, :]
    _z_ok([(prods.mean(0) - 9.0 / 5 * np.eye(5)) / (prods.std(0, ddof=1) / np.sqrt(N))])


def test_circle_angles_are_uniform():
    x = UniformCircle(2.0).sample(np.random.default_rng(5), N)
    np.testing.assert_allclose(np.linalg.norm(x, axis=-1), 2.0, rtol=4e-16)
    phi = np.mod(np.arctan2(x[:, 1], x[:, 0]), 2 * np.pi)
    counts = np.histogram(phi, bins=16, range=(0, 2 * np.pi))[0]
    p = 1 / 16
    _z_ok([(counts - N * p) / np.sqrt(N * p * (1 - p))])


def test_shifted_gaussian_stores_a_tuple():
    law = ShiftedGaussian(np.array([1.0, 2.0, 3.0]))
    assert law.mu == (1.0, 2.0, 3.0) and law.d == 3
    assert law.second_moment == 3 + 14
    hash(law)
