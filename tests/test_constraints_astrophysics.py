"""White-dwarf cooling family: contact coupling, flavour sum, the paper-002 module calling the
library, the SN1987A gap record, JAX transforms (also at vanishing couplings)."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import constants as C
from jaxg2 import experiments
from jaxg2.constraints import astrophysics as astro
from jaxg2.constraints import base as cbase
from jaxg2.models.lmu_ltau import white_dwarf, zprime


def test_contact_coupling_from_the_propagator():
    # t-channel X exchange at q² → 0: amplitude g_e g_ν/m² times ēγe ⊗ ν̄γP_Lν; P_L = (1−γ5)/2
    g_e, g_nu, m = 3e-5, 2e-4, 0.02
    amp_coefficient = g_e * g_nu / m**2
    assert float(astro.contact_coupling(g_e, g_nu, m)) == pytest.approx(amp_coefficient / 2, rel=1e-14)
    assert astro.C_V == pytest.approx(0.5 + 2 * C.SIN2_THETA_W_MSBAR_MZ)
    ratio = float(astro.flavour_ratio(g_e, -g_nu, m))
    assert ratio == pytest.approx(amp_coefficient / 2 / (astro.C_V * C.G_FERMI), rel=1e-14)


def test_flavour_sum_and_lmu_ltau_relation():
    g, m = 5e-4, 0.01
    g_e = float(zprime.electron_coupling(g))
    lv = {"mass": jnp.asarray(m), "e": jnp.asarray(g_e), "nu_mu": jnp.asarray(g), "nu_tau": jnp.asarray(-g)}
    r = float(astro.cooling_ratio(lv))
    paper = float(white_dwarf.cooling_ratio(g, m))  # paper 002's per-flavour criterion, via the library
    assert r == pytest.approx(math.sqrt(2) * paper, rel=1e-13)
    assert paper == pytest.approx(float(astro.flavour_ratio(g_e, g, m)), rel=1e-15)
    three = dict(lv, nu_e=jnp.asarray(2 * g))
    assert float(astro.cooling_ratio(three)) == pytest.approx(math.sqrt(6) * paper, rel=1e-13)
    assert float(white_dwarf.g_zprime(g, m)) == pytest.approx(-g_e * g / (2 * m * m), rel=1e-14)


def test_family_and_gap_record():
    fam = [f for f in cbase.families_for(("light_vector",)) if f.name == "white_dwarf_cooling"]
    assert len(fam) == 1
    (c,) = fam[0].constraints
    assert (c.name, c.kind, c.entry) == ("white_dwarf_cooling", "upper", "white_dwarf_cooling_ratio")
    assert c.registry_entry().limit == 1.0
    gap = experiments.get("sn1987a_lmu_ltau_gap")
    assert gap.source == "arXiv:2307.03143" and "gap" in gap.note.lower() and gap.values == {}


def test_jit_vmap_grad_including_zero_couplings():
    (fam,) = astro.FAMILIES
    (con,) = fam.constraints

    def ll(x):
        lv = {"mass": jnp.exp(x[0]), "e": x[1], "nu_mu": x[2], "nu_tau": -x[2]}
        return con.log_likelihood(fam.observables({"light_vector": lv}), smooth=True)

    pts = jnp.array([[math.log(1e-3), 1e-6, 1e-6], [math.log(0.1), 1e-4, 1e-2], [math.log(10.0), 0.3, 1.0],
                     [math.log(0.01), 0.0, 0.0]])
    vals = jax.jit(jax.vmap(ll))(pts)
    grads = jax.vmap(jax.grad(ll))(pts)
    assert np.all(np.isfinite(np.asarray(vals))) and np.all(np.isfinite(np.asarray(grads)))
    r0 = fam.observables({"light_vector": {"mass": jnp.asarray(0.01)}})[astro.OBSERVABLE]
    assert float(r0) == 0.0  # missing couplings mean 0
