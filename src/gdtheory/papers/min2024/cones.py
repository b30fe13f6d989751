"""The cones S₊, S₋, S_dead, the conic hull K and the constants ζ₁, ξ of Min et al. (2024).

Regions are coded ``MIXED = 0``, ``PLUS = 1`` (S₊), ``MINUS = 2`` (S₋), ``DEAD = 3`` (S_dead),
from an activation pattern with the strict convention 1{⟨x_i, w⟩ > 0} (σ'(0) = 0).
In the plane everything is exact: the cones are arcs of the circle, ζ₁ and ξ are sin² of
angular distances, and the ε → 0 directional flow (4) of one neuron is a 1-D flow on the circle
that can be integrated in closed form segment by segment (:func:`walk_2d`, :func:`fate_arcs_2d`).

References
----------
Min, Mallada & Vidal (2024), Section 3 (cones; S_dead corrected, see the chapter's errata),
Lemmas 5–9, Eq. (4); chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MIXED",
    "PLUS",
    "MINUS",
    "DEAD",
    "REGION_NAMES",
    "region_of_pattern",
    "region_of",
    "printed_sdead",
    "unit_angle",
    "arcs_2d",
    "region_arcs",
    "k_arc_2d",
    "in_arc",
    "point_arc_distance",
    "arc_distance",
    "zeta1_2d",
    "xi_2d",
    "walk_2d",
    "fate_arcs_2d",
    "boundary_push_2d",
    "boundary_sides_2d",
]

MIXED, PLUS, MINUS, DEAD = 0, 1, 2, 3
REGION_NAMES = {MIXED: "mixed", PLUS: "S+", MINUS: "S-", DEAD: "S_dead"}
TWO_PI = 2.0 * np.pi


def region_of_pattern(A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Region code of each activation pattern.

    Parameters
    ----------
    A : ndarray of bool, shape (..., n)
        Activation pattern 1{⟨x_i, w⟩ > 0} of one or many neurons.
    y : ndarray, shape (n,)

    Returns
    -------
    ndarray of int, shape (...): PLUS if A = 1{y > 0}, MINUS if A = 1{y < 0}, DEAD if A ≡ 0,
    MIXED otherwise. (If a class is empty, S₋ = S_dead; DEAD wins.)

    References
    ----------
    Min et al. (2024), Section 3 (S₊, S₋) and App. E.3 (S_dead = {⟨x_i, z⟩ ≤ 0 ∀i});
    ``ch-min2024``.
    """
    A = np.asarray(A, bool)
    pos, neg = y > 0, y < 0
    plus = np.all(A == pos, axis=-1)
    minus = np.all(A == neg, axis=-1)
    dead = ~np.any(A, axis=-1)
    out = np.full(A.shape[:-1], MIXED, dtype=int)
    out[plus] = PLUS
    out[minus] = MINUS
    out[dead] = DEAD
    return out


