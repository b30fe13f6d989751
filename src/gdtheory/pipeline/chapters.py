"""The chapters of the book: table of contents, strict parameters cells, figure labels.

A chapter is ``book/chapters/<id>.md`` (a jupytext MyST notebook) listed in ``_toc.yml``. Its
cell tagged ``parameters`` may hold only lines ``NAME = literal`` or ``NAME: type = literal``,
each with an optional trailing comment: the parameter's help, ending optionally in its valid
range as an interval, ``[0, inf)`` (≥ 0), ``(0, inf)`` (> 0) or ``[1, 64]``. (No ``=`` in
the comment: papermill reads these lines too.) Anything else makes that chapter unusable
with one clear message (naming the chapter, the line and the rule); the other chapters are
not affected.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..record.paths import root

__all__ = ["MODES", "Param", "Chapter", "chapters", "toc_files", "parse_parameters_cell"]

MODES = ("quick", "paper")
_TYPES = {"int": int, "float": float, "str": str, "bool": bool}
_NUM = r"[-+]?(?:inf|[0-9.]+(?:[eE][-+]?[0-9]+)?)"
_RANGE = re.compile(
    rf"(?P<left>[\[(])\s*(?P<lo>{_NUM})\s*,\s*(?P<hi>{_NUM})\s*(?P<right>[\])])\s*$"
)
_RULE = "the parameters cell takes only lines NAME = literal or NAME: type = literal  # help"


@dataclass
class Param:
    """One parameter of a chapter: default, type, help and valid range."""

    name: str
    default: Any
    help: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    @property
    def type(self) -> type:
        return type(self.default)

    def range_text(self) -> str:
        """The valid range as written in the chapter ('' if any value of the type goes)."""
        if self.name == "MODE":
            return " | ".join(MODES)
        if self.lo is None:
            return ""
        return (
            f"{'(' if self.lo_open else '['}{self.lo:g}, {self.hi:g}{')' if self.hi_open else ']'}"
        )

    def admits(self, value: Any) -> bool:
        """True if ``value`` lies in the declared range."""
        if self.name == "MODE":
            return value in MODES
        if self.lo is None:
            return True
        above = value > self.lo if self.lo_open else value >= self.lo
        below = value < self.hi if self.hi_open else value <= self.hi
        return bool(above and below)


@dataclass
class Chapter:
    """A chapter: id, source, parameters (with help and ranges), figure labels, data files.

    ``error`` holds the one-line reason the chapter cannot be used (a bad parameters cell),
    or ``None``.
    """

    id: str
    path: Path
    specs: dict[str, Param] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    title: str = ""
    data_files: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def params(self) -> dict[str, Any]:
        """Default value of every parameter."""
        return {k: p.default for k, p in self.specs.items()}


def toc_files() -> list[str]:
    """Every file of ``_toc.yml``, root first, in order."""
    toc = yaml.safe_load((root() / "_toc.yml").read_text())
    files: list[str] = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc.get("parts", toc.get("chapters", [])))
    return files


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def parse_parameters_cell(source: str, chapter: str) -> dict[str, Param]:
    """Parse a parameters cell strictly; raise ``ValueError`` with a one-line reason.

    Accepts ``NAME = literal`` and ``NAME: type = literal`` (type one of int, float, str,
    bool, matching the literal); the trailing comment is the help, and a final ``[...]`` in it
    the valid range.
    """
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ValueError(
            f"chapter {chapter}: parameters cell line {err.lineno}: not valid Python ({_RULE})"
        ) from None
    comments = _comments(source)
    out: dict[str, Param] = {}
    for node in tree.body:
        text = lines[node.lineno - 1].strip()
        where = f"chapter {chapter}: parameters cell line {node.lineno} `{text}`"
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, ann = node.targets[0], None
        elif isinstance(node, ast.AnnAssign) and node.value is not None and node.simple:
            target, ann = node.target, node.annotation
        else:
            raise ValueError(f"{where}: {_RULE}")
        if not isinstance(target, ast.Name):
            raise ValueError(f"{where}: {_RULE}")
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            raise ValueError(f"{where}: the value must be a literal ({_RULE})") from None
        if not isinstance(value, bool | int | float | str):
            raise ValueError(f"{where}: the value must be an int, float, str or bool literal")
        if ann is not None:
            tname = ann.id if isinstance(ann, ast.Name) else ast.unparse(ann)
            want = _TYPES.get(tname)
            if want is None:
                raise ValueError(f"{where}: unknown type {tname!r}; use int, float, str or bool")
            if want is float and type(value) is int:
                value = float(value)
            if type(value) is not want:
                raise ValueError(f"{where}: the literal is not of type {tname}")
        if target.id in out:
            raise ValueError(f"{where}: {target.id} is assigned twice")
        help_text = comments.get(node.end_lineno or node.lineno, "")
        p = Param(target.id, value, help_text)
        m = _RANGE.search(help_text)
        if m:
            p.help = help_text[: m.start()].rstrip()
            p.lo, p.hi = float(m.group("lo")), float(m.group("hi"))
            p.lo_open, p.hi_open = m.group("left") == "(", m.group("right") == ")"
            if isinstance(value, str | bool):
                raise ValueError(f"{where}: a range applies to numbers only")
            if not p.admits(value):
                raise ValueError(f"{where}: the default lies outside its range {p.range_text()}")
        out[target.id] = p
    return out


def _front_matter(text: str) -> dict:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            return yaml.safe_load(text[4:end]) or {}
    return {}


def _parameters_source(path: Path) -> str | None:
    import jupytext

    nb = jupytext.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return cell.source
    return None


def _load(cid: str, path: Path) -> Chapter:
    text = path.read_text()
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), cid)
    figures = list(dict.fromkeys(re.findall(r"\{glue:figure\}\s+(fig-[a-z0-9-]+)", text)))
    fm = _front_matter(text).get("gdtheory", {}) or {}
    ch = Chapter(cid, path, figures=figures, title=title, data_files=list(fm.get("data", [])))
    src = _parameters_source(path)
    try:
        if src is None:
            raise ValueError(f"chapter {cid}: no code cell tagged `parameters`")
        ch.specs = parse_parameters_cell(src, cid)
        if "MODE" not in ch.specs or ch.specs["MODE"].default not in MODES:
            raise ValueError(
                f"chapter {cid}: the parameters cell must set MODE to one of {', '.join(MODES)}"
            )
    except ValueError as err:
        ch.error = str(err)
    return ch


def chapters() -> dict[str, Chapter]:
    """The chapters of the book in table-of-contents order (a broken one carries ``error``)."""
    out: dict[str, Chapter] = {}
    for f in toc_files():
        if f.startswith("book/chapters/"):
            path = root() / (f + ".md")
            out[path.stem] = _load(path.stem, path)
    return out
