"""Figure export and provenance: files, manifest keys, deterministic data hashes."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gdtheory.record.figures import (  # noqa: E402
    MANIFEST_KEYS,
    citation,
    export,
    manifest,
    resolve_name,
)
from gdtheory.record.provenance import data_sha256  # noqa: E402


def _data(seed):
    rng = np.random.default_rng(seed)
    return {"x": np.arange(5.0), "y": rng.normal(size=5)}


def test_hash_is_deterministic_and_order_free():
    a, b = _data(0), _data(0)
    assert data_sha256(a) == data_sha256(dict(reversed(list(b.items()))))
    assert data_sha256(a) != data_sha256(_data(1))
    assert data_sha256({"x": np.zeros(3)}) != data_sha256({"x": np.zeros(3, dtype=np.float32)})


def test_export_writes_files_and_manifest(tmp_path):
    fig, ax = plt.subplots()
    d = _data(0)
    ax.plot(d["x"], d["y"])
    entry = export(
        fig,
        "fig-demo2000-1a",
        paper_figure="1(a)",
        function=(data_sha256, np.linalg.norm),
        parameters={"n": 5},
        seed=0,
        data=d,
        wall_s=0.1,
        glue=False,
        base=tmp_path,
    )
    assert MANIFEST_KEYS <= set(entry)
    fdir = tmp_path / "figures" / "demo2000"
    assert (fdir / "fig-demo2000-1a.png").stat().st_size > 1000
    assert (fdir / "fig-demo2000-1a.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((fdir / "manifest.json").read_text())["fig-demo2000-1a"] == entry
    assert manifest(tmp_path)["fig-demo2000-1a"]["data_sha256"] == data_sha256(d)
    assert "fig-demo2000-1a" in citation(entry)
    names = entry["function"].split(", ")
    assert names[0] == "gdtheory.record.provenance:data_sha256"
    assert [resolve_name(n) for n in names] == [data_sha256, np.linalg.norm]


def test_export_refuses_typed_function_names(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(TypeError, match="importable functions"):
        export(fig, "fig-demo2000-2", paper_figure="2", function=lambda x: x, parameters={},
               seed=None, data={}, wall_s=0.0, glue=False, base=tmp_path)
    plt.close(fig)


def test_export_rejects_bad_labels(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="fig-<chapter>-<n>"):
        export(
            fig,
            "figure one",
            paper_figure="1",
            function=data_sha256,
            parameters={},
            seed=None,
            data={},
            wall_s=0.0,
            glue=False,
            base=tmp_path,
        )
    plt.close(fig)
