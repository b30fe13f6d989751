"""Numbers, text and formulas for the prose: thin wrappers over MyST-NB's ``glue``.

A chapter never types a computed number into its text: it glues it here and references it
with ``{glue:text}`` (numbers, short text) or ``{glue:math}`` (formulas), and glues its
reproducibility summary with :func:`glue_summary`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue_num", "glue_text", "glue_math", "glue_summary"]


def glue_num(key: str, x: Any) -> None:
    """Glue ``x`` as a float, for ``{glue:text}`key:.3f``` in the prose."""
    from myst_nb import glue

    glue(key, float(x), display=False)


def glue_text(key: str, s: str) -> None:
    """Glue a short string (a list of values, a name), for ``{glue:text}`key``` in the prose."""
    from myst_nb import glue

    glue(key, str(s), display=False)


def glue_math(key: str, expr: Any) -> None:
    """Glue a sympy expression (or a LaTeX string) for ``{glue:math}`` in the prose."""
    import sympy as sp
    from IPython.display import Math
    from myst_nb import glue

    glue(key, Math(expr if isinstance(expr, str) else sp.latex(expr)), display=False)


def glue_summary(
    ledger: Any, deviations: list[str] | None = None, paper_version: str = "", notes: str = ""
) -> None:
    """Glue the chapter's compact reproducibility summary as ``<chapter>-summary``.

    Place it at the top of the chapter with ``{glue:md}`` (``:format: myst``); call this in the
    last cell, once every claim and figure is in the ledger.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    glue(
        f"{ledger.chapter}-summary",
        Markdown(ledger.summary(deviations=deviations, paper_version=paper_version, notes=notes)),
        display=False,
    )
