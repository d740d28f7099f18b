"""NUTS fits: a posterior with a known answer, the output directory, resume == uninterrupted."""

import json
import dataclasses
import math
import warnings

import arviz as az
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import jaxg2
from jaxg2 import config, experiments
from jaxg2.infer import Problem, ResumeError, SamplingWarning
from jaxg2.infer.fit import _constrained, diagnose
from jaxg2.infer.nuts import run_nuts

from jaxg2.models.base import Constraint

from test_infer_problem import A_SCALE, BR_SCALE, TOY, toy_config


def test_known_answer_gaussian_posterior(tmp_path):
    """Δa_μ = a·1e-9 with a flat prior on a ∈ (−10, 10): the posterior of a is
    N(Δa_exp/1e-9, σ/1e-9) = N(2.51, 0.59); log10 m keeps its U(−3, 0) prior."""
    cfg = toy_config(constraints={"use": []},
                     sampler={"num_warmup": 300, "num_samples": 1000, "num_chains": 2, "checkpoint_every": 500})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SamplingWarning)
        res = jaxg2.fit(cfg, output=tmp_path / "run", fast=False, progress=False)
    e = experiments.get("delta_a_mu_2021")
    a = np.asarray(res.idata.posterior["a"])
    assert a.shape == (2, 1000)
    assert np.mean(a) == pytest.approx(e.value / A_SCALE, abs=0.06)        # MC error ≈ 0.02
    assert np.std(a) == pytest.approx(e.sigma / A_SCALE, rel=0.08)
    lm = np.asarray(res.idata.posterior["log10_m"]).ravel()
    assert np.mean(lm) == pytest.approx(-1.5, abs=0.1) and np.std(lm) == pytest.approx(3 / math.sqrt(12), rel=0.1)
    # every observable is recorded, equal to the model evaluated at the draws
    post = res.idata.posterior
    np.testing.assert_allclose(post["delta_a_mu"], a * A_SCALE, rtol=1e-14)
    np.testing.assert_allclose(post["m"], 10 ** np.asarray(post["log10_m"]), rtol=1e-13)
    np.testing.assert_allclose(post["coupling"], 0.5 * np.asarray(post["m"]), rtol=1e-14)
    assert post["m"].attrs["unit"] == "GeV"

    # the output directory
    out = res.output_dir
    for name in ("posterior.nc", "summary.csv", "summary.txt", "corner.png", "trace.png", "checkpoint.npz"):
        assert (out / name).stat().st_size > 0, name
    assert not list(out.glob("*.tmp*"))
    back = az.from_netcdf(out / "posterior.nc")
    np.testing.assert_array_equal(np.asarray(back.posterior["a"]), a)
    attrs = back.posterior.attrs
    assert attrs["seed"] == 0 and attrs["scenario"] == "2021"
    assert json.loads(attrs["config"])["fit"]["model"] == "toy"
    reg = json.loads(attrs["registry"])
    assert reg["registry_version"] == experiments.registry_version()
    assert reg["entries"]["delta_a_mu_2021"]["value"] == e.value
    assert {"jax", "numpyro", "arviz", "jaxg2"} <= set(json.loads(attrs["versions"]))
    assert set(back.sample_stats.data_vars) >= {"diverging", "lp", "energy", "n_steps", "step_size"}
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    assert {"mean", "sd", "hdi_3%", "hdi_97%", "ess_bulk", "ess_tail", "r_hat", "unit"} <= set(summary.columns)
    assert summary.loc["a", "r_hat"] < 1.01 and summary.loc["a", "mean"] == pytest.approx(np.mean(a), rel=1e-6)


