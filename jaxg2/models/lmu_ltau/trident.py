r"""Neutrino trident production ν_μ N → ν_μ N μ⁺μ⁻ with the Z′ (CCFR), contact limit.

In the SM the process is governed by
L = −(G_F/√2)[ν̄_μ γ^α(1−γ5)ν_μ][μ̄ γ_α(C_V − C_A γ5)μ] with C_V = ½ + 2s_W²,
C_A = ½ (Z and W exchange).  Exchange of the Z′ (couplings g′ to ν_μ,L and to μ,
vector) at momentum transfer |q²| ≪ m_Z′² adds −(g′²/m_Z′²)[ν̄γP_Lν][μ̄γμ], i.e.
ΔC_V = g′² v²/m_Z′² with v = (√2 G_F)^{−1/2} = 246 GeV, and since σ ∝ C_V² + C_A²
(Altmannshofer, Gori, Pospelov, Yavin, arXiv:1406.2332, eq. 3):

    σ/σ_SM = [(1 + 4s_W² + 2g′²v²/m_Z′²)² + 1] / [(1 + 4s_W²)² + 1].

Validity: the heavy-Z′ (contact) limit, m_Z′² ≫ the Z′ virtualities in CCFR
(|q²| up to a few GeV² for E_ν ≈ 160 GeV): m_Z′ ≳ 10 GeV.  For lighter Z′ the
formula *over-estimates* the Z′ effect (the propagator is 1/(m_Z′² − q²), not
1/m_Z′²), increasingly so as m_Z′ falls below ~1 GeV, where the true CCFR bound
stops scaling like m_Z′ and flattens (Fig. 2 of arXiv:1406.2332).  The full light-Z′ computation
(equivalent-photon approximation with the iron form factor, folded with the CCFR
flux) is not implemented, so the CCFR constraint is *off by default* in
:data:`jaxg2.models.lmu_ltau.MODEL`; paper 002's viable window is set by g−2,
Borexino, white dwarfs and BaBar, not by CCFR.
"""

from __future__ import annotations

from ... import constants as C


CONTACT_VALID_MIN_MASS = 10.0  # GeV: m_Z′ above which the contact limit holds (docstring)


def trident_ratio_contact(g_prime, m_zprime):
    """σ(ν_μ N→ν_μ N μμ)/σ_SM in the contact limit (dimensionless; see module docstring)."""
    cv_sm2 = 1.0 + 4.0 * C.SIN2_THETA_W_MSBAR_MZ           # 2 C_V(SM)
    shift = 2.0 * g_prime**2 * C.HIGGS_VEV**2 / m_zprime**2  # 2 ΔC_V
    return ((cv_sm2 + shift) ** 2 + 1.0) / (cv_sm2**2 + 1.0)


__all__ = ["trident_ratio_contact", "CONTACT_VALID_MIN_MASS"]
