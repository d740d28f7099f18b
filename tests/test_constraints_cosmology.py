"""N_eff family: SM reference, registry entries as the sources quote them, defaults, JAX."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import experiments
from jaxg2.constraints import base as cbase
from jaxg2.constraints import cosmology


def test_sm_reference_and_observable():
    assert cosmology.n_eff_sm() == 3.0440
    obs = cosmology.observables({"radiation": {"delta_n_eff": jnp.asarray(0.25)}})
    assert float(obs["cosmo_n_eff"]) == pytest.approx(3.294)
    assert float(cosmology.observables({"radiation": {}})["cosmo_n_eff"]) == pytest.approx(3.044)


@pytest.mark.parametrize("name,value,sigma", [("neff_planck_2018", 2.99, 0.17), ("neff_act_dr6_2025", 2.86, 0.13),
                                              ("neff_bbn_fields_2020", 2.86, 0.15)])
def test_entries_as_quoted(name, value, sigma):
    e = experiments.get(name)
    assert (e.kind, e.value, e.sigma) == ("measurement", value, sigma)


def test_family_members_and_defaults():
    (fam,) = [f for f in cbase.families_for(("radiation",)) if f.name == "cosmology_neff"]
    d = {c.name: (c.entry, c.default) for c in fam.constraints}
    assert d == {"neff_act": ("neff_act_dr6_2025", True), "neff_planck": ("neff_planck_2018", False),
                 "neff_bbn": ("neff_bbn_fields_2020", True)}
    assert all(c.entry != "neff_upper_3p5" for c in fam.constraints)  # paper-only criterion stays out


def test_likelihood_values_jit_vmap_grad():
    (fam,) = cosmology.FAMILIES
    act = next(c for c in fam.constraints if c.name == "neff_act")

    def ll(dn):
        return act.log_likelihood(fam.observables({"radiation": {"delta_n_eff": dn}}))

    dn = jnp.array([0.0, 0.1, 0.5, 1.0])
    vals = np.asarray(jax.jit(jax.vmap(ll))(dn))
    # Gaussian in N_eff: differences of log L are −½ Δ(pull²), computed by hand
    pulls = (3.044 + np.asarray(dn) - 2.86) / 0.13
    np.testing.assert_allclose(vals - vals[0], -0.5 * (pulls**2 - pulls[0] ** 2), rtol=1e-10)
    grads = np.asarray(jax.vmap(jax.grad(ll))(dn))
    np.testing.assert_allclose(grads, -pulls / 0.13, rtol=1e-10)