def test_hard_limit_truncates_and_resume_equals_uninterrupted(tmp_path):
    """The MEG II limit BR < 3.1e-13 caps a at 3.1 (hard): every draw obeys it and the
    posterior is the truncated normal.  Interrupting after 3 blocks and resuming gives
    exactly the draws of the uninterrupted run."""
    cfg = config.load(toy_config(sampler={"num_warmup": 150, "num_samples": 500, "num_chains": 2,
                                          "checkpoint_every": 100}), fast=False)
    problem = Problem(cfg)
    full = run_nuts(problem, tmp_path / "full.npz", progress=False)
    assert full.complete
    ck = tmp_path / "part.npz"
    part = run_nuts(problem, ck, progress=False, max_blocks=3)          # warmup 100+50, sampling 100
    assert not part.complete and part.iterations_done == 250
    resumed = run_nuts(problem, ck, resume=True, progress=False)
    assert resumed.complete
    for k in full.z:
        np.testing.assert_array_equal(resumed.z[k], full.z[k])
    for k in full.stats:
        np.testing.assert_array_equal(resumed.stats[k], full.stats[k])

    values = _constrained(problem, full.z)
    a = values["a"].ravel()
    limit = experiments.get("meg2_2024_mu_e_gamma").limit / BR_SCALE
    assert a.max() <= limit
    e = experiments.get("delta_a_mu_2021")
    mu, sd = e.value / A_SCALE, e.sigma / A_SCALE
    tn = stats.truncnorm((-10 - mu) / sd, (limit - mu) / sd, loc=mu, scale=sd)
    assert np.mean(a) == pytest.approx(tn.mean(), abs=0.06)
    assert np.std(a) == pytest.approx(tn.std(), rel=0.12)

    # a checkpoint from another configuration is refused
    other = Problem(config.load(toy_config(fit={"model": cfg.model, "scenario": "2021", "seed": 1},
                                           sampler=dict(cfg.sampler)), fast=False))
    with pytest.raises(ResumeError, match="different configuration"):
        run_nuts(other, ck, resume=True, progress=False)


def test_diagnostics_warn_on_rhat_ess_divergences():
    summary = pd.DataFrame({"r_hat": [1.0, 1.05], "ess_bulk": [900.0, 40.0], "ess_tail": [800.0, 900.0]},
                           index=["good", "bad"])
    idata = az.from_dict(posterior={"good": np.zeros((2, 5)), "bad": np.zeros((2, 5))},
                         sample_stats={"diverging": np.array([[0, 1, 0, 0, 0], [0, 0, 0, 0, 1]], bool)})
    msgs = diagnose(summary, idata, num_chains=2)
    assert any("R-hat > 1.01" in m and "bad=1.050" in m for m in msgs)
    assert any("low ess bulk" in m and "bad=40" in m for m in msgs)
    assert any("2 of 10 transitions diverged" in m for m in msgs)
    assert not any("good" in m for m in msgs)


# the toy with a wall no point of its box passes: a² ≥ 200 with a ∈ (−10, 10)
WALLED = dataclasses.replace(TOY, name="toy_walled", constraints=TOY.constraints + (
    Constraint("wall", "a_sq", "lower", limit=200.0, note="excludes the whole box"),))


def test_limits_passed_counts_draws_inside_each_hard_limit():
    """MEG II 2024 (BR < 3.1e-13; the toy's BR = a·1e-13) passes a = 1, 2, 3 of 1…4; the wall
    a² ≥ 200 none; measurements (gaussian) are not limits and are not counted."""
    cfg = config.load(toy_config(fit={"model": WALLED, "scenario": "2021", "seed": 0},
                                 constraints={"use": ["meg", "wall"], "smooth": True}), fast=False)
    limit = experiments.get("meg2_2024_mu_e_gamma").limit
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert 3.0 * BR_SCALE < limit < 4.0 * BR_SCALE
    got = Problem(cfg).limits_passed({"br_mu_e_gamma": a * BR_SCALE, "a_sq": a * a, "a": a})
    assert got == {"meg": 0.75, "wall": 0.0, "all": 0.0}
    a = np.array([[15.0, 1.0]])     # outside the toy's box, but the counting holds: only a = 15 passes the wall
    got = Problem(cfg).limits_passed({"br_mu_e_gamma": a * BR_SCALE, "a_sq": a * a})
    assert got == {"meg": 0.5, "wall": 0.5, "all": 0.0}


def test_limits_excess_is_the_median_factor_beyond_each_limit():
    """Upper: x/limit; lower: limit/x; interval: the side it is beyond (ln ≤ 0 inside);
    the Problem's figure is the median over draws.  Expected values by hand."""
    cfg = config.load(toy_config(fit={"model": WALLED, "scenario": "2021", "seed": 0},
                                 constraints={"use": ["meg", "wall"], "smooth": True}), fast=False)
    limit = experiments.get("meg2_2024_mu_e_gamma").limit
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = Problem(cfg).limits_excess({"br_mu_e_gamma": a * BR_SCALE, "a_sq": a * a, "a": a})
    assert got["meg"] == pytest.approx(2.5 * BR_SCALE / limit, rel=1e-12)       # median of 1…4 is 2.5
    assert got["wall"] == pytest.approx((200 / 4 + 200 / 9) / 2, rel=1e-12)     # median of 200/a²
    band = Constraint("band", "x", "interval", entry="sidm_dwarf_sigma_over_m")
    e = experiments.get("sidm_dwarf_sigma_over_m")
    mid = (e.low + e.high) / 2
    x = np.array([e.low / 4, mid, 3 * e.high, -1.0])
    np.testing.assert_allclose(np.exp(np.asarray(band.log_excess({"x": x}))),
                               [4.0, max(mid / e.high, e.low / mid), 3.0, np.inf], rtol=1e-12)
    assert 0 < e.low < mid < e.high
    assert np.exp(float(Constraint("u", "x", "upper", limit=2.0).log_excess({"x": -1.0}))) == 0.0
    with pytest.raises(ValueError, match="measurement"):
        Constraint("g", "x", "gaussian", entry="delta_a_mu_2021").log_excess({"x": 1.0})


