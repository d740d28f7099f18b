"""Vectorised scans: arrays equal direct evaluation; chunking changes nothing; profiling."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import jaxg2
from jaxg2 import experiments
from jaxg2.infer import load_scan

from test_infer_problem import A_SCALE, TOY, toy_config


def _cfg(tmp_path, **scan):
    return toy_config(fit={"model": TOY, "scenario": "2021", "output": str(tmp_path / "run")},
                      scan={"x": {"name": "m", "low": 1e-3, "high": 1.0, "num": 7, "log": True},
                            "y": {"name": "a", "low": -4.0, "high": 6.0, "num": 9}, **scan})


def test_scan_matches_direct_evaluation_and_chunking(tmp_path):
    res = jaxg2.scan(_cfg(tmp_path, chunk=10, point="BP2"), fast=False)
    assert res.pull.shape == (7, 9)
    ms, as_ = np.logspace(-3, 0, 7), np.linspace(-4, 6, 9)
    e = experiments.get("delta_a_mu_2021")
    meg = experiments.get("meg2_2024_mu_e_gamma").limit
    for i, j in [(0, 0), (3, 4), (6, 8), (2, 7)]:
        theta = {"a": as_[j], "m": ms[i], "k": 1.0}                    # k from benchmark BP2
        obs = TOY.observables(theta)
        for k, v in obs.items():
            assert res.observables[k][i, j] == pytest.approx(float(v), rel=1e-14)
        assert res.pull[i, j] == pytest.approx((as_[j] * A_SCALE - e.value) / e.sigma, rel=1e-12)
        assert bool(res.allowed["meg"][i, j]) == (float(obs["br_mu_e_gamma"]) <= meg)
    assert res.parameters["k"][0, 0] == 1.0
    # one chunk for the whole grid gives the same arrays; the npz round-trips
    whole = jaxg2.scan(_cfg(tmp_path, chunk=4096, point="BP2"), fast=False, write=False)
    np.testing.assert_array_equal(whole.pull, res.pull)
    back = load_scan(res.path)
    np.testing.assert_array_equal(back.observables["coupling"], res.observables["coupling"])
    np.testing.assert_array_equal(back.allowed["meg"], res.allowed["meg"])
    assert res.png_path.stat().st_size > 0
    fig = res.plot()
    assert fig.axes and fig.axes[0].get_xscale() == "log"


def test_profiled_one_dimensional_scan(tmp_path):
    """Scanning m and profiling a: the best a puts Δa_μ on its central value (pull ≈ 0)."""
    cfg = toy_config(fit={"model": TOY, "scenario": "2021", "output": str(tmp_path / "run")},
                     scan={"x": {"name": "m", "low": 1e-2, "high": 1.0, "num": 5, "log": True},
                           "profile": True, "profile_steps": 300},
                     search={"learning_rate": 0.1})
    res = jaxg2.scan(cfg, fast=False, write=False)
    assert res.y is None and res.pull.shape == (5,)
    np.testing.assert_allclose(res.pull, 0.0, atol=0.05)
    np.testing.assert_allclose(res.parameters["a"], experiments.get("delta_a_mu_2021").value / A_SCALE, rtol=0.02)
    assert res.plot().axes


def test_scan_constraint_sets_and_overlay(tmp_path):
    from jaxg2.infer import scan_constraint_sets

    today = _cfg(tmp_path)                                  # TOY's defaults: meg
    paper = _cfg(tmp_path)
    paper["constraints"] = {"use": ["pert"]}
    res, t_names, p_names = scan_constraint_sets(today, paper, fast=False)
    assert t_names == ["meg"] and p_names == ["pert"] and set(res.allowed) == {"meg", "pert"}
    alone = jaxg2.scan(paper, fast=False, write=False)
    np.testing.assert_array_equal(res.allowed["pert"], alone.allowed["pert"])
    fig = jaxg2.plots.scan_map(res, constraints=t_names, overlay_constraints=p_names)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "meg" in labels and "pert" not in labels and "paper's constraints: allowed" in labels
    other = _cfg(tmp_path)
    other["fit"] = {**other["fit"], "model": "lmu_ltau"}
    other.pop("scan")
    with pytest.raises(jaxg2.config.ConfigError, match="same model"):
        scan_constraint_sets(today, other, fast=False)


def test_interrupted_scan_resumes_from_its_chunks(tmp_path, monkeypatch):
    """7×9 points in chunks of 10 = 7 chunks: stopped after 3, a resume evaluates the other
    4 (and no more) and its npz equals an uninterrupted run's; chunks of another
    configuration are not reused."""
    import sys

    scan_mod = sys.modules["jaxg2.infer.scan"]  # the module (jaxg2.infer.scan is the function)

    full = jaxg2.scan(_cfg(tmp_path / "full", chunk=10, point="BP2"), fast=False, progress=False)
    cfg = _cfg(tmp_path / "cut", chunk=10, point="BP2")
    assert jaxg2.scan(cfg, fast=False, progress=False, _max_chunks=3) is None
    parts = tmp_path / "cut" / "run" / "scan" / "chunks"
    assert len(list(parts.glob("chunk_*.npz"))) == 3 and not list(parts.glob("*.tmp"))
    monkeypatch.setattr(scan_mod, "_MERGE_BYTES", 64)  # merge one array at a time
    monkeypatch.setattr(scan_mod, "_PLOT_MAX", 4)      # the png from a strided view
    res = jaxg2.scan(cfg, fast=False, progress=True, resume=True, _max_chunks=4)
    assert res is not None and not parts.exists()
    np.testing.assert_array_equal(res.pull, full.pull)
    for k in full.observables:
        np.testing.assert_array_equal(res.observables[k], full.observables[k])
    for k in full.allowed:
        assert res.allowed[k].dtype == bool
        np.testing.assert_array_equal(res.allowed[k], full.allowed[k])
    np.testing.assert_array_equal(res.parameters["k"], full.parameters["k"])
    assert res.png_path.stat().st_size > 0
    # chunks written for BP1 do not count for BP2: all 7 are to do again
    assert jaxg2.scan(_cfg(tmp_path / "cut", chunk=10, point="BP1"), fast=False, progress=False, _max_chunks=3) is None
    assert jaxg2.scan(cfg, fast=False, progress=False, resume=True, _max_chunks=6) is None
