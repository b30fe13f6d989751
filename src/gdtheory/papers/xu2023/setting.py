"""The setting of Xu & Du (2023): initialisation (Lemma 3) and the parameter regime (App. F.2).

References
----------
Xu & Du (2023), Lemma 3 / App. F.1, Theorem 9, App. F.2 and Figure 3; chapter ``ch-xu2023``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import stats

__all__ = [
    "init_students",
    "lemma3_probability",
    "lemma3_proof_bounds",
    "lemma3_event",
    "parameter_definitions",
    "parameter_values",
    "dependency_edges",
    "regime_log10_constants",
]


def init_students(
    rng: np.random.Generator, n_runs: int, n: int, d: int, sigma: float
) -> np.ndarray:
    """Draw ``n_runs`` independent students w_i(0) ~ N(0, sigma^2 I_d), shape (n_runs, n, d).

    References
    ----------
    Xu & Du (2023), §1 (initialisation); chapter ``ch-xu2023``.

    See Also
    --------
    lemma3_probability : the law of the event (5) under this initialisation.
    """
    return sigma * rng.standard_normal((n_runs, n, d))


def lemma3_probability(d: int | np.ndarray) -> dict[str, np.ndarray]:
    """Exact probabilities of the per-neuron events of Lemma 3 under w ~ N(0, sigma^2 I_d).

    The event is scale free. ``norm``: s1 <= ||w|| <= s2, i.e. ||w||^2/sigma^2 ~ chi^2_d in
    [d/4, 4d]. ``angle``: pi/3 <= theta(w, v) <= 2pi/3, i.e. |cos theta| <= 1/2 with
    (1 + cos theta)/2 ~ Beta((d-1)/2, (d-1)/2) for a uniform direction. Norm and direction of
    a Gaussian vector are independent, so ``both`` is their product; a network of n neurons
    satisfies (5) with probability ``both**n``.

    References
    ----------
    Xu & Du (2023), Lemma 3, (56)-(57); chapter ``ch-xu2023``.

    See Also
    --------
    lemma3_event : the event itself, for a Monte-Carlo cross-check.
    """
    d = np.asarray(d, dtype=float)
    p_norm = stats.chi2.cdf(4 * d, d) - stats.chi2.cdf(d / 4, d)
    a = (d - 1) / 2
    p_angle = stats.beta.cdf(0.75, a, a) - stats.beta.cdf(0.25, a, a)
    return {"norm": p_norm, "angle": p_angle, "both": p_norm * p_angle}


def lemma3_proof_bounds(d: int | np.ndarray) -> dict[str, np.ndarray]:
    """The failure probabilities that the proof of Lemma 3 bounds, exact and as bounded.

    ``norm_exact`` = Pr[| ||w||^2 - sigma^2 d | > 3/4 sigma^2 d] and its bound
    ``norm_bound`` = exp(-(3/4)^2 d / 24); ``proj_exact`` = Pr[|<w, v_bar>| > sigma sqrt(d)/4]
    and ``proj_bound`` = 2 exp(-d/32); ``angle_fail_exact`` = Pr[theta not in [pi/3, 2pi/3]],
    which the proof bounds by ``proj_exact + (1 - Pr[||w|| >= s1])``.

    References
    ----------
    Xu & Du (2023), App. F.1 (proof of Lemma 3); chapter ``ch-xu2023``.

    See Also
    --------
    lemma3_probability : the exact probabilities of the events themselves.
    """
    d = np.asarray(d, dtype=float)
    norm_exact = stats.chi2.cdf(d / 4, d) + stats.chi2.sf(7 * d / 4, d)
    proj_exact = 2 * stats.norm.sf(np.sqrt(d) / 4)
    below_s1 = stats.chi2.cdf(d / 4, d)
    angle_fail = 1 - lemma3_probability(d)["angle"]
    return {
        "norm_exact": norm_exact,
        "norm_bound": np.exp(-(0.75**2) * d / 24),
        "proj_exact": proj_exact,
        "proj_bound": 2 * np.exp(-d / 32),
        "angle_fail_exact": angle_fail,
        "angle_union": proj_exact + below_s1,
    }


def lemma3_event(W: np.ndarray, v: np.ndarray, sigma: float) -> dict[str, np.ndarray]:
    """Whether each neuron of each run satisfies (5): norm in [s1, s2], angle in [pi/3, 2pi/3].

    ``W`` has shape (..., n, d); returns boolean arrays ``norm``, ``angle`` (shape (..., n))
    and ``network`` (shape (...), all neurons satisfy both).

    References
    ----------
    Xu & Du (2023), Lemma 3, (5); chapter ``ch-xu2023``.

    See Also
    --------
    lemma3_probability : the exact law of these events.
    """
    from gdtheory.core.angles import angle

    d = W.shape[-1]
    s1, s2 = 0.5 * sigma * np.sqrt(d), 2 * sigma * np.sqrt(d)
    nrm = np.linalg.norm(W, axis=-1)
    th = angle(W, np.asarray(v)[..., None, :])
    ok_n = (nrm >= s1) & (nrm <= s2)
    ok_a = (th >= np.pi / 3) & (th <= 2 * np.pi / 3)
    return {"norm": ok_n, "angle": ok_a, "network": np.all(ok_n & ok_a, axis=-1)}


_SYM = {name: sp.Symbol(name, positive=True) for name in ("n", "d", "v")}
NODES = ("epsilon_2", "epsilon_1", "C", "sigma", "eta", "T_1", "T_2")


def parameter_definitions() -> dict[str, sp.Expr]:
    """Each parameter of App. F.2 as the expression (in the other parameters) the text sets.

    The absolute constants hidden in O(.) are set to 1. ``v`` stands for ||v||.

    References
    ----------
    Xu & Du (2023), App. F.2 and Theorems 4, 5, 6; chapter ``ch-xu2023``.

    See Also
    --------
    dependency_edges : the arrows of Figure 3, read off these expressions.
    """
    n, d, v = _SYM["n"], _SYM["d"], _SYM["v"]
    e2, e1, C, s, eta, T1 = (sp.Symbol(x, positive=True) for x in NODES[:6])
    return {
        "epsilon_2": n**-14,
        "epsilon_1": e2**6 * n ** sp.Rational(-1, 2),
        "C": e1**2 / n,
        "sigma": C * e1**48 * d ** sp.Rational(-1, 2) * v,
        "eta": e1**2 * s**2 * d / v**2,
        "T_1": C / eta,
        "T_2": T1 + sp.log(1 / (36 * e2)) / (n * eta),
    }


def parameter_values(keep: tuple[str, ...] = ("sigma", "eta")) -> dict[str, sp.Expr]:
    """The parameters of App. F.2 in n, d, ||v|| (definitions substituted, ``keep`` left as is).

    With the default ``keep`` the values read as in App. F.2: eps_2 = n^-14, eps_1 = n^-84.5,
    C = n^-170, sigma = n^-4226 d^-1/2 ||v||, eta = sigma^2 d n^-169 / ||v||^2, T_1 = C/eta
    and T_2 = T_1 + ln(1/(36 eps_2))/(n eta); ``keep=()`` substitutes everything.

    References
    ----------
    Xu & Du (2023), App. F.2; chapter ``ch-xu2023``.

    See Also
    --------
    parameter_definitions : the step-by-step definitions substituted here.
    """
    defs = parameter_definitions()
    vals: dict[str, sp.Expr] = {}
    for name in NODES:
        expr = defs[name]
        for prev, val in vals.items():
            if prev not in keep:
                expr = expr.subs(sp.Symbol(prev, positive=True), val)
        vals[name] = sp.powsimp(sp.expand_power_base(sp.expand_log(expr, force=True),
                                                     force=True), force=True)
    return vals


def dependency_edges() -> list[tuple[str, str]]:
    """The arrows (a, b) of Figure 3, "a depends on b", read off :func:`parameter_definitions`.

    References
    ----------
    Xu & Du (2023), Figure 3 (App. F.2); chapter ``ch-xu2023``.

    See Also
    --------
    parameter_values : the value at each node.
    """
    defs = parameter_definitions()
    edges = []
    for a in NODES:
        names = {s.name for s in defs[a].free_symbols}
        edges += [(a, b) for b in NODES if b in names]
    return edges


def regime_log10_constants(n: int, d: int, sigma: float, eta: float, v_norm: float = 1.0):
    """log10 of the absolute constants Theorem 9 would need for a given (n, d, sigma, eta).

    Theorem 9 assumes sigma <= c_sigma n^-4226 d^-1/2 ||v|| and
    eta <= c_eta sigma^2 d / (n^169 ||v||^2); returns log10 of the smallest c_sigma and c_eta
    that admit the given parameters (computed in logarithms: n^-4226 underflows).

    References
    ----------
    Xu & Du (2023), Theorem 9 and Remark 11; chapter ``ch-xu2023``.

    See Also
    --------
    parameter_values : the symbolic chain these exponents come from.
    """
    l10 = np.log10
    c_sigma = l10(sigma) + 4226 * l10(n) + 0.5 * l10(d) - l10(v_norm)
    c_eta = l10(eta) - (2 * l10(sigma) + l10(d) - 169 * l10(n) - 2 * l10(v_norm))
    return {"c_sigma": float(c_sigma), "c_eta": float(c_eta)}
