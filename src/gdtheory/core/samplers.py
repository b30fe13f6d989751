"""Input laws behind one protocol: ``law.sample(rng, n) -> (n, d)`` with an explicit Generator.

Every sampler is a frozen dataclass with its dimension ``d``, its ``mean`` and its
``second_moment`` ``E|x|²`` (the factor of the spherical scaling identity: for a spherically
symmetric law, every 2-homogeneous population quantity of a ReLU neuron equals
``E|x|²/d`` times its Gaussian value).

References
----------
Xu & Du (2023), §1 (x ~ N(0, I)); Yehudai & Shamir (2020), §6.1 (spherically symmetric laws),
§6.2 (x ~ N((0, 1), I₂)); Min et al. (2024), Figure 6 (points on the unit circle);
chapters ``ch-xu2023``, ``ch-yehudai2020``, ``ch-min2024``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from .angles import polar

__all__ = ["Sampler", "Gaussian", "ShiftedGaussian", "UniformSphere", "UniformCircle"]


def _shape(n) -> tuple[int, ...]:
    return (int(n),) if np.ndim(n) == 0 else tuple(int(k) for k in n)


@runtime_checkable
class Sampler(Protocol):
    """An input law on ℝᵈ: ``sample(rng, n)`` returns an array of shape (n, d) (or (*n, d))."""

    d: int

    def sample(self, rng: np.random.Generator, n) -> np.ndarray: ...

    @property
    def mean(self) -> np.ndarray: ...

    @property
    def second_moment(self) -> float: ...


@dataclass(frozen=True)
class Gaussian:
    """x ~ N(0, I_d).

    References
    ----------
    Xu & Du (2023), §1; Yehudai & Shamir (2020), Appendix D.1; ``ch-xu2023``.

    See Also
    --------
    gdtheory.core.gaussian_relu : the closed forms for this law.
    """

    d: int

    def sample(self, rng: np.random.Generator, n) -> np.ndarray:
        """``n`` i.i.d. draws, shape (n, d) (``n`` may be a tuple: shape (*n, d))."""
        return rng.standard_normal(_shape(n) + (self.d,))

    @property
    def mean(self) -> np.ndarray:
        return np.zeros(self.d)

    @property
    def second_moment(self) -> float:
        return float(self.d)


@dataclass(frozen=True)
class ShiftedGaussian:
    """x ~ N(μ, I_d), ``d = len(mu)``.

    References
    ----------
    Yehudai & Shamir (2020), §6.2 and Figure 1 (μ = (0, 1)); ``ch-yehudai2020``.

    See Also
    --------
    gdtheory.core.quadrature.shifted_neuron_grad : the quadrature for this law (d = 2).
    """

    mu: tuple[float, ...]
    d: int = field(init=False)

    def __post_init__(self):
        mu = tuple(float(m) for m in np.ravel(self.mu))
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "d", len(mu))

    def sample(self, rng: np.random.Generator, n) -> np.ndarray:
        """``n`` i.i.d. draws ``μ + z``, z ~ N(0, I), shape (n, d)."""
        return np.asarray(self.mu) + rng.standard_normal(_shape(n) + (self.d,))

    @property
    def mean(self) -> np.ndarray:
        return np.asarray(self.mu)

    @property
    def second_moment(self) -> float:
        return float(self.d + np.dot(self.mu, self.mu))


@dataclass(frozen=True)
class UniformSphere:
    """x uniform on the sphere of radius ``radius`` in ℝᵈ (normalised Gaussians).

    References
    ----------
    Yehudai & Shamir (2020), §6.1 (Assumption 6.1, spherically symmetric); ``ch-yehudai2020``.

    See Also
    --------
    Gaussian : same direction law; the scaling identity relates their population gradients.
    """

    d: int
    radius: float = 1.0

    def sample(self, rng: np.random.Generator, n) -> np.ndarray:
        """``n`` i.i.d. draws, shape (n, d); every row has norm ``radius`` (to 1 ulp)."""
        z = rng.standard_normal(_shape(n) + (self.d,))
        return self.radius * z / np.sqrt((z * z).sum(-1, keepdims=True))

    @property
    def mean(self) -> np.ndarray:
        return np.zeros(self.d)

    @property
    def second_moment(self) -> float:
        return float(self.radius) ** 2


@dataclass(frozen=True)
class UniformCircle:
    """x = radius (cos φ, sin φ) with φ ~ U[0, 2π).

    References
    ----------
    Min et al. (2024), Figure 6 (data on the unit circle); Lin et al. (2021) (x ~ U(S¹));
    ``ch-min2024``.

    See Also
    --------
    gdtheory.core.quadrature.homogeneous_expectation : ``law="circle"``, the exact average.
    """

    radius: float = 1.0
    d: int = field(default=2, init=False)

    def sample(self, rng: np.random.Generator, n) -> np.ndarray:
        """``n`` i.i.d. draws, shape (n, 2)."""
        phi = rng.uniform(0.0, 2.0 * np.pi, _shape(n))
        return polar(phi, self.radius)

    @property
    def mean(self) -> np.ndarray:
        return np.zeros(2)

    @property
    def second_moment(self) -> float:
        return float(self.radius) ** 2
