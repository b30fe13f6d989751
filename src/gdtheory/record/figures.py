"""Figures as citable artefacts: one style, PNG+PDF export, provenance, the figure manifest.

:func:`export` is the only way a chapter publishes a figure.  It saves
``<out>/figures/<chapter>/<label>.png`` and ``.pdf``, records an entry (paper
figure, producing function, parameters, seed, wall time, commit, hash of the
plotted arrays) in ``<out>/figures/<chapter>/manifest.json``, and glues the
figure and a collapsed provenance note so the page can place them with
``{glue:figure}`` and ``{glue:md}``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl

from . import provenance
from .ledger import _jsonable, active_ledger
from .paths import build_dir, out_dir

__all__ = [
    "STYLE",
    "use_style",
    "export",
    "manifest",
    "citation",
    "qualified_name",
    "resolve_name",
    "write_json",
]

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 7,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.constrained_layout.use": True,
    "pdf.fonttype": 42,
}

MANIFEST_KEYS = frozenset(
    {
        "chapter",
        "label",
        "paper_figure",
        "function",
        "parameters",
        "seed",
        "wall_s",
        "commit",
        "data_sha256",
    }
)
"""The provenance every figure of the book carries in the manifest."""

LABEL_RE = re.compile(r"^fig-(?P<chapter>[a-z]+[0-9]{4})-(?P<n>x?[0-9]+[a-z]?)$")


def use_style() -> None:
    """Apply the book's plotting style (white background, compact fonts).

    Also quiets fontTools' note about the timestamps of the embedded fonts when a PDF is
    written (the PDF is fine; the note would land in the chapter's stderr).
    """
    import logging

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    mpl.rcParams.update(STYLE)


class FigureEntry(dict):
    """A manifest entry; displays as nothing in a notebook (the figure is placed by glue)."""

    def _ipython_display_(self) -> None:
        return None


def qualified_name(f: Callable) -> str:
    """``module:qualname`` of a function or class, as the manifest records it."""
    mod, qual = getattr(f, "__module__", None), getattr(f, "__qualname__", None)
    if not mod or not qual or "<" in qual:
        raise TypeError(f"export(function=...) needs importable functions, got {f!r}")
    return f"{mod}:{qual}"


def resolve_name(name: str) -> Any:
    """Import the object named ``module:qualname`` (the inverse of :func:`qualified_name`)."""
    from importlib import import_module

    mod, _, qual = name.partition(":")
    obj: Any = import_module(mod)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (a temporary file in the same folder, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(path)


def _figure_dir(chapter: str, base: Path | None = None) -> Path:
    return Path(base if base is not None else out_dir()) / "figures" / chapter


def export(
    fig: Any,
    label: str,
    *,
    paper_figure: str,
    function: Callable | tuple[Callable, ...] | list[Callable],
    parameters: Mapping[str, Any],
    seed: int | None,
    data: Mapping[str, Any],
    wall_s: float,
    status: str = "reproduced",
    note: str = "",
    caption: str = "",
    glue: bool = True,
    base: Path | None = None,
) -> FigureEntry:
    """Save ``fig`` as a citable artefact and return its manifest entry.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    label : str
        ``fig-<chapter>-<n>`` (``fig-lin2021-1a``; extension figures ``fig-lin2021-x1``).
    paper_figure : str
        The paper's figure number, or ``"none (beyond the paper)"``.
    function : callable or sequence of callables
        The ``gdtheory`` function(s) that computed the plotted data; recorded as
        ``module:qualname`` (never typed by hand), so a reader can find the code.
    parameters : mapping
        Every parameter of the computation, stated ones and the book's choices.
    seed : int or None
        The seed of the ``numpy.random.Generator`` used (None when deterministic).
    data : mapping of str to array
        The arrays plotted; their hash is ``data_sha256``.
    wall_s : float
        Seconds spent computing the data.
    status, note : str
        The figure's row in the reproducibility summary: ``"reproduced"`` by default,
        ``"deviation"`` for an offline substitute (say which in ``note``); extension figures
        (``fig-<chapter>-x<n>``) are always ``"beyond the paper"``.
    caption : str
        The figure's caption as the chapter prints it (starting with the paper's figure
        number); the gallery shows it.
    """
    m = LABEL_RE.match(label)
    if not m:
        raise ValueError(f"figure label {label!r} is not of the form fig-<chapter>-<n>")
    chapter = m.group("chapter")
    funcs = function if isinstance(function, tuple | list) else (function,)
    names = [qualified_name(f) for f in funcs]
    fdir = _figure_dir(chapter, base)
    fdir.mkdir(parents=True, exist_ok=True)
    png, pdf = fdir / f"{label}.png", fdir / f"{label}.pdf"
    fig.savefig(png, facecolor="white", metadata={"Software": None})
    fig.savefig(pdf, facecolor="white", metadata={"CreationDate": None, "Creator": None})
    entry = FigureEntry(
        {
            "chapter": chapter,
            "label": label,
            "paper_figure": paper_figure,
            "function": ", ".join(names),
            "parameters": {k: _jsonable(v) for k, v in parameters.items()},
            "seed": seed,
            "wall_s": round(float(wall_s), 3),
            "commit": provenance.commit(),
            "data_sha256": provenance.data_sha256(data),
            "environment": provenance.environment(),
            "status": "beyond the paper" if m.group("n").startswith("x") else status,
            "caption": caption,
            "png": f"figures/{chapter}/{label}.png",
            "pdf": f"figures/{chapter}/{label}.pdf",
        }
    )
    path = fdir / "manifest.json"
    entries = json.loads(path.read_text()) if path.exists() else {}
    entries[label] = dict(entry)
    write_json(path, entries)
    try:
        extension = m.group("n").startswith("x")
        active_ledger().mark(
            f"Extension figure ({label})" if extension else f"Figure {paper_figure} ({label})",
            "beyond the paper" if extension else status,
            (note + "; " if note else "") + f"data sha256 {entry['data_sha256'][:12]}",
            kind="figure",
        )
    except RuntimeError:
        pass
    if glue:
        from IPython.display import Markdown
        from myst_nb import glue as nb_glue

        nb_glue(label, fig, display=False)
        nb_glue(label + "-prov", Markdown(provenance_note(entry)), display=False)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return entry


def provenance_note(entry: Mapping[str, Any]) -> str:
    """A collapsed MyST note giving a figure's provenance and download links."""
    params = ", ".join(f"`{k}={v}`" for k, v in entry["parameters"].items())
    return (
        f":::{{dropdown}} Provenance of `{entry['label']}`\n"
        f"- paper figure: {entry['paper_figure']}\n"
        f"- computed by: `{entry['function']}`\n"
        f"- parameters: {params}\n"
        f"- seed: `{entry['seed']}`; wall time: {entry['wall_s']:.2f} s; "
        f"commit: `{entry['commit']}`\n"
        f"- data sha256: `{entry['data_sha256']}`\n"
        f"- files: `_build/{entry['png']}`, `_build/{entry['pdf']}`\n"
        f"- cite as: {citation(entry)}\n"
        ":::\n"
    )


def manifest(base: Path | None = None) -> dict[str, dict]:
    """Collect every chapter's figure entries from ``<base>/figures/*/manifest.json``."""
    base = Path(base if base is not None else build_dir())
    out: dict[str, dict] = {}
    for path in sorted((base / "figures").glob("*/manifest.json")):
        out.update(json.loads(path.read_text()))
    return out


def citation(entry: Mapping[str, Any]) -> str:
    """A one-line citation of a figure of the book."""
    m = LABEL_RE.match(entry["label"])
    what = (
        f"extends {entry['chapter']}, not a figure of the paper"
        if m and m.group("n").startswith("x")
        else f"reproduces {entry['chapter']} Fig. {entry['paper_figure']}"
    )
    return (
        f"Figure {entry['label']} ({what}), "
        f"gdtheory companion book, commit {entry['commit']}, data sha256 "
        f"{entry['data_sha256'][:12]}."
    )
