"""The planar geometry in the proof of Proposition 3 of Long, Yin & Xin (2021) (their Figure 6).

References
----------
Long, Yin & Xin (2021), proof of Proposition 3 and Figure 6 (appendix), erratum E10 of
chapter ``ch-long2021``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["proof_vectors"]


def proof_vectors(alpha: float, printed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The extreme neuron direction w̃₁ and the cap normal n of the proof, for v = e₁.

    Parameters
    ----------
    alpha : float
        The angle (radians) with ⟨v, w̃_j⟩ ≥ sin α for every neuron.
    printed : bool
        ``False``: w̃₁ = (sin α, cos α), n = (−cos α, sin α), the coordinates for which the
        proof's inequalities hold; ``True``: n as printed, (−sin α, cos α) (erratum E10).

    Returns
    -------
    w1, n : arrays (2,)
    """
    w1 = np.array([np.sin(alpha), np.cos(alpha)])
    n = (
        np.array([-np.sin(alpha), np.cos(alpha)])
        if printed
        else np.array([-np.cos(alpha), np.sin(alpha)])
    )
    return w1, n
