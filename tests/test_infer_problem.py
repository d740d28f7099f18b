"""The NumPyro model builder: sites, priors in log space, derived parameters, likelihood.

Also defines the toy model ``TOY`` the other engine tests use (imported as
``test_infer_problem:TOY`` by configs): Δa_μ = a·10⁻⁹ is linear in ``a``, so the
posterior of ``a`` is a (truncated) Gaussian with a closed form.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import config, experiments
from jaxg2.infer import Problem
from jaxg2.models.base import Constraint, Model, Parameter, Prior

A_SCALE = 1e-9        # Δa_μ per unit of a
BR_SCALE = 1e-13      # BR(μ→eγ) per unit of a (toy): the MEG II limit 3.1e-13 caps a at 3.1


def _observables(t):
    a, m = t["a"], t["m"]
    return {"delta_a_mu": a * A_SCALE, "br_mu_e_gamma": a * BR_SCALE, "m_x": m,
            "coupling": t["k"] * m, "a_sq": a * a}


TOY = Model(
    name="toy", description="linear toy for the engine tests", reference="none",
    parameters=(Parameter("a", "1", "a", Prior.uniform(-10.0, 10.0)),
                Parameter("m", "GeV", "m", Prior.log_uniform(1e-3, 1.0), physical_range=(0.0, math.inf)),
                Parameter("k", "1", "k", Prior.fixed(0.5))),
    observables=_observables,
    units={"delta_a_mu": "1", "br_mu_e_gamma": "1", "m_x": "GeV", "coupling": "GeV", "a_sq": "1"},
    constraints=(Constraint("meg", "br_mu_e_gamma", "upper", entry="meg2_2024_mu_e_gamma"),
                 Constraint("pert", "a_sq", "upper", limit=81.0, note="toy bound", default=False)),
    benchmarks={"BP1": {"a": 2.0, "m": 0.1, "k": 0.5}, "BP2": {"a": 3.0, "m": 0.01, "k": 1.0}},
    derived={"k": lambda t: 2.0 * t["m"]},
)


def toy_config(**sections):
    """A dict config for TOY; keyword arguments replace whole sections."""
    cfg = {"fit": {"model": TOY, "scenario": "2021", "seed": 0},
           "sampler": {"num_warmup": 200, "num_samples": 400, "num_chains": 2, "checkpoint_every": 100}}
    cfg.update(sections)
    return cfg


def test_sites_log_space_and_fixed():
    cfg = config.load(toy_config(), fast=False)
    p = Problem(cfg)
    assert p.sites == ("a", "log10_m")
    assert p.fixed == {"k": 0.5}
    d = p.site_distribution("m")
    assert float(d.low) == pytest.approx(-3.0) and float(d.high) == pytest.approx(0.0)
    vals = p.constrain({"a": jnp.asarray(0.0), "log10_m": jnp.asarray(0.0)})  # sigmoid(0) = centre
    assert float(vals["a"]) == pytest.approx(0.0)
    assert float(vals["log10_m"]) == pytest.approx(-1.5)
    assert float(vals["m"]) == pytest.approx(10 ** -1.5)
    assert float(vals["coupling"]) == pytest.approx(0.5 * 10 ** -1.5)     # every observable recorded
    assert vals["a"].dtype == jnp.float64


def test_potential_equals_independent_log_density():
    """−log p in unconstrained space, written out by hand: uniform priors through the
    sigmoid (Jacobian σ(u)(1−σ(u))·width / width), Gaussian Δa_μ, hard MEG limit."""
    cfg = config.load(toy_config(), fast=False)
    p = Problem(cfg)
    e = experiments.get("delta_a_mu_2021")
    u_a, u_m = 0.3, -0.7
    s_a, s_m = 1 / (1 + math.exp(-u_a)), 1 / (1 + math.exp(-u_m))
    a = -10 + 20 * s_a
    log_prior = math.log(s_a * (1 - s_a)) + math.log(s_m * (1 - s_m))  # U(lo,hi) density × dx/du
    loglike = -0.5 * ((a * A_SCALE - e.value) / e.sigma) ** 2 - math.log(e.sigma * math.sqrt(2 * math.pi))
    pot = p.potential({"a": jnp.asarray(u_a), "log10_m": jnp.asarray(u_m)})
    assert float(pot) == pytest.approx(-(log_prior + loglike), rel=1e-12)
    # beyond the MEG limit (a > 3.1) the hard likelihood is −inf, the smooth one finite
    u_big = {"a": jnp.asarray(2.0), "log10_m": jnp.asarray(0.0)}   # a = 7.6
    assert float(p.potential(u_big)) == math.inf
    smooth = Problem(cfg, smooth=True)
    val, grad = jax.value_and_grad(smooth.potential)(u_big)
    assert np.isfinite(float(val)) and float(val) > float(pot) and np.isfinite(float(grad["a"]))


def test_derived_parameter_and_constraint_choice():
    cfg = config.load(toy_config(parameters={"k": {"prior": "derived"}},
                                 constraints={"use": ["pert"], "smooth": True, "width": 0.1}), fast=False)
    p = Problem(cfg)
    assert cfg.derived == ("k",) and "k" not in cfg.priors
    vals = p.constrain({"a": jnp.asarray(0.0), "log10_m": jnp.asarray(0.0)})
    assert float(vals["k"]) == pytest.approx(2 * 10 ** -1.5)               # model.derived["k"]
    assert float(vals["coupling"]) == pytest.approx(2 * 10 ** -3.0)
    assert [c.name for c in p.constraints] == ["pert"] and p.smooth and p.width == 0.1


def test_evaluate_batches_and_masks():
    p = Problem(config.load(toy_config(), fast=False))
    theta = p.theta({"a": jnp.array([1.0, 2.51, 3.5]), "m": jnp.array([0.1, 0.1, 0.1])})
    ev = p.evaluate(theta)
    np.testing.assert_allclose(ev["pull"], (np.array([1.0, 2.51, 3.5]) * 1e-9 - 2.51e-9) / 5.9e-10, rtol=1e-12)
    assert ev["allowed"]["meg"].tolist() == [True, True, False]
    assert theta["k"].shape == (3,)


def test_optimiser_objective_and_pruned_likelihood_observables():
    """neg_log_posterior = −log L − log prior density in the sites' own coordinates (no
    Jacobian): for flat priors it is flat along parameters the likelihood ignores.
    likelihood_observables returns exactly the model's values for the keys it needs."""
    p = Problem(config.load(toy_config(), fast=False))
    e = experiments.get("delta_a_mu_2021")
    u = {"a": jnp.asarray(0.3), "log10_m": jnp.asarray(-0.7)}
    a = -10 + 20 / (1 + math.exp(-0.3))
    expect = 0.5 * ((a * A_SCALE - e.value) / e.sigma) ** 2 + math.log(e.sigma * math.sqrt(2 * math.pi)) \
        + math.log(20.0) + math.log(3.0)
    assert float(p.neg_log_posterior(u)) == pytest.approx(expect, rel=1e-12)
    g = jax.grad(p.neg_log_posterior)(u)
    assert float(g["log10_m"]) == pytest.approx(0.0, abs=1e-12)
    theta = p.theta({"a": jnp.asarray(2.0), "m": jnp.asarray(0.1)})
    sub = p.likelihood_observables(theta)
    assert set(sub) == {"delta_a_mu", "br_mu_e_gamma"} == set(p.likelihood_keys)
    full = TOY.observables(theta)
    assert all(float(sub[k]) == float(full[k]) for k in sub)
