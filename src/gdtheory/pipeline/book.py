"""The whole book: validate, take the lock, execute what is stale, render.

``build`` is what ``gdtheory build`` and ``gdtheory run`` do; the work itself lives in the
other modules of this package (chapters, params, cache, execute, pages, render, lock).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..record.paths import build_dir
from .cache import stale_reason
from .chapters import chapters
from .errors import UsageError
from .execute import execute, record_of
from .lock import build_lock
from .params import resolve
from .render import render

__all__ = ["ensure_writable", "build", "timing_table"]


def ensure_writable() -> Path:
    """Check, before any computation, that the build directory can be written."""
    bdir = build_dir()
    probe = bdir / f".write-test-{os.getpid()}"
    try:
        bdir.mkdir(parents=True, exist_ok=True)
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise UsageError(f"cannot write to the build directory {bdir}: {err.strerror}") from None
    return bdir


def build(
    ids: list[str] | None = None,
    mode: str | None = "paper",
    overrides: list[tuple[str, str]] | None = None,
    *,
    force: bool = False,
    render_book: bool = True,
    wait: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Execute what is stale (everything with ``force``), render, and return the timings."""
    known = chapters()
    plan = resolve(ids, mode, overrides, known)
    bdir = ensure_writable()
    rows = []
    with build_lock(bdir, wait=wait, log=log):
        for ch, params in plan:
            rec = record_of(ch.id)
            reason = "forced" if force else stale_reason(ch, params, rec)
            if reason is None:
                log(f"{ch.id}: up to date (code, parameters, imported modules unchanged)")
                rows.append({**rec, "action": "reused"})
                continue
            log(f"{ch.id}: executing ({params['MODE']} mode; {reason})")
            rows.append({**execute(ch, params, log=log), "action": "executed"})
        render_s = 0.0
        if render_book:
            log("rendering the book ...")
            render_s = render(known)
    return {"chapters": rows, "render_s": render_s}


def timing_table(result: dict) -> str:
    """Per-chapter time table printed at the end of a build."""
    lines = [
        f"{'chapter':<12} {'action':<9} {'mode':<6} {'kernel s':>9} {'exec s':>8} {'total s':>8}"
    ]
    for r in result["chapters"]:
        t = r["total_s"] if r["action"] == "executed" else 0.0
        lines.append(
            f"{r['chapter']:<12} {r['action']:<9} {r['mode']:<6} {r['kernel_s']:>9.1f} "
            f"{r['exec_s']:>8.1f} {t:>8.1f}"
        )
    lines.append(f"{'render':<12} {'':<9} {'':<6} {'':>9} {'':>8} {result['render_s']:>8.1f}")
    return "\n".join(lines)
