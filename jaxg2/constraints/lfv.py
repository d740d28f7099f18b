r"""Charged-lepton flavour violation from the dipole coefficients (section ``lepton_dipole``).

The model supplies the summed dipole coefficients ``sigma_l``, ``sigma_r`` (complex
3×3, [j, i] for ℓ_i → ℓ_j γ, flavour order e, μ, τ, GeV⁻¹) in the convention of
:mod:`jaxg2.loops.lfv`,

    M(ℓ_i → ℓ_j γ) = e ε*_μ ū_j iσ^{μν} q_ν (σ_L P_L + σ_R P_R) u_i,

and the branching ratios are those of :mod:`jaxg2.loops.lfv` (not re-derived here):
``lfv_br_mu_e_gamma`` ([0, 1]), ``lfv_br_tau_mu_gamma`` ([1, 2]),
``lfv_br_tau_e_gamma`` ([0, 2]).

**μ → 3e in the dipole approximation.**  If the same dipole is the only source of
μ → eee (photon exchange; no four-lepton operators, no off-shell "penguin" form
factors), the rate is fixed by BR(μ → eγ) (Kuno & Okada, Rev. Mod. Phys. 73 (2001)
151, the dipole-only limit of their μ → 3e formulae):

    BR(μ → 3e) = α/(3π) [ln(m_μ²/m_e²) − 11/4] BR(μ → eγ)   (≈ 0.0061 BR(μ → eγ)).

Derivation of the structure: the virtual photon of mass² s = m_ee² is emitted by the
dipole with Γ(μ → eγ*)/Γ(μ → eγ) = (1 − s/m_μ²)²(1 + s/2m_μ²) (the transverse
dipole structure; longitudinal photons decouple since q_μσ^{μν}q_ν = 0) and converts
with the Kroll–Wada density (α/3πs)(1 + 2m_e²/s)(1 − 4m_e²/s)^{1/2}.  Integrating
gives ln(m_μ²/m_e²) − 3 for one e⁻e⁺ pairing; the interference of the two pairings of
identical electrons (relative sign −1) adds the non-logarithmic +1/4 of the published
−11/4.  The tests check both numerically: the spectrum formula by quadrature, and the
full amplitude (explicit Dirac spinors, both diagrams, exact 3-body phase space with
m_e kept), which reproduces −3.000 and +0.251, i.e. the −11/4, to 0.1%.  Caveat for the limit: SINDRUM
(1988) quotes BR < 1.0e-12 assuming a constant matrix element; the dipole spectrum
peaks at small m_ee, where the acceptance differs — applied here as published.

**μ → e conversion in gold, dipole only** (Kitano, Koike, Okada, PRD 66 (2002) 096002):
with their dipole normalisation L ⊃ −(4G_F/√2) m_μ (A_R μ̄σ^{μν}P_L e + A_L μ̄σ^{μν}P_R e) F_μν,
BR(μ → eγ) = 384π² (|A_L|² + |A_R|²) (Γ_μ = G_F² m_μ⁵/192π³, as in :mod:`jaxg2.loops.lfv`)
and ω_conv = 2G_F² m_μ⁵ D̃² (|A_L|² + |A_R|²) (no L–R interference), so

    CR(μ Au → e Au) = ω_conv/ω_capt = BR(μ → eγ) · 2 G_F² m_μ⁵ D̃² / (384π² ω_capt),

D̃ the dimensionless overlap integral (units m_μ^{5/2}) and ω_capt the Au capture rate
(registry ``kko2002_au_dipole_inputs``, **unverified**: transcribed from public code,
the paper's tables were not reachable; FlexibleSUSY uses another table, 24% lower
rate).  Observable ``lfv_cr_mu_e_au``; constraint ``sindrum2_mu_e_au`` (SINDRUM II,
< 7e-13) is therefore not a default.  For a pure dipole it is ~1000 times weaker
than MEG II anyway.  A ``lepton_vector_penguin`` extension (off-shell γ penguin,
Z penguin, contact terms with V^(p), V^(n)) is not implemented.

Constraints (90% CL upper limits, coupling-independent observables, so they
compare BR directly): ``meg2_mu_e_gamma`` (MEG II 2025, default), ``meg2_2024_mu_e_gamma``
(superseded, not default), ``belle_tau_mu_gamma``, ``babar_tau_e_gamma``,
``sindrum_mu_3e``, ``sindrum2_mu_e_au`` (not default, see above).
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import constants, experiments
from ..loops import lfv as loops_lfv
from ..models.base import Constraint
from .base import Family

FAMILY = "lfv_dipole"

# Dipole-dominance ratio BR(μ→3e)/BR(μ→eγ) (Kuno–Okada 2001; module doc).
MU_3E_DIPOLE_RATIO = constants.ALPHA_EM / (3.0 * math.pi) * (
    math.log(constants.M_MU**2 / constants.M_E**2) - 11.0 / 4.0)

def au_dipole_conversion_ratio() -> float:
    """CR(μ Au → e Au)/BR(μ → eγ) for a pure dipole (module doc; nuclear inputs unverified)."""
    v = experiments.get("kko2002_au_dipole_inputs").values
    omega_capt = float(v["capture_rate_per_s"]) * constants.HBAR_GEV_S  # GeV
    return (2.0 * constants.G_FERMI**2 * constants.M_MU**5 * float(v["d_overlap"]) ** 2
            / (384.0 * math.pi**2 * omega_capt))


_PAIRS = {"mu_e_gamma": (0, 1), "tau_mu_gamma": (1, 2), "tau_e_gamma": (0, 2)}
_BR = {"mu_e_gamma": loops_lfv.br_mu_e_gamma, "tau_mu_gamma": loops_lfv.br_tau_mu_gamma,
       "tau_e_gamma": loops_lfv.br_tau_e_gamma}


def observables(couplings):
    """BR(μ→eγ), BR(τ→μγ), BR(τ→eγ) and the dipole BR(μ→3e) from ``lepton_dipole``."""
    s = couplings["lepton_dipole"]
    zero = jnp.zeros((3, 3))
    sig_l = jnp.asarray(s.get("sigma_l", zero))
    sig_r = jnp.asarray(s.get("sigma_r", zero))
    out = {}
    for name, (j, i) in _PAIRS.items():
        out[f"lfv_br_{name}"] = _BR[name](sig_l[..., j, i], sig_r[..., j, i])
    out["lfv_br_mu_3e"] = MU_3E_DIPOLE_RATIO * out["lfv_br_mu_e_gamma"]
    out["lfv_cr_mu_e_au"] = au_dipole_conversion_ratio() * out["lfv_br_mu_e_gamma"]
    return out


UNITS = {k: "1" for k in ("lfv_br_mu_e_gamma", "lfv_br_tau_mu_gamma", "lfv_br_tau_e_gamma", "lfv_br_mu_3e",
                          "lfv_cr_mu_e_au")}

CONSTRAINTS = (
    Constraint("meg2_mu_e_gamma", "lfv_br_mu_e_gamma", "upper", entry="meg2_2025_mu_e_gamma", family=FAMILY),
    Constraint("meg2_2024_mu_e_gamma", "lfv_br_mu_e_gamma", "upper", entry="meg2_2024_mu_e_gamma",
               family=FAMILY, default=False, note="superseded by meg2_mu_e_gamma (2025)"),
    Constraint("belle_tau_mu_gamma", "lfv_br_tau_mu_gamma", "upper", entry="belle_2021_tau_mu_gamma", family=FAMILY),
    Constraint("babar_tau_e_gamma", "lfv_br_tau_e_gamma", "upper", entry="babar_2010_tau_e_gamma", family=FAMILY),
    Constraint("sindrum_mu_3e", "lfv_br_mu_3e", "upper", entry="sindrum_1988_mu_3e", family=FAMILY,
               note="dipole approximation (photon exchange only)"),
    Constraint("sindrum2_mu_e_au", "lfv_cr_mu_e_au", "upper", entry="sindrum2_2006_mu_e_au", family=FAMILY,
               default=False, note="dipole only; Au nuclear inputs unverified (kko2002_au_dipole_inputs)"),
)

FAMILIES = (
    Family(name=FAMILY, requires=("lepton_dipole",), observables=observables, units=UNITS,
           constraints=CONSTRAINTS,
           description="ℓi→ℓjγ and dipole-dominated μ→3e from the summed dipole coefficients"),
)

__all__ = ["FAMILIES", "MU_3E_DIPOLE_RATIO", "au_dipole_conversion_ratio", "observables"]
