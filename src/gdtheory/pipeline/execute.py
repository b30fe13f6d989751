"""Execute one chapter with papermill and publish its outputs atomically.

An execution runs in a scratch folder (``<build>/.work``). Only when every cell succeeded are
its ledger, executed notebook, figures and execution record moved into a fresh folder
``<build>/store/<id>-<token>`` and published by replacing the symlink
``<build>/chapters/<id>`` in one ``rename``: a reader of the build directory sees the old
chapter or the new one, never a mixture. The familiar paths ``claims/<id>.json``,
``executed/<id>.ipynb``, ``executed/<id>.json`` and ``figures/<id>/`` are fixed symlinks into
``chapters/<id>``.

The kernel records which ``gdtheory`` modules the chapter imported (a last, removed cell), so
that the next build re-executes the chapter only when one of those changed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..record import provenance
from ..record.figures import manifest, write_json
from ..record.paths import build_dir, root
from ..record.runtimes import record_runtime
from .cache import module_hashes, static_key
from .chapters import Chapter
from .errors import BuildError

__all__ = [
    "execute",
    "record_of",
    "publish_links",
    "write_figure_index",
    "atomic_link",
    "kill_kernels",
]

_MODULES_TAG = "gdtheory-record-modules"
_MODULES_CELL = """\
import json as _json, os as _os, sys as _sys
from pathlib import Path as _Path
import gdtheory as _gd
_top = _Path(_gd.__file__).resolve().parents[1]
_mods = sorted({str(_Path(m.__file__).resolve().relative_to(_top))
                for n, m in list(_sys.modules.items())
                if (n == "gdtheory" or n.startswith("gdtheory.")) and getattr(m, "__file__", None)})
