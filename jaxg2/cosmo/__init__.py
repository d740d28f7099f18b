"""Cosmology helpers: equilibrium thermodynamics and the N_eff evolution of paper 002.

Flat public API (everything float64, jit/vmap/grad-safe, GeV units):

Thermodynamics of one Bose/Fermi species at zero chemical potential
(:mod:`jaxg2.cosmo.thermo`, paper 002 appendix B, full integrals):
``thermodynamics(m, T, g, fermion) -> Thermo(n, rho, p, s, drho_dT)``, ``energy_density``,
``pressure``, ``entropy_density``, ``number_density``, ``heat_capacity``.

N_eff with a light Z′ of U(1)_{Lμ−Lτ} (:mod:`jaxg2.cosmo.neff`, paper 002 eqs. 10–15):
``n_eff(m_zprime, g_prime, eps_AZ)`` → N_eff (the call the lmu_ltau model uses),
``n_eff_no_transfer(m_zprime)`` (ε_AZ′ = 0, closed form by entropy conservation),
``temperature_history(m_zprime, eps_AZ)`` (T/T_ν and T′/T_ν along the solution, Fig. 4 left),
``gamma_zprime_ee(m_zprime, eps_AZ)`` (eq. 14), ``n_eff_from_ratios``, and the constants
``T_NU_DEC`` (1.5 MeV), ``M_PLANCK_REDUCED``, ``N_STEPS``.
"""

from .neff import (
    M_PLANCK_REDUCED,
    N_STEPS,
    T_NU_DEC,
    gamma_zprime_ee,
    n_eff,
    n_eff_from_ratios,
    n_eff_no_transfer,
    temperature_history,
)
from .thermo import (
    Thermo,
    energy_density,
    entropy_density,
    heat_capacity,
    number_density,
    pressure,
    thermodynamics,
)

__all__ = [
    "Thermo", "thermodynamics", "energy_density", "pressure", "entropy_density",
    "number_density", "heat_capacity",
    "n_eff", "n_eff_no_transfer", "n_eff_from_ratios", "temperature_history",
    "gamma_zprime_ee", "T_NU_DEC", "M_PLANCK_REDUCED", "N_STEPS",
]
