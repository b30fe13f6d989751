"""The whole book in quick mode: every chapter executes, every claim passes, the HTML is offline."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT, run_cli

from gdtheory import build as B
from gdtheory.figures import MANIFEST_KEYS

# the tests build into their own folder, so they never overwrite a paper-scale _build
BUILD = ROOT / "_build" / "pytest"


@pytest.fixture(scope="module")
def built():
    proc = run_cli("build", "--mode", "quick", timeout=1200, build_dir=BUILD)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_every_chapter_executed_with_an_all_passed_ledger(built):
    for cid in B.chapters():
        ledger = json.loads((BUILD / "claims" / f"{cid}.json").read_text())
        assert ledger["mode"] == "quick"
        assert ledger["n_claims"] > 0, cid
        assert all(c["passed"] for c in ledger["claims"]), cid
        assert (BUILD / "html" / "book" / "chapters" / f"{cid}.html").exists()


def test_second_build_reuses_everything(built):
    proc = run_cli("build", "--mode", "quick", timeout=600, build_dir=BUILD)
    assert proc.returncode == 0
    assert "executing" not in proc.stdout
    assert proc.stdout.count("up to date") == len(B.chapters())


def test_figure_manifest_has_provenance(built):
    entries = json.loads((BUILD / "figures" / "figures.json").read_text())
    assert entries
    for label, e in entries.items():
        assert MANIFEST_KEYS <= set(e), label
        assert re.fullmatch(r"fig-[a-z]+\d{4}-x?\d+[a-z]?", label)
        for ext in ("png", "pdf"):
            assert (BUILD / "figures" / e["chapter"] / f"{label}.{ext}").exists()
        assert (
            f'id="{label}"'
            in (BUILD / "html" / "book" / "chapters" / f"{e['chapter']}.html").read_text()
        )


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
    for cid in B.chapters():
        page = (BUILD / "html" / "book" / "chapters" / f"{cid}.html").read_text()
        assert f"_sources/book/chapters/{cid}.ipynb" in page
        assert (BUILD / "html" / "_sources" / "book" / "chapters" / f"{cid}.ipynb").exists()


def test_status_page_lists_every_chapter(built):
    status = (BUILD / "html" / "book" / "status.html").read_text()
    for cid in B.chapters():
        assert cid in status


def test_executed_chapters_emit_no_warnings(built):
    for cid in B.chapters():
        nb = json.loads((BUILD / "executed" / f"{cid}.ipynb").read_text())
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    assert "Warning" not in out["text"] and "warn" not in out["text"], (
                        cid,
                        out["text"][:500],
                    )


def test_same_seed_gives_bit_identical_figure_data(built):
    before = json.loads((BUILD / "figures" / "figures.json").read_text())
    proc = run_cli("run", "lin2021", "--mode", "quick", "--no-render", build_dir=BUILD)
    assert proc.returncode == 0, proc.stderr[-2000:]
    after = json.loads((BUILD / "figures" / "figures.json").read_text())
    for label, entry in before.items():
        if entry["chapter"] == "lin2021":
            assert after[label]["data_sha256"] == entry["data_sha256"], label
