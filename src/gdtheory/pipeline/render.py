"""Render the executed book with Jupyter Book (execution off, warnings as errors).

The staging folder ``<build>/stage`` holds the book as Sphinx will see it: configuration,
static pages with their generated parts, each executed chapter as its merged notebook (current
prose, executed code), placeholders for chapters not executed, and the figures. Files are
written only when their content changed, so Sphinx rebuilds incrementally. The new HTML
replaces ``<build>/html`` only if the render succeeded. When the staged book, the figure files
and the rendering stack are byte-identical to those of the HTML in place (a digest recorded
next to it), Jupyter Book is not run at all.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..record.figures import write_json
from ..record.paths import build_dir, root
from .cache import environment_key
from .chapters import Chapter, chapters
from .errors import BuildError
from .execute import atomic_link
from .pages import (
    cite_markdown,
    gallery_markdown,
    home_markdown,
    merged_notebook,
    placeholder_page,
    placeholder_png,
    status_markdown,
)

__all__ = ["stage", "render"]

_GENERATED = {
    "intro.md": home_markdown,
    "status.md": status_markdown,
    "cite.md": lambda known: cite_markdown(),
    "gallery.md": lambda known: gallery_markdown(),
}


def _sync_file(content: bytes, dst: Path) -> None:
    """Write ``content`` to ``dst`` only if it differs (keeps mtimes for incremental Sphinx)."""
    if dst.exists() and dst.read_bytes() == content:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(content)


def stage(known: dict[str, Chapter]) -> tuple[Path, dict[str, str]]:
    """Assemble ``<build>/stage``: the book with executed notebooks and generated pages.

    Returns the folder and the SHA-256 of every file put there (by path relative to it).
    """
    r, st, bdir = root(), build_dir() / "stage", build_dir()
    staged: dict[str, str] = {}

    def put(rel: str, content: bytes) -> None:
        _sync_file(content, st / rel)
        staged[rel] = hashlib.sha256(content).hexdigest()

    for name in ("_config.yml", "_toc.yml"):
        put(name, (r / name).read_bytes())
    for src in sorted((r / "book").rglob("*")):
        if not src.is_file() or src.relative_to(r / "book").parts[0] == "chapters":
            continue
        content = src.read_bytes()
        if src.parent == r / "book" and src.name in _GENERATED:
            gen = _GENERATED[src.name](known).encode()
            marker = b"<!-- gdtheory: generated -->"
            content = content.replace(marker, gen) if marker in content else content + b"\n" + gen
        put(str(src.relative_to(r)), content)
    for cid, ch in known.items():
        nb = bdir / "executed" / f"{cid}.ipynb"
        if nb.exists() and ch.error is None:
            put(f"book/chapters/{cid}.ipynb", merged_notebook(ch, nb))
        else:
            put(f"book/chapters/{cid}.md", placeholder_page(ch).encode())
            put("book/chapters/_not_executed.png", placeholder_png())
    for f in sorted((bdir / "figures").glob("*/*")):
        if f.suffix in (".png", ".pdf") and f.parent.name in known:
            put(f"book/_figures/{f.parent.name}/{f.name}", f.read_bytes())
    for f in sorted(st.rglob("*")):
        rel = f.relative_to(st)
        if f.is_file() and str(rel) not in staged and "_build" not in rel.parts:
            f.unlink()
    return st, staged


def source_digest(staged: dict[str, str]) -> str:
    """Digest of what the HTML is made from: the staged book, the figure files copied next to
    it, the environment (:func:`gdtheory.pipeline.cache.environment_key`) and the book's Sphinx
    extension.

    Parameters
    ----------
    staged : dict
        The hashes of the staged files, as returned by :func:`stage`.
    """
    fig = build_dir() / "figures"
    figures = {
        str(f.relative_to(fig)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(fig.rglob("*"))
        if f.is_file()
    }
    # the Sphinx extension that numbers the figures renders the same sources differently
    ext = Path(__file__).with_name("sphinx_numbers.py").read_bytes()
    key = {
        "environment": environment_key(),
        "extension": hashlib.sha256(ext).hexdigest(),
        "staged": staged,
        "figures": figures,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def _html_current(digest: str) -> bool:
    """Whether ``<build>/html`` exists and was rendered from sources with this digest."""
    bdir = build_dir()
    rec = bdir / "html.source.json"
    return (bdir / "html").is_dir() and rec.is_file() and json.loads(rec.read_text()) == digest


def render(known: dict[str, Chapter] | None = None) -> float:
    """Render the executed book to ``<build>/html`` (warnings are errors); return seconds.

    Nothing is rendered when the sources are those of the HTML in place (see
    :func:`source_digest`).
    """
    known = known if known is not None else chapters()
    t0 = time.perf_counter()
    st, staged = stage(known)
    digest = source_digest(staged)
    if _html_current(digest):
        return time.perf_counter() - t0
    out = build_dir() / "render"
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(exe) if exe.exists() else "jupyter-book",
        "build",
        str(st),
        "--path-output",
        str(out),
        "--builder",
        "html",
        "-W",
        "-n",
        "--keep-going",
        "--quiet",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        log = build_dir() / "render.log"
        log.write_text(proc.stdout + proc.stderr)
        tail = "\n".join(
            line
            for line in (proc.stdout + proc.stderr).splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        )[-4000:]
        raise BuildError(
            f"rendering failed (full log: {log}); the previous HTML is untouched:\n{tail}"
        )
    html = out / "_build" / "html"
    bdir = build_dir()
    new = bdir / "store" / f"html-{time.time_ns()}"
    shutil.copytree(html, new)
    if (bdir / "figures").exists():
        shutil.copytree(bdir / "figures", new / "figures")
    link = bdir / "html"
    old = (link.parent / link.readlink()).resolve() if link.is_symlink() else None
    atomic_link(f"store/{new.name}", link)
    write_json(bdir / "html.source.json", digest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return time.perf_counter() - t0
