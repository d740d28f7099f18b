r"""Lepton mixing (PMNS) matrix and light-neutrino masses from oscillation data.

PDG parametrisation (PDG 2024 review "Neutrino masses, mixing and oscillations",
eq. 14.33):

    U = R₂₃ · U₁₃(δ) · R₁₂ · diag(1, e^{iα₂₁/2}, e^{iα₃₁/2}),

    U = [[ c12 c13,                      s12 c13,                     s13 e^{−iδ}],
         [−s12 c23 − c12 s23 s13 e^{iδ},  c12 c23 − s12 s23 s13 e^{iδ},  s23 c13     ],
         [ s12 s23 − c12 c23 s13 e^{iδ}, −c12 s23 − s12 c23 s13 e^{iδ},  c23 c13     ]] · P_Maj

with ν_α = Σ_i U_αi ν_i (α = e, μ, τ; i = 1, 2, 3).  In the convention
L = −½ ν_αᵀ (M_ν)_αβ ν_β + h.c. *with* the Takagi form used in jaxg2,
M_ν = U diag(m₁, m₂, m₃) Uᵀ (the complex-conjugate convention U* D U† is obtained
by conjugating every Yukawa coupling; physical rates are unchanged).

Oscillation data are registry entries ``nufit_6_0_normal`` / ``nufit_6_0_inverted``
(NuFIT 6.0, arXiv:2410.05380): sin²θ₁₂, sin²θ₁₃, sin²θ₂₃, δ_CP [deg], Δm²₂₁ and
Δm²₃ℓ [eV²], where Δm²₃ℓ = Δm²₃₁ > 0 for normal ordering (NO) and Δm²₃₂ < 0 for
inverted ordering (IO).

Light masses from the lightest one (units of the input, eV by convention):

* NO:  m₁ = m₀,  m₂ = √(m₀² + Δm²₂₁),  m₃ = √(m₀² + Δm²₃₁)
* IO:  m₃ = m₀,  m₂ = √(m₀² − Δm²₃₂),  m₁ = √(m₀² − Δm²₃₂ − Δm²₂₁)

All functions are pure JAX (jit/vmap/grad-safe; the phases and angles may be
traced arrays).
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import experiments

__all__ = ["ORDERINGS", "nufit", "pmns_matrix", "pmns_from_data", "light_masses", "EV"]

ORDERINGS = ("normal", "inverted")
EV = 1e-9  # GeV per eV (unit conversion for masses quoted in eV)

_NUFIT_ENTRY = {"normal": "nufit_6_0_normal", "inverted": "nufit_6_0_inverted"}


def _check_ordering(ordering: str) -> str:
    if ordering not in ORDERINGS:
        raise ValueError(f"ordering must be one of {ORDERINGS}, got {ordering!r}")
    return ordering


def nufit(ordering: str = "normal", entry: str | None = None) -> dict[str, float]:
    """Best-fit oscillation parameters (dict of floats) from the registry.

    Keys: ``sin2_theta12, sin2_theta13, sin2_theta23, delta_cp`` [rad],
    ``dm2_21, dm2_3l`` [eV²] (plus the ``sigma_*`` entries as stored).
    ``entry`` overrides the registry name (default NuFIT 6.0 for the ordering).
    """
    name = entry or _NUFIT_ENTRY[_check_ordering(ordering)]
    v = dict(experiments.get(name).values)
    out = {k: float(x) for k, x in v.items()}
    out["delta_cp"] = math.radians(out["delta_cp_deg"])
    out["dm2_21"] = out["dm2_21_eV2"]
    out["dm2_3l"] = out["dm2_3l_eV2"]
    return out


def pmns_matrix(sin2_theta12, sin2_theta13, sin2_theta23, delta_cp, alpha21=0.0, alpha31=0.0):
    """The 3×3 PMNS matrix (PDG parametrisation) times diag(1, e^{iα₂₁/2}, e^{iα₃₁/2}).

    Angles enter as sin²θ_ij; phases in radians.  Broadcasts over leading axes;
    returns complex128 of shape (..., 3, 3).
    """
    s12sq, s13sq, s23sq, d, a21, a31 = jnp.broadcast_arrays(*(jnp.asarray(x, dtype=jnp.float64) for x in (
        sin2_theta12, sin2_theta13, sin2_theta23, delta_cp, alpha21, alpha31)))
    s12, s13, s23 = jnp.sqrt(s12sq), jnp.sqrt(s13sq), jnp.sqrt(s23sq)
    c12, c13, c23 = jnp.sqrt(1.0 - s12sq), jnp.sqrt(1.0 - s13sq), jnp.sqrt(1.0 - s23sq)
    e_pd = jnp.exp(1j * d)
    e_md = jnp.exp(-1j * d)
    zero = jnp.zeros_like(e_pd)
    row_e = [c12 * c13 + zero, s12 * c13 + zero, s13 * e_md]
    row_mu = [-s12 * c23 - c12 * s23 * s13 * e_pd, c12 * c23 - s12 * s23 * s13 * e_pd, s23 * c13 + zero]
    row_tau = [s12 * s23 - c12 * c23 * s13 * e_pd, -c12 * s23 - s12 * c23 * s13 * e_pd, c23 * c13 + zero]
    U = jnp.stack([jnp.stack(r, axis=-1) for r in (row_e, row_mu, row_tau)], axis=-2)
    maj = jnp.stack([jnp.ones_like(e_pd), jnp.exp(0.5j * a21) + zero, jnp.exp(0.5j * a31) + zero], axis=-1)
    return U * maj[..., None, :]


def pmns_from_data(ordering: str = "normal", alpha21=0.0, alpha31=0.0, delta_cp=None, entry: str | None = None):
    """PMNS matrix at the NuFIT best fit of ``ordering`` with the given Majorana
    phases (radians); ``delta_cp`` overrides the best-fit Dirac phase."""
    p = nufit(ordering, entry)
    d = p["delta_cp"] if delta_cp is None else delta_cp
    return pmns_matrix(p["sin2_theta12"], p["sin2_theta13"], p["sin2_theta23"], d, alpha21, alpha31)


def light_masses(m_lightest, ordering: str = "normal", dm2_21=None, dm2_3l=None, entry: str | None = None):
    """(m₁, m₂, m₃) stacked on the last axis, from the lightest mass and the splittings.

    Units: the splittings are in eV² (registry default) and ``m_lightest`` in eV, so
    the result is in eV (multiply by :data:`EV` for GeV).  ``dm2_3l`` follows
    NuFIT: Δm²₃₁ > 0 (NO) or Δm²₃₂ < 0 (IO).  Grad-safe at m_lightest = 0.
    """
    _check_ordering(ordering)
    p = nufit(ordering, entry) if (dm2_21 is None or dm2_3l is None) else {}
    d21 = jnp.asarray(p["dm2_21"] if dm2_21 is None else dm2_21, dtype=jnp.float64)
    d3l = jnp.asarray(p["dm2_3l"] if dm2_3l is None else dm2_3l, dtype=jnp.float64)
    m0 = jnp.asarray(m_lightest, dtype=jnp.float64)
    m0sq = m0 * m0
    if ordering == "normal":
        m1 = m0
        m2 = jnp.sqrt(m0sq + d21)
        m3 = jnp.sqrt(m0sq + d3l)
    else:
        m3 = m0
        m2 = jnp.sqrt(m0sq - d3l)
        m1 = jnp.sqrt(m0sq - d3l - d21)
    return jnp.stack(jnp.broadcast_arrays(m1, m2, m3), axis=-1)
