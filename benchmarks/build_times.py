"""Whole-book build times: cold, no change, a prose-only edit, an edit of one chapter's module.

Works on a scratch copy of the book (``book/``, ``src/``, configuration) with its own build
directory, so the real ``_build`` and sources are untouched. Prints the per-chapter split
(kernel start-up, execution), the rendering time, and the four wall times, and keeps the cold
build's per-chapter runtimes in ``_build/benchmarks/runtimes-<mode>.json`` (the values to copy
into ``book/runtimes.json``, the reference timings shown in the chapters' summaries).
Run: ``python benchmarks/build_times.py [quick|paper]``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gd(root: Path, *args: str) -> tuple[float, str]:
    """Wall seconds and output of ``gdtheory ARGS`` on the book at ``root``."""
    env = {**os.environ, "GDTHEORY_ROOT": str(root), "GDTHEORY_BUILD_DIR": str(root / "_build")}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "gdtheory", *args], cwd=root, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stdout[-2000:] + proc.stderr[-2000:])
    return time.perf_counter() - t0, proc.stdout


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book_root"
        root.mkdir()
        for name in ("_config.yml", "_toc.yml", "requirements.txt"):
            shutil.copy(ROOT / name, root / name)
        shutil.copytree(ROOT / "book", root / "book")
        shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
        cold, out = gd(root, "build", "--mode", mode)
        table = out[out.index("chapter ") :].strip()
        keep = ROOT / "_build" / "benchmarks"
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / "_build" / "runtimes.json", keep / f"runtimes-{mode}.json")
        same, _ = gd(root, "build", "--mode", mode)
        page = root / "book" / "chapters" / "lin2021.md"
        page.write_text(page.read_text() + "\nA paragraph appended by the benchmark.\n")
        prose, out_p = gd(root, "build", "--mode", mode)
        assert "executing" not in out_p, out_p
        mod = root / "src" / "gdtheory" / "papers" / "long2021" / "geometric_condition.py"
        mod.write_text(mod.read_text() + "\n# an edit by the benchmark\n")
        module, out_m = gd(root, "build", "--mode", mode)
        executed = [ln.split(":")[0] for ln in out_m.splitlines() if ": executing" in ln]
    print(f"mode {mode}\n{table}")
    print(f"cold build:                 {cold:7.1f} s")
    print(f"no-change build:            {same:7.1f} s")
    print(f"prose edit (lin2021):       {prose:7.1f} s  (executed nothing)")
    print(f"module edit (long2021 only):{module:7.1f} s  (executed: {', '.join(executed)})")
    print(f"ratio build-cold-vs-nochange-{mode} {cold / same:.1f}")


if __name__ == "__main__":
    main()
