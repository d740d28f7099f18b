r"""Electron g−2: Δa_e = a_e(exp) − a_e(SM) against the two α determinations.

a_e(exp) (Fan et al. 2023, arXiv:2209.13084) minus the SM prediction depends on the
fine-structure constant used in a_e(SM).  The two most precise α come from atom
recoil in Cs (Parker et al. 2018) and Rb (Morel et al. 2020) and disagree by more than
5σ, so the registry holds two alternative measurements (``delta_a_e_rb``,
``delta_a_e_cs``), offered as two Gaussian constraints:

* ``electron_g2_rb`` — **default** (Rb: the more precise, 81 ppt, and more recent α);
* ``electron_g2_cs`` — not default; a fit that wants the Cs scenario selects it (and
  should then drop ``electron_g2_rb``: using both would double count a_e(exp) and
  combine two inconsistent α).

Two families compute the same observable ``eg2_delta_a_e``:

``electron_g2``
    requires ``lepton_g2``: the model's own Δa_e (``delta_a_e``; missing means 0).
``electron_g2_light_vector``
    requires ``light_vector`` and is switched off when ``lepton_g2`` is present (the
    model's own number wins): the one-loop vertex of X with the vector coupling g_e,

        Δa_e = (g_e²/4π²) ∫₀¹ dx x²(1−x)/[x² + (1−x) m_X²/m_e²]

    (→ g_e²/8π² for m_X ≪ m_e, → g_e² m_e²/(12π² m_X²) for m_X ≫ m_e), evaluated with
    :func:`jaxg2.loops.g2_neutral_vector` (F = e, C_V = g_e, C_A = 0).
"""

from __future__ import annotations

import jax.numpy as jnp

from .. import constants
from ..loops import g2_neutral_vector
from ..models.base import Constraint
from .base import Family

OBSERVABLE = "eg2_delta_a_e"
UNITS = {OBSERVABLE: "1"}


def _constraints(family: str) -> tuple[Constraint, ...]:
    return (
        Constraint("electron_g2_rb", OBSERVABLE, "gaussian", entry="delta_a_e_rb", family=family, null_value=0.0,
                   note="Δa_e with α(Rb); default (Cs and Rb disagree by >5σ: choose one)"),
        Constraint("electron_g2_cs", OBSERVABLE, "gaussian", entry="delta_a_e_cs", family=family, null_value=0.0,
                   default=False, note="Δa_e with α(Cs); alternative to electron_g2_rb, never both"),
    )


def delta_a_e_light_vector(mass, g_e):
    """Δa_e from a neutral vector of mass ``mass`` [GeV] with vector coupling ``g_e``."""
    g_e = jnp.asarray(g_e, dtype=jnp.float64)
    return g2_neutral_vector(constants.M_E, constants.M_E, mass, g_e, 0.0)


def _from_lepton_g2(c):
    s = c["lepton_g2"]
    return {OBSERVABLE: jnp.asarray(s.get("delta_a_e", 0.0), dtype=jnp.float64)}


def _from_light_vector(c):
    s = c["light_vector"]
    return {OBSERVABLE: delta_a_e_light_vector(s["mass"], s.get("e", 0.0))}


FAMILIES = (
    Family(name="electron_g2", requires=("lepton_g2",), observables=_from_lepton_g2, units=UNITS,
           constraints=_constraints("electron_g2"),
           description="Δa_e supplied by the model vs a_e(exp) − a_e(SM) with α(Rb) [default] or α(Cs)"),
    Family(name="electron_g2_light_vector", requires=("light_vector",), excludes_if=("lepton_g2",),
           observables=_from_light_vector, units=UNITS, constraints=_constraints("electron_g2_light_vector"),
           description="one-loop Δa_e of a light vector coupled to electrons vs α(Rb) [default] or α(Cs)"),
)

__all__ = ["FAMILIES", "OBSERVABLE", "delta_a_e_light_vector"]
