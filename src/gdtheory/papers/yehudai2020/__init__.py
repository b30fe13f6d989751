"""Code named after the statements of Yehudai & Shamir (2020); chapter ``ch-yehudai2020``.

Modules
-------
symbolic
    sympy derivations: Assumption-4.1 constants, Theorem 4.2 / 5.3 constants, Lemma B.1's
    pie-slice integral, the reduced (r, θ) flow, the spherical scaling identity, the leaky
    kernel, the Lemma 6.3 circle integral (as printed and with its Jacobian), Stein identities.
negative_results
    Theorem 3.1's discrete construction (exact GD / GF / SGD, exact failure probability) and
    the periodic activations of §3.2 (exact variance of the gradient over random targets).
correlation
    Theorem 4.2 and Lemma B.1: the pie slice and rectangles of Figure 2, the correlation ratio
    and its infimum over the theorem's region, the Assumption-4.1 constants.
initialization
    Lemma 5.1 (exact probability of the safe zone) and the initialisation remark after
    Theorem 6.4.
convergence
    Theorem 3.2 (leaky ReLU GD), Theorem 5.3 (GD / SGD runs, the admissible step sizes) and
    Lemma C.1 (the exact one-step expectation of SGD).
spherical
    Lemmas 6.2, 6.3, D.1, D.2 and Theorem 6.4: the reduced flow, the exact and the printed
    norm thresholds.
nonmonotone
    §6.2 and Figure 1: GD on the shifted-Gaussian population loss, angle diagnostics.
"""
