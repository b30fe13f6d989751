"""Gradient descent and gradient flow of the student-teacher network, batched over runs.

Every run of a figure advances in one array step: students of different widths are
zero-padded (a zero neuron has zero gradient and no effect on the others, see
:mod:`gdtheory.core.gaussian_relu`), and each run is rotated into the span of its teacher and
initial students (GD never leaves span{v, w_1(0), ..., w_n(0)}: the gradient (4) is a
combination of w_bar_i, w_j and v), so a run costs O(n^2 (n+1)) per step whatever d is.

References
----------
Xu & Du (2023), §1 (GD with step eta), §5 (gradient flow), (4); chapter ``ch-xu2023``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...core.gaussian_relu import student_teacher_grad_loop

__all__ = [
    "log_grid",
    "span_coordinates",
    "lean_grad",
    "run_gd",
    "gradient_flow",
]


def log_grid(n_steps: int, per_decade: int = 40) -> np.ndarray:
    """0, 1, 2, ... and then about ``per_decade`` log-spaced integer steps up to ``n_steps``.

    References
    ----------
    Xu & Du (2023), Figure 1 (log axes); chapter ``ch-xu2023``.

    See Also
    --------
    run_gd : records the state at these steps.
    """
    k = int(np.ceil(np.log10(max(n_steps, 10)) * per_decade))
    g = np.unique(np.round(np.logspace(0, np.log10(n_steps), k + 1)).astype(np.int64))
    return np.unique(np.concatenate([[0], g, [n_steps]]))


def span_coordinates(W: np.ndarray, v: np.ndarray):
    """Orthonormal coordinates of each run in span{v, w_1, ..., w_n}, with v -> ||v|| e_1.

    Parameters
    ----------
    W : (..., n, d) students (zero rows allowed), ``v`` : (d,) or (..., d) teacher, d >= n+1.

    Returns
    -------
    A : (..., n, n+1) student coordinates, ``vk`` : (..., n+1) teacher coordinates
    (``||v|| e_1`` exactly), ``Q`` : (..., d, n+1) orthonormal basis (first column v_bar), so
    ``W = A Q^T``. The loss is rotation invariant, so GD on A is GD on W.

    References
    ----------
    Xu & Du (2023), (4) (the update stays in the span); chapter ``ch-xu2023``.

    See Also
    --------
    run_gd : runs GD in these coordinates.
    """
    W = np.asarray(W, dtype=float)
    v = np.broadcast_to(np.asarray(v, dtype=float), W.shape[:-2] + W.shape[-1:])
    M = np.concatenate([v[..., :, None], np.swapaxes(W, -1, -2)], axis=-1)  # (..., d, n+1)
    Q, R = np.linalg.qr(M)
    sgn = np.where(R[..., 0, 0] < 0, -1.0, 1.0)
    Q[..., :, 0] *= sgn[..., None]
    Q[..., :, 0] = v / np.linalg.norm(v, axis=-1, keepdims=True)
    A = W @ Q
    A[..., 0] = np.einsum("...id,...d->...i", W, Q[..., :, 0])
    vk = np.zeros(W.shape[:-2] + (W.shape[-2] + 1,))
    vk[..., 0] = np.linalg.norm(v, axis=-1)
    return A, vk, Q


def lean_grad(A: np.ndarray, v_norm, mask: np.ndarray) -> np.ndarray:
    """Gradient (4) in span coordinates (teacher ||v|| e_1), for long GD loops; (B, n, k).

    The toolkit's loop path with the teacher placed on the first axis.

    References
    ----------
    Xu & Du (2023), (4); chapter ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu.student_teacher_grad : the reference; the chapter compares
        the two at every recorded step.
    """
    v = np.zeros((A.shape[0], A.shape[-1]))
    v[:, 0] = np.asarray(v_norm, dtype=float).reshape(-1)
    return student_teacher_grad_loop(A, v, mask)


def run_gd(
    A0: np.ndarray,
    v_norm,
    eta: float,
    record: np.ndarray,
    *,
    stop_at: np.ndarray | None = None,
    grad: Callable | None = None,
) -> np.ndarray:
    """Gradient descent A <- A - eta grad for every run at once; the states at ``record``.

    Parameters
    ----------
    A0 : (B, n, k) initial span coordinates (teacher ||v|| e_1), zero rows for padding.
    v_norm : float or (B,) teacher norms.
    eta : step size.
    record : increasing integer steps (starting at 0) at which the state is stored.
    stop_at : optional (B,) step after which a run is frozen (taken out of the batch; used for
        n = 1 runs, which sit on the floating-point floor after a few thousand steps).
    grad : gradient ``grad(A, v_norm, mask)``; default :func:`lean_grad`.

    Returns
    -------
    (len(record), B, n, k) array of states.

    References
    ----------
    Xu & Du (2023), §1 (GD), Figure 1; chapter ``ch-xu2023``.

    See Also
    --------
    gradient_flow : the eta -> 0 limit.
    """
    grad = grad or lean_grad
    A = np.array(A0, dtype=float)
    B = A.shape[0]
    vn = np.broadcast_to(np.asarray(v_norm, dtype=float), (B,)).copy()
    mask = np.linalg.norm(A, axis=-1) > 0
    stop = np.full(B, np.iinfo(np.int64).max) if stop_at is None else np.asarray(stop_at)
    out = np.empty((len(record),) + A.shape)
    out[0] = A
    t = 0
    for k, target in enumerate(record[1:], start=1):
        live = np.flatnonzero(stop > t)
        if live.size:
            sub, m, v_sub = A[live], mask[live], vn[live]
            for _ in range(int(target) - t):
                g = grad(sub, v_sub, m)
                g *= eta
                sub -= g
            A[live] = sub
        t = int(target)
        out[k] = A
    return out


def gradient_flow(W0: np.ndarray, v: np.ndarray, t_eval: np.ndarray, *, rtol=1e-10, atol=1e-15):
    """Gradient flow dW/dt = -grad L(W) for one run (LSODA), states at ``t_eval``; (T, n, d).

    Uses :func:`gdtheory.core.gaussian_relu.student_teacher_grad` and
    :func:`gdtheory.core.odes.integrate`. Late gradient flow is stiff (the residual r decays
    at rate about n/2 while the z-modes decay like 1/t), hence LSODA.

    References
    ----------
    Xu & Du (2023), §5 and Theorem 14 (gradient flow); chapter ``ch-xu2023``.

    See Also
    --------
    run_gd : gradient descent, its discretisation.
    """
    from gdtheory.core.gaussian_relu import student_teacher_grad
    from gdtheory.core.odes import integrate

    W0 = np.asarray(W0, dtype=float)
    shape = W0.shape

    def rhs(_t, y):
        return -student_teacher_grad(y.reshape(shape), v).ravel()

    sol = integrate(rhs, (0.0, float(t_eval[-1])), W0.ravel(), flow=f"Xu-Du GF n={shape[0]}",
                    params={"d": shape[1]}, method="LSODA", t_eval=t_eval, rtol=rtol, atol=atol)
    return sol.y.T.reshape((len(t_eval),) + shape)
