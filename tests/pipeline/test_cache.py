"""What re-executes a chapter: code cells, parameters, environment, imported modules — and
what does not: prose, the CLI, the pipeline."""

from __future__ import annotations

import json

from gdtheory.pipeline.cache import stale_reason, static_key
from gdtheory.pipeline.chapters import chapters
from gdtheory.pipeline.execute import record_of


def _tiny(monkeypatch, root):
    monkeypatch.setenv("GDTHEORY_ROOT", str(root))
    monkeypatch.setenv("GDTHEORY_BUILD_DIR", str(root / "_build"))
    ch = chapters()["tiny2000"]
    return ch, dict(ch.params)


def test_static_key_follows_code_and_parameters_not_prose(tiny_book, monkeypatch):
    ch, params = _tiny(monkeypatch, tiny_book)
    k0 = static_key(ch, params)
    assert static_key(ch, {**params, "SEED": 1}) != k0
    ch.path.write_text(ch.path.read_text() + "\nA new paragraph of prose.\n")
    assert static_key(ch, params) == k0
    ch.path.write_text(ch.path.read_text().replace("1.0 + 1.0", "1.0 + 1.0 + 0.0"))
    assert static_key(ch, params) != k0


def test_rebuild_executes_only_what_changed(run_cli, tiny_book, monkeypatch):
    assert run_cli("build", "--mode", "quick", root=tiny_book).returncode == 0
    ch, params = _tiny(monkeypatch, tiny_book)
    rec = record_of("tiny2000")
    assert "gdtheory/record/ledger.py" in rec["modules"]
    assert not any(m.startswith("gdtheory/pipeline") for m in rec["modules"])
    assert "gdtheory/cli.py" not in rec["modules"]
    assert stale_reason(ch, params, rec) is None
    # the CLI and the pipeline are not imported by the kernel: editing them executes nothing
    cli = tiny_book / "src" / "gdtheory" / "cli.py"
    cli.write_text(cli.read_text() + "\n# a comment\n")
    # prose: re-rendered from the executed notebook, with the new text, nothing executed
    ch.path.write_text(ch.path.read_text() + "\nThe appended paragraph.\n")
    proc = run_cli("build", "--mode", "quick", root=tiny_book)
    assert proc.returncode == 0, proc.stderr
    assert "executing" not in proc.stdout and "up to date" in proc.stdout
    page = (tiny_book / "_build" / "html" / "book" / "chapters" / "tiny2000.html").read_text()
    assert "The appended paragraph." in page
    # a module the chapter imported: re-executed, naming the module
    mod = tiny_book / "src" / "gdtheory" / "record" / "ledger.py"
    mod.write_text(mod.read_text() + "\n# an edit\n")
    proc = run_cli("build", "--mode", "quick", root=tiny_book)
    assert proc.returncode == 0, proc.stderr
    assert "executing" in proc.stdout and "gdtheory/record/ledger.py" in proc.stdout


def test_publication_is_one_symlink_swap(run_cli, tiny_book):
    assert run_cli("run", "tiny2000", "--no-render", root=tiny_book).returncode == 0
    b = tiny_book / "_build"
    first = (b / "chapters" / "tiny2000").resolve()
    assert run_cli("run", "tiny2000", "--no-render", root=tiny_book).returncode == 0
    second = (b / "chapters" / "tiny2000").resolve()
    assert first != second and not first.exists()
    for p in ("claims/tiny2000.json", "executed/tiny2000.ipynb", "executed/tiny2000.json"):
        assert (b / p).is_symlink() and (b / p).resolve().parent == second
    assert json.loads((b / "executed" / "tiny2000.json").read_text())["chapter"] == "tiny2000"


def test_unchanged_book_is_not_rendered_again(run_cli, tiny_book):
    assert run_cli("build", "--mode", "quick", root=tiny_book).returncode == 0
    b = tiny_book / "_build"
    html = (b / "html").resolve()
    digest = (b / "html.source.json").read_text()
    # nothing changed: the same HTML directory stays published, Jupyter Book is not run
    assert run_cli("build", "--mode", "quick", root=tiny_book).returncode == 0
    assert (b / "html").resolve() == html and (b / "html.source.json").read_text() == digest
    # the HTML gone: rendered again although nothing else changed
    (b / "html").unlink()
    assert run_cli("build", "--mode", "quick", root=tiny_book).returncode == 0
    assert (b / "html").resolve() != html and (b / "html" / "index.html").exists()
    assert (b / "html.source.json").read_text() == digest
