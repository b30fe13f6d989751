"""Pages generated at build time from the ledgers and the figure manifest.

- the home page's table of papers (status, counts, a thumbnail each),
- the status page (per chapter: claims per role, statements per status, timings),
- the figure gallery (a card per figure: paper and number, status, downloads, citation, BibTeX),
- the how-to-cite page (one citation line per figure),
- placeholders for chapters not executed in this build (keeping their figure labels),
- the page of an executed chapter: its *current* prose merged with the executed code cells,
  so a prose edit shows without re-executing.

Every list is built from what exists in the build directory, so a page can never name a
figure that does not exist or miss one that does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from ..record import provenance
from ..record.figures import LABEL_RE, citation, manifest
from ..record.paths import build_dir, root
from .chapters import Chapter

__all__ = [
    "papers",
    "paper_number",
    "home_markdown",
    "status_markdown",
    "gallery_markdown",
    "cite_markdown",
    "placeholder_page",
    "merged_notebook",
]


def papers() -> list[dict[str, str]]:
    """The five papers of the book (``book/papers.yml``)."""
    return yaml.safe_load((root() / "book" / "papers.yml").read_text())


def _short(cid: str) -> str:
    return next((p["short"] for p in papers() if p["chapter"] == cid), cid)


def paper_number(label: str) -> str:
    """The name a figure label stands for: ``fig-lin2021-1a`` → "Figure 1(a)", ``-x1`` →
    "Extension x1" (the book's own figures carry the paper's numbers, never running ones)."""
    m = LABEL_RE.match(label)
    if not m:
        return ""
    n = m.group("n")
    if n.startswith("x"):
        return f"Extension {n}"
    num = n.rstrip("abcdefghijklmnopqrstuvwxyz")
    letter = n[len(num) :]
    return f"Figure {num}" + (f"({letter})" if letter else "")


def _read_jsons(folder: Path) -> dict[str, dict]:
    """Every readable ``<folder>/*.json`` by stem (ledgers, execution records)."""
    out = {}
    for p in sorted(folder.glob("*.json")):
        try:
            out[p.stem] = json.loads(p.read_text())
        except (OSError, ValueError):
            continue
    return out


def _ledgers(bdir: Path) -> dict[str, dict]:
    return _read_jsons(bdir / "claims")


def _records(bdir: Path) -> dict[str, dict]:
    return _read_jsons(bdir / "executed")


def _counts(led: dict) -> dict[str, dict[str, int]]:
    roles = {"evidence": 0, "control": 0, "consistency": 0}
    for c in led.get("claims", []):
        roles[c.get("role", "evidence")] = roles.get(c.get("role", "evidence"), 0) + 1
    stmts = {"checked": 0, "erratum": 0, "out of scope": 0, "proof-only": 0}
    figs = {"reproduced": 0, "substitute": 0, "extension": 0}
    for s in led.get("status", {}).values():
        if s.get("kind") == "figure":
            figs[
                {"deviation": "substitute", "beyond the paper": "extension"}.get(
                    s["status"], "reproduced"
                )
            ] += 1
        elif s["status"] in stmts:
            stmts[s["status"]] += 1
    return {"roles": roles, "statements": stmts, "figures": figs}


def home_markdown(known: dict[str, Chapter]) -> str:
    """The generated table of papers on the home page."""
    bdir = build_dir()
    ledgers, figures = _ledgers(bdir), manifest(bdir)
    lines = ["## The five papers", "", "::::{grid} 1 2 2 3", ":gutter: 3", ""]
    for p in papers():
        cid = p["chapter"]
        led = ledgers.get(cid) if cid in known else None
        thumbs = [e for e in figures.values() if e["chapter"] == cid]
        lines.append(f":::{{grid-item-card}} {p['short']}")
        if led is not None and thumbs:
            lines.append(f":img-top: _figures/{cid}/{thumbs[0]['label']}.png")
        lines.append("")
        lines.append(f"*{p['title']}*")
        lines.append("")
        if led is not None:
            c = _counts(led)
            r, s, f = c["roles"], c["statements"], c["figures"]
            lines += [
                f"**built** ({led['mode']} mode) · {{ref}}`read the chapter <ch-{cid}>`",
                "",
                f"{sum(f.values())} figures · {s['checked']} statements checked · "
                f"{s['erratum']} errata · {r['evidence']} evidence / {r['control']} control / "
                f"{r['consistency']} consistency claims",
            ]
        elif cid in known:
            lines.append("**not executed in this build** (run `gdtheory build`)")
        else:
            lines.append("**planned**")
        lines += [":::", ""]
    lines += ["::::", ""]
    return "\n".join(lines)


def status_markdown(known: dict[str, Chapter]) -> str:
    """The generated part of the status page."""
    bdir = build_dir()
    records, ledgers, figures = _records(bdir), _ledgers(bdir), manifest(bdir)
    lines = [
        "## Chapters",
        "",
        "| chapter | mode | claims passed | evidence | control | consistency | checked "
        "| erratum | out of scope | proof-only | figures | kernel (s) | execution (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cid in known:
        rec, led = records.get(cid), ledgers.get(cid)
        if rec is None or led is None:
            lines.append(f"| {cid} | not executed |" + " – |" * 11)
            continue
        c = _counts(led)
        r, s = c["roles"], c["statements"]
        nfig = sum(1 for e in figures.values() if e["chapter"] == cid)
        lines.append(
            f"| {{ref}}`{cid} <ch-{cid}>` | {rec['mode']} | {led['n_passed']}/{led['n_claims']} "
            f"| {r['evidence']} | {r['control']} | {r['consistency']} | {s['checked']} "
            f"| {s['erratum']} | {s['out of scope']} | {s['proof-only']} | {nfig} "
            f"| {rec['kernel_s']:.1f} | {rec['exec_s']:.1f} |"
        )
    lines += [
        "",
        "*evidence*: would fail if the paper's statement were false; *control*: a hypothesis "
        "removed, the conclusion asserted to fail; *consistency*: the book's own code agrees "
        "with itself (never counted as evidence).",
        "",
        "## Every claim",
        "",
    ]
    for cid, led in ledgers.items():
        if cid not in known:
            continue
        lines += [
            f"### {cid}",
            "",
            ":::{dropdown} " + f"{led['n_claims']} claims of {cid}",
            "| claim | role | paper | ok |",
            "|---|---|---|---|",
        ]
        for c in led["claims"]:
            ref = str(c["ref"]).replace("|", "\\|")
            lines.append(
                f"| `{c['id']}` | {c.get('role', '–')} | {ref} | {'✔' if c['passed'] else '✘'} |"
            )
        lines += [":::", ""]
    commits = sorted({r["commit"] for r in records.values()})
    env = provenance.environment()
    lines += [
        "## Environment",
        "",
        f"- chapters executed at commit(s): {', '.join(f'`{c}`' for c in commits) or '–'}",
        f"- book rendered at commit `{provenance.commit()}`",
        f"- Python {sys.version.split()[0]} on {env['platform']} ({env['cpu_count']} cores)",
        f"- requirements.txt sha256 `{env['requirements_sha256']}`",
    ]
    lines += [f"- {k} {v}" for k, v in provenance.versions().items()]
    return "\n".join(lines) + "\n"


def _bibtex(e: dict[str, Any]) -> str:
    key = e["label"].replace("fig-", "gdtheory-")
    return (
        f"@misc{{{key},\n"
        f"  title  = {{{paper_number(e['label'])} of {_short(e['chapter'])}, reproduced: "
        f"{e['label']}}},\n"
        f"  author = {{{{The gdtheory authors}}}},\n"
        f"  note   = {{Reproducible companion book on gradient-descent dynamics, commit "
        f"{e['commit']}, data sha256 {e['data_sha256'][:12]}}},\n"
        f"  year   = {{2026}}\n}}"
    )


def gallery_markdown() -> str:
    """A card per figure of the book, built from the manifest."""
    entries = manifest(build_dir())
    if not entries:
        return "No figure has been built yet: run `gdtheory build`.\n"
    lines = []
    by_chapter: dict[str, list[dict]] = {}
    for e in entries.values():
        by_chapter.setdefault(e["chapter"], []).append(e)
    for cid, es in by_chapter.items():
        lines += [f"## {_short(cid)}", "", "::::{grid} 1 2 2 3", ":gutter: 2", ""]
        for e in es:
            label, name = e["label"], paper_number(e["label"])
            status = e.get("status", "reproduced")
            status = {"deviation": "reproduced on a substitute"}.get(status, status)
            lines += [
                f":::{{grid-item-card}} {name}",
                f":img-top: _figures/{cid}/{label}.png",
                "",
                f"{status} · {{ref}}`in the chapter <{label}>` · "
                f"{{download}}`PNG <_figures/{cid}/{label}.png>` · "
                f"{{download}}`PDF <_figures/{cid}/{label}.pdf>`",
                "",
                f"`{label}` — {citation(e)}",
                "",
                "```bibtex",
                _bibtex(e),
                "```",
                ":::",
                "",
            ]
        lines += ["::::", ""]
    return "\n".join(lines)


def cite_markdown() -> str:
    """The generated part of the how-to-cite page: one citation line per figure."""
    lines = ["## Figures", "", "| label | figure | files | citation |", "|---|---|---|---|"]
    for label, e in manifest(build_dir()).items():
        lines.append(
            f"| {{ref}}`{label} <{label}>` | {_short(e['chapter'])}, {paper_number(label)} | "
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


def placeholder_page(ch: Chapter) -> str:
    """The page of a chapter not executed yet: its label and its figure labels, so that
    cross-references from other pages still resolve."""
    return _PLACEHOLDER.format(cid=ch.id, title=ch.title) + "".join(
        _PLACEHOLDER_FIGURE.format(label=label) for label in ch.figures
    )


def placeholder_png() -> bytes:
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


def merged_notebook(ch: Chapter, executed: Path) -> bytes:
    """The chapter's current text with the executed notebook's code cells and outputs.

    The executed notebook is current for the code (the cache guarantees it), but its
    Markdown cells are those of the last execution; the current source's Markdown cells
    replace them, so a prose edit reaches the page without re-executing. If the code cells
    do not line up (they always do after a successful build), the executed notebook is used
    as it is. Cell ids are made deterministic (``cell-<n>``): the same sources give the same
    bytes, so an unchanged book is recognised as such and not rendered again.
    """
    import jupytext
    import nbformat

    run = nbformat.read(executed, as_version=4)
    src = jupytext.read(ch.path)
    injected = [c for c in run.cells if "injected-parameters" in c.metadata.get("tags", [])]
    code = [
        c
        for c in run.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    if len(code) != sum(c.cell_type == "code" for c in src.cells):
        return nbformat.writes(run).encode()
    it = iter(code)
    cells = []
    for c in src.cells:
        if c.cell_type != "code":
            cells.append(c)
            continue
        cells.append(next(it))
        if "parameters" in c.metadata.get("tags", []):
            cells += injected
    for i, c in enumerate(cells):
        c["id"] = f"cell-{i}"
    run.cells = cells
    return nbformat.writes(run).encode()
