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
