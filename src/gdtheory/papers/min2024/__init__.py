"""Min, Mallada & Vidal (2024), early neuron alignment in two-layer ReLU networks.

Modules, named for the paper's statements (chapter ``ch-min2024``):

``assumptions``  the data sets and Assumptions 1–2 (μ, pair statistics, ζ₂).
``cones``        the cones S₊, S₋, S_dead, the conic hull K, the constants ζ₁ and ξ
                 (Lemmas 5–9), exact arcs and the ε → 0 fate map in the plane.
``alignment``    x_a(w), the directional flow (4), Lemmas 1/4 errors, the balanced reduced
                 gradient flow, activation-pattern events and forbidden transitions (7)–(8).
``theorem1``     the explicit constants of Theorem 1 (T, t₁, Δt, ε bound (28), α, (39)).
``paths``        the path argument of Appendix C.2 (dynamic programme over admissible paths).
``escape``       the two-point problem of Appendix A.2 (escape time, ξ = sin²δ).
``experiments``  batched gradient descent and SGD of Section 4 / Appendix A, and the
                 diagnostics of Figures 5–13 (alignment bands, stable rank, A.5 changes).
``solutions``    the single-neuron examples of Appendix E (σ'(0) = a, non-uniqueness).

References
----------
H. Min, E. Mallada, R. Vidal, "Early neuron alignment in two-layer ReLU networks with small
initialization", ICLR 2024; chapter ``ch-min2024``.
"""
