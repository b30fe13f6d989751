"""Parameter sweeps on dask.distributed: every point of a Cartesian grid is one papermill
execution of a chapter, run as one dask task.

``gdtheory sweep CHAPTER -p NAME V1,V2 [-p NAME2 ...]`` validates every point like
``gdtheory run`` before any task starts, then runs the points on a ``LocalCluster`` of worker
processes (one thread each, BLAS pinned to one thread) or on a running cluster given by its
scheduler address. Each point writes its ledger, figures and executed notebook into
``<out>/points/<point>/`` (atomically, so a half-run point is never mistaken for a finished
one); a point whose claim fails or whose kernel dies is recorded as failed and the others go
on; a re-run skips every finished point whose execution is current (the build's rule); a
worker lost mid-task is retried by dask; Ctrl-C cancels what runs and keeps what finished.
Results: ``sweep.csv`` (one row per point × claim) and ``summary.md``.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..record.figures import write_json
from ..record.paths import build_dir, root
from .cache import stale_reason
from .chapters import chapters
from .errors import BuildError, UsageError
from .params import resolve

__all__ = ["plan_sweep", "run_point", "sweep", "write_results"]

_THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _point_id(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:12]


def plan_sweep(
    chapter: str, mode: str | None, grid: list[tuple[str, str]]
) -> tuple[Any, list[dict[str, Any]], list[str]]:
    """Validate the grid and return (chapter, the parameters of every point, swept names).

    ``grid`` holds ``(NAME, "V1,V2,...")``; every value of every point is checked (name,
    type, range) before anything runs.
    """
    if not grid:
        raise UsageError("a sweep needs at least one -p NAME V1,V2,...")
    names = [n for n, _ in grid]
    if len(set(names)) != len(names):
        raise UsageError("each parameter may be swept by one -p only")
    if "MODE" in names:
        raise UsageError("sweep one mode at a time: use --mode, not -p MODE")
    values = []
    for name, raw in grid:
        vals = [v.strip() for v in raw.split(",")]
        if not all(vals):
            raise UsageError(f"empty value in -p {name} {raw!r}")
        values.append(vals)
    known = chapters()
    points = []
    for combo in itertools.product(*values):
        [(ch, params)] = resolve([chapter], mode, list(zip(names, combo, strict=True)), known)
        points.append(params)
    return ch, points, names


def run_point(cid: str, book_root: str, params: dict[str, Any], dest: str) -> dict[str, Any]:
    """One dask task: execute chapter ``cid`` with ``params`` into ``dest``.

    Returns ``{"status": "passed" | "failed" | "skipped", ...}``; a failure (a failing claim,
    a failing cell, a dead kernel) is reported, not raised, so the other points go on.
    """
    os.environ["GDTHEORY_ROOT"] = book_root
    os.environ.update(_THREADS)
    from .execute import execute_point

    ch = chapters()[cid]
    rec_path = Path(dest) / "record.json"
    if rec_path.exists():
        rec = json.loads(rec_path.read_text())
        if stale_reason(ch, params, rec) is None:
            return {"status": "skipped", "params": params, "total_s": 0.0}
    t0 = time.perf_counter()
    try:
        rec = execute_point(ch, params, Path(dest), env=_THREADS)
    except BuildError as err:
        err_path = Path(dest).with_name(Path(dest).name + ".error.txt")
        err_path.write_text(str(err) + "\n")
        return {
            "status": "failed",
            "params": params,
            "error": str(err).splitlines()[0],
            "total_s": time.perf_counter() - t0,
        }
    return {"status": "passed", "params": params, "total_s": rec["total_s"]}


def _default_out(cid: str, mode: str | None, grid: list[tuple[str, str]]) -> Path:
    h = hashlib.sha256(json.dumps([cid, mode, grid]).encode()).hexdigest()[:10]
    return build_dir() / "sweeps" / f"{cid}-{h}"


def write_results(
    out: Path, cid: str, points: list[dict], names: list[str], status: dict[str, dict]
) -> None:
    """``sweep.csv`` (point × claim), ``summary.md`` (per claim) and ``points.json``."""
    rows, per_claim, figures = [], {}, []
    for params in points:
        pid = _point_id(params)
        led_path = out / "points" / pid / "claims.json"
        if not led_path.exists():
            continue
        led = json.loads(led_path.read_text())
        for c in led["claims"]:
            rows.append(
                {
                    **{n: params[n] for n in names},
                    "point": pid,
                    "claim": c["id"],
                    "role": c.get("role", ""),
                    "observed": json.dumps(c["observed"]),
                    "expected": json.dumps(c["expected"]),
                    "passed": c["passed"],
                }
            )
            s = per_claim.setdefault(
                c["id"], {"role": c.get("role", ""), "n": 0, "passed": 0, "lo": None, "hi": None}
            )
            s["n"] += 1
            s["passed"] += bool(c["passed"])
            if isinstance(c["observed"], int | float) and not isinstance(c["observed"], bool):
                x = float(c["observed"])
                s["lo"] = x if s["lo"] is None else min(s["lo"], x)
                s["hi"] = x if s["hi"] is None else max(s["hi"], x)
        man = out / "points" / pid / "figures" / "manifest.json"
        if man.exists():
            for label, e in json.loads(man.read_text()).items():
                figures.append((pid, params, label, e))
    with (out / "sweep.csv").open("w", newline="") as f:
        cols = [*names, "point", "claim", "role", "observed", "expected", "passed"]
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    n_fail = sum(s["status"] == "failed" for s in status.values())
    lines = [
        f"# Sweep of {cid}",
        "",
        f"{len(points)} points over {', '.join(names)}; "
        f"{len(points) - n_fail} finished, {n_fail} failed.",
        "",
        "## Points",
        "",
        "| point | " + " | ".join(names) + " | status |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    for params in points:
        pid = _point_id(params)
        st = status.get(pid, {"status": "not run"})
        note = st["status"] + (f": {st['error']}" if st.get("error") else "")
        lines.append(
            f"| `{pid}` | "
            + " | ".join(str(params[n]) for n in names)
            + f" | {note.replace('|', '/')} |"
        )
    lines += [
        "",
        "## Claims",
        "",
        "| claim | role | points passed | observed (min – max) |",
        "|---|---|---|---|",
    ]
    for cid_, s in per_claim.items():
        rng = f"{s['lo']:.6g} – {s['hi']:.6g}" if s["lo"] is not None else "–"
        lines.append(f"| `{cid_}` | {s['role']} | {s['passed']}/{s['n']} | {rng} |")
    lines += [
        "",
        "## Figures",
        "",
        "| point | figure | data sha256 | commit | file |",
        "|---|---|---|---|---|",
    ]
    for pid, _, label, e in figures:
        lines.append(
            f"| `{pid}` | {label} | `{e['data_sha256'][:12]}` | `{e['commit']}` | "
            f"points/{pid}/figures/{label}.png |"
        )
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    write_json(
        out / "points.json",
        {
            "chapter": cid,
            "swept": names,
            "points": {_point_id(p): p for p in points},
            "status": status,
        },
    )


def sweep(
    cid: str,
    mode: str | None,
    grid: list[tuple[str, str]],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    out: Path | None = None,
    log: Callable[[str], None] = print,
) -> tuple[Path, int]:
    """Run the sweep; return (output folder, number of failed points)."""
    ch, points, names = plan_sweep(cid, mode, grid)
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    out = Path(out) if out is not None else _default_out(cid, mode, grid)
    try:
        (out / "points").mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot write to the sweep folder {out}: {err.strerror}") from None
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler:
        cluster, client = None, Client(scheduler, timeout="10s")
    else:
        n = workers or min(len(points), os.cpu_count() or 1)
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=dict(_THREADS),
        )
        client = Client(cluster)
    log(
        f"{cid}: {len(points)} points on {len(client.scheduler_info()['workers'])} "
        f"worker(s); results in {out}"
    )
    status: dict[str, dict] = {}
    futures = {}
    try:
        for params in points:
            pid = _point_id(params)
            fut = client.submit(
                run_point,
                cid,
                str(root()),
                params,
                str(out / "points" / pid),
                key=f"{cid}-{pid}",
                retries=1,
                pure=False,
            )
            futures[fut] = pid
        done = failed = 0
        t0 = time.perf_counter()
        for fut in as_completed(futures):
            pid = futures[fut]
            try:
                res = fut.result()
            except Exception as err:  # noqa: BLE001 - lost twice, or the task itself broke
                res = {"status": "failed", "error": f"{type(err).__name__}: {err}"}
            status[pid] = res
            done += 1
            failed += res["status"] == "failed"
            running = len(futures) - done
            line = (
                f"  {cid}: {done}/{len(futures)} points done, {failed} failed, "
                f"{running} running or queued, {time.perf_counter() - t0:.0f} s"
            )
            if sys.stdout.isatty() and log is print:
                print("\r" + line, end="", flush=True)
            else:
                log(line + (f"  [{pid} {res['status']}]" if res["status"] != "passed" else ""))
        if sys.stdout.isatty() and log is print:
            print()
    except KeyboardInterrupt:
        client.cancel(list(futures))
        log(f"{cid}: interrupted; {len(status)} finished point(s) kept in {out}")
        write_results(out, cid, points, names, status)
        raise
    finally:
        logging.getLogger("distributed").setLevel(logging.ERROR)
        client.close()
        if cluster is not None:
            cluster.close()
    write_results(out, cid, points, names, status)
    return out, sum(s["status"] == "failed" for s in status.values())
