"""The strict parameters cell: literals only, help and range from the comment."""

from __future__ import annotations

import pytest

from gdtheory.pipeline.chapters import parse_parameters_cell


def test_literals_types_help_and_ranges():
    specs = parse_parameters_cell(
        'MODE = "quick"  # "quick" | "paper"\n'
        "SEED: int = 0  # seed of the runs [0, inf)\n"
        "LR: float = 1  # step size (0, 1]\n"
        "FLAG = True\n",
        "demo2000",
    )
    assert specs["SEED"].default == 0 and specs["SEED"].help == "seed of the runs"
    assert specs["SEED"].admits(0) and not specs["SEED"].admits(-1)
    assert specs["LR"].default == 1.0 and isinstance(specs["LR"].default, float)
    assert not specs["LR"].admits(0.0) and specs["LR"].admits(1.0) and not specs["LR"].admits(1.5)
    assert specs["FLAG"].default is True and specs["FLAG"].range_text() == ""


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("LR = 1/1000\n", "literal"),
        ("import numpy\n", "NAME = literal"),
        ("SEED: int = 0.5\n", "type int"),
        ("SEED: list = 0\n", "unknown type"),
        ("X = [1, 2]\n", "int, float, str or bool"),
        ("SEED = -1  # seed [0, inf)\n", "outside its range"),
        ("A = B = 1\n", "NAME = literal"),
        ("SEED = 0\nSEED = 1\n", "twice"),
    ],
)
def test_anything_else_is_one_line_naming_chapter_and_line(source, needle):
    with pytest.raises(ValueError, match="chapter demo2000: parameters cell line") as err:
        parse_parameters_cell(source, "demo2000")
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_a_broken_chapter_does_not_break_the_others(run_cli, tiny_book):
    good = tiny_book / "book" / "chapters" / "tiny2000.md"
    bad = tiny_book / "book" / "chapters" / "tiny2001.md"
    bad.write_text(
        good.read_text().replace("tiny2000", "tiny2001").replace("SCALE = 1.0", "SCALE = 1/1")
    )
    toc = tiny_book / "_toc.yml"
    toc.write_text(toc.read_text() + "  - file: book/chapters/tiny2001\n")
    listed = run_cli("list", root=tiny_book, timeout=60)
    assert listed.returncode == 0 and "tiny2000" in listed.stdout
    assert "UNUSABLE: chapter tiny2001: parameters cell line" in listed.stdout
    refused = run_cli("run", "tiny2001", root=tiny_book, timeout=60)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "line 3" in refused.stderr and "SCALE = 1/1" in refused.stderr
    ok = run_cli("run", "tiny2000", "--no-render", root=tiny_book)
    assert ok.returncode == 0, ok.stderr


def test_a_chapter_run_by_hand_does_not_touch_the_published_build(tmp_path, monkeypatch):
    monkeypatch.delenv("GDTHEORY_OUT", raising=False)
    monkeypatch.setenv("GDTHEORY_BUILD_DIR", str(tmp_path / "_build"))
    import gdtheory as gd

    ledger = gd.start_chapter("hand2000")
    assert ledger.path == tmp_path / "_build" / "by-hand" / "claims" / "hand2000.json"
