"""Constraints as a shared library: every family is a pure JAX function of generic couplings.

See :mod:`jaxg2.constraints.base` for the coupling sections a model may provide and
the :class:`Family` interface.  Family modules (imported on first use):

* :mod:`.light_vector` — dark-photon-type searches recast to any vector couplings
  (visible: DarkCast tables by production, branching fraction and decay-length
  acceptance; invisible: weighted by the invisible branching fraction);
* :mod:`.neutrino_electron` — ν–e scattering (Borexino ⁷Be);
* :mod:`.trident` — neutrino trident production (CCFR, CHARM-II);
* :mod:`.cevns` — coherent elastic ν–nucleus scattering (COHERENT);
* :mod:`.electron_g2` — Δa_e against the Cs and Rb determinations of α;
* :mod:`.lfv` — μ→eγ, τ→μγ, τ→eγ, μ→3e, μ→e conversion;
* :mod:`.nu_moments` — effective neutrino magnetic moments at detectors;
* :mod:`.cosmology` — ΔN_eff (Planck 2018, ACT DR6), BBN;
* :mod:`.electroweak` — invisible Z width, oblique S and T;
* :mod:`.astrophysics` — white-dwarf cooling, SN1987A.
"""

from .base import (FERMION_CHARGES, SECTIONS, Family, all_families, dark_photon_couplings, families_for,
                   library_observables)

__all__ = ["SECTIONS", "FERMION_CHARGES", "Family", "all_families", "dark_photon_couplings", "families_for",
           "library_observables"]
