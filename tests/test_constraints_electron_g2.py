"""Electron g-2 family: registry numbers re-derived from the α values, the one-loop Δa_e
of a light vector against an independent integral, family selection, JAX transforms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import quad

from jaxg2 import constants as C
from jaxg2 import experiments
from jaxg2.constraints import base as cbase
from jaxg2.constraints import electron_g2 as eg2
from jaxg2.models.base import Model, Parameter, Prior


@pytest.mark.parametrize("name", ["delta_a_e_cs", "delta_a_e_rb"])
def test_registry_delta_a_e_follows_from_the_alpha_values(name):
    # a_e(exp) fixes 1/α(a_e); a_e(SM) at another α differs by (da/dα) Δα, da/dα = 1/2π at
    # leading order (the two-loop term changes it by 0.15%, far below the quoted digits)
    e = experiments.get(name)
    a_inv, a_inv_ae = e.extra["alpha_inv"], e.extra["alpha_inv_from_a_e"]
    alpha = 1.0 / a_inv_ae
    delta = alpha**2 / (2 * math.pi) * (a_inv - a_inv_ae)
    assert delta == pytest.approx(e.value, rel=0.02)
    sigma = math.hypot(alpha**2 / (2 * math.pi) * e.extra["alpha_inv_sigma"], e.extra["a_e_exp_sigma"])
    assert sigma == pytest.approx(e.sigma, rel=0.05)


def test_cs_and_rb_are_exclusive_defaults():
    fam = {f.name: f for f in eg2.FAMILIES}
    for f in fam.values():
        d = {c.name: c.default for c in f.constraints}
        assert d == {"electron_g2_rb": True, "electron_g2_cs": False}
    # the two α really are inconsistent (> 5 sigma): the scenarios are not to be combined
    cs, rb = experiments.get("delta_a_e_cs").extra, experiments.get("delta_a_e_rb").extra
    pull = abs(cs["alpha_inv"] - rb["alpha_inv"]) / math.hypot(cs["alpha_inv_sigma"], rb["alpha_inv_sigma"])
    assert pull > 5.0


def _independent_delta_a(m_x, g):
    # Δa = g²/(4π²) ∫ x²(1−x)/(x² + (1−x) r²) dx, r = m_X/m_e (standard vector-loop integral)
    r2 = (m_x / C.M_E) ** 2
    val = quad(lambda x: x * x * (1 - x) / (x * x + (1 - x) * r2), 0, 1, epsabs=0, epsrel=1e-12, limit=200)[0]
    return g * g / (4 * math.pi**2) * val


@pytest.mark.parametrize("m_x", [1e-5, 1e-4, 5.11e-4, 3e-3, 0.1, 10.0])
def test_light_vector_delta_a_e_matches_independent_integral(m_x):
    g = 3e-4
    got = float(eg2.delta_a_e_light_vector(m_x, g))
    assert got == pytest.approx(_independent_delta_a(m_x, g), rel=1e-7)


def test_light_vector_limits():
    g = 1e-3
    assert float(eg2.delta_a_e_light_vector(1e-9, g)) == pytest.approx(g * g / (8 * math.pi**2), rel=1e-4)
    heavy = g * g * C.M_E**2 / (12 * math.pi**2 * 100.0**2)
    assert float(eg2.delta_a_e_light_vector(100.0, g)) == pytest.approx(heavy, rel=1e-4)


def test_family_selection():
    names = lambda secs: sorted(f.name for f in cbase.families_for(secs) if f.name.startswith("electron_g2"))  # noqa: E731
    assert names(("light_vector",)) == ["electron_g2_light_vector"]
    assert names(("lepton_g2",)) == ["electron_g2"]
    assert names(("light_vector", "lepton_g2")) == ["electron_g2"]  # the model's own Δa_e wins


def test_lepton_g2_family_passes_the_model_number_and_missing_means_zero():
    f = next(f for f in eg2.FAMILIES if f.name == "electron_g2")
    assert float(f.observables({"lepton_g2": {"delta_a_e": jnp.asarray(-3e-13)}})[eg2.OBSERVABLE]) == -3e-13
    assert float(f.observables({"lepton_g2": {"delta_a_mu": jnp.asarray(1e-9)}})[eg2.OBSERVABLE]) == 0.0


def test_jit_vmap_grad_and_model_wiring():
    m = Model(name="toy_dp", description="dark photon", reference="none",
              parameters=(Parameter("eps", "1", r"\epsilon", Prior.log_uniform(1e-6, 1.0)),
                          Parameter("m", "GeV", "m", Prior.log_uniform(1e-3, 10.0))),
              observables=lambda th: {"delta_a_mu": th["eps"] ** 2}, units={"delta_a_mu": "1"},
              couplings=lambda th, obs: {"light_vector": {"mass": th["m"], "e": -th["eps"] * C.E_EM}},
              coupling_sections=("light_vector",))
    assert {"electron_g2_rb", "electron_g2_cs"} <= {c.name for c in m.constraints}
    rb = m.constraint("electron_g2_rb")

    def loglike(log_eps, log_m):
        obs = m.observables({"eps": jnp.exp(log_eps), "m": jnp.exp(log_m)})
        return rb.log_likelihood(obs)

    le = jnp.log(jnp.array([1e-6, 1e-3, 1e-1, 1.0]))
    lm = jnp.log(jnp.array([1e-3, 3e-2, 1.0, 10.0]))
    f = jax.jit(jax.vmap(loglike))
    assert np.all(np.isfinite(np.asarray(f(le, lm))))
    grads = jax.vmap(jax.grad(loglike, argnums=(0, 1)))(le, lm)
    assert all(np.all(np.isfinite(np.asarray(g))) for g in grads)
    # a dark photon with eps = 1e-3 at 10 MeV gives Δa_e = α eps²/2π·(…) > 0
    obs = m.observables({"eps": jnp.asarray(1e-3), "m": jnp.asarray(0.01)})
    assert 0 < float(obs[eg2.OBSERVABLE]) < C.ALPHA_EM * 1e-6 / (2 * math.pi)
