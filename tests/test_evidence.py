"""Evidence by nested sampling (jaxns) against closed forms, its outputs, determinism,
Bayes factors and the ``jaxg2 evidence`` / ``jaxg2 compare`` commands.

Closed forms (Φ the standard normal CDF, S = 1e-9 the toy's Δa_μ per unit of a,
(μ, σ) the registry's Δa_μ 2021 measurement):

* TOY (tests/test_infer_problem.py): a ~ U(−10, 10), Δa = S·a, hard MEG cap a < a_max:
  Z = 1/(20 S) [Φ((S a_max − μ)/σ) − Φ((−10 S − μ)/σ)]   (the m prior integrates to 1)
* MIXTURE: a ~ U(−5, 5), Δa = S·|a|, i.e. two Gaussian components at a = ±μ/S:
  Z = 2/(10 S) [Φ((5 S − μ)/σ) − Φ(−μ/σ)]
* SM reference: Z = N(0 | μ, σ).
"""

import json
import math
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest
from scipy.stats import norm

from jaxg2 import cli, experiments
from jaxg2.infer.compare import format_table, jeffreys
from jaxg2.infer.evidence import equal_weight, evidence, evidences, load_evidence
from jaxg2.models.base import Constraint, Model, Parameter, Prior

from test_infer_problem import A_SCALE, BR_SCALE, TOY, toy_config

ROOT = Path(__file__).resolve().parents[1]
G21 = experiments.get("delta_a_mu_2021")

MIXTURE = Model(
    name="mixture", description="Δa = S|a|: two Gaussian modes", reference="none",
    parameters=(Parameter("a", "1", "a", Prior.uniform(-5.0, 5.0)),
                Parameter("m", "GeV", "m", Prior.log_uniform(1e-3, 1.0))),
    observables=lambda t: {"delta_a_mu": A_SCALE * jnp.abs(t["a"]), "m_x": t["m"]},
    units={"delta_a_mu": "1", "m_x": "GeV"},
)


def _toy_exact():
    a_max = experiments.get("meg2_2024_mu_e_gamma").limit / BR_SCALE
    mu, s = G21.value, G21.sigma
    return math.log((norm.cdf((A_SCALE * a_max - mu) / s) - norm.cdf((-10 * A_SCALE - mu) / s)) / (20 * A_SCALE))


