r"""White-dwarf plasmon cooling through an off-shell Z′ (paper 002, sec. II A).

The Z′ induces [ν̄γ^α(1−γ5)ν][ēγ_α e] with

    G_Z′ = −e g′ ε_AZ′/(2 m_Z′²)    (= −g′ c_e/(2m_Z′²) with c_e = ε_AZ′ e; per ν_μ, ν_τ),

to be compared with the SM plasmon-decay operator C_V G_F/√2 [ν̄γ(1−γ5)ν][ēγe],
C_V = ½ + 2s_W² (= 0.9626 with the MS-bar s_W²(m_Z); the paper quotes 0.964).
The criterion of Dreiner et al. (arXiv:1303.7232), as used by the paper, is
|G_Z′| ≤ C_V G_F **per flavour**; :func:`cooling_ratio` returns |G_Z′|/(C_V G_F)
(≤ 1 allowed) by calling the general library function
:func:`jaxg2.constraints.astrophysics.flavour_ratio` with g_e = ε_AZ′ e, g_ν = g′.
The library's default white-dwarf constraint sums the flavours (√2 times this ratio
for L_μ − L_τ); this module is the paper-reproduction option.

The paper states the criterion as (g′/7.7e-4)²(10 MeV/m_Z′)² ≲ 1; with eq. (3) for
ε_AZ′ the ratio is 1 at g′ = 7.2e-4 for m_Z′ = 10 MeV (tested), a 7% difference in
g′ whose origin the text does not reveal (e.g. a different α or C_V convention).
"""

from __future__ import annotations

from ...constraints import astrophysics
from . import zprime

C_V = astrophysics.C_V  # SM vector coefficient for ν_e (NC + CC)


def g_zprime(g_prime, m_zprime):
    """G_Z′ = −e g′ ε_AZ′/(2 m_Z′²) [GeV⁻²]."""
    return -astrophysics.contact_coupling(zprime.electron_coupling(g_prime), g_prime, m_zprime)


def cooling_ratio(g_prime, m_zprime):
    """|G_Z′|/(C_V G_F) (dimensionless); the paper's per-flavour white-dwarf bound is ≤ 1."""
    return astrophysics.flavour_ratio(zprime.electron_coupling(g_prime), g_prime, m_zprime)


__all__ = ["C_V", "g_zprime", "cooling_ratio"]
