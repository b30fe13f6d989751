"""LeNet-5 and the slow-to-fast detector of Long et al. (2021), Fig. 5."""

from __future__ import annotations

import numpy as np
import pytest

from gdtheory.papers.long2021.lenet import moving_average, plateau_then_drop


def test_moving_average_matches_a_direct_window():
    x = np.random.default_rng(0).normal(size=50)
    ma = moving_average(x, 7)
    direct = np.array([x[max(0, i - 6) : i + 1].mean() for i in range(50)])
    np.testing.assert_allclose(ma, direct, atol=1e-12)


def test_detector_finds_a_plateau_then_a_drop():
    t = np.arange(2000)
    curve = np.where(t < 800, np.log(10) - 1e-5 * t, np.log(10) * np.exp(-(t - 800) / 60))
    r = plateau_then_drop(curve, window=20)
    assert 800 <= r["t_leave"] <= 830
    assert r["t_low"] > r["t_leave"]
    assert r["ratio"] > 10


def test_detector_sees_no_plateau_in_a_steady_decay():
    t = np.arange(2000)
    r = plateau_then_drop(np.log(10) * np.exp(-t / 300), window=20)
    assert r["ratio"] < 10


def test_lenet_shapes_and_a_deterministic_first_step():
    pytest.importorskip("torch")
    import torch

    from gdtheory.papers.long2021.lenet import lenet5, train_sgd

    out = lenet5()(torch.zeros(2, 1, 32, 32))
    assert tuple(out.shape) == (2, 10)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 1, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, 64).astype(np.int64)
    a, b = train_sgd(x, y, seed=3, n_iter=3), train_sgd(x, y, seed=3, n_iter=3)
    assert np.array_equal(a, b)
    assert abs(a[0] - np.log(10)) < 0.2  # untrained: close to uniform over 10 classes


def test_adaptive_horizon_only_appends_to_the_same_curve():
    pytest.importorskip("torch")
    from gdtheory.papers.long2021.lenet import train_sgd

    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 1, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, 64).astype(np.int64)
    fixed = train_sgd(x, y, seed=4, n_iter=6)
    # threshold above ln 10: the average is "below" at once, so the run stops after_drop later
    short = train_sgd(x, y, seed=4, n_iter=0, stop_below=10.0, after_drop=2, max_iter=50, window=1)
    assert len(short) == 3 and np.array_equal(short, fixed[:3])
    longer = train_sgd(x, y, seed=4, n_iter=6, stop_below=10.0, after_drop=2, max_iter=50)
    assert np.array_equal(longer, fixed)  # the minimum horizon wins when the drop came earlier
    capped = train_sgd(x, y, seed=4, n_iter=0, stop_below=-1.0, max_iter=5)
    assert np.array_equal(capped, fixed[:5])  # never below: the cap
