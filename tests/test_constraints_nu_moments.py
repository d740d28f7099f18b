"""Effective neutrino magnetic moments (solar, reactor, red giants) from mass-basis λ."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import experiments
from jaxg2.constraints import base as cbase
from jaxg2.constraints import nu_moments as nm
from jaxg2.models.base import Model, Parameter, Prior
from jaxg2.neutrino import pmns_from_data, pmns_matrix


def _antisym(l12, l13, l23):
    lam = np.zeros((3, 3), complex)
    lam[0, 1], lam[0, 2], lam[1, 2] = l12, l13, l23
    return lam - lam.T


def _obs(lam, **extra):
    return nm.observables({"nu_moments": {"lambda_mu_b": jnp.asarray(lam), **extra}})


def test_single_transition_moment_against_direct_sums():
    """λ_eμ-type: one Majorana transition moment λ_12 = −λ_21 = μ; every formula written
    out element by element (loops, no matrix algebra)."""
    mu = 3e-11 * np.exp(0.7j)
    lam = _antisym(mu, 0.0, 0.0)
    u = np.asarray(pmns_from_data("normal"))
    ue = u[0]
    o = _obs(lam)
    # reactor ν̄_e: Σ_j |Σ_i λ*_ji U_ei|²
    r2 = sum(abs(sum(np.conj(lam[j, i]) * ue[i] for i in range(3))) ** 2 for j in range(3))
    # here = |μ|² (|U_e1|² + |U_e2|²)
    assert r2 == pytest.approx(abs(mu) ** 2 * (abs(ue[0]) ** 2 + abs(ue[1]) ** 2), rel=1e-12)
    assert float(o["numm_mu_eff_reactor"]) == pytest.approx(np.sqrt(r2), rel=1e-12)
    # solar pp (vacuum): Σ_i |U_ei|² Σ_j |λ_ji|²
    s2 = sum(abs(ue[i]) ** 2 * sum(abs(lam[j, i]) ** 2 for j in range(3)) for i in range(3))
    assert float(o["numm_mu_eff_solar_pp"]) == pytest.approx(np.sqrt(s2), rel=1e-12)
    # red giant: Σ_ij |λ_ij|² = 2|μ|²
    assert float(o["numm_mu_eff_plasmon"]) == pytest.approx(np.sqrt(2) * abs(mu), rel=1e-12)
    # ratios to the registry limits
    for name, (entry, obs) in nm.LIMITS.items():
        assert float(o[f"r_{name}"]) == pytest.approx(float(o[obs]) / experiments.get(entry).limit, rel=1e-14)


def test_flavour_weighting_limits():
    ue = np.asarray(pmns_from_data("normal"))[0]
    # λ only in the ν₃ row/column (λ_13 = λ_23 = 0 except a diagonal-type Dirac μ₃₃):
    lam = np.zeros((3, 3), complex)
    lam[2, 2] = 1e-11
    o = _obs(lam)
    assert float(o["numm_mu_eff_solar_pp"]) ** 2 == pytest.approx(abs(ue[2]) ** 2 * 1e-22, rel=1e-12)
    assert float(o["numm_mu_eff_reactor"]) ** 2 == pytest.approx(abs(ue[2]) ** 2 * 1e-22, rel=1e-12)
    p = nm.solar_weights("be7")
    assert float(o["numm_mu_eff_solar_be7"]) ** 2 == pytest.approx(p[2] * 1e-22, rel=1e-12)
    assert p[2] == pytest.approx(abs(ue[2]) ** 2, rel=1e-12)  # P₃ = s13² (no 1–3 matter effect)
    assert float(o["numm_mu_eff_plasmon"]) == pytest.approx(1e-11, rel=1e-12)
    # universal diagonal moment μ·1: every probe sees |μ| (unitarity of U, Σ P_i = 1)
    o = _obs(2e-11 * np.eye(3))
    for k in ("solar_be7", "solar_pp", "reactor"):
        assert float(o[f"numm_mu_eff_{k}"]) == pytest.approx(2e-11, rel=1e-12)
    assert float(o["numm_mu_eff_plasmon"]) == pytest.approx(np.sqrt(3) * 2e-11, rel=1e-12)


def test_unitarity_sum_rules_random_matrices():
    """Σ over the three orthogonal coherent states ν_e, ν_μ, ν_τ of μ_eff² equals ‖λ‖²_F, and
    solar μ_eff ≤ plasmon μ_eff; random complex λ, random PMNS phases."""
    rng = np.random.default_rng(1)
    for _ in range(5):
        lam = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
        u = np.asarray(pmns_matrix(0.3, 0.022, 0.56, rng.uniform(0, 6.28), rng.uniform(0, 6.28), rng.uniform(0, 6.28)))
        tot = sum(float(nm.mu_eff_coherent(jnp.asarray(lam), jnp.asarray(np.conj(u[a])))) ** 2 for a in range(3))
        assert tot == pytest.approx(float(nm.mu_eff_plasmon(jnp.asarray(lam))) ** 2, rel=1e-12)
        o = _obs(lam, pmns=jnp.asarray(u))
        assert float(o["numm_mu_eff_solar_be7"]) <= float(o["numm_mu_eff_plasmon"])
        # the model's PMNS is used for the reactor state
        direct = np.sqrt(sum(abs(sum(lam[j, i] * np.conj(u[0, i]) for i in range(3))) ** 2 for j in range(3)))
        assert float(o["numm_mu_eff_reactor"]) == pytest.approx(direct, rel=1e-12)


def test_registry_values_and_corrections():
    band = experiments.get("xenon1t_2020_mu_nu_band")
    assert (band.low, band.high, band.source) == (1.4e-11, 2.9e-11, "arXiv:2006.09721")
    paper = experiments.get("xenon1t_2020_mu_nu_band_paper003")
    assert (paper.low, paper.high) == (1.65e-11, 3.42e-11)
    io = experiments.get("nufit_6_0_inverted").values
    assert io["sigma_delta_cp_deg"] == 26.5 and io["sigma_sin2_theta23"] == 0.0135
    for entry, _ in nm.LIMITS.values():
        e = experiments.get(entry)
        assert e.kind == "upper_limit" and e.unit == "mu_B" and 1e-13 < e.limit < 1e-9


def _model():
    def couplings(th, obs):
        lam = jnp.zeros((3, 3), jnp.complex128).at[0, 1].set(th["mu"]).at[1, 0].set(-th["mu"])
        return {"nu_moments": {"lambda_mu_b": lam}}

    return Model(name="toy_tmm", description="toy", reference="none",
                 parameters=(Parameter("mu", "mu_B", "mu", Prior.log_uniform(1e-13, 1e-9)),),
                 observables=lambda th: {"delta_a_mu": th["mu"] * 0.0}, units={"delta_a_mu": "1"},
                 couplings=couplings, coupling_sections=("nu_moments",))


def test_family_wiring_jit_vmap_grad(monkeypatch):
    fam = nm.FAMILIES[0]
    monkeypatch.setattr(cbase, "all_families", lambda: (fam,))
    m = _model()
    names = {c.name for c in m.constraints}
    assert set(nm.LIMITS) <= names and "xenon1t_mu_nu_band" in names
    assert not m.constraint("xenon1t_mu_nu_band").default
    assert m.constraint("borexino_mu_nu").provenance() == ("arXiv:1707.09355", 2017)
    # r = 1 exactly at the limit; allowed below, excluded above
    ue = np.asarray(pmns_from_data("normal"))[0]
    w = np.sqrt(abs(ue[0]) ** 2 + abs(ue[1]) ** 2)
    mu_lim = experiments.get("xenonnt_2022_mu_nu").limit / w
    obs = m.observables({"mu": jnp.asarray(mu_lim)})
    assert float(obs["r_xenonnt_mu_nu"]) == pytest.approx(1.0, rel=1e-12)
    assert bool(m.constraint("xenonnt_mu_nu").satisfied(m.observables({"mu": jnp.asarray(0.9 * mu_lim)})))
    assert not bool(m.constraint("xenonnt_mu_nu").satisfied(m.observables({"mu": jnp.asarray(1.1 * mu_lim)})))
    f = jax.jit(lambda x: m.observables({"mu": x})["r_borexino_mu_nu"])
    xs = jnp.geomspace(1e-13, 1e-9, 5)
    v = jax.vmap(f)(xs)
    np.testing.assert_allclose(np.asarray(v), np.asarray(xs) * float(f(1.0)), rtol=1e-12)  # linear in λ
    g = jax.vmap(jax.grad(f))(xs)
    np.testing.assert_allclose(np.asarray(g), float(f(1.0)), rtol=1e-12)
    # finite (zero) gradient at λ = 0 (double-where in the square root)
    for k in ("numm_mu_eff_solar_be7", "numm_mu_eff_reactor", "numm_mu_eff_plasmon"):
        gz = jax.grad(lambda x: m.observables({"mu": x})[k])(0.0)
        assert np.isfinite(float(gz))


@pytest.mark.parametrize("i,j", list(itertools.combinations(range(3), 2)))
def test_grad_with_respect_to_complex_entries_is_finite(i, j):
    def f(re, im):
        lam = jnp.zeros((3, 3), jnp.complex128).at[i, j].set(re + 1j * im).at[j, i].set(-(re + 1j * im))
        return nm.observables({"nu_moments": {"lambda_mu_b": lam}})["r_gemma_mu_nu"]

    gr = jax.grad(f, argnums=(0, 1))(1e-11, 2e-11)
    assert all(np.isfinite(float(x)) for x in gr)
    h = 1e-17
    num = (float(f(1e-11 + h, 2e-11)) - float(f(1e-11 - h, 2e-11))) / (2 * h)
    assert float(gr[0]) == pytest.approx(num, rel=1e-5)
