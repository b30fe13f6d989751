"""Execute chapters with papermill, never twice, and render the book with Jupyter Book.

Pipeline
--------
1. :func:`resolve` validates every input (chapter ids, mode, parameter names
   and types) before anything runs, raising :class:`UsageError`.
2. :func:`execute` runs one chapter's jupytext source through papermill in a
   scratch directory; only on success are its executed notebook, ledger and
   figures moved into ``_build/``.  A content hash of the chapter source, its
   parameters and every file of ``src/gdtheory`` decides whether an existing
   executed notebook can be reused (:func:`is_fresh`).
3. :func:`render` assembles a staging copy of the book in which every chapter
   is its executed ``.ipynb``, generates the status and citation pages, and
   runs ``jupyter-book build`` with execution off and warnings as errors; the
   new HTML replaces ``_build/html`` only if the render succeeded.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..record import provenance
from ..record.paths import build_dir, root
from ..record.runtimes import record_runtime

__all__ = [
    "MODES",
    "Chapter",
    "UsageError",
    "BuildError",
    "chapters",
    "resolve",
    "content_hash",
    "is_fresh",
    "execute",
    "render",
    "build",
    "ensure_writable",
]

MODES = ("quick", "paper")


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2, nothing computed."""


class BuildError(Exception):
    """A chapter or the render failed: reported with its cause, exit status 1."""


@dataclass
class Chapter:
    """A chapter of the book: its id, source and papermill parameters with defaults."""

    id: str
    path: Path
    params: dict[str, Any] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    title: str = ""


# --------------------------------------------------------------------------- discovery


def _toc_files() -> list[str]:
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


def _read_notebook(path: Path):
    import jupytext

    return jupytext.read(path)


