"""Problem.likelihood_observables: the pruned program (JAX's internal dead-code elimination)
and its fallback (the full observables) give the same numbers, values and gradients.
Target: the toy model of test_infer_problem, whose likelihood (Δa_μ and MEG) reads 2 of
its 5 observables, so the pruning removes work."""

import jax
import numpy as np
import pytest

from jaxg2 import config
from jaxg2.infer import Problem
from jaxg2.infer import problem as problem_mod

from test_infer_problem import toy_config


def _evaluate(cfg):
    p = Problem(cfg)
    u = p.prior_draws(jax.random.PRNGKey(4), 6)
    pot = jax.jit(jax.vmap(p.potential))(u)
    grad = jax.jit(jax.vmap(jax.grad(p.potential)))(u)
    values = p.constrain({k: v[0] for k, v in u.items()})
    obs = p.likelihood_observables(p.theta({n: values[n] for n in p.free}))
    return p, np.asarray(pot), {k: np.asarray(v) for k, v in grad.items()}, {k: np.asarray(v) for k, v in obs.items()}


@pytest.mark.parametrize("missing", ["import", "signature"])
def test_fallback_matches_pruned(monkeypatch, missing):
    cfg = config.load(toy_config(), fast=False)
    p, pot, grad, obs = _evaluate(cfg)
    assert p._dce_cache and all(v is not None for v in p._dce_cache.values())   # the pruned path ran
    assert np.all(np.isfinite(pot))

    def broken(*args, **kwargs):
        raise TypeError("dce_jaxpr() got an unexpected keyword argument")

    monkeypatch.setattr(problem_mod, "_dce_jaxpr", None if missing == "import" else broken)
    # a fresh config: the traced model and its pruned forms are kept on the config
    q, pot2, grad2, obs2 = _evaluate(config.load(toy_config(), fast=False))
    assert all(v is None for v in q._dce_cache.values())                          # the fallback ran
    assert set(obs2) == set(obs) == set(p.likelihood_keys) == {"delta_a_mu", "br_mu_e_gamma"}
    for k in obs:
        np.testing.assert_allclose(obs2[k], obs[k], rtol=1e-13, atol=0)
    np.testing.assert_allclose(pot2, pot, rtol=1e-12)
    for k in grad:
        np.testing.assert_allclose(grad2[k], grad[k], rtol=1e-10)


def test_problems_of_one_config_share_one_trace():
    """The optimiser's smooth Problem, the sampler's and the constrain step trace the
    model once between them (per argument shape), and their values are the model's."""
    cfg = config.load(toy_config(), fast=False)
    calls = []
    model_observables = cfg.model.observables

    def counted(theta, **kw):
        calls.append(1)
        return model_observables(theta, **kw)

    object.__setattr__(cfg.model, "observables", counted)  # a frozen dataclass
    try:
        smooth, hard = Problem(cfg, smooth=True), Problem(cfg, smooth=False)
        u = smooth.prior_draws(jax.random.PRNGKey(5), 4)
        jax.jit(jax.vmap(jax.grad(smooth.potential)))(u)
        jax.jit(jax.vmap(hard.potential))(u)
        sites = jax.jit(jax.vmap(hard.constrain))(u)
    finally:
        object.__setattr__(cfg.model, "observables", model_observables)
    assert len(calls) == 1
    theta = hard.theta({n: sites[n][2] for n in hard.free})
    direct = model_observables(theta)
    for k, v in direct.items():
        np.testing.assert_allclose(np.asarray(sites[hard.obs_site[k]][2]), np.asarray(v), rtol=1e-13, atol=0)
