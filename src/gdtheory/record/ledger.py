"""The claims ledger: every statement a chapter tests goes through :func:`check`.

A check records what the paper says (``ref``), what was expected, what was
observed, the tolerance and the verdict, and raises :class:`ClaimFailed` when
the verdict is negative, so a wrong claim stops the chapter and fails the build.
The ledger of a chapter is written to ``<out>/claims/<chapter>.json`` after
every check.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import provenance
from .paths import out_dir

__all__ = [
    "ClaimFailed",
    "Claim",
    "Ledger",
    "check",
    "check_z",
    "start_chapter",
    "active_ledger",
    "KINDS",
    "OPS",
]

KINDS = ("symbolic", "numeric", "figure")
OPS = ("close", "eq", "le", "lt", "ge", "gt", "true", "symbolic")
ROLES = ("evidence", "control", "consistency")
"""What a claim is worth: ``evidence`` would fail if the paper's statement were false;
``control`` removes a hypothesis and asserts that the conclusion then fails; ``consistency``
says our own machinery agrees with itself and is never counted as evidence for the paper."""
STATUSES = (
    "reproduced",
    "checked",
    "proof-only",
    "erratum",
    "out of scope",
    "deviation",
    "beyond the paper",
)
DEFAULT_LEVEL = 1e-4
"""Family-wise false-alarm level of a statistical check (:meth:`Ledger.check_z`)."""


class ClaimFailed(AssertionError):
    """A claim of a chapter did not hold; the message names the claim id."""


@dataclass
class Claim:
    """One row of the ledger."""

    chapter: str
    id: str
    kind: str
    ref: str
    statement: str
    op: str
    expected: Any
    observed: Any
    tolerance: str
    passed: bool
    role: str = "evidence"
    note: str = ""
    stats: dict | None = None


def _jsonable(x: Any) -> Any:
    """Turn numbers, arrays and sympy objects into JSON values (long arrays are summarised)."""
    if x is None or isinstance(x, bool | str):
        return x
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, np.ndarray | list | tuple):
        arr = np.asarray(x)
        if arr.dtype == object or arr.dtype.kind in "US":
            return [_jsonable(v) for v in arr.ravel().tolist()]
        if arr.size <= 12:
            return [_jsonable(v) for v in arr.ravel().tolist()]
        return {"shape": list(arr.shape), "min": _jsonable(arr.min()), "max": _jsonable(arr.max())}
    return str(x)


def _compare(op: str, observed: Any, expected: Any, atol: float, rtol: float) -> bool:
    if op == "symbolic":
        import sympy as sp

        diff = sp.simplify(sp.sympify(observed) - sp.sympify(expected))
        if isinstance(diff, sp.MatrixBase):
            return all(sp.simplify(e) == 0 for e in diff)
        return diff == 0
    if op == "eq":
        if isinstance(observed, np.ndarray | list | tuple):
            return bool(np.array_equal(np.asarray(observed), np.asarray(expected)))
        return bool(observed == expected)
    if op == "true":
        if not isinstance(observed, bool | np.bool_):
            raise TypeError("op='true' needs a boolean observation")
        return bool(observed)
    obs = np.asarray(observed, dtype=float)
    exp = np.asarray(expected, dtype=float)
    if np.isnan(obs).any() or np.isnan(exp).any():
        return False
    if op == "close":
        return bool(np.all(np.abs(obs - exp) <= atol + rtol * np.abs(exp)))
    slack = atol + rtol * np.abs(exp)
    if op == "le":
        return bool(np.all(obs <= exp + slack))
    if op == "lt":
        return bool(np.all(obs < exp + slack))
    if op == "ge":
        return bool(np.all(obs >= exp - slack))
    if op == "gt":
        return bool(np.all(obs > exp - slack))
    raise ValueError(f"unknown op {op!r}; choose one of {', '.join(OPS)}")


@dataclass
class Ledger:
    """The claims of one chapter execution, in the order they were checked."""

    chapter: str
    mode: str = "quick"
    params: dict = field(default_factory=dict)
    directory: Path | None = None
    claims: list[Claim] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    status: dict[str, dict] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        """Where the ledger JSON is written."""
        base = self.directory if self.directory is not None else out_dir()
        return Path(base) / "claims" / f"{self.chapter}.json"

    def check(
        self,
        claim_id: str,
        observed: Any,
        expected: Any = None,
        *,
        kind: str = "numeric",
        ref: str,
        role: str,
        statement: str = "",
        op: str | None = None,
        atol: float = 0.0,
        rtol: float = 0.0,
        note: str = "",
        stats: dict | None = None,
        tolerance: str | None = None,
    ) -> Claim:
        """Test one claim, record it, and raise :class:`ClaimFailed` if it does not hold.

        Parameters
        ----------
        claim_id : str
            ``<chapter>.<statement>.<what>``, unique in the chapter.
        observed, expected
            What the code computed and what the paper (or its corrected form) says.
        kind : {"symbolic", "numeric", "figure"}
        ref : str
            The paper's reference, e.g. ``"Lemma 2"`` or ``"Eq. (4)"``.
        role : {"evidence", "control", "consistency"}
            What the claim is worth (see :data:`ROLES`); required.
        op : {"close", "eq", "le", "lt", "ge", "gt", "true", "symbolic"}
            The relation ``observed op expected``; defaults to ``"symbolic"`` for
            symbolic claims and ``"close"`` otherwise.
        atol, rtol : float
            Slack of the relation: ``|obs-exp| <= atol + rtol|exp|`` for ``close``,
            ``obs <= exp + atol + rtol|exp|`` for ``le`` and so on.
        """
        if role not in ROLES:
            raise ValueError(
                f"claim {claim_id!r}: unknown role {role!r}; choose one of {', '.join(ROLES)}"
            )
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        if not claim_id.startswith(self.chapter + "."):
            raise ValueError(f"claim id {claim_id!r} must start with '{self.chapter}.'")
        if any(c.id == claim_id for c in self.claims):
            raise ValueError(f"claim id {claim_id!r} is already in the ledger")
        op = op or ("symbolic" if kind == "symbolic" else "close")
        if op not in OPS:
            raise ValueError(f"unknown op {op!r}; choose one of {', '.join(OPS)}")
        if op in ("close", "le", "lt", "ge", "gt") and expected is None:
            raise ValueError(f"claim {claim_id!r}: op {op!r} needs an expected value")
        if atol < 0 or rtol < 0:
            raise ValueError("tolerances must be non-negative")
        passed = _compare(op, observed, expected, atol, rtol)
        tol = tolerance or (
            "exact" if (atol == 0 and rtol == 0) else f"atol={atol:g}, rtol={rtol:g}"
        )
        claim = Claim(
            chapter=self.chapter,
            id=claim_id,
            kind=kind,
            ref=ref,
            statement=statement,
            op=op,
            expected=_jsonable(expected),
            observed=_jsonable(observed),
            tolerance=tol,
            passed=passed,
            role=role,
            note=note,
            stats=stats,
        )
        self.claims.append(claim)
        self.save()
        if not passed:
            raise ClaimFailed(
                f"claim {claim_id!r} ({ref}) failed: observed {claim.observed} {op} "
                f"expected {claim.expected} ({tol})"
            )
        return claim

    def check_z(
        self,
        claim_id: str,
        z: Any,
        *,
        ref: str,
        role: str = "evidence",
        statement: str = "",
        level: float = DEFAULT_LEVEL,
        note: str = "",
    ) -> Claim:
        """A statistical check: every z-score within the Bonferroni threshold at ``level``.

        ``z`` holds (observed − expected)/standard error for each of n comparisons. The claim
        passes iff max|z| ≤ z*, the two-sided threshold at family-wise level ``level`` over n
        tests, so a correct statement fails by chance with probability at most ``level``
        whatever seed a reader passes. The ledger records max|z|, z*, n and the level.
        """
        from ..core.stats import bonferroni_z

        zz = np.asarray(z, dtype=float).ravel()
        if zz.size == 0:
            raise ValueError(f"claim {claim_id!r}: no z-scores to test")
        if not (0 < level < 1):
            raise ValueError(f"claim {claim_id!r}: level must lie in (0, 1)")
        thr = float(bonferroni_z(level, zz.size))
        zmax = float(np.max(np.abs(zz))) if np.isfinite(zz).all() else float("nan")
        stats = {
            "n_tests": int(zz.size),
            "level": level,
            "threshold": thr,
            "max_abs_z": zmax,
            "mean_z": float(np.mean(zz)),
            "z": _jsonable(zz),
        }
        return self.check(
            claim_id,
            zmax,
            thr,
            op="le",
            ref=ref,
            role=role,
            statement=statement,
            note=note,
            stats=stats,
            tolerance=f"Bonferroni, family-wise level {level:g} over {zz.size} test(s)",
        )

    def mark(
        self,
        item: str,
        status: str,
        note: str = "",
        *,
        kind: str = "statement",
        claims: list[str] | None = None,
    ) -> None:
        """Record the status of a figure or statement for the reproducibility summary.

        ``status`` is one of :data:`STATUSES`. An ``erratum`` is a statement that is false
        under its own hypotheses; one whose hypotheses do not hold in the test is
        ``out of scope``. ``claims`` names the claims the row rests on; a ``checked`` or
        ``erratum`` row may cite evidence claims only.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
        if kind not in ("statement", "figure"):
            raise ValueError(f"unknown status kind {kind!r}; choose statement or figure")
        cited = list(claims or [])
        by_id = {c.id: c for c in self.claims}
        for cid in cited:
            if cid not in by_id:
                raise ValueError(f"status row {item!r} cites {cid!r}, which is not in the ledger")
            if status in ("checked", "erratum") and by_id[cid].role != "evidence":
                raise ValueError(
                    f"status row {item!r} ({status}) may cite evidence claims only; "
                    f"{cid!r} is {by_id[cid].role}"
                )
        self.status[item] = {"status": status, "note": note, "kind": kind, "claims": cited}
        self.save()

    def wall_s(self) -> float:
        """Seconds since the chapter started."""
        return time.time() - self.started

    def to_dict(self) -> dict:
        """The ledger as a JSON-ready dictionary."""
        return {
            "chapter": self.chapter,
            "mode": self.mode,
            "params": {k: _jsonable(v) for k, v in self.params.items()},
            "wall_s": round(self.wall_s(), 3),
            "commit": provenance.commit(),
            "environment": provenance.environment(),
            "n_claims": len(self.claims),
            "roles": self.role_counts(),
            "n_passed": sum(c.passed for c in self.claims),
            "status": self.status,
            "claims": [asdict(c) for c in self.claims],
        }

    def role_counts(self) -> dict[str, int]:
        """Number of claims per role."""
        return {r: sum(c.role == r for c in self.claims) for r in ROLES}

    def save(self) -> Path:
        """Write the ledger JSON atomically and return its path."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1))
        tmp.replace(path)
        return path

    def table(self) -> str:
        """The ledger as a Markdown table (claim, role, reference, observed, relation, verdict)."""
        rows = [
            "| claim | role | paper | observed | relation | expected | tolerance | ok |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in self.claims:
            rows.append(
                f"| `{c.id}` | {c.role} | {_esc(c.ref)} | {_short(c.observed)} | {c.op} | "
                f"{_short(c.expected)} | {_esc(c.tolerance)} | {'✔' if c.passed else '✘'} |"
            )
        return "\n".join(rows)

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts for the summary: figures and statements per status, claims per role."""
        figs = {"reproduced": 0, "substitute": 0, "extension": 0}
        stmts = {"checked": 0, "erratum": 0, "out of scope": 0, "proof-only": 0}
        for s in self.status.values():
            if s.get("kind") == "figure":
                key = {"deviation": "substitute", "beyond the paper": "extension"}.get(
                    s["status"], "reproduced"
                )
                figs[key] += 1
            elif s["status"] in stmts:
                stmts[s["status"]] += 1
        return {"figures": figs, "statements": stmts, "roles": self.role_counts()}

    def summary(
        self,
        deviations: list[str] | None = None,
        paper_version: str = "",
        notes: str = "",
    ) -> str:
        """The compact reproducibility summary as Markdown (MyST).

        One short table of counts (figures reproduced / substitute / extension; statements
        checked / erratum / out of scope / proof-only; claims per role; runtimes), the
        deviations from the paper one sentence each, the paper version, and the full status
        table collapsed in a dropdown (still in the page, so the search finds it).
        """
        from .runtimes import recorded_runtimes

        c = self.counts()
        n, ok = len(self.claims), sum(x.passed for x in self.claims)
        rec = recorded_runtimes(self.chapter)
        times = ", ".join(f"{m} {rec[m]['total_s']:.0f} s" for m in ("quick", "paper") if m in rec)
        f, s, r = c["figures"], c["statements"], c["roles"]
        rows = [
            "| | |",
            "|---|---|",
            f"| figures | {f['reproduced']} reproduced · {f['substitute']} on a substitute · "
            f"{f['extension']} extension |",
            f"| statements | {s['checked']} checked · {s['erratum']} erratum · "
            f"{s['out of scope']} out of scope · {s['proof-only']} proof-only |",
            f"| claims ({ok}/{n} passed) | {r['evidence']} evidence · {r['control']} control · "
            f"{r['consistency']} consistency |",
            f"| runtime (2 cores) | {times or 'not recorded yet'} (this run: {self.mode}, "
            f"{self.wall_s():.0f} s of computation) |",
        ]
        if paper_version:
            rows.append(f"| paper version | {_esc(paper_version)} |")
        parts = ["\n".join(rows), ""]
        devs = list(deviations or [])
        if devs:
            parts += ["**Deviations from the paper.**", ""] + [f"- {d}" for d in devs] + [""]
        if notes:
            parts += [notes, ""]
        parts += [
            ":::{dropdown} Status of every figure and statement",
            self.summary_table(),
            ":::",
        ]
        return "\n".join(parts) + "\n"

    def summary_table(self) -> str:
        """The status of each figure and statement as a Markdown table."""
        rows = ["| item | status | note |", "|---|---|---|"]
        for item, s in self.status.items():
            rows.append(f"| {_esc(item)} | {s['status']} | {_esc(s['note'])} |")
        return "\n".join(rows)


