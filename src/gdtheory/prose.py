"""Numbers and formulas for the prose: thin wrappers over MyST-NB's ``glue``.

A chapter never types a computed number into its text: it glues it here and
references it with ``{glue:text}`` (numbers) or ``{glue:math}`` (formulas).
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue_num", "glue_math"]


def glue_num(key: str, x: Any) -> None:
    """Glue ``x`` as a float, for ``{glue:text}`key:.3f``` in the prose."""
    from myst_nb import glue

    glue(key, float(x), display=False)


def glue_math(key: str, expr: Any) -> None:
    """Glue a sympy expression (or a LaTeX string) for ``{glue:math}`` in the prose."""
    import sympy as sp
    from IPython.display import Math
    from myst_nb import glue

    glue(key, Math(expr if isinstance(expr, str) else sp.latex(expr)), display=False)
