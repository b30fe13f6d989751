"""The claims ledger: checks pass and fail as they should, and are recorded."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from gdtheory.record.ledger import ClaimFailed, Ledger


@pytest.fixture
def ledger(tmp_path):
    return Ledger("demo2000", mode="quick", directory=tmp_path)


def test_close_passes_and_is_recorded(ledger):
    ledger.check("demo2000.a.close", 1.0 + 1e-13, 1.0, atol=1e-12, ref="Lemma 1", role="evidence")
    data = json.loads(ledger.path.read_text())
    assert data["n_claims"] == 1 and data["n_passed"] == 1
    row = data["claims"][0]
    assert (row["ref"], row["kind"], row["op"], row["passed"]) == (
        "Lemma 1",
        "numeric",
        "close",
        True,
    )
    assert row["tolerance"].startswith("atol=1e-12")


def test_failure_raises_names_the_claim_and_is_recorded(ledger):
    with pytest.raises(ClaimFailed, match="demo2000.a.wrong"):
        ledger.check("demo2000.a.wrong", 1.1, 1.0, atol=1e-3, ref="Thm 1", role="evidence")
    data = json.loads(ledger.path.read_text())
    assert data["claims"][0]["passed"] is False


@pytest.mark.parametrize(
    ("op", "obs", "exp", "ok"),
    [
        ("le", 1.0, 1.0, True),
        ("lt", 1.0, 1.0, False),
        ("ge", 0.5, 1.0, False),
        ("gt", 2.0, 1.0, True),
        ("eq", 3, 3, True),
        ("eq", [1, 2], [1, 3], False),
    ],
)
def test_relations(ledger, op, obs, exp, ok):
    if ok:
        ledger.check(f"demo2000.rel.{op}", obs, exp, op=op, ref="-", role="evidence")
    else:
        with pytest.raises(ClaimFailed):
            ledger.check(f"demo2000.rel.{op}", obs, exp, op=op, ref="-", role="evidence")


def test_arrays_must_hold_everywhere(ledger):
    with pytest.raises(ClaimFailed):
        ledger.check(
            "demo2000.arr.close",
            np.array([0.0, 0.0, 0.1]),
            0.0,
            atol=0.01,
            ref="-",
            role="evidence",
        )


def test_nan_never_passes(ledger):
    with pytest.raises(ClaimFailed):
        ledger.check("demo2000.nan.le", float("nan"), 1.0, op="le", ref="-", role="evidence")


def test_symbolic(ledger):
    x = sp.symbols("x", positive=True)
    ledger.check(
        "demo2000.sym.ok",
        sp.sin(x) ** 2 + sp.cos(x) ** 2,
        1,
        kind="symbolic",
        ref="-",
        role="evidence",
    )
    with pytest.raises(ClaimFailed):
        ledger.check(
            "demo2000.sym.bad", sp.sin(x) ** 2, 1, kind="symbolic", ref="-", role="evidence"
        )


def test_true_needs_a_boolean(ledger):
    with pytest.raises(TypeError):
        ledger.check("demo2000.bool.x", 1.0, None, op="true", ref="-", role="evidence")


@pytest.mark.parametrize(
    "kwargs",
    [dict(kind="vibes"), dict(op="approximately"), dict(atol=-1.0)],
)
def test_bad_arguments_are_rejected(ledger, kwargs):
    with pytest.raises(ValueError):
        ledger.check("demo2000.bad.arg", 1.0, 1.0, ref="-", role="evidence", **kwargs)


def test_ids_are_namespaced_and_unique(ledger):
    with pytest.raises(ValueError, match="must start with"):
        ledger.check("other.a.b", 1.0, 1.0, ref="-", role="evidence")
    ledger.check("demo2000.a.b", 1.0, 1.0, ref="-", role="evidence")
    with pytest.raises(ValueError, match="already"):
        ledger.check("demo2000.a.b", 1.0, 1.0, ref="-", role="evidence")


def test_missing_expected_is_an_error(ledger):
    with pytest.raises(ValueError, match="needs an expected"):
        ledger.check("demo2000.a.le", 1.0, op="le", ref="-", role="evidence")


def test_tables_and_marks(ledger):
    ledger.check("demo2000.t.x", 2.0, 2.0, ref="Prop. 2", role="evidence")
    ledger.mark("Figure 1", "reproduced", "ok")
    with pytest.raises(ValueError):
        ledger.mark("Figure 2", "kind of")
    assert "`demo2000.t.x`" in ledger.table() and "Prop. 2" in ledger.table()
    assert "| Figure 1 | reproduced | ok |" in ledger.summary_table()


def test_roles_are_required_and_counted(tmp_path):
    led = Ledger("demo2000", directory=tmp_path)
    with pytest.raises(TypeError):
        led.check("demo2000.a.b", 1.0, 1.0, ref="Eq. (1)")
    with pytest.raises(ValueError, match="unknown role"):
        led.check("demo2000.a.b", 1.0, 1.0, ref="Eq. (1)", role="proof")
    led.check("demo2000.a.b", 1.0, 1.0, ref="Eq. (1)", role="evidence")
    led.check("demo2000.a.c", 1.0, 1.0, ref="Eq. (1)", role="consistency")
    assert led.role_counts() == {"evidence": 1, "control": 0, "consistency": 1}
    assert led.to_dict()["roles"]["consistency"] == 1
    assert "python" in led.to_dict()["environment"]


def test_status_rows_cite_evidence_only(tmp_path):
    led = Ledger("demo2000", directory=tmp_path)
    led.check("demo2000.a.ev", 1.0, 1.0, ref="Lemma 1", role="evidence")
    led.check("demo2000.a.co", 1.0, 1.0, ref="Lemma 1", role="consistency")
    led.mark("Lemma 1", "checked", claims=["demo2000.a.ev"])
    with pytest.raises(ValueError, match="evidence claims only"):
        led.mark("Lemma 1", "checked", claims=["demo2000.a.co"])
    with pytest.raises(ValueError, match="not in the ledger"):
        led.mark("Lemma 1", "checked", claims=["demo2000.a.zz"])
    led.mark("Lemma 2", "out of scope", "needs a density")
    assert led.counts()["statements"] == {
        "checked": 1,
        "erratum": 0,
        "out of scope": 1,
        "proof-only": 0,
    }


def test_check_z_uses_the_bonferroni_threshold(tmp_path):
    from scipy.stats import norm

    led = Ledger("demo2000", directory=tmp_path)
    c = led.check_z("demo2000.mc.z", [0.5, -1.0, 2.0], ref="Eq. (2)", level=1e-3)
    assert c.passed and c.stats["n_tests"] == 3 and c.stats["level"] == 1e-3
    assert c.expected == pytest.approx(norm.isf(1e-3 / 6))
    with pytest.raises(ClaimFailed):
        led.check_z("demo2000.mc.far", [0.0, 6.0], ref="Eq. (2)", level=1e-3)
    assert "Bonferroni" in led.claims[-1].tolerance


def test_compact_summary_counts_and_collapsed_status(tmp_path):
    led = Ledger("demo2000", directory=tmp_path)
    led.check("demo2000.a.ev", 1.0, 1.0, ref="Lemma 1", role="evidence")
    led.mark("Lemma 1", "checked")
    led.mark("Figure 1 (fig-demo2000-1)", "reproduced", kind="figure")
    led.mark("Figure 2 (fig-demo2000-2)", "deviation", "on a substitute", kind="figure")
    s = led.summary(deviations=["One sentence."], paper_version="v1")
    assert "1 reproduced · 1 on a substitute · 0 extension" in s
    assert "1 checked · 0 erratum" in s and "1 evidence · 0 control · 0 consistency" in s
    assert "- One sentence." in s and ":::{dropdown}" in s
