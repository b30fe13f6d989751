"""The quick build as a reader's browser shows it (Debian's chromium driven by Playwright).

Every page: MathJax finished with no error and no raw TeX left; every figure loaded; no
request other than ``file://`` (each other one is blocked and fails the test); the download
button names an executed notebook that exists; in the theme's dark mode the figures keep their
white background. Screenshots of each chapter's first screen and of the gallery are saved
under ``_build/screenshots/`` (light and dark).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.book

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _png_corner_is_white(path: Path) -> bool:
    """Decode the first row of an 8-bit RGB(A) PNG (no dependencies) and test pixel (0, 0)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, _, depth, color = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    channels = {2: 3, 6: 4}[color]
    assert depth == 8
    raw = zlib.decompress(idat)[: 1 + width * channels]
    # on the first row every PNG filter leaves the first pixel as it is
    return all(c >= 250 for c in raw[1:4])


def test_every_page_in_a_real_browser(quick_book, browser):
    html = quick_book / "html"
    shots = quick_book.parent / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(
        p
        for p in html.rglob("*.html")
        if "_static" not in p.parts and p.name not in ("search.html", "genindex.html")
    )
    blocked: list[str] = []
    totals = {"pages": 0, "math": 0, "images": 0}
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise"
            " && (MathJax.startup.promise.then(() => window.__mj = true), window.__mj))",
            timeout=60_000,
        )
        rel = path.relative_to(html)
        text = page.inner_text("article") if page.query_selector("article") else ""
        assert "$$" not in text and "\\(" not in text, (rel, "raw TeX left")
        assert page.query_selector_all("mjx-merror, .MathJax_Error") == [], (rel, "MathJax error")
        totals["math"] += len(page.query_selector_all("mjx-container"))
        imgs = page.eval_on_selector_all(
            "article img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])"
        )
        for src, w in imgs:
            assert w > 0, (rel, src, "image not loaded")
        totals["images"] += len(imgs)
        totals["pages"] += 1
        if rel.parts[:2] == ("book", "chapters"):
            cid = rel.stem
            dl = page.eval_on_selector_all(
                "a[href$='.ipynb']", "els => els.map(e => e.getAttribute('href'))"
            )
            assert any(h.endswith(f"_sources/book/chapters/{cid}.ipynb") for h in dl), rel
            assert (html / "_sources" / "book" / "chapters" / f"{cid}.ipynb").exists()
            page.screenshot(path=str(shots / f"{cid}.png"))
        if rel == Path("book/gallery.html") or rel == Path("index.html"):
            page.screenshot(path=str(shots / f"{rel.stem}.png"), full_page=False)
    # dark mode: the theme darkens the page, the figures keep their white background
    page.goto((html / "book" / "gallery.html").as_uri(), wait_until="load")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_timeout(300)
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg != "rgb(255, 255, 255)", "dark mode did not apply"
    filters = page.eval_on_selector_all(
        "article img", "els => els.map(e => getComputedStyle(e).filter)"
    )
    assert filters and all(f == "none" for f in filters), "figures are recoloured in dark mode"
    page.screenshot(path=str(shots / "gallery-dark.png"))
    for png in (quick_book / "figures").glob("*/*.png"):
        assert _png_corner_is_white(png), png
    ctx.close()
    assert not blocked, f"requests other than file:// were made: {sorted(set(blocked))[:5]}"
    (shots / "counts.txt").write_text(
        " ".join(f"{k}={v}" for k, v in totals.items()) + f" blocked={len(blocked)}\n"
    )
    assert totals["math"] > 100 and totals["images"] > 10
    assert re.search(r"pages=\d+", (shots / "counts.txt").read_text())