def _esc(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _short(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, list) and all(isinstance(v, float) for v in x):
        return "[" + ", ".join(f"{v:.4g}" for v in x) + "]"
    s = str(x).replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= 60 else s[:57] + "..."


_ACTIVE: Ledger | None = None


def start_chapter(chapter: str, *, mode: str = "quick", params: dict | None = None) -> Ledger:
    """Open (and make active) a fresh ledger for ``chapter``; :func:`check` then records into it."""
    global _ACTIVE
    _ACTIVE = Ledger(chapter=chapter, mode=mode, params=dict(params or {}))
    _ACTIVE.save()
    return _ACTIVE


def active_ledger() -> Ledger:
    """Return the ledger opened by :func:`start_chapter`."""
    if _ACTIVE is None:
        raise RuntimeError("no chapter ledger is open: call gdtheory.start_chapter(...) first")
    return _ACTIVE


def check(claim_id: str, observed: Any, expected: Any = None, **kwargs: Any) -> Claim:
    """Check a claim into the active chapter's ledger (see :meth:`Ledger.check`)."""
    return active_ledger().check(claim_id, observed, expected, **kwargs)


def check_z(claim_id: str, z: Any, **kwargs: Any) -> Claim:
    """A statistical check into the active chapter's ledger (see :meth:`Ledger.check_z`)."""
    return active_ledger().check_z(claim_id, z, **kwargs)
