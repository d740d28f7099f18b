r"""Decay widths and branching fractions of a light neutral vector X with generic couplings.

Convention (the ``light_vector`` coupling section, :mod:`jaxg2.constraints.base`):
L ⊃ Σ_f g_f X_μ f̄γ^μ f for f = e, μ, τ, u, d, s, and g_ν X_μ ν̄γ^μ P_L ν for the
three neutrinos; a dark photon of kinetic mixing ε has g_f = ε e Q_f.

Leptons (exact at tree level, vector coupling, final-state masses kept)::

    Γ(X → ℓ⁺ℓ⁻) = g_ℓ² m / (12π) · (1 + 2r) √(1 − 4r),    r = m_ℓ²/m²

(for a dark photon Γ_ee = α ε² m/3 (1 + 2r)√(1 − 4r)).  Neutrinos, one helicity::

    Γ(X → ν ν̄) = g_ν² m / (24π)   per flavour.

Hadrons.  The data-driven method (R ratio split into ρ-, ω- and φ-like parts,
Ilten, Soreq, Williams, Xue, arXiv:1801.04847 sec. 2.2 and fig. 2) needs tables that
are not in the package (registry entry ``light_vector_hadrons_gap``).  Here the
hadronic width is the parton-level estimate, per quark with the isospin split of
the u, d part::

    Γ_had = N_c m/(12π) [ ½(g_u − g_d)² + ½(g_u + g_d)² + g_s² ] · β_π³,
    β_π = √(1 − 4 m_π²/m²),

the ½(g_u − g_d)² (isospin-1, ρ-like) part standing for X → π⁺π⁻.  The β_π³ factor
(P-wave two-pion threshold) switches hadrons on at 2 m_π.  This ignores the ρ, ω, φ
resonances (the measured R is up to an order of magnitude larger near them) and
X → π⁰γ; it is a stated gap, good above ~2 GeV where R approaches the parton value.
For a dark photon recast onto itself every ratio cancels, so the identity holds
whatever the hadronic model.
"""

from __future__ import annotations

import math
from typing import Mapping

import jax.numpy as jnp

from jaxg2.constants import E_EM, M_E, M_MU, M_TAU

M_PI_CHARGED = 0.13957039  # GeV, PDG 2022 (139.57039(18) MeV)
N_C = 3

LEPTONS = (("e", M_E), ("mu", M_MU), ("tau", M_TAU))
NEUTRINOS = ("nu_e", "nu_mu", "nu_tau")
QUARKS = ("u", "d", "s")
COUPLING_KEYS = ("e", "mu", "tau", "nu_e", "nu_mu", "nu_tau", "u", "d", "s")

# Dark photon couplings per unit ε: g_f = e Q_f (neutrinos 0).
DARK_PHOTON = {"e": -E_EM, "mu": -E_EM, "tau": -E_EM, "u": 2.0 * E_EM / 3.0,
               "d": -E_EM / 3.0, "s": -E_EM / 3.0}


def _get(c: Mapping, key):
    return jnp.asarray(c.get(key, 0.0), dtype=jnp.float64)


def _beta_power(m, m_final, power):
    """(1 − 4 m_f²/m²)^(power/2) above threshold, 0 below (double-where: finite gradients)."""
    x = 1.0 - 4.0 * m_final**2 / m**2
    above = x > 0.0
    return jnp.where(above, jnp.where(above, x, 1.0) ** (0.5 * power), 0.0)


def lepton_width(g, m, m_lepton):
    """Γ(X → ℓ⁺ℓ⁻) = g² m/(12π) (1 + 2r)√(1 − 4r), r = m_ℓ²/m² [GeV]."""
    r = m_lepton**2 / m**2
    return g**2 * m / (12.0 * math.pi) * (1.0 + 2.0 * r) * _beta_power(m, m_lepton, 1)


def neutrino_width(g, m):
    """Γ(X → ν ν̄) = g² m/(24π) for a coupling to the left-handed current [GeV]."""
    return g**2 * m / (24.0 * math.pi)


def partial_widths(couplings: Mapping, m) -> dict:
    """Partial widths [GeV]: ``ee, mumu, tautau, pipi`` (isospin-1 hadrons),
    ``had_other`` (isospin-0 and strange hadrons), ``nunu`` (three flavours) and
    ``dark`` (``invisible_width``)."""
    m = jnp.asarray(m, dtype=jnp.float64)
    g = {k: _get(couplings, k) for k in COUPLING_KEYS}
    out = {("ee" if k == "e" else k + k): lepton_width(g[k], m, ml) for k, ml in LEPTONS}
    parton = N_C * m / (12.0 * math.pi) * _beta_power(m, M_PI_CHARGED, 3)
    out["pipi"] = parton * 0.5 * (g["u"] - g["d"]) ** 2
    out["had_other"] = parton * (0.5 * (g["u"] + g["d"]) ** 2 + g["s"] ** 2)
    out["nunu"] = sum(neutrino_width(g[k], m) for k in NEUTRINOS)
    out["dark"] = jnp.asarray(couplings.get("invisible_width", 0.0), dtype=jnp.float64)
    return out


def total_width(widths: Mapping):
    return sum(widths.values())


def channel_widths(widths: Mapping) -> dict:
    """The search channels: ``e_e, mu_mu, pi+_pi-, invisible, other`` (sums to Γ_tot)."""
    return {"e_e": widths["ee"], "mu_mu": widths["mumu"], "pi+_pi-": widths["pipi"],
            "invisible": widths["nunu"] + widths["dark"],
            "other": widths["tautau"] + widths["had_other"]}


def branching_fractions(couplings: Mapping, m) -> dict:
    """Branching fractions into the channels of :func:`channel_widths` (0 where Γ_tot = 0)."""
    ch = channel_widths(partial_widths(couplings, m))
    tot = sum(ch.values())
    pos = tot > 0.0
    safe = jnp.where(pos, tot, 1.0)
    return {k: jnp.where(pos, v / safe, 0.0) for k, v in ch.items()}


__all__ = ["M_PI_CHARGED", "N_C", "COUPLING_KEYS", "DARK_PHOTON", "lepton_width", "neutrino_width",
           "partial_widths", "total_width", "channel_widths", "branching_fractions"]
