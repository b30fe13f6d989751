"""Two-layer (leaky) ReLU networks ``f(x) = Σⱼ aⱼ σ(wⱼᵀx - b)`` on a finite data set.

Neurons are the rows of ``W`` (shape (..., m, d)), output weights ``a`` (shape (..., m) or
(m,)), a fixed shared bias ``b`` (0 in Min et al.; Long et al.'s network (6) allows ``b >= 0``),
and the leaky ReLU ``σ(z) = z`` for z > 0, ``αz`` otherwise (``max(z, αz)`` for α <= 1; α = 0:
ReLU).
Every leading axis of ``W``, ``a``, ``X`` and ``y`` broadcasts, so many runs advance in one array
operation.

Losses of a label ``y`` and an output ``f``: ``hinge`` ``max(1 - yf, 0)``, ``logistic``
``log(1 + e^(-yf))``, ``logistic2`` ``2 log(1 + e^(-yf))`` (Min et al.'s App. B), ``exponential``
``e^(-yf)``, ``square`` ``½(y - f)²``; ``reduction`` ``"sum"`` (the papers' theory) or ``"mean"``.

The gradient is the a.e. one of the papers: ``σ'(z) = 1(z > 0) + α 1(z <= 0)`` (so
``relu'(0) = 0``, strict ``pre > 0`` masks as in Min et al. §2 and Long et al. eq. (8)) and the
hinge counts a point iff ``yf < 1``.

Long et al.'s network (6), ``Σⱼ relu(wⱼᵀx - b) - Σⱼ relu(uⱼᵀx - b)``, is
``signed_stack(W, U)`` with the same ``b``; outputs, losses and gradients then agree with
``papers/long2021/hinge_net.py`` bit for bit for d <= 4 (tested at d = 2, 3; the paper's
d = 2), because the contractions are the same einsum calls and the signed sum is formed as
(sum over ``a > 0``) - (sum over ``a < 0``) in neuron order. For d > 4 the contractions use
BLAS matmul (agreement to ~1e-16 relative).

References
----------
Min et al. (2024), eq. (1), eq. (12), Appendix B; Long et al. (2021), eqs. (2), (3), (6), (8);
chapters ``ch-min2024``, ``ch-long2021``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = [
    "LOSSES",
    "signed_stack",
    "preactivations",
    "activation_pattern",
    "forward",
    "loss_value",
    "loss_derivative",
    "loss",
    "gradient",
    "gd_step",
]

LOSSES = ("hinge", "logistic", "logistic2", "exponential", "square")
# Up to this input dimension the contractions are the einsum calls of long2021's hinge_net
# (bit-identical results); above it, BLAS matmul (6x faster at d = 64, equal to ~1 ulp).
_EINSUM_MAX_D = 4


def signed_stack(W_pos: np.ndarray, W_neg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stack ``k`` output-+1 neurons and ``k'`` output-(-1) neurons into ``(W, a)``.

    Parameters
    ----------
    W_pos : ndarray, shape (..., k, d)
    W_neg : ndarray, shape (..., k', d)

    Returns
    -------
    W : ndarray, shape (..., k + k', d)
    a : ndarray, shape (k + k',), ``+1`` then ``-1``

    References
    ----------
    Long et al. (2021), eq. (6) (the w_j and u_j); Min et al. (2024), the sets V₊, V₋;
    ``ch-long2021``.

    See Also
    --------
    forward : with this ``a`` reproduces network (6).
    """
    W = np.concatenate([np.asarray(W_pos, float), np.asarray(W_neg, float)], axis=-2)
    a = np.concatenate([np.ones(np.shape(W_pos)[-2]), -np.ones(np.shape(W_neg)[-2])])
    return W, a


