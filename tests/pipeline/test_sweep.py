"""``gdtheory sweep`` on a LocalCluster of two processes, on the tiny test book."""

from __future__ import annotations

import csv
import json
import time


def test_bad_points_are_refused_before_any_task(run_cli, tiny_book):
    t0 = time.perf_counter()
    proc = run_cli("sweep", "tiny2000", "-p", "SEED", "0,1,-1", root=tiny_book, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "SEED" in proc.stderr and "-1" in proc.stderr
    assert time.perf_counter() - t0 < 10 and "worker" not in proc.stdout


def test_sweep_records_failures_and_skips_finished_points(run_cli, tiny_book):
    out = tiny_book / "_build" / "sweeps" / "demo"
    args = (
        "sweep",
        "tiny2000",
        "-p",
        "SEED",
        "0,1",
        "-p",
        "SCALE",
        "1.0,1.5",
        "--workers",
        "2",
        "--out",
        str(out),
    )
    first = run_cli(*args, root=tiny_book, timeout=300)
    assert first.returncode == 102, first.stdout + first.stderr  # 100 + two failed points
    assert "Traceback" not in first.stderr
    points = json.loads((out / "points.json").read_text())
    assert sorted(s["status"] for s in points["status"].values()) == [
        "failed",
        "failed",
        "passed",
        "passed",
    ]
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    assert {r["SCALE"] for r in rows} == {"1.0"} and len(rows) == 2
    assert all(r["role"] == "evidence" and r["passed"] == "True" for r in rows)
    for pid, p in points["points"].items():
        if p["SCALE"] == 1.0:
            d = out / "points" / pid
            assert (d / "claims.json").exists() and (d / "tiny2000.ipynb").exists()
            assert (d / "record.json").exists()
    summary = (out / "summary.md").read_text()
    assert "`tiny2000.sum.value` | evidence | 2/2" in summary and "ClaimFailed" in summary
    again = run_cli(*args, root=tiny_book, timeout=300)
    assert again.returncode == 102
    statuses = json.loads((out / "points.json").read_text())["status"]
    assert sorted(s["status"] for s in statuses.values()) == [
        "failed",
        "failed",
        "skipped",
        "skipped",
    ]
