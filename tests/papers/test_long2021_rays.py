"""Tests of gdtheory.papers.long2021.rays (Long et al. 2021, Section 6.1; ch-long2021)."""

import numpy as np

from gdtheory.papers.long2021 import rays as data


def test_long2021_points_exact():
    X = data.long2021_points()
    assert X.shape == (880, 2)
    r = np.linalg.norm(X, axis=1)
    assert np.isclose(r.min(), 1.0) and np.isclose(r.max(), 2.0)
    # every point is (20/a)(cos b pi/40, sin b pi/40) for a in 10..20, b in 1..80
    a = np.rint(20 / r).astype(int)
    assert set(a) == set(range(10, 21))
    ang = np.mod(np.arctan2(X[:, 1], X[:, 0]), 2 * np.pi)
    b = np.rint(ang * 40 / np.pi).astype(int)
    b[b == 0] = 80
    assert set(b) == set(range(1, 81))
    assert len({(int(i), int(j)) for i, j in zip(a, b, strict=True)}) == 880
    np.testing.assert_allclose(
        X,
        (20 / a)[:, None] * np.stack([np.cos(b * np.pi / 40), np.sin(b * np.pi / 40)], 1),
        atol=1e-14,
    )


def test_rays_match_points():
    E, R = data.long2021_rays()
    assert E.shape == (80, 2) and R.shape == (11,)
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-15)
    np.testing.assert_array_equal(data.long2021_points()[:11], R[:, None] * E[0])


def test_refined_rays():
    E1, R1 = data.long2021_rays()
    E2, R2 = data.long2021_rays(refine=2)
    assert E2.shape == (160, 2) and R2.shape == (21,)
    np.testing.assert_allclose(E2[1::2], E1, atol=1e-15)  # the paper's rays are a subset
    np.testing.assert_allclose(R2[::2], R1, atol=1e-15)
    np.testing.assert_allclose(R2, 20 / np.arange(10, 20.25, 0.5), atol=1e-15)