def preactivations(W: np.ndarray, X: np.ndarray, b: float = 0.0) -> np.ndarray:
    """``wⱼᵀxᵢ - b`` for every neuron and point, shape (..., m, n).

    Parameters
    ----------
    W : ndarray, shape (..., m, d)
    X : ndarray, shape (n, d) or (..., n, d)
    b : float or array broadcasting against (..., m, n)

    References
    ----------
    Min et al. (2024), eq. (1); Long et al. (2021), eq. (6); ``ch-min2024``.

    See Also
    --------
    activation_pattern
    """
    W = np.asarray(W, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.shape[-1] > _EINSUM_MAX_D:
        return W @ np.swapaxes(X, -1, -2) - b
    if X.ndim == 2:
        return np.einsum("...kd,nd->...kn", W, X) - b
    return np.einsum("...kd,...nd->...kn", W, X) - b


def activation_pattern(W: np.ndarray, X: np.ndarray, b: float = 0.0) -> np.ndarray:
    """Activation pattern ``1(wⱼᵀxᵢ - b > 0)`` (strict), boolean of shape (..., m, n).

    References
    ----------
    Min et al. (2024), §2 (activation patterns, the cones S₊, S₋, S_dead); Long et al.
    (2021), eq. (8); ``ch-min2024``.

    See Also
    --------
    preactivations
    """
    return preactivations(W, X, b) > 0


def _act(z, alpha):
    if alpha == 0.0:
        return np.maximum(z, 0)
    return np.where(z > 0, z, alpha * z)


def _signed_sum(a, h, d):
    """``Σⱼ aⱼ hⱼ`` over axis -2 (``d``: the input dimension).

    For ``d <= _EINSUM_MAX_D`` as (Σ over aⱼ > 0) - (Σ over aⱼ < 0), in neuron order; above,
    one BLAS product (70x faster on a batch of digit runs, equal to ~1 ulp).
    """
    a = np.asarray(a, dtype=float)
    if d > _EINSUM_MAX_D:
        return (a[..., None, :] @ h)[..., 0, :]
    a = a[..., None]
    pos = np.where(a > 0, a * h, 0.0).sum(-2)
    neg = np.where(a < 0, -a * h, 0.0).sum(-2)
    return pos - neg


def forward(
    W: np.ndarray, a: np.ndarray, X: np.ndarray, b: float = 0.0, alpha: float = 0.0
) -> np.ndarray:
    """Network output ``f(xᵢ) = Σⱼ aⱼ σ(wⱼᵀxᵢ - b)``, shape (..., n).

    Parameters
    ----------
    W : ndarray, shape (..., m, d)
    a : ndarray, shape (..., m) or (m,)
    X : ndarray, shape (n, d) or (..., n, d)
    b : float
        Fixed shared bias.
    alpha : float
        Leaky slope (0: ReLU).

    Returns
    -------
    ndarray, shape (..., n)

    References
    ----------
    Min et al. (2024), eq. (1); Long et al. (2021), eq. (6); ``ch-min2024``, ``ch-long2021``.

    See Also
    --------
    gdtheory.papers.long2021.hinge_net.network_output : the special case, compared bit for
        bit in the tests.
    """
    return _signed_sum(a, _act(preactivations(W, X, b), alpha), np.shape(X)[-1])


def loss_value(name: str, y: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Pointwise loss ``ℓ(y, f)`` for ``name`` in :data:`LOSSES` (stable for large |f|).

    References
    ----------
    Min et al. (2024), §2 and Appendix B (exponential, logistic, ``2 log(1 + e^(-z))``,
    Remark 4: square); Long et al. (2021), eq. (2) (hinge); ``ch-min2024``.

    See Also
    --------
    loss_derivative : ``∂ℓ/∂f`` (central differences of this in the tests).
    """
    y = np.asarray(y, dtype=float)
    f = np.asarray(f, dtype=float)
    if name == "hinge":
        return np.maximum(1.0 - y * f, 0)
    if name == "logistic":
        return np.logaddexp(0.0, -y * f)
    if name == "logistic2":
        return 2.0 * np.logaddexp(0.0, -y * f)
    if name == "exponential":
        return np.exp(-y * f)
    if name == "square":
        r = y - f
        return 0.5 * r * r
    raise ValueError(f"loss must be one of {LOSSES}, got {name!r}")


def loss_derivative(name: str, y: np.ndarray, f: np.ndarray) -> np.ndarray:
    """``∂ℓ(y, f)/∂f``; for the hinge the a.e. value ``-y 1(yf < 1)``.

    References
    ----------
    Min et al. (2024), eq. (12) (``∂_ŷ ℓ``); Long et al. (2021), eq. (8); ``ch-min2024``.

    See Also
    --------
    loss_value
    """
    y = np.asarray(y, dtype=float)
    f = np.asarray(f, dtype=float)
    if name == "hinge":
        return -y * (y * f < 1.0)
    if name == "logistic":
        return -y * expit(-y * f)
    if name == "logistic2":
        return -2.0 * y * expit(-y * f)
    if name == "exponential":
        return -y * np.exp(-y * f)
    if name == "square":
        return f - y
    raise ValueError(f"loss must be one of {LOSSES}, got {name!r}")


def _reduce(vals, reduction):
    if reduction == "sum":
        return vals.sum(-1)
    if reduction == "mean":
        return vals.mean(-1)
    raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")


def loss(
    W: np.ndarray,
    a: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str = "logistic",
    reduction: str = "sum",
    b: float = 0.0,
    alpha: float = 0.0,
) -> np.ndarray:
    """Training loss ``Σᵢ ℓ(yᵢ, f(xᵢ))`` (or the mean), shape (...).

    Parameters
    ----------
    W, a, X, b, alpha
        As for :func:`forward`.
    y : ndarray, shape (n,) or (..., n)
    loss : str
        One of :data:`LOSSES`.
    reduction : {"sum", "mean"}

    References
    ----------
    Min et al. (2024), §2 (𝓛 = Σᵢ ℓ); Long et al. (2021), eq. (2); ``ch-min2024``.

    See Also
    --------
    gdtheory.papers.long2021.hinge_net.hinge_loss : the hinge/sum special case.
    """
    return _reduce(loss_value(loss, y, forward(W, a, X, b, alpha)), reduction)


def gradient(
    W: np.ndarray,
    a: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str = "logistic",
    reduction: str = "sum",
    b: float = 0.0,
    alpha: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The a.e. gradient of :func:`loss` in ``W`` and ``a`` (``σ'(z) = 1(z > 0) + α 1(z <= 0)``).

    ``∇_{wⱼ} = Σᵢ cᵢ aⱼ σ'(wⱼᵀxᵢ - b) xᵢ`` and ``∇_{aⱼ} = Σᵢ cᵢ σ(wⱼᵀxᵢ - b)``, with
    ``cᵢ = ∂ℓ/∂f(yᵢ, f(xᵢ))`` (divided by n for the mean).

    Returns
    -------
    gW : ndarray, shape (..., m, d)
    ga : ndarray, shape (..., m)

    References
    ----------
    Min et al. (2024), eq. (12); Long et al. (2021), eq. (8); ``ch-min2024``,
    ``ch-long2021``.

    See Also
    --------
    loss : central finite differences of it (away from kinks) in the tests;
    gdtheory.papers.long2021.hinge_net.gradient : the special case, compared bit for bit.
    """
    P = preactivations(W, X, b)
    H = _act(P, alpha)
    f = _signed_sum(a, H, np.shape(X)[-1])
    c = loss_derivative(loss, y, f)
    if reduction == "mean":
        c = c / f.shape[-1]
    elif reduction != "sum":
        raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    a = np.asarray(a, dtype=float)
    dact = (P > 0) if alpha == 0.0 else np.where(P > 0, 1.0, alpha)
    M = a[..., :, None] * c[..., None, :] * dact
    X = np.asarray(X, dtype=float)
    if X.shape[-1] > _EINSUM_MAX_D:
        gW = M @ X
    elif X.ndim == 2:
        gW = np.einsum("...kn,nd->...kd", M, X)
    else:
        gW = np.einsum("...kn,...nd->...kd", M, X)
    ga = (H @ c[..., None])[..., 0]
    return gW, ga


def gd_step(
    W: np.ndarray,
    a: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    eta: float,
    *,
    train_a: bool = True,
    **kw,
) -> tuple[np.ndarray, np.ndarray]:
    """One gradient-descent step ``(W, a) - η ∇`` from the gradient at the same point.

    Parameters
    ----------
    W, a, X, y
        As for :func:`gradient`; ``**kw`` are its keyword arguments.
    eta : float
    train_a : bool
        If False the output weights stay fixed (Long et al.'s signs, a fixed second layer).

    Returns
    -------
    W, a : the updated arrays (new objects).

    References
    ----------
    Min et al. (2024), §4 (GD with W and v updated simultaneously); Long et al. (2021),
    eq. (3); ``ch-min2024``, ``ch-long2021``.

    See Also
    --------
    gradient
    """
    gW, ga = gradient(W, a, X, y, **kw)
    a = np.asarray(a, dtype=float)
    return W - eta * gW, (a - eta * ga) if train_a else a
