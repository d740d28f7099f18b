"""Constants: internal consistency and independent CODATA/PDG cross-checks."""

import math

from jaxg2 import constants as C


def test_higgs_vev_from_fermi_constant():
    # v = (√2 G_F)^(-1/2) = 246.22 GeV (PDG electroweak review quotes 246.22 GeV)
    assert abs(C.HIGGS_VEV - 246.22) < 0.01


def test_weak_mixing_schemes_are_distinct_and_sane():
    # on-shell s_W² = 1 − m_W²/m_Z² ≈ 0.2232 (m_W = 80.369); MS-bar ŝ²(m_Z) ≈ 0.2313
    assert abs(C.SIN2_THETA_W_ON_SHELL - (1 - C.M_W**2 / C.M_Z**2)) < 1e-15
    assert 0.222 < C.SIN2_THETA_W_ON_SHELL < 0.224
    assert 0.2310 < C.SIN2_THETA_W_MSBAR_MZ < 0.2316
    assert abs(C.SIN2_THETA_W_MSBAR_MZ - C.SIN2_THETA_W_ON_SHELL) > 5e-3


def test_unit_conversions_against_codata():
    # (ħc)² = 0.3893793721 GeV² mb, 1 mb = 1e-27 cm²
    assert math.isclose(C.GEV_INV2_TO_CM2, 0.3893793721e-27, rel_tol=1e-9)
    # ħ/(ħc) = 1/c: ties the two CODATA numbers to the SI speed of light
    assert math.isclose(C.HBARC_GEV_CM / C.HBAR_GEV_S, C.C_KM_S * 1e5, rel_tol=1e-9)
    # electron mass in grams, CODATA 2022: 9.1093837139e-28 g
    assert math.isclose(C.M_E * C.GEV_TO_GRAM, 9.1093837139e-28, rel_tol=1e-9)
    # 1 GeV = 1.160451812e13 K
    assert math.isclose(C.GEV_TO_KELVIN * 8.617333262e-14, 1.0, rel_tol=1e-9)


def test_bohr_magneton_energy_in_one_tesla():
    # μ_B·(1 T) = ħ ω_c/2 with ω_c = (e/m_e)_SI · 1 T; CODATA: e/m_e = 1.75882000838e11 C/kg,
    # μ_B = 5.7883817982e-5 eV/T.  In natural units μ_B·B = (μ_B/e)·(eB) with
    # eB = m_e ħ ω_c, so this checks μ_B = e/(2 m_e) with e = √(4πα) in GeV⁻¹.
    eB = C.M_E * C.HBAR_GEV_S * 1.75882000838e11  # GeV², for B = 1 T
    energy_ev = C.BOHR_MAGNETON / C.E_EM * eB * 1e9
    assert math.isclose(energy_ev, 5.7883817982e-5, rel_tol=1e-8)


def test_alpha_and_charge():
    assert math.isclose(1 / C.ALPHA_EM, 137.035999177, rel_tol=1e-12)
    assert math.isclose(C.E_EM**2 / (4 * math.pi), C.ALPHA_EM, rel_tol=1e-14)
    assert C.M_E < C.M_MU < C.M_TAU and C.LEPTON_MASSES == (C.M_E, C.M_MU, C.M_TAU)
