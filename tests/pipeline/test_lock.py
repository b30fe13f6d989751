"""Two builds at once wait for each other; SIGTERM mid-chapter leaves the book intact."""

from __future__ import annotations

import signal
import time

import psutil


def _wait_for_kernel(proc, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        kids = psutil.Process(proc.pid).children(recursive=True)
        if any("ipykernel" in " ".join(k.cmdline()) for k in kids):
            return kids
        time.sleep(0.1)
    raise AssertionError("no kernel started")


def test_second_build_waits_or_refuses(run_cli, start_cli, tiny_book):
    first = start_cli("run", "tiny2000", "--no-render", "-p", "SLEEP", "4", root=tiny_book)
    _wait_for_kernel(first)
    refused = run_cli("run", "tiny2000", "--no-render", "--no-wait", root=tiny_book, timeout=60)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "in use by" in refused.stderr
    waited = run_cli("run", "tiny2000", "--no-render", root=tiny_book, timeout=120)
    assert first.wait(60) == 0
    assert waited.returncode == 0, waited.stderr
    assert "waiting for" in waited.stdout and "Traceback" not in waited.stderr


def test_sigterm_mid_chapter_keeps_the_book_and_kills_the_kernel(run_cli, start_cli, tiny_book):
    assert run_cli("build", "--mode", "quick", root=tiny_book).returncode == 0
    b = tiny_book / "_build"
    before = {p: (b / p).read_bytes() for p in ("claims/tiny2000.json", "html/index.html")}
    proc = start_cli("run", "tiny2000", "-p", "SLEEP", "30", root=tiny_book)
    kernels = _wait_for_kernel(proc)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 130
    assert "Traceback" not in proc.stderr.read()
    time.sleep(0.5)
    assert not any(k.is_running() and k.status() != psutil.STATUS_ZOMBIE for k in kernels)
    assert {p: (b / p).read_bytes() for p in before} == before
    again = run_cli("build", "--mode", "quick", root=tiny_book)
    assert again.returncode == 0, again.stderr
