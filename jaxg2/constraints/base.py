r"""Constraint families: the interface between a model's couplings and today's limits.

A limit belongs to an experiment, not to a model.  A model states *what it couples
to* once — a function ``couplings(theta) -> {section: {key: array}}`` and the static
tuple of the sections it provides — and every :class:`Family` whose required
sections it provides adds its observables and constraints to the model
(:class:`jaxg2.models.base.Model` does the wiring in ``__post_init__``).  Models keep
only what is theirs (perturbativity, vacuum stability, relic density, paper-specific
recasts kept for reproduction).

Coupling sections (:data:`SECTIONS`; every value a float64 array broadcasting with
the model's batch shape; missing keys mean 0 unless a family says otherwise):

``light_vector``
    A light neutral vector X of mass ``mass`` [GeV] with vector couplings
    L ⊃ g_f X_μ f̄ γ^μ f for ``e, mu, tau, u, d, s`` and, for neutrinos, the
    coupling to the left-handed current X_μ ν̄ γ^μ P_L ν for ``nu_e, nu_mu,
    nu_tau`` (dimensionless); optional ``invisible_width`` [GeV] (decays into dark
    states, added to the width into neutrinos).  A dark photon of kinetic mixing ε
    is g_f = ε e Q_f.
``lepton_dipole``
    Charged-lepton dipole coefficients ``sigma_l``, ``sigma_r`` (complex 3×3,
    [j, i] = ℓ_i → ℓ_j, flavour order e, μ, τ, GeV⁻¹) in the convention of
    :mod:`jaxg2.loops.lfv`: M = e ε*_μ ū_j iσ^{μν} q_ν (σ_L P_L + σ_R P_R) u_i.
``lepton_g2``
    New-physics anomalous moments ``delta_a_e`` (and optionally ``delta_a_mu``,
    ``delta_a_tau``) as computed by the model (dimensionless).
``nu_moments``
    Neutrino transition magnetic moments ``lambda_mu_b``: complex 3×3 in the
    neutrino *mass* basis, in units of the Bohr magneton μ_B.
``radiation``
    ``delta_n_eff``: extra radiation at recombination/BBN relative to the SM
    N_eff = 3.044 (dimensionless).
``scalar_doublets``
    Inert-like scalar doublets (Y = 1/2, no vev): ``m_charged``, ``m_neutral`` [GeV]
    (last axis: one entry per doublet); optional ``m_neutral_2`` (second real neutral
    state; absent: complex neutral scalar of mass ``m_neutral``) and, for a charged
    member mixed with a charged singlet, ``m_charged_2`` with ``w_charged`` = the doublet
    fraction of the state of mass ``m_charged`` (absent: 1, an unmixed doublet).
``fermion_doublets``
    Vector-like lepton doublets Ψ = (N, E) (Y = −1/2): ``m_charged`` = Dirac mass of E,
    ``m_neutral`` = Dirac mass of N [GeV]; optional ``m_majorana`` [GeV], a common
    Majorana mass m of N_L and N_R that splits N into Majorana states of masses
    |m − m_neutral| and m + m_neutral (absent: 0, a Dirac N).  Both sections feed one
    family (:mod:`jaxg2.constraints.electroweak`): S, T and the invisible Z width, summed
    over all doublets of both kinds.

A family's ``observables(couplings)`` returns a dict of new observables (its
"statistics"); its ``constraints`` are ordinary :class:`~jaxg2.models.base.Constraint`
objects on those observables, with ``family`` set and, where the limit is not a
registry entry, ``source`` and ``year`` given.  The convention for limits on
couplings is the *coupling ratio* r = 1/k, k the largest factor by which all
couplings can be scaled and stay allowed: allowed iff r ≤ 1 (``kind="upper"``,
``limit=1``), so the smooth form penalises log r with the configured relative width.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Mapping

SECTIONS: dict[str, str] = {
    "light_vector": "mass [GeV]; vector couplings e, mu, tau, u, d, s; left-handed nu_e, nu_mu, nu_tau; "
                    "optional invisible_width [GeV]",
    "lepton_dipole": "sigma_l, sigma_r: complex (3, 3) [GeV^-1], [j, i] for l_i -> l_j gamma (jaxg2.loops.lfv)",
    "lepton_g2": "delta_a_e (optional delta_a_mu, delta_a_tau): new-physics anomalous moments",
    "nu_moments": "lambda_mu_b: complex (3, 3) transition moments in the neutrino mass basis [mu_B], "
                  "[j, i] for nu_i -> nu_j; optional pmns (3, 3) (default: NuFIT 6.0 best fit)",
    "radiation": "delta_n_eff: extra relativistic degrees of freedom",
    "scalar_doublets": "m_charged, m_neutral [GeV] (last axis: doublets); optional m_neutral_2, "
                       "m_charged_2 [GeV] and w_charged (doublet fraction of the m_charged state)",
    "fermion_doublets": "vector-like (N, E): m_charged (E), m_neutral (Dirac mass of N) [GeV] (last axis: "
                        "doublets); optional m_majorana [GeV] (Majorana mass of N_L and N_R)",
}

# Modules that define ``FAMILIES`` (a tuple of Family); imported on first use so that
# ``import jaxg2`` stays cheap and a family module may import jaxg2.models.base.
FAMILY_MODULES: tuple[str, ...] = (
    "jaxg2.constraints.light_vector",
    "jaxg2.constraints.neutrino_electron",
    "jaxg2.constraints.trident",
    "jaxg2.constraints.cevns",
    "jaxg2.constraints.electron_g2",
    "jaxg2.constraints.lfv",
    "jaxg2.constraints.nu_moments",
    "jaxg2.constraints.cosmology",
    "jaxg2.constraints.electroweak",
    "jaxg2.constraints.astrophysics",
)


@dataclass(frozen=True)
class Family:
    """A family of constraints computed from coupling sections.

    ``requires``: sections that must all be provided; ``requires_any``: sections of which at
    least one must be provided (a family that combines them, e.g. S, T summed over scalar
    and fermion doublets); ``observables(couplings)`` →
    dict of new observables (pure JAX, vmap-able); ``units`` for each of them;
    ``constraints``: :class:`~jaxg2.models.base.Constraint` objects on them.
    """

    name: str
    requires: tuple[str, ...]
    observables: Callable[[Mapping[str, Mapping]], dict]
    units: Mapping[str, str]
    constraints: tuple = ()
    description: str = ""
    excludes_if: tuple[str, ...] = field(default=())  # sections whose presence disables it
    requires_any: tuple[str, ...] = field(default=())  # at least one of these (if given) must be provided

    def applies(self, sections) -> bool:
        s = set(sections)
        any_ok = not self.requires_any or bool(set(self.requires_any) & s)
        return set(self.requires) <= s and any_ok and not (set(self.excludes_if) & s)


# Electric charge Q and third component of weak isospin T3 (left-handed component) of
# the charged fermions of the light_vector section.
FERMION_CHARGES: dict[str, tuple[float, float]] = {
    "e": (-1.0, -0.5), "mu": (-1.0, -0.5), "tau": (-1.0, -0.5),
    "u": (2.0 / 3.0, 0.5), "d": (-1.0 / 3.0, -0.5), "s": (-1.0 / 3.0, -0.5),
}


def dark_photon_couplings(eps) -> dict:
    """The ``light_vector`` couplings of a dark photon of kinetic mixing ε:
    g_f = ε e Q_f for the charged fermions, 0 for neutrinos (add ``mass``)."""
    from ..constants import E_EM

    return {f: eps * E_EM * q for f, (q, _) in FERMION_CHARGES.items()}


def all_families() -> tuple[Family, ...]:
    """Every family of the library (modules that are not written yet are skipped)."""
    out = []
    for mod in FAMILY_MODULES:
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name == mod:
                continue
            raise
        out.extend(m.FAMILIES)
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate constraint family names: {names}")
    return tuple(out)


def families_for(sections) -> tuple[Family, ...]:
    """The families that apply to a model providing ``sections``."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown coupling section(s) {sorted(unknown)}; known: {', '.join(SECTIONS)}")
    return tuple(f for f in all_families() if f.applies(sections))


def library_observables(couplings: Mapping[str, Mapping], families) -> dict:
    """All observables the ``families`` compute from ``couplings``."""
    out = {}
    for f in families:
        out.update(f.observables(couplings))
    return out


__all__ = ["Family", "SECTIONS", "FERMION_CHARGES", "dark_photon_couplings", "FAMILY_MODULES", "all_families", "families_for", "library_observables"]
