"""Tests of gdtheory.papers.min2024.paths (Min et al. 2024, App. C.2)."""

import pytest

from gdtheory.papers.min2024 import paths


@pytest.mark.parametrize("npl,nmi", [(1, 1), (2, 3), (3, 3), (4, 2)])
def test_dp_equals_brute_force_and_pmax(npl, nmi):
    brute = max(paths.travel_time(p) for p in paths.enumerate_paths(npl, nmi))
    dp, arg = paths.max_travel_time(npl, nmi)
    assert dp == pytest.approx(brute, rel=1e-12)
    assert dp == pytest.approx(paths.p_max_time(npl, nmi), rel=1e-12)
    assert paths.is_admissible(arg, npl, nmi)


def test_admissibility_rules():
    assert paths.is_admissible([(0, 2), (1, 2), (1, 0)], 1, 2)
    assert not paths.is_admissible([(0, 2), (0, 0), (1, 0)], 1, 2)  # visits (0, 0)
    assert not paths.is_admissible([(1, 1), (0, 1), (1, 0)], 1, 1)  # k+ decreases
    assert not paths.is_admissible_as_printed(paths.p_max(2, 2), 2, 2)


def test_dominating_edges_is_injective():
    sample = [(0, 3), (2, 3), (2, 1), (4, 1), (5, 0)]
    m = paths.dominating_edges(sample, 5, 5)
    assert len({j for _, j in m}) == len(m)
