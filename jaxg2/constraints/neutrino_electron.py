r"""ν–e elastic scattering of solar neutrinos with a light vector: Borexino ⁷Be and pep.

Convention (metric +−−−).  The low-energy Standard-Model ν_α e interaction, after the
Fierz rearrangement of the W exchange for α = e, is

    L_SM = −2√2 G_F [ν̄_α γ^μ P_L ν_α] [ē γ_μ (g_L^α P_L + g_R^α P_R) e],
    g_L^α = −½ + s_W² + δ_αe,   g_R^α = s_W².

A vector X of mass m with L ⊃ g_e X_μ ē γ^μ e + g_α X_μ ν̄_α γ^μ P_L ν_α (the
``light_vector`` section) exchanged in the t channel, q² = −2 m_e T, adds

    L_X = −[g_α g_e/(m² + 2 m_e T)] [ν̄_α γ^μ P_L ν_α][ē γ_μ e]

(integrating out X at fixed q²: L_eff = −J·J/2(m² − q²) for L ⊃ X·J), i.e. a vector
shift of both chiral couplings, exact in m and T (no contact approximation):

    g_{L,R}^α → g_{L,R}^α + δ_α(T),   δ_α(T) = g_α g_e / (2√2 G_F (m² + 2 m_e T)).

A positive g_α g_e interferes like the Z (whose ν coupling ½ times the electron
coupling g_L ≈ −0.27 enters with the same sign): destructively for ν_μ,τ with the
left-handed electron and constructively with the right-handed one.  The cross section
of a neutrino of energy E on an electron at rest (recoil kinetic energy T) is

    dσ_α/dT = (2 G_F² m_e/π) [g_L² + g_R² (1 − T/E)² − g_L g_R m_e T/E²],

T ≤ T_max = 2E²/(m_e + 2E).  Solar neutrinos arrive as an incoherent mixture of mass
eigenstates; with flavour-diagonal couplings the rate is exactly Σ_α P_α σ_α with the
flavour fractions P_α = Σ_i P_i |U_αi|² of :mod:`jaxg2.neutrino.solar` (MSW-LMA, NuFIT
6.0).  For a line of energy E and a recoil window [T_min, T_max] the observable is the
fractional rate change

    ΔR/R = Σ_α P_α ∫ dσ_α/dT dT / Σ_α P_α ∫ dσ_α^SM/dT dT − 1,

which is what Borexino's rate (and its interpretation with the SSM flux) constrains:
the registry entries ``borexino_phase2_be7_rate_shift`` / ``..._pep_rate_shift`` are
Gaussian likelihoods on it (measurement ⊕ SSM-flux uncertainty; see their notes, the
central value is a documented gap).  The spectral-shape change is not fitted (rate
only).  The integral runs over ln T with Gauss–Legendre nodes (T_min > 0 required: a
massless X gives dσ/dT ∝ 1/T²).  s_W² is the MS-bar value at m_Z, as in the
paper-specific :mod:`jaxg2.models.lmu_ltau.borexino` (tree level, no radiative
corrections; they cancel to first order in the ratio).

References: Vogel & Engel, PRD 39 (1989) 3378 (cross section); Borexino Phase-II,
arXiv:1707.09279; paper 002 (Kamada et al., arXiv:1805.00651) app. A.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import constants as C
from .. import experiments
from .base import Family

__all__ = ["FLAVOURS", "sm_chiral_couplings", "delta_vector", "dsigma_dt", "t_max",
           "window_cross_section", "line_rate_shift", "borexino_setup", "observables", "FAMILIES"]

FLAVOURS = ("e", "mu", "tau")
_NU_KEYS = ("nu_e", "nu_mu", "nu_tau")
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)


def sm_chiral_couplings(flavour: str, sin2_theta_w=C.SIN2_THETA_W_MSBAR_MZ):
    """(g_L, g_R) of ν_α e scattering in the SM (CC included for α = e)."""
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {FLAVOURS}, got {flavour!r}")
    return -0.5 + sin2_theta_w + (1.0 if flavour == "e" else 0.0), sin2_theta_w


def delta_vector(g_nu, g_e, mass, t):
    """δ(T) = g_ν g_e/(2√2 G_F (m² + 2 m_e T)) (dimensionless), T and m in GeV."""
    return g_nu * g_e / (2.0 * math.sqrt(2.0) * C.G_FERMI * (mass * mass + 2.0 * C.M_E * t))


def dsigma_dt(e_nu, t, g_l, g_r):
    """dσ/dT [GeV⁻³] = (2G_F² m_e/π)[g_L² + g_R²(1 − T/E)² − g_L g_R m_e T/E²]."""
    y = t / e_nu
    return (2.0 * C.G_FERMI**2 * C.M_E / math.pi) * (
        g_l**2 + g_r**2 * (1.0 - y) ** 2 - g_l * g_r * C.M_E * t / e_nu**2)


def t_max(e_nu):
    """Maximal recoil kinetic energy 2E²/(m_e + 2E) [GeV]."""
    return 2.0 * e_nu**2 / (C.M_E + 2.0 * e_nu)


def window_cross_section(e_nu, t_min, g_nu, g_e, mass, flavour: str, t_hi=None,
                         sin2_theta_w=C.SIN2_THETA_W_MSBAR_MZ):
    """∫_{T_min}^{T_hi} dσ_α/dT dT [GeV⁻²] for ν_α with the vector exchange added.

    ``g_nu, g_e, mass`` broadcast (batch); ``t_hi`` defaults to T_max(E).  Gauss–Legendre
    in ln T (64 nodes)."""
    gl0, gr0 = sm_chiral_couplings(flavour, sin2_theta_w)
    hi = t_max(e_nu) if t_hi is None else t_hi
    lo_l, hi_l = math.log(t_min), math.log(hi)
    u = 0.5 * (hi_l + lo_l) + 0.5 * (hi_l - lo_l) * _NODES
    t = jnp.asarray(np.exp(u))
    w = jnp.asarray(0.5 * (hi_l - lo_l) * _WEIGHTS * np.exp(u))  # dT = T du
    g_nu, g_e, mass = (jnp.asarray(x, dtype=jnp.float64)[..., None] for x in (g_nu, g_e, mass))
    d = delta_vector(g_nu, g_e, mass, t)
    return jnp.sum(w * dsigma_dt(e_nu, t, gl0 + d, gr0 + d), axis=-1)


def line_rate_shift(e_nu, t_min, fractions, mass, g_e, g_nu, *, sin2_theta_w=C.SIN2_THETA_W_MSBAR_MZ):
    """ΔR/R for a mono-energetic line [dimensionless].

    ``fractions``: (P_e, P_μ, P_τ) (static floats); ``g_nu``: (g_νe, g_νμ, g_ντ) arrays;
    ``mass`` [GeV], ``g_e``: the vector's mass and electron coupling."""
    new = sm = 0.0
    for f, p, gn in zip(FLAVOURS, fractions, g_nu):
        new = new + p * window_cross_section(e_nu, t_min, gn, g_e, mass, f, sin2_theta_w=sin2_theta_w)
        sm = sm + p * window_cross_section(e_nu, t_min, 0.0, 0.0, 1.0, f, sin2_theta_w=sin2_theta_w)
    return new / sm - 1.0