_Path(_os.environ["GDTHEORY_OUT"], "modules.json").write_text(_json.dumps(_mods))
"""
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def record_of(cid: str, bdir: Path | None = None) -> dict | None:
    """The execution record of the published chapter ``cid``, or ``None``."""
    p = Path(bdir or build_dir()) / "chapters" / cid / "record.json"
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None


def atomic_link(target: str, link: Path) -> None:
    """Make ``link`` a symlink to ``target``, replacing whatever is there, atomically."""
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.exists() and not link.is_symlink():
        if link.is_dir():
            shutil.rmtree(link)
        else:
            link.unlink()
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def publish_links(cid: str, bdir: Path) -> None:
    """The fixed symlinks ``claims/``, ``executed/`` and ``figures/`` into ``chapters/<cid>``."""
    atomic_link(f"../chapters/{cid}/claims.json", bdir / "claims" / f"{cid}.json")
    atomic_link(f"../chapters/{cid}/{cid}.ipynb", bdir / "executed" / f"{cid}.ipynb")
    atomic_link(f"../chapters/{cid}/record.json", bdir / "executed" / f"{cid}.json")
    atomic_link(f"../chapters/{cid}/figures", bdir / "figures" / cid)


def write_figure_index(bdir: Path) -> None:
    """Rewrite ``figures/figures.json``, the book-wide figure manifest (atomically)."""
    write_json(bdir / "figures" / "figures.json", manifest(bdir))


class _Progress:
    """One progress line per chapter: cells done of total and elapsed seconds."""

    def __init__(self, cid: str, total: int, log: Callable[[str], None] | None):
        self.cid, self.total, self.done, self.t0 = cid, total, 0, time.perf_counter()
        self.log = log
        self.tty = log is print and sys.stdout.isatty()

    def cell(self, **_: Any) -> None:
        self.done += 1
        if self.tty:
            print(f"\r  {self.line()}", end="", flush=True)

    def line(self) -> str:
        return f"{self.cid}: {self.done}/{self.total} cells, {time.perf_counter() - self.t0:.1f} s"

    def finish(self) -> None:
        if self.tty:
            print("\r", end="")
        if self.log is not None:
            self.log(f"  {self.line()}")


def kill_kernels() -> None:
    """Terminate the kernels this process started (after an interrupt)."""
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            child.kill()
    except Exception:  # noqa: BLE001 - best effort after an interrupt
        pass


def _failure(cid: str, err: Exception, kept: Path | None) -> BuildError:
    import papermill as pm

    where = f"\n  executed notebook kept at {kept}" if kept else ""
    if isinstance(err, pm.PapermillExecutionError):
        tb = [_ANSI.sub("", line) for line in (err.traceback or [])]
        lines = "\n".join(tb).splitlines()
        tail = "\n".join("    " + s for s in lines[-12:])
        return BuildError(
            f"chapter {cid} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"{tail}{where}\n  (the previously published chapter is untouched)"
        )
    return BuildError(
        f"chapter {cid}: the kernel died or could not run ({type(err).__name__}: {err}); "
        f"out of memory or killed?{where}\n  (the previously published chapter is untouched)"
    )


def _run(
    chapter: Chapter,
    params: dict[str, Any],
    *,
    bdir: Path,
    log: Callable[[str], None] | None = print,
    env: dict[str, str] | None = None,
) -> tuple[Path, Any, dict]:
    """Execute the chapter in a scratch folder; return (scratch, executed notebook, record).

    Raises :class:`BuildError` (the scratch folder removed, the failed notebook kept under
    ``<bdir>/failed``) on any failure. ``env`` adds variables for the kernel.
    """
    import jupytext
    import nbformat
    import papermill as pm

    key = static_key(chapter, params)  # before execution: what this run is a run of
    work = bdir / ".work" / f"{chapter.id}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "out").mkdir(parents=True)
    nb = jupytext.read(chapter.path)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(_MODULES_CELL)
    cell.metadata["tags"] = [_MODULES_TAG, "remove-cell"]
    nb.cells.append(cell)
    executed = work / f"{chapter.id}.ipynb"
    total = sum(c.cell_type == "code" for c in nb.cells) + 1  # + papermill's parameters cell
    progress = _Progress(chapter.id, total, log)
    extra = {
        "GDTHEORY_OUT": str(work / "out"),
        "GDTHEORY_ROOT": str(root()),
        "GDTHEORY_BUILD_DIR": str(bdir),
        **(env or {}),
    }
    env_before = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            nb,
            str(executed),
            parameters=params,
            kernel_name="python3",
            cwd=str(chapter.path.parent),
            progress_bar=False,
            log_output=False,
            on_cell_executed=progress.cell,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except KeyboardInterrupt:
        kill_kernels()
        shutil.rmtree(work, ignore_errors=True)
        raise
    except Exception as err:  # noqa: BLE001 - every failure becomes one clear build error
        kept = None
        if executed.exists():
            kept = bdir / "failed" / executed.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(executed, kept)
        shutil.rmtree(work, ignore_errors=True)
        raise _failure(chapter.id, err, kept) from None
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    progress.finish()
    total_s = time.perf_counter() - t0
    out_nb = nbformat.read(executed, as_version=4)
    out_nb.cells = [c for c in out_nb.cells if _MODULES_TAG not in c.metadata.get("tags", [])]
    cell_s = sum(
        (c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for c in out_nb.cells
    )
    ledger = work / "out" / "claims" / f"{chapter.id}.json"
    if not ledger.exists():
        shutil.rmtree(work, ignore_errors=True)
        raise BuildError(f"chapter {chapter.id} wrote no claims ledger (call start_chapter)")
    modules = json.loads((work / "out" / "modules.json").read_text())
    record = {
        "chapter": chapter.id,
        "static_key": key,
        "modules": module_hashes(modules),
        "params": params,
        "mode": params["MODE"],
        "kernel_s": round(total_s - cell_s, 2),
        "exec_s": round(cell_s, 2),
        "total_s": round(total_s, 2),
        "commit": provenance.commit(),
        "environment": provenance.environment(),
        "executed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return work, out_nb, record


def execute(
    chapter: Chapter, params: dict[str, Any], *, log: Callable[[str], None] | None = print
) -> dict:
    """Execute one chapter with papermill; publish its outputs atomically only on success.

    Returns the execution record (keys, modules, parameters, kernel and execution seconds).
    """
    import nbformat

    bdir = build_dir()
    work, out_nb, record = _run(chapter, params, bdir=bdir, log=log)
    # assemble the new chapter folder, then publish it with one rename of the symlink
    store = bdir / "store" / f"{chapter.id}-{secrets.token_hex(4)}"
    store.mkdir(parents=True)
    shutil.move(str(work / "out" / "claims" / f"{chapter.id}.json"), store / "claims.json")
    figs = work / "out" / "figures" / chapter.id
    if figs.exists():
        shutil.move(str(figs), store / "figures")
    else:
        (store / "figures").mkdir()
    nbformat.write(out_nb, store / f"{chapter.id}.ipynb")
    write_json(store / "record.json", record)
    link = bdir / "chapters" / chapter.id
    old = (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None
    atomic_link(f"../store/{store.name}", link)
    publish_links(chapter.id, bdir)
    if old is not None and old != store.resolve():
        shutil.rmtree(old, ignore_errors=True)
    write_figure_index(bdir)
    record_runtime(
        chapter.id, params["MODE"], record["total_s"], record["exec_s"], record["commit"]
    )
    shutil.rmtree(work, ignore_errors=True)
    return record


def execute_point(
    chapter: Chapter, params: dict[str, Any], dest: Path, *, env: dict[str, str] | None = None
) -> dict:
    """Execute the chapter with ``params`` into the folder ``dest`` (a sweep point).

    ``dest`` receives ``claims.json``, ``<id>.ipynb``, ``figures/`` and ``record.json``
    together: they are assembled beside it and moved into place with one ``rename``.
    Nothing of the book's published build is touched.
    """
    import nbformat

    dest = Path(dest)
    work, out_nb, record = _run(chapter, params, bdir=dest.parent, log=None, env=env)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.move(str(work / "out" / "claims" / f"{chapter.id}.json"), tmp / "claims.json")
    figs = work / "out" / "figures" / chapter.id
    if figs.exists():
        shutil.move(str(figs), tmp / "figures")
    nbformat.write(out_nb, tmp / f"{chapter.id}.ipynb")
    write_json(tmp / "record.json", record)
    if dest.exists():
        old = dest.with_name(f".{dest.name}.{os.getpid()}.old")
        dest.rename(old)
        tmp.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(dest)
    shutil.rmtree(work, ignore_errors=True)
    return record
