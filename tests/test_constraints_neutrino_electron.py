"""ν–e scattering family (Borexino ⁷Be, pep) and the solar flavour composition."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import quad

from jaxg2 import constants as C
from jaxg2 import experiments
from jaxg2.constraints import base as cbase
from jaxg2.constraints import neutrino_electron as nue
from jaxg2.models.base import Model, Parameter, Prior
from jaxg2.models.lmu_ltau import borexino, zprime
from jaxg2.neutrino import nufit, pmns_matrix, solar

S2W = C.SIN2_THETA_W_MSBAR_MZ


# ------------------------------------------------------------------ independent reference
def _ref_dsigma(e, t, flavour, g_nu=0.0, g_e=0.0, m=1.0):
    """Textbook g_V/g_A form (Vogel & Engel 1989, paper 002 eqs. A1/A2):
    G_F² m_e/2π [(g_V+g_A)² + (g_V−g_A)²(1−T/E)² − (g_V²−g_A²) m_e T/E²], ν_e: g_V,A → g_V,A + 1.
    The vector exchange shifts g_V only: g_V += g_ν g_e/(√2 G_F (m² + 2 m_e T))."""
    gv, ga = -0.5 + 2 * S2W, -0.5
    if flavour == "e":
        gv, ga = gv + 1.0, ga + 1.0
    gv = gv + g_nu * g_e / (math.sqrt(2) * C.G_FERMI * (m * m + 2 * C.M_E * t))
    y = 1 - t / e
    return C.G_FERMI**2 * C.M_E / (2 * math.pi) * (
        (gv + ga) ** 2 + (gv - ga) ** 2 * y**2 - (gv**2 - ga**2) * C.M_E * t / e**2)


def _ref_shift(e, t_min, fr, m, g_e, g_nu):
    t_max = 2 * e * e / (C.M_E + 2 * e)
    pts = sorted({t_min, min(t_max, max(t_min, m * m / (2 * C.M_E))), t_max})
    i = lambda f: sum(quad(f, a, b, epsabs=0, epsrel=1e-12, limit=200)[0]  # noqa: E731
                      for a, b in zip(pts[:-1], pts[1:]) if b > a)
    new = sum(p * i(lambda t, f=f, g=g: _ref_dsigma(e, t, f, g, g_e, m))
              for f, p, g in zip(("e", "mu", "tau"), fr, g_nu))
    sm = fr[0] * i(lambda t: _ref_dsigma(e, t, "e")) + (fr[1] + fr[2]) * i(lambda t: _ref_dsigma(e, t, "mu"))
    return new / sm - 1


# ------------------------------------------------------------------ cross section
@pytest.mark.parametrize("flavour", ["e", "mu", "tau"])
def test_sm_cross_section_against_gv_ga_form(flavour):
    e = 0.862e-3
    for t in (1e-5, 2e-4, 5e-4, nue.t_max(e)):
        gl, gr = nue.sm_chiral_couplings(flavour)
        assert float(nue.dsigma_dt(e, t, gl, gr)) == pytest.approx(_ref_dsigma(e, t, flavour), rel=1e-13)
    # ν_e: g_L = ½ + s_W², ν_μ: g_L = −½ + s_W²; g_R = s_W² for both
    assert nue.sm_chiral_couplings("e") == pytest.approx((0.5 + S2W, S2W))
    assert nue.sm_chiral_couplings("mu") == pytest.approx((-0.5 + S2W, S2W))


def test_sm_total_cross_section_closed_form():
    """∫₀^Tmax dσ/dT for ν_e e, closed form of the polynomial, vs the window quadrature
    (T_min → 1e-9 E: the missing sliver is ≲1e-9 of the total)."""
    e = 1.44e-3
    tm = nue.t_max(e)
    gl, gr = nue.sm_chiral_couplings("e")
    exact = 2 * C.G_FERMI**2 * C.M_E / math.pi * (
        gl**2 * tm + gr**2 * e / 3 * (1 - (1 - tm / e) ** 3) - gl * gr * C.M_E * tm**2 / (2 * e**2))
    got = float(nue.window_cross_section(e, 1e-9 * e, 0.0, 0.0, 1.0, "e"))
    assert got == pytest.approx(exact, rel=1e-8)
    # in cm²: σ(ν_e e) at 1.44 MeV is O(1e-44) cm² (sanity of units)
    assert 1e-45 < exact * C.GEV_INV2_TO_CM2 < 1e-43


@pytest.mark.parametrize("m", [0.0, 1e-4, 3e-4, 1e-3, 0.01, 0.3, 10.0])
def test_rate_shift_against_scipy_quadrature_all_masses(m):
    e, t_min, fr = nue.borexino_setup("be7")
    # arbitrary couplings: every flavour different, g_e of either sign
    g_nu, g_e = (2e-6 * (m + 1e-3) / 1e-3, -3e-6 * (m + 1e-3) / 1e-3, 1e-6 * (m + 1e-3) / 1e-3), -4e-6 * (m + 1e-3) / 1e-3
    got = float(nue.line_rate_shift(e, t_min, fr, m, g_e, g_nu))
    ref = _ref_shift(e, t_min, fr, m, g_e, g_nu)
    assert got == pytest.approx(ref, rel=1e-8, abs=1e-12)
    assert abs(ref) > 1e-4  # the test point is not trivially the SM


def test_sm_limit_and_linear_interference_sign():
    e, t_min, fr = nue.borexino_setup("be7")
    zero = float(nue.line_rate_shift(e, t_min, fr, 0.01, 0.0, (1.0, 1.0, 1.0)))
    assert zero == 0.0  # g_e → 0: exactly the SM rate
    assert float(nue.line_rate_shift(e, t_min, fr, 0.01, 1e-3, (0.0, 0.0, 0.0))) == 0.0
    # small coupling: shift linear in g_ν g_e, with the sign of the interference term
    # Σ_α P_α ∫ [2g_L + 2g_R(1−y)² − (g_L+g_R) m_e T/E²] δ dT (independent derivative)
    eps = 1e-15
    lin = float(nue.line_rate_shift(e, t_min, fr, 0.01, eps, (0.0, 1.0, 0.0)))
    gl, gr = nue.sm_chiral_couplings("mu")
    tm = nue.t_max(e)
    d = lambda t: eps / (2 * math.sqrt(2) * C.G_FERMI * (1e-4 + 2 * C.M_E * t))  # noqa: E731
    dint = quad(lambda t: (2 * gl + 2 * gr * (1 - t / e) ** 2 - (gl + gr) * C.M_E * t / e**2) * d(t), t_min, tm)[0]
    sm = (fr[0] * quad(lambda t: _ref_dsigma(e, t, "e"), t_min, tm)[0]
          + (fr[1] + fr[2]) * quad(lambda t: _ref_dsigma(e, t, "mu"), t_min, tm)[0])
    expected = fr[1] * dint * 2 * C.G_FERMI**2 * C.M_E / math.pi / sm
    assert lin == pytest.approx(expected, rel=1e-5)
    # exact linear coefficient: d(ΔR/R)/dg_e at g_e = 0 (jax.grad) vs the quadrature
    slope = float(jax.grad(lambda ge: nue.line_rate_shift(e, t_min, fr, 0.01, ge, (0.0, 1.0, 0.0)))(0.0))
    assert slope == pytest.approx(expected / eps, rel=1e-8)
    assert slope < 0  # g_νμ g_e > 0: net destructive over the ⁷Be window


def test_reproduces_paper_002_module_with_its_flavour_assumptions():
    """The general function with Lμ−Lτ couplings and (P_ee, (1−P_ee)/2, (1−P_ee)/2) equals an
    independent scipy integration of appendix A (corrected signs) — the lmu_ltau module
    calls the general function, and both agree with this reference."""
    for g, m in ((5e-4, 0.01), (3e-4, 0.005), (1e-3, 0.05)):
        ce = float(zprime.electron_coupling(g))
        p = borexino.P_EE
        fr = (p, (1 - p) / 2, (1 - p) / 2)
        ref = _ref_shift(borexino.E_NU, borexino.T_MIN, fr, m, ce, (0.0, g, -g))
        gen = float(nue.line_rate_shift(borexino.E_NU, borexino.T_MIN, fr, m, ce, (0.0, g, -g)))
        assert gen == pytest.approx(ref, rel=1e-8)
        assert float(borexino.rate_shift(g, m)) == pytest.approx(ref, rel=1e-8)


# ------------------------------------------------------------------ solar flavour composition
def test_solar_fractions_unitarity_and_vacuum_limit():
    p = nufit("normal")
    for line in ("be7", "pep"):
        fr = np.asarray(solar.line_flavour_fractions(line))
        assert fr.sum() == pytest.approx(1.0, abs=1e-14)
    # n_e → 0: vacuum-averaged P_ee = c13⁴ (1 − ½ sin²2θ12) + s13⁴
    s12, s13 = p["sin2_theta12"], p["sin2_theta13"]
    vac = (1 - s13) ** 2 * (1 - 2 * s12 * (1 - s12)) + s13**2
    fr0 = solar.flavour_fractions(1e-3, 0.0, s12, s13, p["sin2_theta23"], p["delta_cp"], p["dm2_21"])
    assert float(fr0[0]) == pytest.approx(vac, rel=1e-13)
    # maximal θ23 with θ13 = 0: ν_μ and ν_τ fluxes equal (the ½ of the old analyses)
    fr45 = solar.flavour_fractions(0.862e-3, 85.0, s12, 0.0, 0.5, 0.0, p["dm2_21"])
    assert float(fr45[1]) == pytest.approx(float(fr45[2]), rel=1e-12)


def test_solar_pee_textbook_form_and_matter_effect():
    p = nufit("normal")
    s12, s13, d21 = p["sin2_theta12"], p["sin2_theta13"], p["dm2_21"]
    prod = experiments.get("solar_b16_gs98_production").values
    e = 0.862e-3
    ne = 10 ** prod["be7_log10_ne_peak"]
    # independent: V = √2 G_F n_e with n_e [cm⁻³] → GeV³ via (ħc)³
    ne_gev3 = ne * 6.02214076e23 * C.HBARC_GEV_CM**3
    beta = 2 * math.sqrt(2) * C.G_FERMI * ne_gev3 * (1 - s13) * e / (d21 * 1e-18)
    c2 = 1 - 2 * s12
    cos2m = (c2 - beta) / math.sqrt((c2 - beta) ** 2 + 1 - c2**2)
    pee = (1 - s13) ** 2 * (0.5 + 0.5 * cos2m * c2) + s13**2
    fr = np.asarray(solar.line_flavour_fractions("be7"))
    assert fr[0] == pytest.approx(pee, rel=1e-12)
    assert 0.05 < beta < 0.3  # matter effect at 862 keV small but not zero
    vac = (1 - s13) ** 2 * (1 - 2 * s12 * (1 - s12)) + s13**2
    pep = np.asarray(solar.line_flavour_fractions("pep"))
    assert pep[0] < fr[0] < vac  # more MSW suppression at higher energy
    # the μ/τ split follows θ23 (sin²θ23 = 0.561 > ½ puts more of ν_1,2 into ν_τ)
    assert fr[2] > fr[1]
    u2 = np.abs(np.asarray(pmns_matrix(s12, s13, p["sin2_theta23"], p["delta_cp"]))) ** 2
    pi = np.array([(1 - s13) * 0.5 * (1 + cos2m), (1 - s13) * 0.5 * (1 - cos2m), s13])
    np.testing.assert_allclose(fr, u2 @ pi, rtol=1e-12)


def test_registry_rate_shift_sigmas_follow_from_inputs():
    r = experiments.get("borexino_phase2_rates").values
    f = experiments.get("ssm_b16_gs98_fluxes").values
    for line in ("be7", "pep"):
        syst = max(r[f"{line}_syst_up"], r[f"{line}_syst_down"])
        sig = math.hypot(math.hypot(r[f"{line}_stat"], syst) / r[f"{line}_rate"], f[f"{line}_rel_sigma"])
        e = experiments.get(f"borexino_phase2_{line}_rate_shift")
        assert e.sigma == pytest.approx(sig, rel=1e-3)
        assert e.value == 0.0  # documented gap: central value set to the SM
    # Borexino's quoted 2.7 % 7Be precision
    assert math.hypot(r["be7_stat"], r["be7_syst_down"]) / r["be7_rate"] == pytest.approx(0.027, abs=5e-4)


# ------------------------------------------------------------------ family wiring, JAX
def _model():
    def couplings(th, obs):
        g, m = th["g"], th["m"]
        return {"light_vector": {"mass": m, "mu": g, "tau": -g, "nu_mu": g, "nu_tau": -g,
                                 "e": zprime.electron_coupling(g)}}

    return Model(name="toy_lmultau", description="toy", reference="none",
                 parameters=(Parameter("g", "1", "g", Prior.log_uniform(1e-6, 1.0)),
                             Parameter("m", "GeV", "m", Prior.log_uniform(1e-3, 10.0))),
                 observables=lambda th: {"delta_a_mu": th["g"] ** 2}, units={"delta_a_mu": "1"},
                 couplings=couplings, coupling_sections=("light_vector",))


def test_family_attaches_and_is_jit_vmap_grad_safe(monkeypatch):
    fam = nue.FAMILIES[0]
    monkeypatch.setattr(cbase, "all_families", lambda: (fam,))
    m = _model()
    assert {"borexino_be7", "borexino_pep"} <= {c.name for c in m.constraints}
    assert m.constraint("borexino_be7").provenance() == ("arXiv:1707.09279", 2019)
    th = {"g": jnp.asarray(5e-4), "m": jnp.asarray(0.01)}
    obs = m.observables(th)
    e, t_min, fr = nue.borexino_setup("be7")
    ce = float(zprime.electron_coupling(5e-4))
    assert float(obs["nue_borexino_be7_rate_shift"]) == pytest.approx(
        _ref_shift(e, t_min, fr, 0.01, ce, (0.0, 5e-4, -5e-4)), rel=1e-8)
    f = jax.jit(lambda g, mm: m.observables({"g": g, "m": mm})["nue_borexino_be7_rate_shift"])
    gs = jnp.geomspace(1e-6, 1.0, 7)
    ms = jnp.geomspace(1e-3, 10.0, 7)
    G, M = jnp.meshgrid(gs, ms)
    v = jax.vmap(f)(G.ravel(), M.ravel())
    assert bool(jnp.all(jnp.isfinite(v)))
    grads = jax.vmap(jax.grad(lambda g, mm: f(g, mm), argnums=(0, 1)))(G.ravel(), M.ravel())
    assert all(bool(jnp.all(jnp.isfinite(x))) for x in grads)
    # gradient in g against a central difference at a generic point
    g0, m0 = 4e-4, 0.02
    num = (float(f(g0 * (1 + 1e-6), m0)) - float(f(g0 * (1 - 1e-6), m0))) / (2e-6 * g0)
    assert float(jax.grad(f)(g0, m0)) == pytest.approx(num, rel=1e-5)


def test_family_requires_light_vector_and_dark_photon_has_no_shift():
    fam = nue.FAMILIES[0]
    assert fam.applies(("light_vector",)) and not fam.applies(("nu_moments",))
    # a dark photon (no neutrino coupling) leaves the ν–e rate unchanged at tree level
    out = fam.observables({"light_vector": {"mass": jnp.asarray(0.01), "e": jnp.asarray(-1e-4)}})
    assert float(out["nue_borexino_be7_rate_shift"]) == 0.0
    assert float(out["nue_borexino_pep_rate_shift"]) == 0.0
