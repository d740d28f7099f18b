r"""The U(1)_{Lμ−Lτ} gauge boson Z′: couplings, loop-induced mixings, g−2, widths.

Convention (paper 002, eq. 1, Table I): the Dirac fields couple as

    L ⊃ g′ Z′_α [ μ̄ γ^α μ − τ̄ γ^α τ + ν̄_μ γ^α P_L ν_μ − ν̄_τ γ^α P_L ν_τ ],

i.e. a pure vector coupling +g′ (−g′) to μ (τ) and a left-handed one to ν_μ (ν_τ).
All masses in GeV, widths in GeV, lifetimes in seconds.

Loop-induced mixings (eqs. 3–7), from μ and τ loops with C_{Lμ−Lτ}-breaking
masses, evaluated at q² → 0 (below m_μ, which is where they are used: Borexino,
white dwarfs, Z′ → e⁺e⁻ for m_Z′ < 2m_μ):

    ε_AZ′ = −(e g′/12π²) ln(m_τ²/m_μ²),
    ε_ZZ′ = (−¼ + s_W²) e g′/(12π² s_W c_W) ln(m_τ²/m_μ²),

and the Z′ coupling to the electromagnetic current L = −ε_AZ′ e Z′_α J^α_em
(eq. 4) gives the electron a vector coupling ``electron_coupling = +ε_AZ′ e``
(Q_e = −1).  s_W² is the MS-bar value at m_Z (the paper does not state a scheme).
For m_Z′ ≳ 2m_μ the true mixing depends on q² = m_Z′²; eq. 3 (q² = 0) is kept
there, as in the paper — it only enters the tiny Z′ → e⁺e⁻ width.

References: Kamada, Kaneta, Yanagi, Yu, JHEP 06 (2018) 117, arXiv:1805.00651.
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from ... import constants as C

_LOG_TAU_MU = 2.0 * math.log(C.M_TAU / C.M_MU)  # ln(m_τ²/m_μ²)


def eps_az(g_prime):
    """A–Z′ kinetic mixing at q² = 0, eq. (3): −e g′ ln(m_τ²/m_μ²)/(12π²) (dimensionless)."""
    return -C.E_EM * jnp.asarray(g_prime) * _LOG_TAU_MU / (12.0 * jnp.pi**2)


def eps_zz(g_prime):
    """Z–Z′ mixing, eq. (5): (−¼ + s_W²) e g′ ln(m_τ²/m_μ²)/(12π² s_W c_W) (dimensionless)."""
    s2 = C.SIN2_THETA_W_MSBAR_MZ
    sw, cw = math.sqrt(s2), math.sqrt(1.0 - s2)
    return (-0.25 + s2) * C.E_EM * jnp.asarray(g_prime) * _LOG_TAU_MU / (12.0 * jnp.pi**2 * sw * cw)


def electron_coupling(g_prime):
    """Vector coupling c_e of Z′ to electrons, L ⊃ c_e Z′ ē γ e, from eq. (4): c_e = ε_AZ′ e."""
    return C.E_EM * eps_az(g_prime)


def delta_a(m_lepton, g_prime, m_zprime):
    r"""Δa_ℓ from the Z′ loop with a vector coupling g′, eq. (8):

        Δa = g′²/(8π²) ∫₀¹ dx 2m²x²(1−x)/[x²m² + (1−x)m_Z′²],

    evaluated with the generic :func:`jaxg2.loops.g2_neutral_vector` (C_V = g′,
    C_A = 0, F = ℓ).  Valid for ℓ = μ, τ (|charge| 1 each) and, with the induced
    coupling, for the electron (see :func:`delta_a_e`).
    """
    from ...loops import g2_neutral_vector

    return g2_neutral_vector(m_lepton, m_lepton, m_zprime, g_prime, 0.0)


def delta_a_mu(g_prime, m_zprime):
    """Δa_μ from the Z′ loop (eq. 8)."""
    return delta_a(C.M_MU, g_prime, m_zprime)


def delta_a_tau(g_prime, m_zprime):
    """Δa_τ from the Z′ loop (eq. 8 with m_μ → m_τ)."""
    return delta_a(C.M_TAU, g_prime, m_zprime)


def delta_a_e(g_prime, m_zprime):
    r"""Δa_e.  Zero at one loop in g′ (the electron carries no Lμ−Lτ charge); the
    only contribution is the Z′ loop with the loop-induced coupling ε_AZ′ e, formally
    of two-loop order, O(e⁴g′²/(16π²)³) ~ 1e-17 — kept for completeness."""
    from ...loops import g2_neutral_vector

    return g2_neutral_vector(C.M_E, C.M_E, m_zprime, electron_coupling(g_prime), 0.0)


def _two_body_factor(m_v, m_f):
    """(1 + 2r)√(1 − 4r), r = m_f²/m_V², zero (with zero gradient) below threshold."""
    r = (m_f / m_v) ** 2
    open_ = r < 0.25
    r_safe = jnp.where(open_, r, 0.0)  # double-where: no sqrt of a negative number
    return jnp.where(open_, (1.0 + 2.0 * r_safe) * jnp.sqrt(1.0 - 4.0 * r_safe), 0.0)


def width_vector_to_fermions(coupling, m_v, m_f):
    """Γ(V → f f̄) for a vector coupling L = c V ψ̄γψ: c² m_V (1+2r)√(1−4r)/(12π) [GeV]."""
    return coupling**2 * m_v * _two_body_factor(m_v, m_f) / (12.0 * jnp.pi)


def width_nunu(g_prime, m_zprime):
    """Γ(Z′ → ν_α ν̄_α) for ONE flavour α = μ or τ (left-handed only): g′² m_Z′/(24π) [GeV]."""
    return g_prime**2 * m_zprime / (24.0 * jnp.pi)


def widths(g_prime, m_zprime):
    """Partial widths of Z′ [GeV]: dict with ``nunu`` (per flavour), ``mumu``, ``tautau``,
    ``ee`` (through ε_AZ′, eq. 14) and ``total`` = 2·nunu + mumu + tautau + ee.

    The Z′ → ν_e ν̄_e and hadronic channels through ε_ZZ′ (eq. 7) are suppressed by
    (m_Z′/m_Z)⁴ ~ 1e-16 and dropped; Z′ → N_i N_j is closed (M₁ ≫ m_Z′).
    """
    nunu = width_nunu(g_prime, m_zprime)
    mumu = width_vector_to_fermions(g_prime, m_zprime, C.M_MU)
    tautau = width_vector_to_fermions(g_prime, m_zprime, C.M_TAU)
    ee = width_vector_to_fermions(electron_coupling(g_prime), m_zprime, C.M_E)
    return {"nunu": nunu, "mumu": mumu, "tautau": tautau, "ee": ee,
            "total": 2.0 * nunu + mumu + tautau + ee}


def lifetime_s(g_prime, m_zprime):
    """Z′ lifetime ħ/Γ_tot [s] (exact; eq. 9 is the νν̄-only approximation 1e-14 s (g′/5e-4)^−2 (m_Z′/10 MeV)^−1)."""
    return C.HBAR_GEV_S / widths(g_prime, m_zprime)["total"]


__all__ = ["eps_az", "eps_zz", "electron_coupling", "delta_a", "delta_a_mu", "delta_a_tau",
           "delta_a_e", "width_vector_to_fermions", "width_nunu", "widths", "lifetime_s"]
