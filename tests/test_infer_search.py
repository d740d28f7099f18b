"""Multi-start optax search: accepted points really satisfy their constraints."""

import json

import numpy as np

import jaxg2
from jaxg2 import experiments

from test_infer_problem import TOY, toy_config


def test_search_points_satisfy_constraints(tmp_path):
    cfg = toy_config(fit={"model": TOY, "scenario": "2021", "seed": 0, "output": str(tmp_path / "run")},
                     search={"num_starts": 64, "num_steps": 150, "learning_rate": 0.1, "n_sigma": 1.0,
                             "max_points": 8, "min_distance": 0.1})
    res = jaxg2.search(cfg, fast=False)
    assert res.n_evaluations == 64 * 151
    assert 3 <= len(res.points) <= 8 and res.n_accepted >= len(res.points)
    e = experiments.get("delta_a_mu_2021")
    meg = experiments.get("meg2_2024_mu_e_gamma").limit
    for p in res.points:
        # re-evaluate the model directly at the reported parameters (independent of the engine)
        obs = TOY.observables({k: np.float64(p[k]) for k in TOY.parameter_names})
        assert abs(float(obs["delta_a_mu"]) - e.value) <= e.sigma
        assert float(obs["br_mu_e_gamma"]) <= meg
        assert float(obs["delta_a_mu"]) == p["delta_a_mu"]
        assert 1e-3 <= p["m"] <= 1.0 and p["k"] == 0.5
    # distinct: pairwise separated in prior-box units (a over 20, log10 m over 3)
    box = np.array([[(p["a"] + 10) / 20, (np.log10(p["m"]) + 3) / 3] for p in res.points])
    d = np.linalg.norm(box[:, None] - box[None], axis=-1) + np.eye(len(box))
    assert d.min() > 0.1
    # written outputs, with units
    record = json.loads(res.json_path.read_text())
    assert record["n_evaluations"] == res.n_evaluations and len(record["points"]) == len(res.points)
    assert record["units"]["m"] == "GeV"
    header = res.csv_path.read_text().splitlines()[0]
    assert "m [GeV]" in header and "delta_a_mu [1]" in header
    assert "m [GeV]" in res.table


def test_search_targets_reproduce_given_observables(tmp_path):
    """Targets mode: every accepted point reproduces m_x = 0.05 ± 0.002 GeV (checked by
    re-evaluating the model), besides the constraints and the Δa_μ acceptance."""
    cfg = toy_config(fit={"model": TOY, "scenario": "2021", "seed": 1, "output": str(tmp_path / "run")},
                     search={"num_starts": 32, "num_steps": 150, "learning_rate": 0.1, "max_points": 4,
                             "min_distance": 0.02, "targets": {"m_x": [0.05, 0.002]}})
    res = jaxg2.search(cfg, fast=False)
    assert res.n_accepted >= 16 and len(res.points) >= 1   # the starts converge to one optimum
    e = experiments.get("delta_a_mu_2021")
    for p in res.points:
        obs = TOY.observables({k: np.float64(p[k]) for k in TOY.parameter_names})
        assert abs(float(obs["m_x"]) - 0.05) <= 0.002
        assert abs(float(obs["delta_a_mu"]) - e.value) <= e.sigma
    record = json.loads(res.json_path.read_text())
    assert record["targets"] == {"m_x": {"value": 0.05, "tol": 0.002}}
    assert "targets m_x = 0.05" in res.table


def test_search_budget_runs_more_rounds_and_counts_them(tmp_path):
    """With max_evaluations, fresh rounds follow until max_points distinct points are found
    or the budget is spent; n_evaluations counts every round.  A target that no point can
    reach (m_x = 5 GeV, outside the prior's 1 GeV) spends the whole budget and accepts none."""
    base = {"num_starts": 8, "num_steps": 20, "learning_rate": 0.1, "max_points": 50, "min_distance": 0.01}
    one_round = 8 * 21
    cfg = toy_config(fit={"model": TOY, "scenario": "2021", "seed": 0, "output": str(tmp_path / "a")},
                     search={**base, "max_evaluations": 3 * one_round + 5})
    res = jaxg2.search(cfg, fast=False, write=False)
    assert res.n_evaluations == 3 * one_round
    cfg = toy_config(fit={"model": TOY, "scenario": "2021", "seed": 0, "output": str(tmp_path / "b")},
                     search={**base, "max_evaluations": 2 * one_round, "targets": {"m_x": [5.0, 0.1]}})
    res = jaxg2.search(cfg, fast=False, write=False)
    assert res.n_evaluations == 2 * one_round and res.points == [] and res.n_accepted == 0


def test_search_targets_config_errors():
    import pytest
    from jaxg2 import config

    for targets, msg in (({"nope": [1.0, 0.1]}, "no observable 'nope'"), ({"m_x": [1.0, -1.0]}, "tolerance must be > 0"),
                         ({"m_x": 1.0}, "expected [value, tolerance]")):
        with pytest.raises(config.ConfigError, match=msg.replace("[", r"\[")):
            config.load(toy_config(search={"targets": targets}), fast=False)
    with pytest.raises(config.ConfigError, match="below one round"):
        jaxg2.search(toy_config(search={"num_starts": 8, "num_steps": 20, "max_evaluations": 100}), fast=False, write=False)
