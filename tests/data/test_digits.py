"""Tests of gdtheory.data.digits (the offline 8×8 digits; ch-long2021, ch-min2024)."""

import numpy as np

from gdtheory.data import digits as data


def test_resize_matrix_preserves_constants_and_mean():
    m = data._linear_resize_matrix(8, 32)
    np.testing.assert_allclose(m.sum(1), 1.0)
    ramp = np.arange(8.0)
    out = m @ ramp
    assert np.all(np.diff(out) >= 0) and out.min() == 0 and out.max() == 7


def test_digits_32x32():
    X, y = data.digits_32x32()
    assert X.shape == (1797, 1, 32, 32) and X.dtype == np.float32
    assert X.min() >= 0 and X.max() <= 1
    assert set(y) == set(range(10))
