r"""Nuclear inputs shared by the neutrino–nucleus families (CEvNS, trident).

Helm form factor (Lewin & Smith, Astropart. Phys. 6 (1996) 87, eqs. 4.7–4.11;
parameters in the registry entry ``helm_form_factor_lewin_smith``):

    F(q) = 3 j₁(q r_n)/(q r_n) · exp(−q² s²/2),
    r_n² = c² + (7/3) π² a² − 5 s²,   c = c₁ A^{1/3} − c₀,

with j₁(x) = (sin x − x cos x)/x².  F(0) = 1.  The same F is used for the proton and
neutron distributions (the weak charge is dominated by neutrons).  Everything here
is numpy (evaluated once, on quadrature nodes, when a family precomputes its
SM-only integrals); q in GeV.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import constants as C
from .. import experiments

ATOMIC_MASS_UNIT_GEV = 0.9314941  # GeV, atomic mass unit u c² = 931.4941 MeV (CODATA; 7 digits suffice here)
FM_TO_INV_GEV = 1.0 / (C.HBARC_GEV_CM * 1e13)  # 1 fm in GeV⁻¹ (ħc = 0.1973 GeV fm)


def nucleus_mass(a_mass_number: float) -> float:
    """Nuclear mass ≈ A u [GeV] (binding and electron masses neglected, < 0.1 %)."""
    return a_mass_number * ATOMIC_MASS_UNIT_GEV


@functools.lru_cache(maxsize=None)
def helm_radius_fm(a_mass_number: float) -> tuple[float, float]:
    """(r_n, s) of the Helm form factor in fm for mass number A (Lewin & Smith)."""
    p = experiments.get("helm_form_factor_lewin_smith").values
    c = p["c1_fm"] * a_mass_number ** (1.0 / 3.0) - p["c0_fm"]
    rn2 = c**2 + 7.0 / 3.0 * np.pi**2 * p["a_fm"] ** 2 - 5.0 * p["s_fm"] ** 2
    return float(np.sqrt(rn2)), float(p["s_fm"])


def helm_form_factor(q_gev, a_mass_number: float):
    """Helm F(q) (dimensionless, F(0) = 1) at momentum transfer q [GeV] (numpy)."""
    rn_fm, s_fm = helm_radius_fm(float(a_mass_number))
    x = np.asarray(q_gev, dtype=float) * rn_fm * FM_TO_INV_GEV
    qs = np.asarray(q_gev, dtype=float) * s_fm * FM_TO_INV_GEV
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    j1_over_x = np.where(small, 1.0 / 3.0 - x**2 / 30.0, (np.sin(xs) - xs * np.cos(xs)) / xs**3)
    return 3.0 * j1_over_x * np.exp(-0.5 * qs**2)


__all__ = ["ATOMIC_MASS_UNIT_GEV", "nucleus_mass", "helm_radius_fm", "helm_form_factor"]
