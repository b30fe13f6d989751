"""Tests of gdtheory.papers.min2024.cones and .assumptions (Min et al. 2024, Lemmas 5-9)."""

import numpy as np
import pytest

from gdtheory.data import digits
from gdtheory.papers.min2024 import assumptions as asm
from gdtheory.papers.min2024 import cones


def test_t5_mu_and_arcs_against_a_fine_grid():
    X, y = asm.t5()
    assert asm.mu(X, y) == pytest.approx(np.cos(np.deg2rad(80)), abs=1e-14)
    phi = np.linspace(0, 2 * np.pi, 36001)[:-1] + 1e-7
    reg = cones.region_of(cones.unit_angle(phi), X, y)
    for a in cones.arcs_2d(X, y):
        inside = np.mod(phi - a["start"], 2 * np.pi) < a["end"] - a["start"]
        assert np.all(reg[inside] == a["region"])


def test_printed_sdead_equals_s_minus():
    X, y = asm.t5()
    U = cones.unit_angle(np.linspace(0, 2 * np.pi, 1000))
    assert np.array_equal(cones.printed_sdead(U, X, y), cones.region_of(U, X, y) == cones.MINUS)


def test_zeta1_xi_against_sampling():
    X, y = asm.t5()
    z = cones.zeta1_2d(X, y)
    xi = cones.xi_2d(X, y)["xi"]
    # sup |cos(x1, x2)| over K and the complement, sampled
    K = cones.k_arc_2d(X, y)
    k_ang = np.linspace(K[0], K[1], 400)
    phi = np.linspace(0, 2 * np.pi, 20000)
    reg = cones.region_of(cones.unit_angle(phi), X, y)
    comp = phi[(reg == cones.MIXED) | (reg == cones.DEAD)]
    c = np.abs(np.cos(k_ang[:, None] - comp[None]))
    assert 1 - c.max() ** 2 == pytest.approx(xi, abs=1e-3)
    assert z["zeta1"] == min(z["zeta1_plus"], z["zeta1_minus"])


def test_two_point_xi_is_sin2_delta():
    for d in (0.3, 0.05):
        assert cones.xi_2d(*asm.two_point(d))["xi"] == pytest.approx(np.sin(d) ** 2, rel=1e-9)


def test_fate_arcs_t5_lengths():
    X, y = asm.t5()
    for s, p_dead in ((1.0, 53 / 144), (-1.0, 7 / 18)):
        fa = cones.fate_arcs_2d(X, y, s)
        dead = sum(a["end"] - a["start"] for a in fa if a["fate"] == cones.DEAD)
        assert dead / (2 * np.pi) == pytest.approx(p_dead, abs=1e-12)


def test_walk_matches_two_point_closed_form():
    from gdtheory.papers.min2024 import escape

    d = 0.1
    X, y = asm.two_point(d)
    phi0 = -1.2
    w = cones.walk_2d(phi0, X, y, 1.0)
    assert w["events"][0][0] == pytest.approx(float(escape.escape_time(phi0, d)), rel=1e-9)


def test_boundary_push_positive_under_assumption1():
    X, y = asm.t5()
    b = cones.boundary_push_2d(X, y)
    assert np.all(b["push"][~b["dead"]] > 0)
    sides = cones.boundary_sides_2d(X, y, 1.0)
    assert not sides["zeno"].any()


def test_orthogonally_separable_and_digits():
    X, y = asm.orthogonally_separable(np.random.default_rng(0), 5, 7, 6)
    assert asm.mu(X, y) > 0 and X.shape == (12, 6)
    Xd, yd = digits.digits_pair(1, 0)
    assert Xd.shape == (360, 64) and np.abs(Xd.sum(0)).max() < 1e-10
    assert asm.pair_stats(Xd, yd)["cos_pm"] == pytest.approx(-1.0, abs=1e-12)
