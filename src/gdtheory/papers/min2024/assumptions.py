"""Data sets of Min et al. (2024) and their Assumptions 1–2.

The paper draws its 2-D toy data (Figure 6) without giving coordinates; the book prescribes
``t5``. The two-point family is that of Appendix A.2–A.3. MNIST is replaced by the bundled
8×8 digits (``digits_pair``).

References
----------
Min, Mallada & Vidal (2024), Assumption 1, Assumption 2, Section 4, Appendix A; chapter
``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "rays",
    "t5",
    "two_point",
    "fig1_data",
    "mu",
    "pair_stats",
    "aggregates",
    "assumption2",
]

T5_POS_DEG = (30.0, 45.0, 60.0)
T5_NEG_DEG = (160.0, 175.0)


def rays(pos_deg, neg_deg, radius=1.0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors (times ``radius``) at the given angles in degrees, positives first.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), +1 for ``pos_deg`` and -1 for ``neg_deg``

    References
    ----------
    Min et al. (2024), Appendix A.1 (toy data); ``ch-min2024``.
    """
    ang = np.deg2rad(np.concatenate([np.asarray(pos_deg, float), np.asarray(neg_deg, float)]))
    X = radius * np.stack([np.cos(ang), np.sin(ang)], axis=-1)
    y = np.concatenate([np.ones(len(pos_deg)), -np.ones(len(neg_deg))])
    return X, y


def t5() -> tuple[np.ndarray, np.ndarray]:
    """The book's 2-D toy set T5: unit vectors at 30°, 45°, 60° (y = +1) and 160°, 175° (y = -1).

    Satisfies Assumption 1 with μ = cos 80° and has a non-empty S_dead, as the paper's drawing
    of Figure 6 suggests.

    References
    ----------
    Min et al. (2024), Appendix A.1, Figure 6 (data only drawn); ``ch-min2024``.

    See Also
    --------
    mu : the margin of Assumption 1, cross-checked against cos 80° in the tests.
    """
    return rays(T5_POS_DEG, T5_NEG_DEG)