def region_of(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Region code of neurons ``W`` (shape (..., D)) for data ``X`` (n, D), labels ``y``.

    References
    ----------
    Min et al. (2024), Section 3; ``ch-min2024``.

    See Also
    --------
    region_of_pattern : the same from a precomputed activation pattern.
    """
    return region_of_pattern(np.asarray(W) @ X.T > 0, y)


def printed_sdead(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Membership in S_dead *as printed* in Section 3: {z : 1{⟨x_i,z⟩>0} = 1{y_i<0} ∀i}.

    This is literally the definition of S₋ (erratum E2 of the chapter); kept to show it.

    References
    ----------
    Min et al. (2024), Section 3, definition of S_dead; ``ch-min2024``.
    """
    A = np.asarray(W) @ X.T > 0
    return np.all(A == (y < 0), axis=-1)


def unit_angle(phi) -> np.ndarray:
    """Unit vectors (cos φ, sin φ) for angles φ (radians), shape (..., 2)."""
    phi = np.asarray(phi, float)
    return np.stack([np.cos(phi), np.sin(phi)], axis=-1)


def _wrap(a):
    return np.mod(a, TWO_PI)


def _breakpoints(X: np.ndarray) -> np.ndarray:
    th = np.arctan2(X[:, 1], X[:, 0])
    b = _wrap(np.concatenate([th + np.pi / 2, th - np.pi / 2]))
    b = np.unique(np.round(b, 14))
    return b


def arcs_2d(X: np.ndarray, y: np.ndarray) -> list[dict]:
    """The circle cut into maximal arcs of constant region, for 2-D data.

    Returns
    -------
    list of dict with keys ``region``, ``start``, ``end`` (radians, 0 ≤ start < 2π,
    start < end ≤ start + 2π), ``closed_start``, ``closed_end`` (whether the endpoint itself
    belongs to the region, under the strict activation convention). Consecutive arcs tile
    the circle.

    References
    ----------
    Min et al. (2024), Section 3 and Figure 2 (the cones drawn for 2-D data); ``ch-min2024``.

    See Also
    --------
    region_of : evaluated on a fine grid of angles in the tests.
    """
    b = _breakpoints(X)
    m = len(b)
    nxt = np.append(b[1:], b[0] + TWO_PI)
    mids = 0.5 * (b + nxt)
    r_pt = np.array([_region_at(p, X, y) for p in b])
    r_mid = region_of(unit_angle(mids), X, y)
    # pieces in circular order: point b0, cell (b0,b1), point b1, ...
    pieces = []
    for k in range(m):
        pieces.append(("pt", b[k], b[k], int(r_pt[k])))
        pieces.append(("cell", b[k], nxt[k], int(r_mid[k])))
    # rotate so that the list starts at a region change
    regs = [p[3] for p in pieces]
    if len(set(regs)) == 1:
        return [dict(region=regs[0], start=0.0, end=TWO_PI, closed_start=True, closed_end=True)]
    start_idx = next(i for i in range(len(pieces)) if regs[i] != regs[i - 1])
    pieces = pieces[start_idx:] + pieces[:start_idx]
    arcs: list[dict] = []
    for kind, a0, a1, r in pieces:
        if arcs and arcs[-1]["region"] == r:
            arcs[-1]["_pieces"].append((kind, a0, a1))
        else:
            arcs.append({"region": r, "_pieces": [(kind, a0, a1)]})
    out = []
    for a in arcs:
        ps = a["_pieces"]
        first, last = ps[0], ps[-1]
        start = first[1]
        end = last[2]
        while end < start:
            end += TWO_PI
        out.append(
            dict(
                region=a["region"],
                start=float(_wrap(start)),
                end=float(_wrap(start) + (end - start)),
                closed_start=first[0] == "pt",
                closed_end=last[0] == "pt",
            )
        )
    return out


def region_arcs(X: np.ndarray, y: np.ndarray, region: int) -> list[tuple[float, float]]:
    """The (start, end) pairs of the arcs of one region (radians), see :func:`arcs_2d`."""
    return [(a["start"], a["end"]) for a in arcs_2d(X, y) if a["region"] == region]


def k_arc_2d(X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The conic hull K = CH({x_i y_i}) of 2-D data as an arc (start, end), end - start < π.

    The smallest arc containing all directions of x_i y_i (the complement of the largest gap).

    References
    ----------
    Min et al. (2024), Eq. (18), Lemma 5 (in the plane K has angular width arccos μ);
    ``ch-min2024``.
    """
    Z = X * y[:, None]
    th = np.sort(_wrap(np.arctan2(Z[:, 1], Z[:, 0])))
    gaps = np.diff(np.append(th, th[0] + TWO_PI))
    k = int(np.argmax(gaps))
    start = th[(k + 1) % len(th)]
    end = start + (TWO_PI - gaps[k])
    if end - start >= np.pi:
        raise ValueError("the x_i y_i do not lie in an open half-plane: K is not a pointed cone")
    return float(start), float(end)


def in_arc(theta, arc: tuple[float, float], tol: float = 0.0) -> np.ndarray:
    """Whether angles ``theta`` lie in the closed arc ``(start, end)`` (within ``tol``)."""
    s, e = arc
    d = _wrap(np.asarray(theta, float) - s)
    return (d <= (e - s) + tol) | (d >= TWO_PI - tol)


def _circ(a, b):
    d = np.abs(_wrap(np.asarray(a) - np.asarray(b)))
    return np.minimum(d, TWO_PI - d)


def point_arc_distance(theta, arc: tuple[float, float]) -> np.ndarray:
    """Angular distance from angles ``theta`` to the closed arc ``arc`` (0 inside)."""
    theta = np.asarray(theta, float)
    d = np.minimum(_circ(theta, arc[0]), _circ(theta, arc[1]))
    return np.where(in_arc(theta, arc), 0.0, d)


def arc_distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Angular distance between two closed arcs (0 if they intersect)."""
    if in_arc(a[0], b) or in_arc(a[1], b) or in_arc(b[0], a) or in_arc(b[1], a):
        return 0.0
    return float(min(point_arc_distance(a[0], b), point_arc_distance(a[1], b),
                     point_arc_distance(b[0], a), point_arc_distance(b[1], a)))


def _angle(v) -> float:
    return float(_wrap(np.arctan2(v[1], v[0])))


def zeta1_2d(X: np.ndarray, y: np.ndarray) -> dict:
    """The largest ζ₁ of Lemma 8 for 2-D data: sin² of the distance from x± to ∂S±.

    Returns
    -------
    dict with ``zeta1_plus`` (cap around x₊ inside S₊), ``zeta1_minus`` (cap around x₋ inside
    S₋), ``zeta1`` = their minimum (one ζ₁ for both caps, as Lemma 8 needs), and the distances
    ``d_plus``, ``d_minus`` (radians).

    References
    ----------
    Min et al. (2024), Lemma 8 (caps S_x^ζ = {cos(z, x) ≥ √(1-ζ)}); ``ch-min2024``.
    """
    xp, xm = X[y > 0].sum(0), X[y < 0].sum(0)
    out = {}
    for key, x, reg in (("plus", xp, PLUS), ("minus", xm, MINUS)):
        th = _angle(x)
        arcs = [a for a in region_arcs(X, y, reg) if in_arc(th, a)]
        if not arcs:
            raise ValueError(f"x_{key} does not lie in its cone")
        s, e = arcs[0]
        d = float(min(_circ(th, s), _circ(th, e)))
        out[f"d_{key}"] = d
        out[f"zeta1_{key}"] = float(np.sin(d) ** 2)
    out["zeta1"] = min(out["zeta1_plus"], out["zeta1_minus"])
    return out


def xi_2d(X: np.ndarray, y: np.ndarray) -> dict:
    """The largest ξ of Lemma 9 for 2-D data, ξ = sin²(dist(K ∪ -K, (S₊ ∪ S₋)ᶜ)).

    sup |cos(x₁, x₂)| over x₁ ∈ K and x₂ outside S₊ ∪ S₋ is cos of the smallest angle between
    K ∪ (-K) and the complement; ξ = 1 - sup². Returns dict with ``xi`` and ``dist`` (radians);
    ``xi = 1`` if the complement is empty.

    References
    ----------
    Min et al. (2024), Lemma 9, Eq. (20)/(27); ``ch-min2024``.
    """
    K = k_arc_2d(X, y)
    negK = (_wrap(K[0] + np.pi), _wrap(K[0] + np.pi) + (K[1] - K[0]))
    # with one class empty, S₋ (or S₊) coincides with S_dead and is not in the complement
    both = bool(np.any(y > 0) and np.any(y < 0))
    bad = (MIXED, DEAD) if both else (MIXED,)
    comp = [(a["start"], a["end"]) for a in arcs_2d(X, y) if a["region"] in bad]
    if not comp:
        return {"xi": 1.0, "dist": np.pi / 2}
    d = min(arc_distance(c, k) for c in comp for k in (K, negK))
    return {"xi": float(np.sin(d) ** 2), "dist": float(d)}


# ----------------------------------------------------------------------------------------
# the ε → 0 directional flow (4) of one neuron in the plane, integrated exactly
# ----------------------------------------------------------------------------------------


_TOL = 1e-12


def _pattern(phi: float, X: np.ndarray) -> np.ndarray:
    """Strict activation pattern at angle φ, with |⟨x_i, w⟩| ≤ 1e-12‖x_i‖ read as 0.

    Nodes of the walk are computed in floating point, so a neuron sitting on the boundary
    ⟨x_i, w⟩ = 0 must not be counted as activating x_i because of rounding.
    """
    p = unit_angle(phi) @ X.T
    return p > _TOL * np.linalg.norm(X, axis=1)


def _region_at(phi: float, X, y) -> int:
    return int(region_of_pattern(_pattern(phi, X), y))


def _xa_at(phi: float, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (_pattern(phi, X) * y) @ X


def _speed(phi: float, X, y, sign) -> float:
    """dφ/dt = sign·⟨x_a(φ), e_φ⟩ with e_φ = (-sin φ, cos φ)."""
    xa = _xa_at(phi, X, y)
    return float(sign * (-np.sin(phi) * xa[0] + np.cos(phi) * xa[1]))


def _nodes(X, y, sign):
    """Sorted nodes on [0, 2π) and their kinds: activation breakpoints ("b") and the zeros of
    the speed inside cells: attracting ("a") or repelling ("r")."""
    b = _breakpoints(X)
    nxt = np.append(b[1:], b[0] + TWO_PI)
    nodes, kinds = list(b), ["b"] * len(b)
    for lo, hi in zip(b, nxt, strict=True):
        xa = _xa_at(0.5 * (lo + hi), X, y)
        if np.linalg.norm(xa) == 0:
            continue
        th = np.arctan2(xa[1], xa[0])
        for z, attracting in ((th, sign > 0), (th + np.pi, sign < 0)):
            z = lo + _wrap(z - lo)
            if lo + 1e-12 < z < hi - 1e-12:
                nodes.append(float(_wrap(z)))
                kinds.append("a" if attracting else "r")
    order = np.argsort(nodes)
    return np.asarray(nodes)[order], [kinds[i] for i in order]


def _segment_time(p0: float, p1: float, X, y, sign) -> float:
    """Exact time to go from p0 to p1 inside one cell (constant x_a, monotone motion)."""
    xa = _xa_at(0.5 * (p0 + p1), X, y)
    r = float(np.linalg.norm(xa))
    att = np.arctan2(xa[1], xa[0]) + (0.0 if sign > 0 else np.pi)  # attracting direction
    psi0 = np.angle(np.exp(1j * (p0 - att)))
    psi1 = np.angle(np.exp(1j * (p1 - att)))
    # dψ/dt = -r sin ψ  ⇒  t = (1/r) ln(tan(|ψ0|/2) / tan(|ψ1|/2))
    return float(np.log(np.tan(abs(psi0) / 2) / np.tan(abs(psi1) / 2)) / r)


def walk_2d(phi0: float, X: np.ndarray, y: np.ndarray, sign: float, max_nodes: int = 1000):
    """Exact trajectory of the ε → 0 directional flow (4) for one neuron in the plane.

    Within a cell of constant activation pattern, x_a is constant and the angle obeys
    dφ/dt = sign·‖x_a‖ sin(θ_a - φ), solved by tan(ψ/2) ∝ e^{-‖x_a‖ t} with ψ the angle to the
    attracting direction (θ_a for sign > 0, θ_a + π for sign < 0). Breakpoints are crossed
    when the speed keeps its sign (no Zeno behaviour); the walk stops at an attracting zero of
    the speed (reached asymptotically), at a point where the speed vanishes (the closed
    boundary of S_dead, reached in finite time) or where the speed changes sign across a
    breakpoint (``zeno`` = True). A start exactly on a repelling zero stays there.

    Returns
    -------
    dict with ``events``: list of (time, angle, region entered) at every breakpoint crossed or
    reached; ``final_angle``; ``final_region`` (region of the limit point, strict convention);
    ``t_final`` (time to reach it; inf if approached asymptotically); ``zeno`` (bool).

    References
    ----------
    Min et al. (2024), Eq. (4) (the flow is exact in the limit ε → 0, Lemma 1), Eqs. (7)–(8),
    Figures 2 and 4; ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.min2024.alignment.reduced_gf : the simulated balanced flow at small ε.
    """
    X = np.asarray(X, float)
    nodes, kinds = _nodes(X, y, sign)
    phi = float(_wrap(phi0))
    t = 0.0
    events: list[tuple[float, float, int]] = []

    def done(angle, tf, zeno=False):
        return dict(events=events, final_angle=float(angle), final_region=_region_at(angle, X, y),
                    t_final=tf, zeno=zeno)

    hit = np.flatnonzero(np.abs(np.angle(np.exp(1j * (nodes - phi)))) < 1e-12)
    node_kind = kinds[hit[0]] if hit.size else None
    for _ in range(max_nodes):
        v = _speed(phi, X, y, sign)
        if node_kind in ("a", "r") or v == 0.0:
            return done(phi, t)
        d = 1 if v > 0 else -1
        if node_kind == "b" and _speed(phi + d * 1e-9, X, y, sign) * d <= 0:
            return done(phi, t, zeno=True)
        rel = _wrap((nodes - phi) * d)
        rel[rel < 1e-12] = 3 * TWO_PI
        k = int(np.argmin(rel))
        target, node_kind = float(nodes[k]), kinds[k]
        if node_kind == "a":
            return done(target, float("inf"))
        t += _segment_time(phi, phi + d * float(rel[k]), X, y, sign)
        phi = target
        v_node = _speed(phi, X, y, sign)
        entered = _region_at(phi + d * 1e-9, X, y) if v_node * d > 0 else _region_at(phi, X, y)
        events.append((t, phi, entered))
    raise RuntimeError("walk_2d did not terminate")


def fate_arcs_2d(X: np.ndarray, y: np.ndarray, sign: float) -> list[dict]:
    """Where the ε → 0 directional flow sends each initial direction, as arcs of the circle.

    Every open segment between consecutive nodes (breakpoints and zeros of the speed) flows
    monotonically to one terminal point; its fate is that point's region.

    Returns
    -------
    list of dict ``start``, ``end`` (radians), ``fate`` (region code), ``final_angle``; the
    segments tile the circle up to the finitely many nodes.

    References
    ----------
    Min et al. (2024), Theorem 1 (every V± neuron ends in S± or S_dead) and the remark
    "Merits of random initialization"; ``ch-min2024``.

    See Also
    --------
    walk_2d : the exact trajectory from one start; the chapter compares with a Monte Carlo of
    the simulated flow.
    """
    nodes, _ = _nodes(X, y, sign)
    nxt = np.append(nodes[1:], nodes[0] + TWO_PI)
    out = []
    for lo, hi in zip(nodes, nxt, strict=True):
        w = walk_2d(0.5 * (lo + hi), X, y, sign)
        out.append(dict(start=float(lo), end=float(hi), fate=w["final_region"],
                        final_angle=w["final_angle"]))
    return out


def boundary_push_2d(X: np.ndarray, y: np.ndarray) -> dict:
    """The push of the approximate flow across each activation boundary, for 2-D data.

    For every point x_i and both unit w with ⟨x_i, w⟩ = 0, returns
    ⟨x_i y_i/‖x_i‖, P_w x_a(w)⟩ (x_a with the strict pattern, x_i itself inactive). Eq. (7)
    says it is > 0 unless w ∈ S_dead (then x_a = 0).

    Returns
    -------
    dict with ``angle`` (2n,), ``point`` (2n,) index i, ``push`` (2n,), ``dead`` (2n,) bool,
    ``xa_norm`` (2n,).

    References
    ----------
    Min et al. (2024), Eq. (7), Figure 3, Lemma 5; ``ch-min2024``.
    """
    th = np.arctan2(X[:, 1], X[:, 0])
    ang, pts, push, dead, nrm = [], [], [], [], []
    for i in range(len(X)):
        for sgn in (1.0, -1.0):
            phi = float(_wrap(th[i] + sgn * np.pi / 2))
            xa = _xa_at(phi, X, y)
            u = unit_angle(phi)
            pxa = xa - u * (u @ xa)
            ang.append(phi)
            pts.append(i)
            push.append(float(y[i] * X[i] @ pxa / np.linalg.norm(X[i])))
            dead.append(_region_at(phi, X, y) == DEAD)
            nrm.append(float(np.linalg.norm(xa)))
    return dict(angle=np.array(ang), point=np.array(pts), push=np.array(push),
                dead=np.array(dead), xa_norm=np.array(nrm))


def boundary_sides_2d(X: np.ndarray, y: np.ndarray, sign: float) -> dict:
    """One-sided normal components of the approximate flow at every activation boundary.

    For each x_i and each unit w_b with ⟨x_i, w_b⟩ = 0, the component ⟨x_i, sign·P_w x_a(w)⟩
    just inside (x_i active) and just outside (x_i inactive) the boundary. The boundary is
    crossed (no Zeno behaviour) iff both have the same sign; it is *sliding* (Zeno, as in
    Figure 18) iff the inside pushes out and the outside pushes in.

    Returns
    -------
    dict with ``angle``, ``point``, ``inside``, ``outside`` (arrays of length 2n) and ``zeno``
    (bool array).

    References
    ----------
    Min et al. (2024), App. E.2 (Figures 18–19, Eq. (46)); ``ch-min2024``.
    """
    th = np.arctan2(X[:, 1], X[:, 0])
    ang, pts, ins, outs = [], [], [], []
    for i in range(len(X)):
        for sg in (1.0, -1.0):
            phi = th[i] + sg * np.pi / 2
            comp = []
            for side in (1.0, -1.0):
                p = phi - sg * side * 1e-7
                u = unit_angle(p)
                xa = _xa_at(p, X, y)
                comp.append(float(sign * X[i] @ (xa - u * (u @ xa))))
            ang.append(float(_wrap(phi)))
            pts.append(i)
            ins.append(comp[0])
            outs.append(comp[1])
    ins, outs = np.array(ins), np.array(outs)
    return dict(angle=np.array(ang), point=np.array(pts), inside=ins, outside=outs,
                zeno=(ins < 0) & (outs > 0))