def parse_parameters(nb) -> dict[str, Any]:
    """Return the literal assignments of the cell tagged ``parameters``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            params = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Name):
                        params[target.id] = ast.literal_eval(node.value)
            return params
    return {}


def _parse_figures(text: str) -> list[str]:
    import re

    return list(dict.fromkeys(re.findall(r"\{glue:figure\}\s+(fig-[a-z0-9-]+)", text)))


def chapters() -> dict[str, Chapter]:
    """The chapters of the book in table-of-contents order."""
    out: dict[str, Chapter] = {}
    for f in _toc_files():
        if not f.startswith("book/chapters/"):
            continue
        path = root() / (f + ".md")
        cid = path.stem
        text = path.read_text()
        nb = _read_notebook(path)
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), cid)
        out[cid] = Chapter(cid, path, parse_parameters(nb), _parse_figures(text), title)
    return out


# --------------------------------------------------------------------------- validation


def _coerce(chapter: str, name: str, raw: str, default: Any) -> Any:
    """Parse the command-line string ``raw`` as the type of ``default``."""
    kind = type(default).__name__
    try:
        if isinstance(default, bool):
            low = raw.lower()
            if low not in ("true", "false", "1", "0"):
                raise ValueError
            value: Any = low in ("true", "1")
        elif isinstance(default, int):
            value = int(raw)
        elif isinstance(default, float):
            value = float(raw)
        elif isinstance(default, str):
            value = raw
        else:
            value = ast.literal_eval(raw)
            if type(value) is not type(default):
                raise ValueError
    except (ValueError, SyntaxError):
        raise UsageError(
            f"parameter {name} of {chapter} takes a value of type {kind} "
            f"(default {default!r}); got {raw!r}"
        ) from None
    if name == "MODE" and value not in MODES:
        raise UsageError(f"unknown mode {value!r} for {chapter}; choose one of {', '.join(MODES)}")
    return value


def resolve(
    ids: list[str] | None,
    mode: str | None,
    overrides: list[tuple[str, str]] | None = None,
) -> list[tuple[Chapter, dict[str, Any]]]:
    """Validate the request and return each chapter with its full parameter set.

    Raises :class:`UsageError` naming the offending input and the allowed choices.
    """
    if mode is not None and mode not in MODES:
        raise UsageError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    known = chapters()
    ids = list(ids) if ids else list(known)
    for cid in ids:
        if cid not in known:
            raise UsageError(
                f"unknown chapter {cid!r}; choose one of {', '.join(known) or '(none)'}"
            )
    out = []
    for cid in dict.fromkeys(ids):
        ch = known[cid]
        params = dict(ch.params)
        if "MODE" not in params:
            raise UsageError(f"chapter {cid} has no MODE in its parameters cell")
        for name, raw in overrides or []:
            if name not in ch.params:
                raise UsageError(
                    f"unknown parameter {name!r} for chapter {cid}; "
                    f"its parameters are {', '.join(ch.params)}"
                )
            params[name] = _coerce(cid, name, raw, ch.params[name])
        if mode is not None:
            if overrides and any(n == "MODE" for n, _ in overrides) and params["MODE"] != mode:
                raise UsageError(f"--mode {mode} contradicts -p MODE {params['MODE']}")
            params["MODE"] = mode
        out.append((ch, params))
    return out


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


# --------------------------------------------------------------------------- staleness


def content_hash(chapter: Chapter, params: dict[str, Any]) -> str:
    """Hash of what determines a chapter's outputs.

    Its source, its parameters, every file of ``src/gdtheory`` and the versions of the
    numerical stack (a new numpy may change the numbers).
    """
    h = hashlib.sha256()
    h.update(json.dumps(provenance.versions(), sort_keys=True).encode())
    h.update(chapter.path.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    pkg = root() / "src" / "gdtheory"
    for f in sorted(pkg.rglob("*.py")):
        h.update(str(f.relative_to(pkg)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _meta_path(cid: str) -> Path:
    return build_dir() / "executed" / f"{cid}.json"


def is_fresh(chapter: Chapter, params: dict[str, Any]) -> bool:
    """True if ``_build`` holds an execution of exactly this source, parameters and package."""
    meta = _meta_path(chapter.id)
    nb = build_dir() / "executed" / f"{chapter.id}.ipynb"
    if not (meta.exists() and nb.exists()):
        return False
    return json.loads(meta.read_text()).get("hash") == content_hash(chapter, params)


# --------------------------------------------------------------------------- execution


def _replace_dir(src: Path, dst: Path) -> None:
    if dst.exists():
        old = dst.with_name(dst.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        dst.rename(old)
        src.rename(dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        src.rename(dst)


def execute(chapter: Chapter, params: dict[str, Any], *, progress: bool = True) -> dict:
    """Execute one chapter with papermill; publish its outputs into ``_build`` only on success.

    Returns the execution record (hash, parameters, kernel and execution seconds).
    """
    import papermill as pm

    bdir = build_dir()
    work = bdir / ".work" / chapter.id
    shutil.rmtree(work, ignore_errors=True)
    (work / "out").mkdir(parents=True)
    nb = _read_notebook(chapter.path)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    executed = work / f"{chapter.id}.ipynb"
    names = ("GDTHEORY_OUT", "GDTHEORY_ROOT", "GDTHEORY_BUILD_DIR")
    env_before = {k: os.environ.get(k) for k in names}
    os.environ["GDTHEORY_OUT"] = str(work / "out")
    os.environ["GDTHEORY_ROOT"] = str(root())
    os.environ["GDTHEORY_BUILD_DIR"] = str(bdir)
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            nb,
            str(executed),
            parameters=params,
            kernel_name="python3",
            cwd=str(chapter.path.parent),
            progress_bar=progress and {"desc": chapter.id},
            log_output=False,
        )
    except pm.PapermillExecutionError as err:
        failed = bdir / "failed"
        failed.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            shutil.copy2(executed, failed / executed.name)
        raise BuildError(
            f"chapter {chapter.id} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"  (executed notebook kept at {failed / executed.name}; "
            "the previous build is untouched)"
        ) from None
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    total = time.perf_counter() - t0
    out_nb = json.loads(executed.read_text())
    cell_s = sum(
        (c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for c in out_nb["cells"]
    )
    record = {
        "chapter": chapter.id,
        "hash": content_hash(chapter, params),
        "params": params,
        "mode": params["MODE"],
        "kernel_s": round(total - cell_s, 2),
        "exec_s": round(cell_s, 2),
        "total_s": round(total, 2),
        "commit": provenance.commit(),
    }
    # publish: ledger, figures, executed notebook, record
    for sub in ("claims", "figures"):
        (bdir / sub).mkdir(parents=True, exist_ok=True)
    ledger = work / "out" / "claims" / f"{chapter.id}.json"
    if not ledger.exists():
        raise BuildError(f"chapter {chapter.id} wrote no claims ledger (call start_chapter)")
    shutil.copy2(ledger, bdir / "claims" / ledger.name)
    figs = work / "out" / "figures" / chapter.id
    if figs.exists():
        _replace_dir(figs, bdir / "figures" / chapter.id)
    else:
        shutil.rmtree(bdir / "figures" / chapter.id, ignore_errors=True)
    _write_manifest(bdir)
    (bdir / "executed").mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, bdir / "executed" / executed.name)
    _meta_path(chapter.id).write_text(json.dumps(record, indent=1))
    record_runtime(chapter.id, params["MODE"], total, cell_s, record["commit"])
    shutil.rmtree(work, ignore_errors=True)
    return record


def _write_manifest(bdir: Path) -> None:
    from ..record.figures import manifest

    (bdir / "figures" / "figures.json").write_text(json.dumps(manifest(bdir), indent=1))


# --------------------------------------------------------------------------- rendering


def _sync_file(content: bytes, dst: Path) -> None:
    """Write ``content`` to ``dst`` only if it differs (keeps mtimes for incremental Sphinx)."""
    if dst.exists() and dst.read_bytes() == content:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(content)


def _executed_records() -> dict[str, dict]:
    out = {}
    for p in sorted((build_dir() / "executed").glob("*.json")):
        out[p.stem] = json.loads(p.read_text())
    return out


def _ledgers() -> dict[str, dict]:
    out = {}
    for p in sorted((build_dir() / "claims").glob("*.json")):
        out[p.stem] = json.loads(p.read_text())
    return out


def status_markdown(known: dict[str, Chapter]) -> str:
    """The generated part of the status page: ledgers, execution times, versions, commit."""
    from ..record.figures import manifest

    records, ledgers, figures = _executed_records(), _ledgers(), manifest()
    lines = [
        "## Chapters",
        "",
        "| chapter | mode | claims passed | figures | kernel start-up (s) | execution (s) |",
        "|---|---|---|---|---|---|",
    ]
    for cid in known:
        rec, led = records.get(cid), ledgers.get(cid)
        if rec is None or led is None:
            lines.append(f"| {cid} | not executed | – | – | – | – |")
            continue
        nfig = sum(1 for e in figures.values() if e["chapter"] == cid)
        lines.append(
            f"| {{ref}}`{cid} <ch-{cid}>` | {rec['mode']} | {led['n_passed']}/{led['n_claims']} "
            f"| {nfig} | {rec['kernel_s']:.1f} | {rec['exec_s']:.1f} |"
        )
    lines += ["", "## Every claim", ""]
    for cid, led in ledgers.items():
        if cid not in known:
            continue
        lines += [f"### {cid}", "", "| claim | kind | paper | ok |", "|---|---|---|---|"]
        for c in led["claims"]:
            lines.append(
                f"| `{c['id']}` | {c['kind']} | {c['ref']} | {'✔' if c['passed'] else '✘'} |"
            )
        lines.append("")
    commits = sorted({r["commit"] for r in records.values()})
    lines += [
        "## Environment",
        "",
        f"- chapters executed at commit(s): {', '.join(f'`{c}`' for c in commits) or '–'}",
        f"- book rendered at commit `{provenance.commit()}`",
        f"- Python {sys.version.split()[0]}",
    ]
    lines += [f"- {k} {v}" for k, v in provenance.versions().items()]
    return "\n".join(lines) + "\n"


def cite_markdown() -> str:
    """The generated part of the how-to-cite page: one citation line per figure."""
    from ..record.figures import citation, manifest

    lines = ["## Figures", "", "| label | paper figure | files | citation |", "|---|---|---|---|"]
    for label, e in manifest().items():
        lines.append(
            f"| {{ref}}`{label} <{label}>` | {e['chapter']} Fig. {e['paper_figure']} | "
            f"{{download}}`PNG <_figures/{e['chapter']}/{label}.png>`, "
            f"{{download}}`PDF <_figures/{e['chapter']}/{label}.pdf>` | {citation(e)} |"
        )
    return "\n".join(lines) + "\n"


_PLACEHOLDER = """(ch-{cid})=
# {title}

