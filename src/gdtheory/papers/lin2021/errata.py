"""Formulas of Lin, Sun & Zhang (2021) as printed, where they differ from what the proofs need.

References
----------
Lin, Sun & Zhang (2021), Eq. (13) (erratum E1); chapter ``ch-lin2021`` (section "Errata").
"""

from __future__ import annotations

import numpy as np

__all__ = ["printed_balance_residuals"]


def printed_balance_residuals(Ws: list[np.ndarray]) -> np.ndarray:
    """Frobenius norms of W_{j+1}ᵀW_{j+1} - W_jᵀW_j, j = 1, …, N-1: Eq. (13) as printed.

    The condition of Arora et al. (2018) is W_{j+1}ᵀW_{j+1} = W_jW_jᵀ
    (:func:`gdtheory.models.deep_linear.balance_residuals`); the printed one compares an
    n_j × n_j with an n_{j-1} × n_{j-1} matrix, so it is defined only for equal widths
    (a ``ValueError`` otherwise).

    Parameters
    ----------
    Ws : list of arrays
        Layers W_1, …, W_N (no run axis), W_j of shape (n_j, n_{j-1}).

    References
    ----------
    Lin et al. (2021), Eq. (13) and §5; chapter ``ch-lin2021`` (erratum E1).

    See Also
    --------
    gdtheory.models.deep_linear.balance_residuals : the correct condition.
    """
    out = []
    for Wj, Wn in zip(Ws[:-1], Ws[1:], strict=True):
        A, B = Wn.T @ Wn, Wj.T @ Wj
        if A.shape != B.shape:
            raise ValueError(f"printed (13) compares a {A.shape} with a {B.shape} matrix")
        out.append(np.linalg.norm(A - B))
    return np.array(out)