def test_emptiest_limits_rank_ties_by_how_far_beyond():
    from jaxg2.infer.fit import _emptiest_limits

    limits = {"a_first": 0.0, "meg": 0.0, "some": 0.4, "all": 0.0}
    excess = {"a_first": 3.0, "meg": 1.2e6, "some": 0.5}
    assert _emptiest_limits(limits, 3, excess) == ("meg 0.0% (median draw 1.2e+06× beyond), "
                                                   "a_first 0.0% (median draw 3× beyond), some 40.0%")
    assert _emptiest_limits(limits, 1) == "a_first 0.0%"           # without the factors: by name


@pytest.mark.parametrize("use, warned", [(["meg"], False), (["meg", "wall"], True)])
def test_fit_reports_a_posterior_beyond_every_limit(tmp_path, use, warned):
    """With smooth limits an excluded box still has a posterior.  With MEG alone most draws
    lie below its limit (a < 3.1 against Δa_μ's a = 2.51 ± 0.59); with the wall every draw
    is beyond it, and the fit says so, in its warnings and in posterior.nc."""
    cfg = toy_config(fit={"model": WALLED, "scenario": "2021", "seed": 0},
                     constraints={"use": use, "smooth": True},
                     sampler={"num_warmup": 150, "num_samples": 150, "num_chains": 2, "checkpoint_every": 300})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SamplingWarning)
        res = jaxg2.fit(cfg, output=tmp_path / "run", fast=False, progress=False)
    passed = json.loads(az.from_netcdf(str(tmp_path / "run" / "posterior.nc")).posterior.attrs["limits_passed"])
    a = np.asarray(res.idata.posterior["a"])
    assert passed["meg"] == pytest.approx(np.mean(a * BR_SCALE <= experiments.get("meg2_2024_mu_e_gamma").limit))
    beyond = [m for m in res.warnings if "inside every limit" in m]
    if warned:
        assert passed["all"] == 0.0 and np.all(a * a < 200.0)
        assert len(beyond) == 1 and "wall 0.0% (median draw" in beyond[0]
        excess = json.loads(az.from_netcdf(str(tmp_path / "run" / "posterior.nc")).posterior.attrs["limits_excess"])
        a_sq = np.asarray(res.idata.posterior["a_sq"])
        assert excess["wall"] == pytest.approx(float(np.median(200.0 / a_sq)), rel=1e-12)
    else:
        assert passed["all"] == passed["meg"] > 0.6 and not beyond


def test_corner_defaults_titles_and_display_units():
    import arviz as az
    import matplotlib

    matplotlib.use("Agg")
    from jaxg2 import plots

    rng = np.random.default_rng(0)
    post = {"a": rng.normal(0, 1, (2, 50)), "b": rng.normal(0, 1, (2, 50)),
            "delta_a_mu": rng.normal(2.5e-9, 5e-10, (2, 50)), "other": rng.normal(0, 1, (2, 50))}
    idata = az.from_dict(posterior=post, posterior_attrs={"model": "toy", "scenario": "2021", "fast_mode": 1,
                                                          "sampled_sites": '["a", "b"]'})
    idata.posterior["delta_a_mu"].attrs.update({"unit": "1", "latex": r"\Delta a_\mu"})
    fig = plots.corner(idata)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 6                                  # a, b and Δa_μ: 3 diagonal + 3 pairs
    assert "toy" in fig._suptitle.get_text() and "2021" in fig._suptitle.get_text()
    assert "fast mode: 100 draws" in fig._suptitle.get_text()
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["68% HPD", "95% HPD"]
    xlabel = visible[-1].get_xlabel()
    assert "1e-11" in xlabel
    lo, hi = visible[-1].get_xlim()
    assert 50 < lo < 250 < hi < 500                           # Δa_μ drawn in units of 1e-11