This chapter has not been executed in this build. Run `gdtheory build` (or
`gdtheory run {cid}`) to execute it.
"""

_PLACEHOLDER_FIGURE = """
```{{figure}} _not_executed.png
:name: {label}

{label}: not computed in this build.
```
"""


def _placeholder_png() -> bytes:
    """A 1×1 white PNG, standing in for the figures of a chapter not executed yet."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


def _stage(known: dict[str, Chapter]) -> Path:
    """Assemble ``_build/stage``: the book with executed notebooks and generated pages."""
    r, stage = root(), build_dir() / "stage"
    wanted: set[Path] = set()

    def put(rel: str, content: bytes) -> None:
        dst = stage / rel
        _sync_file(content, dst)
        wanted.add(dst)

    for name in ("_config.yml", "_toc.yml"):
        put(name, (r / name).read_bytes())
    for src in sorted((r / "book").rglob("*")):
        if not src.is_file() or src.relative_to(r / "book").parts[0] == "chapters":
            continue
        rel = str(src.relative_to(r))
        content = src.read_bytes()
        if src.name == "status.md":
            content += status_markdown(known).encode()
        elif src.name == "cite.md":
            content += cite_markdown().encode()
        put(rel, content)
    for cid, ch in known.items():
        nb = build_dir() / "executed" / f"{cid}.ipynb"
        if nb.exists():
            put(f"book/chapters/{cid}.ipynb", nb.read_bytes())
        else:
            page = _PLACEHOLDER.format(cid=cid, title=ch.title) + "".join(
                _PLACEHOLDER_FIGURE.format(label=label) for label in ch.figures
            )
            put(f"book/chapters/{cid}.md", page.encode())
            put("book/chapters/_not_executed.png", _placeholder_png())
    figs = build_dir() / "figures"
    for f in sorted(figs.glob("*/*")):
        if f.suffix in (".png", ".pdf"):
            put(f"book/_figures/{f.parent.name}/{f.name}", f.read_bytes())
    for f in sorted(stage.rglob("*")):
        if f.is_file() and f not in wanted:
            f.unlink()
    return stage


