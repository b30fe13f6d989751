"""The package's layers: one-way imports, enforced on the source (an AST walk).

core/models/data/papers never import record, pipeline, matplotlib or the book machinery;
papers never import each other; record never imports pipeline; pipeline never imports the
numerics. Importing a numerics module loads no matplotlib.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "gdtheory"
BOOK_MACHINERY = (
    "matplotlib",
    "papermill",
    "jupytext",
    "sphinx",
    "myst_nb",
    "IPython",
    "nbformat",
    "nbclient",
)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module imported by ``path`` (relative imports resolved)."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    pkg = parts if path.name == "__init__.py" else parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = pkg[: len(pkg) - node.level + 1] if node.level else []
            mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def _layer(path: Path) -> tuple[str, str | None]:
    parts = path.relative_to(PKG).parts
    return parts[0] if len(parts) > 1 else path.stem, parts[1] if parts[0] == "papers" else None


FILES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_follow_the_layers(path):
    layer, paper = _layer(path)
    names = _imports(path)
    bad = []
    for n in names:
        top = n.split(".")[0]
        sub = n.split(".")[1] if n.startswith("gdtheory.") else None
        if layer in ("core", "models", "data", "papers"):
            if top in BOOK_MACHINERY or sub in ("record", "pipeline", "cli"):
                bad.append(n)
            if layer != "papers" and sub == "papers":
                bad.append(n)
            if layer == "papers" and sub == "papers":
                other = n.split(".")[2] if n.count(".") >= 2 else None
                if other not in (None, paper) and not other.startswith("__"):
                    bad.append(n)
            if top == "torch" and not (layer == "papers" and path.name == "lenet.py"):
                bad.append(n)
        if layer == "record" and sub == "pipeline":
            bad.append(n)
        if layer == "pipeline" and sub in ("core", "models", "data", "papers"):
            bad.append(n)
    assert not bad, f"{path.relative_to(PKG)} imports {sorted(set(bad))}"


def test_numerics_load_without_matplotlib():
    mods = [
        ".".join(p.relative_to(PKG.parent).with_suffix("").parts)
        for p in FILES
        if _layer(p)[0] in ("core", "models", "data", "papers")
        and p.name != "__init__.py"
        and p.name != "lenet.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        f"{BOOK_MACHINERY!r}]\n"
        "print(' '.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", proc.stdout
