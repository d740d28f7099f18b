r"""Borexino ⁷Be (862 keV) ν–e scattering rate with the Z′ (paper 002, appendix A).

Every ν–e cross section here is the standard form

    dσ/dT = (2G_F² m_e/π) [ g_L² + g_R² (1 − T/E)² − g_L g_R m_e T/E² ]

with, for ν_α (α = μ, τ), g_L = (g_V + g_A)/2 + δ_α/2, g_R = (g_V − g_A)/2 + δ_α/2,
g_V = −½ + 2s_W², g_A = −½, and for ν_e the charged-current shift g_{L} → g_L + 1
(δ_e = 0: ν_e carries no Lμ−Lτ charge).  The Z′ (t-channel, q² = −2m_eT) enters as
a shift of the neutral-current vector coupling

    δ_α(T) = Q_α g′ c_e / (√2 G_F (m_Z′² + 2 m_e T)),   c_e = ε_AZ′ e,  Q_μ = +1, Q_τ = −1.

Expanding the square reproduces eqs. (A1)–(A3) term by term (the δ² piece is the
first line of A3, the linear piece the second).  The rate is integrated over the
recoil window T_min ≤ T ≤ T_max = 2E²/(m_e + 2E) for a mono-energetic line, and

    σ_tot = P_ee σ(ν_e e) + (1 − P_ee) [f_μ σ(ν_μ e) + (1 − f_μ) σ(ν_τ e)],

rate_shift = σ_tot/σ_tot,SM − 1 (normalisation, exposure and target cancel).

Differences from the printed appendix (documented, not copied):

* eq. (A2) is garbled in the text; the standard form above is used.
* eq. (A3) gives the interference term the same sign for α = μ and τ; the ν_τ
  charge is −1, so the interference flips sign between ν_μ and ν_τ and cancels in
  the sum for an equal μ/τ mixture (f_μ = ½), leaving the δ² term.
* eq. (A5) weights *each* of σ(ν_μ e), σ(ν_τ e) by (1 − P_ee), counting the
  non-electron flux twice; here the flux (1 − P_ee) is split by f_μ (default ½,
  maximal θ23 — the non-ν_e solar flux is ≈ an equal ν_μ/ν_τ mixture).
  ``paper_convention=True`` reproduces A3/A5 as printed, for comparison.

The cross section and the Z′ shift are those of the general library function
:mod:`jaxg2.constraints.neutrino_electron` (which this module calls); only the
paper's flavour assumptions and conventions live here.

Reference: Kamada et al. arXiv:1805.00651, app. A; Borexino, PRL 107 (2011) 141302.
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import experiments
from ...constraints import neutrino_electron as nue
from . import zprime

_SETUP = experiments.get("borexino_be7_setup").values
E_NU = float(_SETUP["e_nu_gev"])        # GeV, ⁷Be line
T_MIN = float(_SETUP["t_min_gev"])      # GeV, analysis threshold on the recoil energy
P_EE = float(_SETUP["p_ee"])            # ν_e survival probability at 862 keV


def rate_shift(g_prime, m_zprime, *, e_nu=E_NU, t_min=T_MIN, p_ee=P_EE, f_mu=0.5,
               paper_convention=False):
    """R/R_SM − 1 for Borexino ⁷Be (dimensionless); see the module docstring.

    Evaluated by the library's general :func:`jaxg2.constraints.neutrino_electron.line_rate_shift`
    with the Lμ−Lτ couplings (g_νμ = g′, g_ντ = −g′, g_e = c_e) and the paper's flavour
    assumptions: fractions (P_ee, (1 − P_ee) f_μ, (1 − P_ee)(1 − f_μ)).
    ``paper_convention`` (static) uses eqs. A3/A5 as printed: g_ντ = +g′ and weights
    (P_ee, 1 − P_ee, 1 − P_ee) (same interference sign for ν_μ and ν_τ, each weighted by
    1 − P_ee)."""
    g_prime = jnp.asarray(g_prime, dtype=jnp.float64)
    g_e = zprime.electron_coupling(g_prime)
    if paper_convention:
        fractions, g_tau = (p_ee, 1.0 - p_ee, 1.0 - p_ee), g_prime
    else:
        fractions, g_tau = (p_ee, (1.0 - p_ee) * f_mu, (1.0 - p_ee) * (1.0 - f_mu)), -g_prime
    return nue.line_rate_shift(e_nu, t_min, fractions, m_zprime, g_e, (jnp.zeros_like(g_prime), g_prime, g_tau))


__all__ = ["E_NU", "T_MIN", "P_EE", "rate_shift"]