def render(known: dict[str, Chapter] | None = None) -> float:
    """Render the executed book to ``_build/html`` (warnings are errors); return seconds taken."""
    known = known if known is not None else chapters()
    t0 = time.perf_counter()
    stage = _stage(known)
    out = build_dir() / "render"
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(exe) if exe.exists() else "jupyter-book",
        "build",
        str(stage),
        "--path-output",
        str(out),
        "--builder",
        "html",
        "-W",
        "-n",
        "--keep-going",
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
    tmp = build_dir() / ".html-new"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(html, tmp)
    figs = build_dir() / "figures"
    if figs.exists():
        shutil.copytree(figs, tmp / "figures")
    _replace_dir(tmp, build_dir() / "html")
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- the whole book


def build(
    ids: list[str] | None = None,
    mode: str | None = "paper",
    overrides: list[tuple[str, str]] | None = None,
    *,
    force: bool = False,
    progress: bool = True,
    log=print,
) -> dict:
    """Execute what is stale (or everything with ``force``), render, and return the timings."""
    plan = resolve(ids, mode, overrides)
    ensure_writable()
    known = chapters()
    rows = []
    for ch, params in plan:
        if not force and is_fresh(ch, params):
            rec = json.loads(_meta_path(ch.id).read_text())
            log(f"{ch.id}: up to date (source, parameters and src/ unchanged) - reusing")
            rows.append({**rec, "action": "reused"})
            continue
        log(f"{ch.id}: executing ({params['MODE']} mode)")
        rec = execute(ch, params, progress=progress)
        rows.append({**rec, "action": "executed"})
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
