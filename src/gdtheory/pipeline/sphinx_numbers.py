"""Sphinx extension: a figure of the book is numbered as in its paper, never by a running count.

A figure labelled ``fig-<chapter>-<n>`` gets the number "Figure 1(a)" (``n = 1a``) or
"Extension x1" (``n = x1``), so its caption and every ``{numref}`` to it show the paper's
number. A caption whose text already starts with that name does not repeat it.
"""

from __future__ import annotations

from docutils import nodes

from .pages import paper_number

__all__ = ["setup"]


def _renumber(app, env) -> list[str]:
    for types in env.toc_fignumbers.values():
        figs = types.get("figure", {})
        for fid in list(figs):
            name = paper_number(fid)
            if name:
                figs[fid] = (name,)
    return []


def _strip_repeated_numbers(app, doctree) -> None:
    for fig in doctree.findall(nodes.figure):
        name = next((paper_number(i) for i in fig.get("ids", []) if paper_number(i)), "")
        if not name:
            continue
        for cap in fig.findall(nodes.caption):
            for text in cap.findall(nodes.Text):
                s = str(text)
                if s.lstrip().startswith(name):
                    rest = s.lstrip()[len(name) :]
                    text.parent.replace(text, nodes.Text(rest))
                break
            break


def setup(app):
    """Register the renumbering (after Sphinx assigns numbers) and the caption clean-up."""
    app.connect("env-get-updated", _renumber, priority=900)
    app.connect("doctree-read", _strip_repeated_numbers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