def _mixture_exact():
    mu, s = G21.value, G21.sigma
    return math.log(2 * (norm.cdf((5 * A_SCALE - mu) / s) - norm.cdf(-mu / s)) / (10 * A_SCALE))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Both analytic problems in one compiled program (equal dimension 2), default jaxns settings."""
    out = tmp_path_factory.mktemp("ev")
    cfgs = [toy_config(fit={"model": TOY, "scenario": "2021", "seed": 1, "output": str(out / "toy")}),
            {"fit": {"model": MIXTURE, "scenario": "2021", "seed": 2, "output": str(out / "mix")}}]
    return out, evidences(cfgs, fast=False, progress=False)


def test_gaussian_likelihood_uniform_prior_hard_limit(batch):
    _, (toy, _) = batch
    exact = _toy_exact()
    assert 0.05 < toy.log_z_err < 1.0
    assert abs(toy.log_z - exact) < 3 * toy.log_z_err, (toy.log_z, toy.log_z_err, exact)


def test_likelihood_through_its_own_program_gives_the_same_evidence(batch):
    """``model_program = "separate"``: jaxns calls the toy's likelihood through a host call
    into its own program (as it does for big models under "auto"); the run is the same."""
    from jaxg2 import config
    from jaxg2.infer.evidence import _separate_likelihood
    from jaxg2.infer.problem import Problem

    _, (toy, _) = batch
    sampler = {"model_program": "separate"}
    sep = evidence(toy_config(fit={"model": TOY, "scenario": "2021", "seed": 1}, sampler=sampler), output=False,
                   progress=False, fast=False)
    assert sep.log_z == pytest.approx(toy.log_z, rel=1e-12) and sep.log_z_err == pytest.approx(toy.log_z_err, rel=1e-9)
    assert sep.num_likelihood_evaluations == toy.num_likelihood_evaluations
    import jax

    example = jax.ShapeDtypeStruct((2,), jnp.float64)
    auto = Problem(config.load(toy_config(fit={"model": TOY, "scenario": "2021"}), fast=False), smooth=False)
    assert _separate_likelihood(Problem(config.load(toy_config(fit={"model": TOY, "scenario": "2021"},
                                                               sampler=sampler), fast=False)), example)
    assert not _separate_likelihood(auto, example)          # a small likelihood stays inline


def test_two_component_mixture(batch):
    _, (_, mix) = batch
    exact = _mixture_exact()
    assert abs(mix.log_z - exact) < 3 * mix.log_z_err, (mix.log_z, mix.log_z_err, exact)
    # both modes are populated: posterior mass on either side of a = 0
    w = np.exp(np.asarray(mix.idata.sample_stats["log_weight"]).ravel())
    a = np.asarray(mix.idata.posterior["a"]).ravel()
    assert 0.3 < w[a > 0].sum() < 0.7


def test_outputs_and_weighted_posterior(batch):
    out, (toy, _) = batch
    rec = load_evidence(out / "toy")
    for k in ("log_z", "log_z_err", "num_likelihood_evaluations", "wall_time_s", "seed"):
        assert k in rec
    assert rec["log_z"] == toy.log_z and rec["seed"] == 1 and rec["constraints_form"] == "hard"
    assert rec["num_likelihood_evaluations"] > 1000 and rec["free_parameters"] == ["a", "m"]
    import arviz as az

    idata = az.from_netcdf(str(out / "toy" / "evidence.nc"))
    lw = np.asarray(idata.sample_stats["log_weight"]).ravel()
    assert math.isclose(np.exp(lw).sum(), 1.0, rel_tol=1e-9)
    a = np.asarray(idata.posterior["a"]).ravel()
    live = lw > -500          # excluded points carry the e^-1000 floor: no weight
    assert np.all(a[live] <= experiments.get("meg2_2024_mu_e_gamma").limit / BR_SCALE)  # hard cap
    assert rec["excluded_floor"] == -1000.0
    # the weighted mean of Δa sits near the measurement (truncated Gaussian in a)
    d = np.asarray(idata.posterior["delta_a_mu"]).ravel()
    assert abs(np.sum(np.exp(lw) * d) - G21.value) < G21.sigma
    eq = equal_weight(idata, num=500, seed=0)
    assert np.asarray(eq.posterior["a"]).shape == (1, 500)
    assert idata.posterior.attrs["log_z"] == toy.log_z


def test_jaxns_import_leaves_logging_and_the_working_directory_alone(tmp_path):
    """jaxns' import-time dictConfig would close every existing handler (pytest's capture
    streams: the next test errors with "I/O operation on closed file") and write
    application.log into the working directory; jaxg2 imports it without either."""
    import subprocess
    import sys

    code = ("import logging, os\n"
            "h = logging.FileHandler('mine.log', mode='w'); logging.getLogger().addHandler(h)\n"  # as pytest's
            "from jaxg2.infer.evidence import _jaxns\n"
            "_jaxns()\n"
            "logging.getLogger().warning('still here'); h.flush()\n"
            "assert h in logging.getLogger().handlers and 'still here' in open('mine.log').read()\n"
            "assert not os.path.exists('application.log')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_jeffreys_wording():
    ln10 = math.log(10.0)
    assert jeffreys(0.3 * ln10) == "barely worth mentioning"
    assert jeffreys(0.7 * ln10) == "substantial"
    assert jeffreys(1.2 * ln10) == "strong"
    assert jeffreys(1.7 * ln10) == "very strong"
    assert jeffreys(2.5 * ln10) == "decisive"
    assert jeffreys(-1.2 * ln10, "SM") == "strong, for SM"


def test_compare_cli_sm_reference_and_model_file(tmp_path, capsys):
    """jaxg2 compare with the SM reference and the leptophilic scalar loaded from its file
    (model = "models/leptophilic_scalar.py:MODEL" relative to the config)."""
    import shutil

    shutil.copytree(ROOT / "fits" / "models", tmp_path / "models")
    cfgs = []
    for name in ("sm_2021.toml", "leptophilic_scalar_2021.toml"):   # the shipped files, outputs in tmp_path
        text = (ROOT / "fits" / name).read_text().replace('output = "runs/', f'output = "{tmp_path}/')
        (tmp_path / name).write_text(text)
        cfgs.append(tmp_path / name)
    assert cli.main(["compare", str(cfgs[1]), "--reference", str(cfgs[0]), "--fast", "--quiet"]) == 0
    out = capsys.readouterr().out
    sm_rec = load_evidence(tmp_path / "sm_2021")
    exact = float(norm.logpdf(0.0, G21.value, G21.sigma))
    # constant likelihood: exact up to jaxns' stopping rule (remaining evidence < 0.1 %)
    assert abs(sm_rec["log_z"] - exact) < math.log(1.001) + 1e-9
    lep_rec = load_evidence(tmp_path / "leptophilic_scalar_2021")
    ln_b = lep_rec["log_z"] - sm_rec["log_z"]
    row = next(line for line in out.splitlines() if line.startswith("leptophilic_scalar_2021"))
    assert f"{ln_b:.2f}" in row and jeffreys(ln_b, "sm_2021") in row
    assert "(ref)" in out


def test_evidence_cli_and_same_seed_same_answer(tmp_path, capsys):
    cfg = tmp_path / "toy.toml"
    cfg.write_text(f'[fit]\nmodel = "test_infer_problem:TOY"\nscenario = "2021"\nseed = 1\n'
                   f'output = "{tmp_path / "run"}"\n')
    assert cli.main(["evidence", str(cfg), "--quiet", "--live", "60", "--slices", "10"]) == 0
    text = capsys.readouterr().out
    assert "log Z =" in text and (tmp_path / "run" / "evidence.nc").exists()
    rec = json.loads((tmp_path / "run" / "evidence.json").read_text())
    assert rec["num_live_points"] == 60 and rec["num_slices"] == 10 and rec["seed"] == 1
    assert abs(rec["log_z"] - _toy_exact()) < 3 * rec["log_z_err"]
    # the same config and seed again (Python API, compiled program reused): the same answer
    again = evidence(cfg, output=False, progress=False, num_live_points=60, num_slices=10)
    assert again.log_z == rec["log_z"] and again.log_z_err == rec["log_z_err"]
    assert again.num_likelihood_evaluations == rec["num_likelihood_evaluations"]
    other = evidence(toy_config(fit={"model": TOY, "scenario": "2021", "seed": 5}), output=False,
                     progress=False, num_live_points=60, num_slices=10)
    assert other.log_z != again.log_z and abs(other.log_z - _toy_exact()) < 3 * other.log_z_err
    assert cli.main(["evidence", str(cfg), "--live", "0"]) == 2
    assert "--live" in capsys.readouterr().err


E_SCALE = 1.6e-13   # Δa_e per unit of a: one σ of the Rb measurement
ELECTRON = Model(
    name="electron_toy", description="Δa_μ = S a and Δa_e = E a, Δa_e measured (Rb)", reference="none",
    parameters=(Parameter("a", "1", "a", Prior.uniform(-10.0, 10.0)),),
    observables=lambda t: {"delta_a_mu": A_SCALE * t["a"], "delta_a_e": E_SCALE * t["a"]},
    units={"delta_a_mu": "1", "delta_a_e": "1"},
    constraints=(Constraint("electron_g2_rb", "delta_a_e", "gaussian", entry="delta_a_e_rb", null_value=0.0),),
)


def test_bayes_factor_puts_the_sm_on_the_same_data():
    """ln B of a model with a measurement (Δa_e, Rb) against the SM config (Δa_μ only) is
    Z_model / [N(0 | Δa_μ) N(0 | Δa_e)]: the SM is scored on the model's data too.  Exact
    value from a scipy quadrature of the 1-D integral; without the SM's Δa_e score ln B
    would be larger by ln(1/(σ_e √2π)) − ½(μ_e/σ_e)² ≈ 27."""
    import tomllib

    from scipy.integrate import quad

    from jaxg2.infer.compare import compare

    e = experiments.get("delta_a_e_rb")
    mu, s = G21.value, G21.sigma
    z, _ = quad(lambda a: norm.pdf(A_SCALE * a, mu, s) * norm.pdf(E_SCALE * a, e.value, e.sigma) / 20.0,
                -10.0, 10.0, points=[mu / A_SCALE, e.value / E_SCALE], epsabs=0.0, epsrel=1e-12, limit=200)
    exact = math.log(z) - norm.logpdf(0.0, mu, s) - norm.logpdf(0.0, e.value, e.sigma)
    sm = tomllib.loads((ROOT / "fits" / "sm_2021.toml").read_text())
    sm["fit"]["model"] = str(ROOT / "fits" / sm["fit"]["model"])
    res = compare([{"fit": {"model": ELECTRON, "scenario": "2021", "seed": 3}}], reference=sm, output=False,
                  progress=False, fast=False)
    row = next(r for r in res.rows if r["model"] == "electron_toy")
    assert row["sm_measurement_log_likelihood"] == pytest.approx(norm.logpdf(0.0, e.value, e.sigma), rel=1e-12)
    assert abs(row["ln_b"] - exact) < 3 * row["ln_b_err"] + 0.02, (row, exact)
    assert "the SM's Σ ln L on the config's measurements" in res.table


def test_compare_rows_against_first_config():
    rows = format_table([
        {"label": "a", "model": "m", "scenario": "2021", "log_z": 1.0, "log_z_err": 0.1, "ln_b": 0.0,
         "ln_b_err": 0.0, "reference": True, "jeffreys": ""},
        {"label": "b", "model": "m", "scenario": "2021", "log_z": 3.0, "log_z_err": 0.1, "ln_b": 2.0,
         "ln_b_err": 0.14, "reference": False, "jeffreys": jeffreys(2.0)}])
    assert "(ref)" in rows.splitlines()[2] and "substantial" in rows.splitlines()[3]


def test_compare_one_reference_per_scenario(monkeypatch):
    """Row logic with stubbed evidences: each config against the SM of its own scenario."""
    import sys
    from types import SimpleNamespace

    from jaxg2.config import ConfigError

    cmp_mod = sys.modules["jaxg2.infer.compare"]

    def fake(name, sc, log_z, err):
        cfg = SimpleNamespace(scenario=sc, source=f"fits/{name}_{sc}.toml", model=SimpleNamespace(name=name))
        return SimpleNamespace(config=cfg, log_z=log_z, log_z_err=err, record={})

    table = {"sm_2021": fake("sm", "2021", 11.3, 0.0), "sm_2025": fake("sm", "2025", 20.0, 0.0),
             "x_2021": fake("x", "2021", 17.0, 0.3), "x_2025": fake("x", "2025", 19.0, 0.4)}
    monkeypatch.setattr(cmp_mod, "evidences", lambda cfgs, **kw: [table[c] for c in cfgs])
    res = cmp_mod.compare(["x_2021", "x_2025"], reference=["sm_2021", "sm_2025"])
    rows = {(r["model"], r["scenario"]): r for r in res.rows}
    assert rows[("x", "2021")]["ln_b"] == pytest.approx(5.7) and rows[("x", "2025")]["ln_b"] == pytest.approx(-1.0)
    assert rows[("x", "2025")]["ln_b_err"] == pytest.approx(0.4)
    assert rows[("x", "2025")]["jeffreys"] == "barely worth mentioning, for sm_2025"
    assert rows[("sm", "2021")]["reference"] and "note:" not in res.table
    one = cmp_mod.compare(["x_2021", "x_2025"], reference="sm_2021")        # one reference: mixed-scenario note
    assert "note:" in one.table
    with pytest.raises(ConfigError, match="two references"):
        cmp_mod.compare(["x_2021"], reference=["sm_2021", "sm_2021"])
    table["y_2021"] = fake("y", "2021", 40.0, 0.3)
    table["y_2021"].record["sm_measurement_log_likelihood"] = 28.0    # the SM's score on y's measurements
    assert cmp_mod.compare(["y_2021"], reference="sm_2021").rows[1]["ln_b"] == pytest.approx(40.0 - 28.0 - 11.3)
    table["y_2021"].record["sm_measurement_log_likelihood"] = None     # a measurement without an SM value
    with pytest.raises(ConfigError, match="no Standard-Model value"):
        cmp_mod.compare(["y_2021"], reference="sm_2021")


def test_parameter_values_one_program_across_scenarios_and_prior_boxes():
    """The evidence's parameters and observables at the nested samples' free values
    (fit.parameter_values) equal the fit's constrained values at the same points, and
    configs that differ only in scenario or prior box share one program; a changed fixed
    value gets its own."""
    import importlib

    import jax
    from numpyro.distributions.transforms import biject_to

    from jaxg2 import config
    from jaxg2.infer import Problem

    fit_mod = importlib.import_module("jaxg2.infer.fit")   # the module (jaxg2.infer.fit is also the function)
    fit_mod._VALUE_PROGRAMS.clear()
    a, m = np.array([-1.0, 0.5, 2.0]), np.array([0.002, 0.1, 0.9])
    cases = [(toy_config(), 0.5),
             (toy_config(fit={"model": TOY, "scenario": "2025", "seed": 0},
                         parameters={"m": {"prior": "log_uniform", "low": 1e-4, "high": 1.0}}), 0.5),
             (toy_config(parameters={"k": {"prior": "fixed", "value": 0.25}}), 0.25)]
    for raw, k in cases:
        p = Problem(config.load(raw, fast=False))
        got = fit_mod.parameter_values(p, {"a": a, "m": m})
        assert set(got) == {"a", "m", "k", "delta_a_mu", "br_mu_e_gamma", "m_x", "coupling", "a_sq"}
        np.testing.assert_allclose(got["delta_a_mu"], a * A_SCALE, rtol=1e-15)
        np.testing.assert_allclose(got["coupling"], k * m, rtol=1e-15)
        np.testing.assert_allclose(got["k"], k, rtol=0)
        z = {"a": biject_to(p.site_distribution("a").support).inv(jnp.asarray(a)),
             "log10_m": biject_to(p.site_distribution("m").support).inv(jnp.log10(jnp.asarray(m)))}
        ref = jax.vmap(p.constrain)(z)
        for key in got:
            np.testing.assert_allclose(got[key], np.asarray(ref[key]), rtol=1e-12, err_msg=key)
    assert len(fit_mod._VALUE_PROGRAMS) == 2
