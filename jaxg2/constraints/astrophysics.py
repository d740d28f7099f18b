r"""Stellar cooling: white-dwarf plasmon decay through a light vector (section ``light_vector``).

A vector X with L ⊃ X_μ (g_e ē γ^μ e + Σ_α g_να ν̄_α γ^μ P_L ν_α) induces, for momentum
transfers far below m_X, the contact interaction (tree-level X exchange,
L_eff = −J·J/(2m_X²))

    L_eff = −G_α [ν̄_α γ^μ (1 − γ5) ν_α][ē γ_μ e],    G_α = g_e g_να/(2 m_X²),

to be compared with the Standard-Model plasmon-decay operator
(C_V G_F/√2)[ν̄_e γ(1 − γ5) ν_e][ē γ e], C_V = 1/2 + 2 s_W² (MS-bar s_W²(m_Z)).

**Criterion** (Dreiner, Fortin, Isern, Ubaldi, PRD 88 (2013) 043517, arXiv:1303.7232,
as used by paper 002 — registry ``white_dwarf_cooling_ratio``): the extra plasmon
cooling must not exceed the SM one, |G| ≤ C_V G_F.  The neutrino flavours are
distinct final states, so their extra emission rates add: the library's observable
is the flavour-summed ratio

    r_WD = [Σ_α G_α²]^{1/2} / (C_V G_F)   (allowed: r_WD ≤ 1),

neglecting the interference of the ν_e term with the SM amplitude.
:func:`flavour_ratio` is the single-flavour |G_α|/(C_V G_F) — the form paper 002
applies per flavour to L_μ − L_τ (its reproduction in
:mod:`jaxg2.models.lmu_ltau.white_dwarf` calls it); for L_μ − L_τ (g_νμ = −g_ντ) the
flavour sum is √2 times that.  Valid while the contact approximation holds, i.e. for
m_X well above the plasma frequency of white-dwarf cores (keV scale); lighter
mediators need the full propagator and are not covered.

**SN1987A**: no limit is shipped — no digitised SN1987A bound on an L_μ − L_τ Z′ (or a
general light vector) with provenance exists in the data pack; the gap is recorded in
the registry (``sn1987a_lmu_ltau_gap``, arXiv:2307.03143).
"""

from __future__ import annotations

import jax.numpy as jnp

from .. import constants
from ..models.base import Constraint
from .base import Family

C_V = 0.5 + 2.0 * constants.SIN2_THETA_W_MSBAR_MZ  # SM vector coefficient of the ν_e–e operator (NC + CC)

NEUTRINOS = ("nu_e", "nu_mu", "nu_tau")
FAMILY = "white_dwarf_cooling"
OBSERVABLE = "astro_wd_cooling_ratio"


def contact_coupling(g_e, g_nu, mass):
    """G = g_e g_ν/(2 m_X²) [GeV⁻²] of [ν̄γ(1−γ5)ν][ēγe] (one flavour)."""
    return g_e * g_nu / (2.0 * jnp.asarray(mass, dtype=jnp.float64) ** 2)


def flavour_ratio(g_e, g_nu, mass):
    """|G|/(C_V G_F) for one neutrino flavour (the paper-002 form of the criterion)."""
    return jnp.abs(contact_coupling(g_e, g_nu, mass)) / (C_V * constants.G_FERMI)


def cooling_ratio(section):
    """Flavour-summed r_WD = [Σ_α G_α²]^{1/2}/(C_V G_F) from a ``light_vector`` section.

    Written as the hypot of the single-flavour ratios; a zero-safe square root keeps
    the gradient finite when all couplings vanish.
    """
    g_e = jnp.asarray(section.get("e", 0.0), dtype=jnp.float64)
    r2 = sum(flavour_ratio(g_e, jnp.asarray(section.get(nu, 0.0), dtype=jnp.float64), section["mass"]) ** 2
             for nu in NEUTRINOS)
    pos = r2 > 0.0
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, r2, 1.0)), 0.0)


def observables(couplings):
    return {OBSERVABLE: cooling_ratio(couplings["light_vector"])}


FAMILIES = (
    Family(name=FAMILY, requires=("light_vector",), observables=observables, units={OBSERVABLE: "1"},
           constraints=(Constraint("white_dwarf_cooling", OBSERVABLE, "upper", entry="white_dwarf_cooling_ratio",
                                   family=FAMILY, note="flavour-summed plasmon cooling ≤ SM (contact limit)"),),
           description="white-dwarf plasmon cooling through X-mediated ν–e interactions (Dreiner et al. 2013)"),
)

__all__ = ["FAMILIES", "C_V", "contact_coupling", "flavour_ratio", "cooling_ratio", "OBSERVABLE"]
