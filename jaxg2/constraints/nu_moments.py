r"""Neutrino magnetic (transition) moments: the effective moment each experiment sees.

Convention.  ``nu_moments.lambda_mu_b`` is the complex 3×3 matrix λ in the neutrino
*mass* basis, in Bohr magnetons, with λ[j, i] the ν_i → ν_j amplitude:
L ⊃ −½ Σ ν̄_j λ_ji σ^{μν} ν_i F_μν (+ h.c. for Majorana fields; Dirac: λ Hermitian,
Majorana: λ antisymmetric).  For a relativistic neutrino the magnetic amplitude flips
helicity, so it does not interfere with the weak one and the electromagnetic
cross section of a state |ν⟩ = Σ_i a_i |ν_i⟩ is that of a single moment

    μ_eff² = Σ_j |Σ_i λ_ji a_i|² = a† λ†λ a        (final states summed).

* **Solar neutrinos** (Borexino, XENONnT, XENON1T) arrive as an incoherent mixture of
  mass eigenstates with probabilities P_i (:mod:`jaxg2.neutrino.solar`):
  μ_eff² = Σ_i P_i (λ†λ)_ii.  Borexino: P_i of the ⁷Be line (MSW at the B16 production
  density).  XENONnT/XENON1T: their keV recoils are dominated by pp neutrinos
  (E ≲ 0.42 MeV), where matter effects are small; the vacuum limit P_i = |U_ei|² is
  used (the matter correction at ⟨E_pp⟩ ≈ 0.27 MeV shifts P₁ by ≈ 0.02).
* **Reactor ν̄_e at short baseline** (GEMMA 13.9 m, TEXONO 28 m): the oscillation phases
  Δm²L/4E ≲ 10⁻² are negligible, so the state is the coherent superposition
  |ν̄_e⟩ = Σ_i U_ei |ν̄_i⟩ and the antineutrino moment matrix is λ̄ = −λ* (charge
  conjugation of ν̄_j σ ν_i; the same for Dirac-Hermitian and Majorana-antisymmetric λ):
  μ_eff² = Σ_j |Σ_i λ*_ji U_ei|² = Σ_j |Σ_i λ_ji U*_ei|² — the same as a coherent ν_e,
  a = U*_e (CPT).  (Grimus et al., hep-ph/0208132; Beacom & Vogel, hep-ph/9907383.)
* **Red giants** (plasmon decay γ* → ν ν̄ into every final pair):
  μ_eff² = Σ_ij |λ_ij|² = ‖λ‖²_F, the combination the TRGB bound constrains; it assumes
  the neutrinos are light and escape (no trapping).

The three detector expressions reduce to |μ| for a universal diagonal moment λ = μ·1
(the plasmon one to √3|μ|: one decay channel per species).  The observables
``r_<constraint>`` = μ_eff/μ_limit are coupling ratios (μ is linear in λ), compared with
1 (registry limits: ``borexino_2017_mu_nu``, ``xenonnt_2022_mu_nu``, ``gemma_2012_mu_nu``,
``texono_2007_mu_nu``, ``red_giant_2020_mu_nu``); the XENON1T band is an optional
interval constraint on the solar (pp) μ_eff.

U: the reactor expression depends on the phases of U_ei, which must be those of the
mass basis in which the model computed λ.  A model may therefore pass its PMNS matrix
as the optional key ``pmns`` (complex 3×3, ν_α = Σ_i U_αi ν_i) of the ``nu_moments``
section; without it the NuFIT 6.0 best fit (normal ordering, Majorana phases 0) is
used.  The solar and red-giant expressions depend on |U_ei| only (NuFIT best fit).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from .. import experiments
from .base import Family

__all__ = ["mu_eff_incoherent", "mu_eff_coherent", "mu_eff_plasmon", "solar_weights",
           "electron_row", "observables", "LIMITS", "FAMILIES"]

# constraint name -> (registry entry, effective-moment observable)
LIMITS = {
    "borexino_mu_nu": ("borexino_2017_mu_nu", "numm_mu_eff_solar_be7"),
    "xenonnt_mu_nu": ("xenonnt_2022_mu_nu", "numm_mu_eff_solar_pp"),
    "gemma_mu_nu": ("gemma_2012_mu_nu", "numm_mu_eff_reactor"),
    "texono_mu_nu": ("texono_2007_mu_nu", "numm_mu_eff_reactor"),
    "red_giant_mu_nu": ("red_giant_2020_mu_nu", "numm_mu_eff_plasmon"),
}


def _safe_sqrt(x):
    """√x with a zero (not NaN) gradient at x = 0 (double-where)."""
    pos = x > 0
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, x, 1.0)), 0.0)


def mu_eff_incoherent(lam, p):
    """μ_eff = √(Σ_i p_i Σ_j |λ_ji|²) for an incoherent mixture of mass eigenstates p_i."""
    col = jnp.sum(jnp.abs(lam) ** 2, axis=-2)  # Σ_j |λ_ji|² for each incoming i
    return _safe_sqrt(jnp.sum(col * jnp.asarray(p), axis=-1))


def mu_eff_coherent(lam, a):
    """μ_eff = ‖λ a‖ = √(Σ_j |Σ_i λ_ji a_i|²) for the coherent state Σ_i a_i |ν_i⟩."""
    amp = jnp.einsum("...ji,...i->...j", lam, jnp.asarray(a))
    return _safe_sqrt(jnp.sum(jnp.abs(amp) ** 2, axis=-1))


def mu_eff_plasmon(lam):
    """μ_eff = ‖λ‖_F = √(Σ_ij |λ_ij|²) (plasmon decay into all final pairs)."""
    return _safe_sqrt(jnp.sum(jnp.abs(lam) ** 2, axis=(-2, -1)))


@functools.lru_cache(maxsize=None)
def electron_row(ordering: str = "normal"):
    """U_ei (i = 1, 2, 3) at the NuFIT 6.0 best fit (complex numpy array)."""
    from ..neutrino import pmns_from_data

    with jax.ensure_compile_time_eval():  # a constant, also when first called under jit
        return np.asarray(pmns_from_data(ordering))[0]


@functools.lru_cache(maxsize=None)
def solar_weights(source: str, ordering: str = "normal"):
    """Mass-eigenstate fractions P_i at the Earth: ``"be7"`` (MSW at the ⁷Be line) or
    ``"pp_vacuum"`` (|U_ei|²)."""
    if source == "pp_vacuum":
        return np.abs(electron_row(ordering)) ** 2
    from ..neutrino.solar import line_exit_probabilities

    with jax.ensure_compile_time_eval():
        return np.asarray(line_exit_probabilities(source, ordering))


def observables(couplings):
    """Effective moments [μ_B] and coupling ratios r = μ_eff/μ_limit from ``nu_moments``."""
    sec = couplings["nu_moments"]
    lam = jnp.asarray(sec["lambda_mu_b"], dtype=jnp.complex128)
    u_e = jnp.asarray(sec["pmns"])[..., 0, :] if "pmns" in sec else electron_row()
    out = {
        "numm_mu_eff_solar_be7": mu_eff_incoherent(lam, solar_weights("be7")),
        "numm_mu_eff_solar_pp": mu_eff_incoherent(lam, solar_weights("pp_vacuum")),
        "numm_mu_eff_reactor": mu_eff_coherent(lam, jnp.conj(u_e)),
        "numm_mu_eff_plasmon": mu_eff_plasmon(lam),
    }
    for name, (entry, obs) in LIMITS.items():
        out[f"r_{name}"] = out[obs] / experiments.get(entry).limit
    return out


def _family():
    from ..models.base import Constraint

    cons = [Constraint(name, f"r_{name}", "upper", entry=entry, limit=1.0, family="nu_moments",
                       note=f"mu_eff ({obs}) / registry limit {entry}")
            for name, (entry, obs) in LIMITS.items()]
    cons.append(Constraint("xenon1t_mu_nu_band", "numm_mu_eff_solar_pp", "interval",
                           entry="xenon1t_2020_mu_nu_band", family="nu_moments", default=False,
                           note="XENON1T excess read as a magnetic moment; excluded by XENONnT 2022"))
    units = {k: "mu_B" for k in ("numm_mu_eff_solar_be7", "numm_mu_eff_solar_pp",
                                 "numm_mu_eff_reactor", "numm_mu_eff_plasmon")}
    units.update({f"r_{n}": "1" for n in LIMITS})
    return Family(name="nu_moments", requires=("nu_moments",), observables=observables, units=units,
                  constraints=tuple(cons),
                  description="Effective neutrino magnetic moments at solar, reactor and red-giant probes")


FAMILIES = (_family(),)
