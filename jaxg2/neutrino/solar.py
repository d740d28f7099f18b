r"""Flavour composition of solar neutrinos at the Earth (adiabatic MSW-LMA, three flavours).

A ν_e produced at electron density n_e in the solar core leaves the Sun adiabatically
as an incoherent mixture of mass eigenstates with probabilities (θ₁₃ matter effects
neglected, standard LMA approximation; e.g. PDG 2024 review "Neutrino masses, mixing
and oscillations", sec. 14.7, and Goswami & Smirnov, hep-ph/0411359)

    P₁ = c₁₃² cos²θ₁₂ᵐ,   P₂ = c₁₃² sin²θ₁₂ᵐ,   P₃ = s₁₃²,

with the 1–2 mixing angle in matter at production

    cos 2θ₁₂ᵐ = (cos 2θ₁₂ − β)/√((cos 2θ₁₂ − β)² + sin² 2θ₁₂),
    β = 2√2 G_F n_e c₁₃² E / Δm²₂₁.

The mass eigenstates propagate to the Earth without interference (the phases average
out), so the flavour fractions at the detector are

    P_α = Σ_i P_i |U_αi|²       (α = e, μ, τ;  Σ_α P_α = 1 by unitarity).

For α = e this is the textbook P_ee = c₁₃⁴ [½ + ½ cos 2θ₁₂ᵐ cos 2θ₁₂] + s₁₃⁴; the μ/τ
split follows from θ₂₃ and δ_CP through U (no ½ assumed).  Earth-matter regeneration
(day–night effect) is neglected: Borexino sees no day–night asymmetry for ⁷Be
(arXiv:1104.2150).

Approximation for a line source: the production region is represented by a single
effective density, that at the maximum of the line's production distribution in the
B16-GS98 standard solar model (registry ``solar_b16_gs98_production``).  The spread of
densities over the production region (±30 % for ⁷Be) shifts β by the same fraction;
since P_ee is nearly linear in β (dP_ee/dβ ≈ −0.2 at the ⁷Be line) the error of this
choice is a few 10⁻³ in P_ee, below the 1σ NuFIT uncertainty from θ₁₂ (≈ 0.01).

Units: E in GeV, n_e in N_A cm⁻³ (the SSM convention), Δm² in eV².
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import constants as C
from .. import experiments
from .pmns import nufit, pmns_matrix

__all__ = ["AVOGADRO", "ne_gev3", "matter_beta", "exit_probabilities", "flavour_fractions",
           "line_exit_probabilities", "line_flavour_fractions"]

AVOGADRO = 6.02214076e23  # mol⁻¹, exact by the 2019 SI definition
_EV2_TO_GEV2 = 1e-18


def ne_gev3(n_e_avogadro):
    """Electron density in GeV³ from n_e in units of N_A cm⁻³."""
    return jnp.asarray(n_e_avogadro, dtype=jnp.float64) * AVOGADRO * C.HBARC_GEV_CM**3


def matter_beta(e_nu, n_e_avogadro, sin2_theta13, dm2_21_ev2):
    """β = 2√2 G_F n_e c₁₃² E/Δm²₂₁ (dimensionless); E [GeV], n_e [N_A cm⁻³], Δm² [eV²]."""
    v_cc = math.sqrt(2.0) * C.G_FERMI * ne_gev3(n_e_avogadro)
    return 2.0 * v_cc * (1.0 - sin2_theta13) * e_nu / (dm2_21_ev2 * _EV2_TO_GEV2)


def exit_probabilities(e_nu, n_e_avogadro, sin2_theta12, sin2_theta13, dm2_21_ev2):
    """(P₁, P₂, P₃) stacked on the last axis: mass-eigenstate fractions leaving the Sun."""
    s12, s13 = jnp.asarray(sin2_theta12, jnp.float64), jnp.asarray(sin2_theta13, jnp.float64)
    c2 = 1.0 - 2.0 * s12
    s2_sq = 4.0 * s12 * (1.0 - s12)
    d = c2 - matter_beta(e_nu, n_e_avogadro, s13, dm2_21_ev2)
    cos2m = d / jnp.sqrt(d * d + s2_sq)
    c13sq = 1.0 - s13
    p1 = c13sq * 0.5 * (1.0 + cos2m)
    p2 = c13sq * 0.5 * (1.0 - cos2m)
    return jnp.stack(jnp.broadcast_arrays(p1, p2, s13 + 0.0 * p1), axis=-1)


def flavour_fractions(e_nu, n_e_avogadro, sin2_theta12, sin2_theta13, sin2_theta23, delta_cp, dm2_21_ev2):
    """(P_e, P_μ, P_τ) on the last axis: P_α = Σ_i P_i |U_αi|² (see the module docstring)."""
    p = exit_probabilities(e_nu, n_e_avogadro, sin2_theta12, sin2_theta13, dm2_21_ev2)
    u2 = jnp.abs(pmns_matrix(sin2_theta12, sin2_theta13, sin2_theta23, delta_cp)) ** 2
    return jnp.einsum("...ai,...i->...a", u2, p)


def _line_inputs(line: str, ordering: str, entry: str | None):
    p = nufit(ordering, entry)
    prod = experiments.get("solar_b16_gs98_production").values
    e_nu = float(experiments.get("solar_lines").values[f"{line}_e_nu_mev"]) * 1e-3
    return p, e_nu, 10.0 ** float(prod[f"{line}_log10_ne_peak"])


def line_exit_probabilities(line: str, ordering: str = "normal", entry: str | None = None):
    """(P₁, P₂, P₃) for the solar line ``line`` (``"be7"`` or ``"pep"``) at the NuFIT best
    fit of ``ordering``, with the line's effective production density (registry
    ``solar_b16_gs98_production``) and energy (``solar_lines``)."""
    p, e_nu, n_e = _line_inputs(line, ordering, entry)
    return exit_probabilities(e_nu, n_e, p["sin2_theta12"], p["sin2_theta13"], p["dm2_21"])


def line_flavour_fractions(line: str, ordering: str = "normal", entry: str | None = None):
    """(P_e, P_μ, P_τ) at the Earth for the solar line ``line`` (see
    :func:`line_exit_probabilities`)."""
    p, e_nu, n_e = _line_inputs(line, ordering, entry)
    return flavour_fractions(e_nu, n_e, p["sin2_theta12"], p["sin2_theta13"], p["sin2_theta23"],
                             p["delta_cp"], p["dm2_21"])
