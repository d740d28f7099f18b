r"""Extra radiation: N_eff = N_eff^SM + ΔN_eff against the CMB and BBN (section ``radiation``).

The model supplies ``delta_n_eff`` (missing means 0); the observable is

    cosmo_n_eff = N_eff^SM + ΔN_eff,   N_eff^SM = 3.0440 (registry ``neff_sm_2021``,
    Bennett et al., arXiv:2012.02726).

Constraints (Gaussian, as the sources quote 68% intervals):

* ``neff_act`` — ACT DR6 + Planck + lensing + DESI BAO (P-ACT-LB), N_eff = 2.86 ± 0.13;
  **default** (the most precise CMB result; it contains the Planck data);
* ``neff_planck`` — Planck 2018 + BAO, 2.99 ± 0.17; not default (not independent of
  ``neff_act``: use one of the two);
* ``neff_bbn`` — BBN (Fields et al. 2020), N_ν = 2.86 ± 0.15; **default**: it measures
  the radiation at T ~ MeV, a different epoch (a model whose ΔN_eff differs between
  BBN and recombination should supply the BBN value; the single ``delta_n_eff`` of the
  section is applied to both).

The paper-specific criterion N_eff < 3.5 (``neff_upper_3p5``) is deliberately not a
member of this family; it stays with the paper-reproduction configurations.
"""

from __future__ import annotations

import jax.numpy as jnp

from .. import experiments
from ..models.base import Constraint
from .base import Family

FAMILY = "cosmology_neff"
OBSERVABLE = "cosmo_n_eff"


def n_eff_sm() -> float:
    """N_eff in the Standard Model (registry ``neff_sm_2021``)."""
    return experiments.get("neff_sm_2021").value


def observables(couplings):
    dn = jnp.asarray(couplings["radiation"].get("delta_n_eff", 0.0), dtype=jnp.float64)
    return {OBSERVABLE: n_eff_sm() + dn}


CONSTRAINTS = (
    Constraint("neff_act", OBSERVABLE, "gaussian", entry="neff_act_dr6_2025", family=FAMILY, null_value=n_eff_sm(),
               note="P-ACT-LB; includes Planck"),
    Constraint("neff_planck", OBSERVABLE, "gaussian", entry="neff_planck_2018", family=FAMILY, default=False, null_value=n_eff_sm(),
               note="not independent of neff_act: use one of the two"),
    Constraint("neff_bbn", OBSERVABLE, "gaussian", entry="neff_bbn_fields_2020", family=FAMILY, null_value=n_eff_sm(),
               note="radiation at BBN"),
)

FAMILIES = (
    Family(name=FAMILY, requires=("radiation",), observables=observables, units={OBSERVABLE: "1"},
           constraints=CONSTRAINTS, description="N_eff = 3.044 + ΔN_eff vs ACT DR6 (or Planck 2018) and BBN"),
)

__all__ = ["FAMILIES", "OBSERVABLE", "n_eff_sm", "observables"]
