"""Tests of gdtheory.papers.min2024.experiments.gd (Section 4, App. A.1; ch-min2024)."""

import numpy as np

from gdtheory.papers.min2024 import experiments as ex


def _padded_problem():
    rng = np.random.default_rng(3)
    n = np.array([7, 5, 6])
    X = np.zeros((3, 1, 7, 4))
    y = np.ones((3, 1, 7))
    for k, m in enumerate(n):
        X[k, 0, :m] = rng.standard_normal((m, 4))
        y[k, 0, :m] = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    W0, v0 = ex.gaussian_init(rng, (3, 2), 5, 4, 0.1)
    return X, y, W0, v0, n


def test_grouping_is_bit_identical(monkeypatch):
    X, y, W0, v0, n = _padded_problem()
    kw = dict(eta=(0.1 * 7 / n)[:, None], n_iter=40, loss="logistic", reduction="mean",
              n_real=n[:, None], record_every=7)
    whole = ex.gd(X, y, W0, v0, **kw)
    monkeypatch.setattr(ex, "_GROUP_BYTES", 1)  # one run per group
    one_by_one = ex.gd(X, y, W0, v0, **kw)
    assert whole.keys() == one_by_one.keys()
    for key in whole:
        assert whole[key].shape == one_by_one[key].shape
        np.testing.assert_array_equal(whole[key], one_by_one[key])
    assert whole["W"].shape == (7, 3, 2, 5, 4) and whole["acc"].shape == (7, 3, 2)


def test_padding_follows_the_true_mean_loss():
    X, y, W0, v0, n = _padded_problem()
    k = 1
    padded = ex.gd(X, y, W0, v0, eta=(0.1 * 7 / n)[:, None], n_iter=30, loss="logistic",
                   reduction="mean", n_real=n[:, None])
    alone = ex.gd(X[k, 0, : n[k]], y[k, 0, : n[k]], W0[k], v0[k], eta=0.1, n_iter=30,
                  loss="logistic", reduction="mean")
    np.testing.assert_allclose(padded["W"][:, k], alone["W"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(padded["loss"][:, k], alone["loss"], rtol=1e-12)
