"""Physical constants and unit conversions.

Natural units inside jaxg2: every mass, energy and momentum is in GeV, every
length and time in GeV⁻¹.  Conversions to laboratory units (cm², g, s, km/s,
Bohr magnetons) happen only at the edges, through the factors below.

Each constant carries its source on its own line.  PDG 2024 = S. Navas et al.
(Particle Data Group), Phys. Rev. D 110 (2024) 030001; CODATA 2022 = Mohr et al.,
Rev. Mod. Phys. 97 (2025) 025002.
"""

from __future__ import annotations

import math

# --- lepton masses [GeV] ------------------------------------------------------
M_E = 0.51099895069e-3  # GeV, CODATA 2022 (electron mass 0.51099895069(16) MeV)
M_MU = 0.1056583755  # GeV, PDG 2024 (105.6583755(23) MeV)
M_TAU = 1.77693  # GeV, PDG 2024 (1776.93(9) MeV)
LEPTON_MASSES = (M_E, M_MU, M_TAU)  # GeV, (e, μ, τ) in generation order

# --- couplings ----------------------------------------------------------------
ALPHA_EM = 1.0 / 137.035999177  # α(0), CODATA 2022 (α⁻¹ = 137.035999177(21))
E_EM = math.sqrt(4.0 * math.pi * ALPHA_EM)  # e = √(4πα(0)), Heaviside–Lorentz, ħ = c = 1
G_FERMI = 1.1663788e-5  # GeV⁻², PDG 2024 (G_F/(ħc)³ = 1.1663788(6)e-5 GeV⁻², MuLan)

# --- electroweak bosons [GeV] ---------------------------------------------------
M_Z = 91.1880  # GeV, PDG 2024 (91.1880(20) GeV)
M_W = 80.3692  # GeV, PDG 2024 world average (80.3692(133) GeV)
M_H = 125.20  # GeV, PDG 2024 (125.20(11) GeV)
GAMMA_Z = 2.4955  # GeV, PDG 2024 total Z width (2.4955(23) GeV)
M_PLANCK_REDUCED = 2.435323e18  # GeV, PDG 2024 reduced Planck mass (ħc/8πG_N)^(1/2) = 2.435323(27)e18 GeV

# Weak mixing angle: two schemes, never to be mixed.
SIN2_THETA_W_ON_SHELL = 1.0 - (M_W / M_Z) ** 2  # on-shell definition s_W² ≡ 1 − m_W²/m_Z² from the PDG 2024 masses above
SIN2_THETA_W_MSBAR_MZ = 0.23129  # MS-bar ŝ²(m_Z), PDG 2024 electroweak review (0.23129(4))

HIGGS_VEV = (math.sqrt(2.0) * G_FERMI) ** -0.5  # GeV, v = (√2 G_F)^(−1/2) ≈ 246.22 GeV

# --- unit conversions -------------------------------------------------------------
HBAR_GEV_S = 6.582119569e-25  # GeV·s, CODATA 2022 (exact: h and e are defined)
HBARC_GEV_CM = 1.973269804e-14  # GeV·cm, CODATA 2022 (exact)
GEV_INV2_TO_CM2 = HBARC_GEV_CM**2  # cm² per GeV⁻², (ħc)² = 3.893793721e-28 cm²
GEV_TO_GRAM = 1.78266192e-24  # g per GeV/c², CODATA 2022 (1 eV/c² = 1.78266192e-36 kg, exact)
C_KM_S = 299792.458  # km/s, speed of light (exact, SI definition)
KM_S_TO_C = 1.0 / C_KM_S  # velocity in units of c per km/s
GEV_TO_KELVIN = 1.160451812e13  # K per GeV, CODATA 2022 (1 eV/k_B = 11604.51812 K, exact)

# Bohr magneton μ_B = e/(2 m_e) in GeV⁻¹, with e = √(4πα(0)) (natural Heaviside–Lorentz units).
BOHR_MAGNETON = E_EM / (2.0 * M_E)  # GeV⁻¹

__all__ = [
    "M_E", "M_MU", "M_TAU", "LEPTON_MASSES", "ALPHA_EM", "E_EM", "G_FERMI",
    "M_Z", "M_W", "M_H", "GAMMA_Z", "M_PLANCK_REDUCED", "SIN2_THETA_W_ON_SHELL", "SIN2_THETA_W_MSBAR_MZ",
    "HIGGS_VEV", "HBAR_GEV_S", "HBARC_GEV_CM", "GEV_INV2_TO_CM2", "GEV_TO_GRAM",
    "C_KM_S", "KM_S_TO_C", "GEV_TO_KELVIN", "BOHR_MAGNETON",
]
