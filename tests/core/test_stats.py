"""Tests of gdtheory.core.stats: Bonferroni thresholds and binomial intervals."""

import numpy as np
import pytest
from scipy import stats

from gdtheory.core.stats import binomial_ci, bonferroni_z, z_scores


def test_bonferroni_z():
    assert bonferroni_z(0.05, 1) == pytest.approx(1.959963984540054)
    assert bonferroni_z(1e-4, 100) == pytest.approx(stats.norm.isf(1e-4 / 200))
    assert bonferroni_z(1e-4, 10) < bonferroni_z(1e-4, 100)
    # the family-wise guarantee: P(max of n |N(0,1)| > t) <= level
    n, level = 50, 0.01
    t = bonferroni_z(level, n)
    assert 1 - (1 - 2 * stats.norm.sf(t)) ** n <= level
    with pytest.raises(ValueError):
        bonferroni_z(0.0, 3)


def test_z_scores():
    np.testing.assert_array_equal(z_scores([1.0, 3.0], 2.0, [0.5, 1.0]), [-2.0, 1.0])
    with pytest.raises(ValueError):
        z_scores(1.0, 1.0, 0.0)


@pytest.mark.parametrize("method,sp_method", [("clopper-pearson", "exact"), ("wilson", "wilson")])
def test_binomial_ci_matches_scipy(method, sp_method):
    for k, n in [(0, 10), (3, 10), (10, 10), (17, 250), (240, 250)]:
        lo, hi = binomial_ci(k, n, 0.05, method)
        ref = stats.binomtest(k, n).proportion_ci(0.95, method=sp_method)
        assert lo == pytest.approx(ref.low, abs=1e-12)
        assert hi == pytest.approx(ref.high, abs=1e-12)
    lo, hi = binomial_ci(np.array([0, 5]), np.array([10, 10]))
    assert lo.shape == (2,) and lo[0] == 0.0 and hi[0] == pytest.approx(1 - 0.025**0.1)


def test_clopper_pearson_exact_coverage():
    """Coverage computed exactly from the binomial pmf is >= 1 - level at several p."""
    n, level = 40, 0.05
    k = np.arange(n + 1)
    lo, hi = binomial_ci(k, n, level)
    for p in (0.02, 0.3, 0.5, 0.91):
        cover = stats.binom.pmf(k, n, p)[(lo <= p) & (p <= hi)].sum()
        assert cover >= 1 - level
    with pytest.raises(ValueError):
        binomial_ci(5, 3)
    with pytest.raises(ValueError):
        binomial_ci(1, 3, method="agresti")
