"""Neutrino tools: PMNS matrix and oscillation data, Takagi factorisation,
Casas–Ibarra parametrisation.

* :mod:`~jaxg2.neutrino.pmns` — ``pmns_matrix``, ``pmns_from_data``, ``nufit``,
  ``light_masses`` (NuFIT 6.0 from the registry; normal/inverted ordering).
* :mod:`~jaxg2.neutrino.takagi` — ``takagi(M) -> (m, U)`` with M = U diag(m) Uᵀ,
  differentiable (custom JVP), robust for degenerate and massless states.
* :mod:`~jaxg2.neutrino.casas_ibarra` — ``casas_ibarra(U, m, Λ, R)``,
  ``orthogonal_3x3``, ``orthogonal_3x2``, ``mass_matrix``.
* :mod:`~jaxg2.neutrino.solar` — solar-neutrino flavour composition at the Earth
  (adiabatic MSW-LMA): ``exit_probabilities``, ``flavour_fractions``,
  ``line_flavour_fractions`` (⁷Be, pep).
"""

from .casas_ibarra import casas_ibarra, mass_matrix, orthogonal_3x2, orthogonal_3x3, rotation
from .pmns import EV, ORDERINGS, light_masses, nufit, pmns_from_data, pmns_matrix
from .takagi import DEFAULT_DEGENERACY_RTOL, takagi, takagi_reconstruct

__all__ = [
    "casas_ibarra", "mass_matrix", "orthogonal_3x2", "orthogonal_3x3", "rotation",
    "EV", "ORDERINGS", "light_masses", "nufit", "pmns_from_data", "pmns_matrix",
    "DEFAULT_DEGENERACY_RTOL", "takagi", "takagi_reconstruct",
]
