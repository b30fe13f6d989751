"""Code named after the statements of Xu & Du (2023); chapter ``ch-xu2023``.

Modules
-------
setting          Lemma 3 (initialisation), the parameter regime of Theorem 9, App. F.2 (Figure 3)
closed_forms     Eqs. (4), (23), (51) in sympy; the z-dynamics (60)
dynamics         batched gradient descent on a log-spaced record grid, gradient flow
phases           Theorems 4-6: h_i, H, chi_i and the explicit bounds (6), (7), (13)
gradient_bounds  Theorem 7, Lemmas 8, 20-24 with the constants of their proofs
lower_bound      Theorem 14: Z, kappa_max, Lemma 17, Remark 18, Lemmas 30, 31, (68)
toy_cases        Appendix A, Toy Cases 1-3; Remark 26
fits             tail exponents and linear rates with their standard errors

Every kernel, loss, gradient and Hessian comes from :mod:`gdtheory.core.gaussian_relu`.
"""