def two_point(delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Two positive points x₁ = [1, 0], x₂ = [sin δ, cos δ] (both y = +1), so μ = sin δ.

    References
    ----------
    Min et al. (2024), Appendix A.2 (δ = 0.1, 0.001, Figures 7–8) and A.3 (δ = 0, Figure 9);
    ``ch-min2024``.
    """
    X = np.array([[1.0, 0.0], [np.sin(delta), np.cos(delta)]])
    return X, np.ones(2)


def fig1_data() -> tuple[np.ndarray, np.ndarray]:
    """Three unit vectors for Figure 1: x₁ at 60° (+1), x₂ at 160° and x₃ at 230° (-1).

    A neuron at 100° activates x₁ and x₂ only, so x_a = x₁ - x₂ as in the paper's caption.

    References
    ----------
    Min et al. (2024), Figure 1 (schematic); ``ch-min2024``.
    """
    return rays((60.0,), (160.0, 230.0))


# TODO(shared data): move to gdtheory.data.digits (an 8×8 pair loader) once the lead adds one.
def _unit(X: np.ndarray) -> np.ndarray:
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


def mu(X: np.ndarray, y: np.ndarray) -> float:
    """The margin of Assumption 1, min_{i,j} ⟨x_i y_i, x_j y_j⟩ / (‖x_i‖‖x_j‖).

    Assumption 1 holds iff the value is > 0.

    References
    ----------
    Min et al. (2024), Assumption 1; ``ch-min2024``.
    """
    Z = _unit(X * y[:, None])
    return float(np.min(Z @ Z.T))


def aggregates(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x₊ = Σ_{y_i>0} x_i and x₋ = Σ_{y_i<0} x_i.

    References
    ----------
    Min et al. (2024), Assumption 2; ``ch-min2024``.
    """
    return X[y > 0].sum(axis=0), X[y < 0].sum(axis=0)


def pair_stats(X: np.ndarray, y: np.ndarray) -> dict:
    """Statistics of Assumption 1 for a labelled data set.

    Returns a dict with ``mu`` (the margin), ``frac`` (fraction of ordered off-diagonal pairs
    with y_i y_j ⟨x_i, x_j⟩ > 0), ``n_plus``, ``n_minus``, ``xmin``, ``xmax``, ``cos_pm``
    (cos(x₊, x₋), NaN if a class is empty), ``norm_plus``, ``norm_minus``.

    References
    ----------
    Min et al. (2024), Assumption 1, Section 4 (Figure 5, first plot); ``ch-min2024``.
    """
    Z = _unit(X * y[:, None])
    G = Z @ Z.T
    n = len(y)
    off = ~np.eye(n, dtype=bool)
    xp, xm = aggregates(X, y)
    r = np.linalg.norm(X, axis=1)
    npl, nmi = float(np.linalg.norm(xp)), float(np.linalg.norm(xm))
    cos_pm = float(xp @ xm / (npl * nmi)) if npl > 0 and nmi > 0 else float("nan")
    return {
        "mu": float(G.min()),
        "frac": float(np.mean(G[off] > 0)),
        "n_plus": int(np.sum(y > 0)),
        "n_minus": int(np.sum(y < 0)),
        "xmin": float(r.min()),
        "xmax": float(r.max()),
        "cos_pm": cos_pm,
        "norm_plus": npl,
        "norm_minus": nmi,
    }


def assumption2(W0: np.ndarray, signs: np.ndarray, X: np.ndarray, y: np.ndarray) -> dict:
    """Assumption 2 for an initial shape: the two maxima of (26) and the largest ζ₂.

    Parameters
    ----------
    W0 : ndarray, shape (..., h, D)
        Initial neurons (rows), any positive scale.
    signs : ndarray, shape (..., h)
        sign(v_j(0)).

    Returns
    -------
    dict with ``cmax_plus`` = max_{j∈V₊} cos(w_j(0), x₋), ``cmax_minus`` = max_{j∈V₋}
    cos(w_j(0), x₊) (shape (...,); -1 if the set is empty) and ``zeta2`` = 1 - max(c, 0)²
    for c the larger of the two, the supremum of the ζ₂ allowed by (26).

    References
    ----------
    Min et al. (2024), Assumption 2 and Eq. (26); ``ch-min2024``.
    """
    xp, xm = aggregates(X, y)
    U = _unit(W0)
    cm = U @ (xm / np.linalg.norm(xm)) if np.linalg.norm(xm) > 0 else np.zeros(U.shape[:-1])
    cp = U @ (xp / np.linalg.norm(xp)) if np.linalg.norm(xp) > 0 else np.zeros(U.shape[:-1])
    c_plus = np.max(np.where(signs > 0, cm, -1.0), axis=-1)
    c_minus = np.max(np.where(signs < 0, cp, -1.0), axis=-1)
    c = np.maximum(np.maximum(c_plus, c_minus), 0.0)
    return {"cmax_plus": c_plus, "cmax_minus": c_minus, "zeta2": 1.0 - c**2}


def orthogonally_separable(
    rng: np.random.Generator,
    n_plus: int,
    n_minus: int,
    D: int,
    *,
    spread: float = 0.3,
    cos_centres: float = -0.6,
    max_tries: int = 1000,
) -> tuple[np.ndarray, np.ndarray]:
    """A random data set in R^D satisfying Assumption 1 (book's choice, not in the paper).

    Positives are unit vectors near c₊ = e₁, negatives near c₋ = cos_centres·e₁ + sin·e₂:
    x = (c + spread·g/√D)/‖·‖ with g ~ N(0, I_D); the whole set is redrawn until μ > 0.

    References
    ----------
    Min et al. (2024), Assumption 1 (used for the checks of Lemmas 5, 11 and the low-rank
    bias in dimension > 2); ``ch-min2024``.
    """
    cp = np.zeros(D)
    cp[0] = 1.0
    cm = np.zeros(D)
    cm[0], cm[1] = cos_centres, np.sqrt(1.0 - cos_centres**2)
    for _ in range(max_tries):
        Xp = cp + spread * rng.standard_normal((n_plus, D)) / np.sqrt(D)
        Xm = cm + spread * rng.standard_normal((n_minus, D)) / np.sqrt(D)
        X = _unit(np.concatenate([Xp, Xm]))
        y = np.concatenate([np.ones(n_plus), -np.ones(n_minus)])
        if mu(X, y) > 0:
            return X, y
    raise RuntimeError("no draw satisfied Assumption 1; lower spread")
