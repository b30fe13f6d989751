"""The single-neuron examples of Appendix E of Min et al. (2024): why σ'(0) = 0 and why regular
solutions (Definition 1).

One neuron f(x) = v σ(⟨w, x⟩), one data point (x, y), exponential loss. A fixed subgradient
σ'(0) = a is allowed here (the shared model fixes a = 0), to show the pathology of App. E.3.

References
----------
Min, Mallada & Vidal (2024), Appendix E.3 (Figure 20), E.4 (Figure 21, Eq. (47)),
Definition 1; chapter ``ch-min2024``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["single_neuron_gd", "leaving_ode_rhs"]


def single_neuron_gd(x, y, w0, v0, *, eta, n_steps, relu_grad_at_zero=0.0):
    """GD on ℓ = exp(-y v σ(⟨w, x⟩)) with σ'(z) = 1{z>0} + a 1{z=0}, batched over w0's lead axes.

    Returns (w (n_steps+1, ..., D), v (n_steps+1, ...)).

    References
    ----------
    Min et al. (2024), App. E.3–E.4; ``ch-min2024``.
    """
    w = np.array(w0, float)
    v = np.array(v0, float) * np.ones(w.shape[:-1])
    a = float(relu_grad_at_zero)
    Ws, vs = [w.copy()], [v.copy()]
    for _ in range(n_steps):
        z = w @ x
        sp = np.where(z > 0, 1.0, np.where(z == 0, a, 0.0))
        f = v * np.maximum(z, 0.0)
        lp = -y * np.exp(-y * f)
        gw = (lp * v * sp)[..., None] * x
        gv = lp * np.maximum(z, 0.0)
        w, v = w - eta * gw, v - eta * gv
        Ws.append(w.copy())
        vs.append(v.copy())
    return np.asarray(Ws), np.asarray(vs)


def leaving_ode_rhs(x, y):
    """Right-hand side of (47): d(w, v)/dt = (y e^{-y v⟨x,w⟩} v x, y e^{-y v⟨x,w⟩}⟨x, w⟩).

    Returns a function ``rhs(t, s)`` with s = (w₁, …, w_D, v) for an ODE solver.

    References
    ----------
    Min et al. (2024), App. E.4, Eq. (47); ``ch-min2024``.
    """
    x = np.asarray(x, float)

    def rhs(t, s):
        w, v = s[:-1], s[-1]
        e = y * np.exp(-y * v * (x @ w))
        return np.concatenate([e * v * x, [e * (x @ w)]])

    return rhs