@functools.lru_cache(maxsize=None)
def borexino_setup(line: str, ordering: str = "normal"):
    """(E [GeV], T_min [GeV], (P_e, P_μ, P_τ)) for the Borexino ``line`` (``be7``/``pep``):
    line energy (``solar_lines``), fit window (``borexino_phase2_rates``) and MSW-LMA
    flavour fractions at NuFIT 6.0 (:func:`jaxg2.neutrino.solar.line_flavour_fractions`)."""
    from ..neutrino.solar import line_flavour_fractions

    e_nu = float(experiments.get("solar_lines").values[f"{line}_e_nu_mev"]) * 1e-3
    t_min = float(experiments.get("borexino_phase2_rates").values["t_min_fit_mev"]) * 1e-3
    with jax.ensure_compile_time_eval():  # a constant, also when first called under jit
        fr = tuple(float(x) for x in np.asarray(line_flavour_fractions(line, ordering)))
    return e_nu, t_min, fr


def observables(couplings):
    """``nue_borexino_be7_rate_shift`` and ``nue_borexino_pep_rate_shift`` from ``light_vector``."""
    lv = couplings["light_vector"]
    mass = jnp.asarray(lv["mass"], dtype=jnp.float64)
    zero = jnp.zeros_like(mass)
    g_e = lv.get("e", zero)
    g_nu = tuple(lv.get(k, zero) for k in _NU_KEYS)
    out = {}
    for line in ("be7", "pep"):
        e_nu, t_min, fr = borexino_setup(line)
        out[f"nue_borexino_{line}_rate_shift"] = line_rate_shift(e_nu, t_min, fr, mass, g_e, g_nu)
    return out


def _family():
    from ..models.base import Constraint

    cons = tuple(
        Constraint(f"borexino_{line}", f"nue_borexino_{line}_rate_shift", "gaussian",
                   entry=f"borexino_phase2_{line}_rate_shift", family="nu_e_scattering", null_value=0.0,
                   note=f"Borexino Phase-II {line} nu-e rate (Gaussian on the fractional shift)")
        for line in ("be7", "pep"))
    return Family(
        name="nu_e_scattering", requires=("light_vector",), observables=observables,
        units={"nue_borexino_be7_rate_shift": "1", "nue_borexino_pep_rate_shift": "1"},
        constraints=cons,
        description="Solar nu-e scattering (Borexino Phase-II 7Be and pep rates) with a light vector")


FAMILIES = (_family(),)
