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
    "start_chapter",
    "active_ledger",
    "KINDS",
    "OPS",
]

KINDS = ("symbolic", "numeric", "figure")
OPS = ("close", "eq", "le", "lt", "ge", "gt", "true", "symbolic")
_STATUS = ("reproduced", "checked", "proof-only", "erratum", "deviation", "beyond the paper")


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
    note: str = ""


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
        statement: str = "",
        op: str | None = None,
        atol: float = 0.0,
        rtol: float = 0.0,
        note: str = "",
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
        op : {"close", "eq", "le", "lt", "ge", "gt", "true", "symbolic"}
            The relation ``observed op expected``; defaults to ``"symbolic"`` for
            symbolic claims and ``"close"`` otherwise.
        atol, rtol : float
            Slack of the relation: ``|obs-exp| <= atol + rtol|exp|`` for ``close``,
            ``obs <= exp + atol + rtol|exp|`` for ``le`` and so on.
        """
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
        tol = "exact" if (atol == 0 and rtol == 0) else f"atol={atol:g}, rtol={rtol:g}"
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
            note=note,
        )
        self.claims.append(claim)
        self.save()
        if not passed:
            raise ClaimFailed(
                f"claim {claim_id!r} ({ref}) failed: observed {claim.observed} {op} "
                f"expected {claim.expected} ({tol})"
            )
        return claim

    def mark(self, item: str, status: str, note: str = "") -> None:
        """Record the status of a figure or statement for the reproducibility summary.

        ``status`` is one of reproduced, checked, proof-only, erratum, deviation,
        beyond the paper.
        """
        if status not in _STATUS:
            raise ValueError(f"unknown status {status!r}; choose one of {', '.join(_STATUS)}")
        self.status[item] = {"status": status, "note": note}
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
            "n_claims": len(self.claims),
            "n_passed": sum(c.passed for c in self.claims),
            "status": self.status,
            "claims": [asdict(c) for c in self.claims],
        }

    def save(self) -> Path:
        """Write the ledger JSON atomically and return its path."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1))
        tmp.replace(path)
        return path

    def table(self) -> str:
        """The ledger as a Markdown table (claim, kind, reference, observed, expected, verdict)."""
        rows = [
            "| claim | kind | paper | observed | relation | expected | tolerance | ok |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in self.claims:
            rows.append(
                f"| `{c.id}` | {c.kind} | {c.ref} | {_short(c.observed)} | {c.op} | "
                f"{_short(c.expected)} | {c.tolerance} | {'✔' if c.passed else '✘'} |"
            )
        return "\n".join(rows)

    def summary(self, notes: str = "", paper_version: str = "") -> str:
        """The reproducibility summary as Markdown.

        The status table of every figure and statement, the chapter's choices and
        deviations (``notes``), the paper version used, this execution, and the
        recorded runtimes of both modes on this machine.
        """
        from .runtimes import recorded_runtimes

        n, ok = len(self.claims), sum(c.passed for c in self.claims)
        rec = recorded_runtimes(self.chapter)
        times = "; ".join(
            f"`{m}` {r['total_s']:.0f} s ({r['source']}, commit `{r['commit']}`)"
            for m, r in sorted(rec.items())
        )
        parts = [self.summary_table(), ""]
        if notes:
            parts += [f"**Choices and deviations.** {notes}", ""]
        if paper_version:
            parts += [f"**Paper version.** {paper_version}", ""]
        parts += [
            f"**This execution:** mode `{self.mode}`, {ok}/{n} claims passed, "
            f"{self.wall_s():.1f} s of computation. **Recorded runtimes** (whole chapter through "
            f"papermill, 2 cores): {times or 'none recorded yet'}.",
        ]
        return "\n".join(parts) + "\n"

    def summary_table(self) -> str:
        """The status of each figure and statement as a Markdown table."""
        rows = ["| item | status | note |", "|---|---|---|"]
        for item, s in self.status.items():
            item, note = (x.replace("|", "\\|") for x in (item, s["note"]))
            rows.append(f"| {item} | {s['status']} | {note} |")
        return "\n".join(rows)


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
