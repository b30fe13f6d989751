"""The whole book in quick mode, twice: with the default seeds and with every seed changed.

Every chapter executes, every claim passes (with a role), the HTML is offline, figures carry
their provenance, and the same seed gives bit-identical figure data. Slow: marked ``book``
(``pytest -m "not book"`` is the fast loop).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT

from gdtheory.pipeline.chapters import chapters
from gdtheory.record.figures import MANIFEST_KEYS, resolve_name
from gdtheory.record.ledger import ROLES

pytestmark = pytest.mark.book

# the tests build into their own folders, so they never overwrite a paper-scale _build
BUILD = ROOT / "_build" / "pytest"  # = conftest.QUICK_BUILD
RESEED = ROOT / "_build" / "pytest-reseeded"
CHAPTERS = chapters()


@pytest.fixture(scope="module")
def built(quick_book):
    return quick_book


def _ledger(bdir, cid):
    return json.loads((bdir / "claims" / f"{cid}.json").read_text())


def test_every_chapter_executed_with_an_all_passed_ledger_with_roles(built):
    for cid in CHAPTERS:
        ledger = _ledger(BUILD, cid)
        assert ledger["mode"] == "quick"
        assert ledger["n_claims"] > 0, cid
        assert all(c["passed"] for c in ledger["claims"]), cid
        assert all(c["role"] in ROLES for c in ledger["claims"]), cid
        assert ledger["roles"]["control"] >= 2, f"{cid}: at least two negative controls"
        assert (BUILD / "html" / "book" / "chapters" / f"{cid}.html").exists()


@pytest.mark.parametrize("cid", list(CHAPTERS))
def test_any_seed_a_reader_passes(run_cli, cid):
    """Every seed parameter changed (+1): the chapter must still pass every claim."""
    seeds = [k for k in CHAPTERS[cid].specs if k.startswith("SEED") or k.endswith("_SEED")]
    args = [a for k in seeds for a in ("-p", k, str(CHAPTERS[cid].params[k] + 1))]
    proc = run_cli(
        "run", cid, "--mode", "quick", "--no-render", *args, timeout=1200, build_dir=RESEED
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert all(c["passed"] for c in _ledger(RESEED, cid)["claims"])


def test_second_build_reuses_everything(run_cli, built):
    proc = run_cli("build", "--mode", "quick", timeout=600, build_dir=BUILD)
    assert proc.returncode == 0
    assert "executing" not in proc.stdout
    assert proc.stdout.count("up to date") == len(CHAPTERS)


def test_figure_manifest_has_provenance(built):
    entries = json.loads((BUILD / "figures" / "figures.json").read_text())
    assert entries
    for label, e in entries.items():
        assert MANIFEST_KEYS <= set(e), label
        assert re.fullmatch(r"fig-[a-z]+\d{4}-x?\d+[a-z]?", label)
        for name in e["function"].split(", "):
            assert callable(resolve_name(name)), (label, name)
        for ext in ("png", "pdf"):
            assert (BUILD / "figures" / e["chapter"] / f"{label}.{ext}").exists()
        page = (BUILD / "html" / "book" / "chapters" / f"{e['chapter']}.html").read_text()
        assert f'id="{label}"' in page
        gallery = (BUILD / "html" / "book" / "gallery.html").read_text()
        assert f"{label}.png" in gallery


def test_captions_carry_the_papers_numbers(built):
    for cid in CHAPTERS:
        page = (BUILD / "html" / "book" / "chapters" / f"{cid}.html").read_text()
        numbers = re.findall(
            r'<figcaption>\s*<p><span class="caption-number">([^<]*)</span>', page
        )
        assert numbers, cid
        for n in numbers:
            assert re.fullmatch(r"(Figure \d+(\([a-z]\))?|Extension x\d+) ", n), (cid, n)


class _External(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href"):
            url = a.get(key) or ""
            if tag in ("script", "link", "img", "iframe", "source") and re.match(
                r"^(https?:)?//", url
            ):
                self.bad.append(f"<{tag} {key}={url}>")


def test_html_loads_nothing_from_the_network(built):
    pages = list((BUILD / "html").rglob("*.html"))
    assert pages
    for page in pages:
        parser = _External()
        text = page.read_text()
        parser.feed(text)
        assert not parser.bad, (page, parser.bad)
        assert "cdn.jsdelivr" not in text and "fonts.googleapis" not in text
    chapter = (BUILD / "html" / "book" / "chapters" / "lin2021.html").read_text()
    assert "_static/mathjax/tex-chtml.js" in chapter
    assert (BUILD / "html" / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_download_button_points_to_the_executed_notebook(built):
    for cid in CHAPTERS:
        page = (BUILD / "html" / "book" / "chapters" / f"{cid}.html").read_text()
        assert f"_sources/book/chapters/{cid}.ipynb" in page
        assert (BUILD / "html" / "_sources" / "book" / "chapters" / f"{cid}.ipynb").exists()


def test_status_page_lists_every_chapter_with_roles(built):
    status = (BUILD / "html" / "book" / "status.html").read_text()
    for cid in CHAPTERS:
        assert cid in status
    assert "consistency" in status and "control" in status


def test_executed_chapters_emit_no_warnings(built):
    for cid in CHAPTERS:
        nb = json.loads((BUILD / "executed" / f"{cid}.ipynb").read_text())
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    assert "Warning" not in out["text"] and "warn" not in out["text"], (
                        cid,
                        out["text"][:500],
                    )


def test_same_seed_gives_bit_identical_figure_data(run_cli, built):
    before = json.loads((BUILD / "figures" / "figures.json").read_text())
    proc = run_cli("run", "lin2021", "--mode", "quick", "--no-render", build_dir=BUILD)
    assert proc.returncode == 0, proc.stderr[-2000:]
    after = json.loads((BUILD / "figures" / "figures.json").read_text())
    for label, entry in before.items():
        if entry["chapter"] == "lin2021":
            assert after[label]["data_sha256"] == entry["data_sha256"], label
