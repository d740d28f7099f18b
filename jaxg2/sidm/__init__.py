"""Dark-matter self-scattering through a Yukawa potential V(r) = ∓α e^{−m_φ r}/r.

Partial waves (`phase_shifts`), transfer and viscosity cross sections for
distinguishable and identical Majorana particles (`cross_sections`), Born and
classical limits (`regimes`), physical units and Maxwell–Boltzmann averages
(`velocity`).  Every cross-section function takes ``accuracy="exact"`` (default,
~1e−8: references) or ``"fit"`` (0.3%, ~30× faster: likelihoods; sizes in
`phase_shifts.solver_settings`).  Reference: paper 002 (Kamada, Kaneta, Yanagi, Yu), sec. III.B,
eqs. 22–25 and Fig. 3; S. Tulin, H.-B. Yu, K. Zurek, PRD 87 (2013) 115007.

Public API::

    sigma_transfer_ab(a, b, *, attractive=True, particles="distinguishable",
                      accuracy="exact")                                        # σ_T m_φ²
    sigma_viscosity_ab(a, b, ...)                                              # σ_V m_φ²
    sigma_transfer(alpha, m_x, m_phi, v, ...)       # GeV⁻², v in units of c
    sigma_viscosity(alpha, m_x, m_phi, v, ...)      # GeV⁻²
    sigma_over_m(alpha, m_x, m_phi, v_km_s, ...)    # cm²/g
    averaged_sigma_v_over_m(alpha, m_x, m_phi, v_mean_km_s, ...)  # cm²/g · km/s
"""

from .cross_sections import (
    partial_wave_sigma,
    sigma_transfer_ab,
    sigma_viscosity_ab,
    sums_from_s_matrix,
    truncation_estimate,
)
from .phase_shifts import ACCURACIES, phase_shift_s_matrix, phase_shifts, solver_settings
from .regimes import beta_parameter, born_phase_shifts, born_sigma, classical_sigma_transfer
from .velocity import averaged_sigma_v_over_m, sigma_over_m, sigma_transfer, sigma_viscosity

__all__ = [
    "sigma_transfer_ab",
    "sigma_transfer",
    "sigma_viscosity_ab",
    "sigma_viscosity",
    "sigma_over_m",
    "averaged_sigma_v_over_m",
    "phase_shifts",
    "phase_shift_s_matrix",
    "partial_wave_sigma",
    "sums_from_s_matrix",
    "truncation_estimate",
    "solver_settings",
    "ACCURACIES",
    "born_sigma",
    "born_phase_shifts",
    "classical_sigma_transfer",
    "beta_parameter",
]
