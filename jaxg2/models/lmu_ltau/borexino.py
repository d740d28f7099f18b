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

Reference: Kamada et al. arXiv:1805.00651, app. A; Borexino, PRL 107 (2011) 141302.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np

from ... import constants as C
from ... import experiments
from . import zprime

_SETUP = experiments.get("borexino_be7_setup").values
E_NU = float(_SETUP["e_nu_gev"])        # GeV, ⁷Be line
T_MIN = float(_SETUP["t_min_gev"])      # GeV, analysis threshold on the recoil energy
P_EE = float(_SETUP["p_ee"])            # ν_e survival probability at 862 keV

_GV = -0.5 + 2.0 * C.SIN2_THETA_W_MSBAR_MZ
_GA = -0.5
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(48)


def _dsigma_dt(g_l, g_r, t, e_nu):
    """ν–e dσ/dT in units of 2G_F² m_e/π (an overall constant irrelevant for ratios)."""
    y = t / e_nu
    return g_l**2 + g_r**2 * (1.0 - y) ** 2 - g_l * g_r * C.M_E * t / e_nu**2


def delta_gv(g_prime, m_zprime, t):
    """Shift of g_V for ν_μ (Q = +1) at recoil T [GeV]: g′ c_e/(√2 G_F (m_Z′² + 2m_eT))."""
    return g_prime * zprime.electron_coupling(g_prime) / (
        math.sqrt(2.0) * C.G_FERMI * (m_zprime**2 + 2.0 * C.M_E * t))


def rate_shift(g_prime, m_zprime, *, e_nu=E_NU, t_min=T_MIN, p_ee=P_EE, f_mu=0.5,
               paper_convention=False):
    """R/R_SM − 1 for Borexino ⁷Be (dimensionless); see the module docstring.

    ``paper_convention`` (static) uses eqs. A3/A5 as printed (same interference sign
    for ν_μ and ν_τ, each weighted by 1 − P_ee)."""
    g_prime = jnp.asarray(g_prime, dtype=jnp.float64)
    m_zprime = jnp.asarray(m_zprime, dtype=jnp.float64)
    t_max = 2.0 * e_nu**2 / (C.M_E + 2.0 * e_nu)
    half = 0.5 * (t_max - t_min)
    t = 0.5 * (t_max + t_min) + half * jnp.asarray(_NODES)            # (n,)
    w = half * jnp.asarray(_WEIGHTS)
    d = delta_gv(g_prime[..., None], m_zprime[..., None], t)          # (..., n)
    gl, gr = 0.5 * (_GV + _GA), 0.5 * (_GV - _GA)
    s_e = jnp.sum(w * _dsigma_dt(gl + 1.0, gr, t, e_nu))
    s_x = jnp.sum(w * _dsigma_dt(gl, gr, t, e_nu))
    s_mu = jnp.sum(w * _dsigma_dt(gl + 0.5 * d, gr + 0.5 * d, t, e_nu), axis=-1)
    s_tau_sign = 1.0 if paper_convention else -1.0
    s_tau = jnp.sum(w * _dsigma_dt(gl + 0.5 * s_tau_sign * d, gr + 0.5 * s_tau_sign * d, t, e_nu), axis=-1)
    if paper_convention:
        sm = p_ee * s_e + (1.0 - p_ee) * 2.0 * s_x
        new = p_ee * s_e + (1.0 - p_ee) * (s_mu + s_tau)
    else:
        sm = p_ee * s_e + (1.0 - p_ee) * s_x
        new = p_ee * s_e + (1.0 - p_ee) * (f_mu * s_mu + (1.0 - f_mu) * s_tau)
    return new / sm - 1.0


__all__ = ["E_NU", "T_MIN", "P_EE", "delta_gv", "rate_shift"]
