"""Generic one-loop g-2 and ℓi → ℓj γ library (flat public API).

* :mod:`jaxg2.loops.g2` — Δa_ℓ for the three one-loop topologies
  (Jegerlehner–Nyffeler conventions, ``L = ℓ̄ (C_S + C_P γ5) F S + h.c.``):
  :func:`g2_neutral_scalar`, :func:`g2_neutral_vector`, :func:`g2_charged_scalar`.
* :mod:`jaxg2.loops.lfv` — dipole coefficients (σ_L, σ_R) of ℓi → ℓj γ for one
  internal (fermion, boson) pair with flavour-changing, complex couplings
  (Lavoura, Eur. Phys. J. C29 (2003) 191 convention), exact in all masses; a
  model sums them over its internal states and converts the sum with
  :func:`br_li_lj_gamma` / :func:`br_mu_e_gamma` / :func:`br_tau_mu_gamma` /
  :func:`br_tau_e_gamma`.  The g2_* functions are its i = j case.
* :mod:`jaxg2.loops.functions` — named closed-form loop functions (x ln x/(x−1),
  Ma–Raidal F₂, Lavoura F̃₂), each stable at its removable singularity.
* :mod:`jaxg2.loops._closed` — the Feynman-parameter moments ∫u^p(1−u)^q/Δ in
  closed form (logs of the roots of Δ, series where they cancel; ≤ 1e-10
  relative to mpmath for mass ratios 1e-6 … 1e6, value and gradient).
* :mod:`jaxg2.loops._quad` — the fixed end-point-adapted Gauss–Legendre rule
  (≤ 1e-8), kept as the reference (``method="quad"`` of the dipoles).

Everything is pure JAX: broadcasts, float64, jit/vmap/grad-safe.

Example::

    >>> from jaxg2 import loops
    >>> from jaxg2.constants import M_MU
    >>> loops.g2_neutral_vector(M_MU, M_MU, 0.01, 1e-3, 0.0)   # light Z′ → g²/8π²
"""

from .functions import f2_ma_raidal, f2_tilde_lavoura, xlogx_over_xm1
from .g2 import g2_charged_scalar, g2_neutral_scalar, g2_neutral_vector
from .lfv import (
    br_li_lj_gamma,
    br_mu_e_gamma,
    br_tau_e_gamma,
    br_tau_mu_gamma,
    chiral_to_sp,
    dipole_charged_scalar,
    dipole_neutral_scalar,
    dipole_neutral_vector,
    dipole_scalar,
    g2_from_dipole,
    muon_width,
    tau_width,
    width_li_lj_gamma,
)

__all__ = [
    "g2_neutral_scalar", "g2_neutral_vector", "g2_charged_scalar",
    "dipole_neutral_scalar", "dipole_charged_scalar", "dipole_scalar", "dipole_neutral_vector",
    "chiral_to_sp", "g2_from_dipole", "width_li_lj_gamma", "br_li_lj_gamma",
    "muon_width", "tau_width", "br_mu_e_gamma", "br_tau_mu_gamma", "br_tau_e_gamma",
    "xlogx_over_xm1", "f2_ma_raidal", "f2_tilde_lavoura",
]
