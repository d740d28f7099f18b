"""Physical units and Maxwell–Boltzmann velocity averages of σ_T, σ_V.

Inputs in GeV (masses), dimensionless coupling α (V = ∓α e^{−m_φ r}/r; paper
002 eq. 22 writes α = y²/(4π), while the normalisation of its eq. 19,
−(y/2√2) φ N₁N₁, gives α = y²/(8π) — the model module `jaxg2.models.lmu_ltau`
owns that mapping and documents the factor 2), relative
velocity v in units of c (`sigma_transfer`) or km/s (`sigma_over_m`,
`averaged_sigma_v_over_m`).  Conversions use `jaxg2.constants`.
"""

from __future__ import annotations

from functools import lru_cache, partial

import jax
import jax.numpy as jnp
import numpy as np
from scipy.special import roots_genlaguerre

from .. import constants as C
from .cross_sections import sigma_transfer_ab, sigma_viscosity_ab

__all__ = ["sigma_transfer", "sigma_viscosity", "sigma_over_m", "averaged_sigma_v_over_m"]


def _ab(alpha, m_x, m_phi, v):
    alpha, m_x, m_phi, v = (jnp.asarray(t, jnp.float64) for t in (alpha, m_x, m_phi, v))
    return v / (2.0 * alpha), alpha * m_x / m_phi, m_phi


def sigma_transfer(alpha, m_x, m_phi, v, *, attractive=True, particles="distinguishable",
                   kappa_max=50.0, method="auto", accuracy="exact"):
    """σ_T in GeV⁻² for DM mass m_x, mediator mass m_phi [GeV], relative velocity v [c].

    σ_T = `sigma_transfer_ab`(a = v/2α, b = α m_x/m_phi) / m_phi²; reduced mass m_x/2.
    """
    a, b, m_phi = _ab(alpha, m_x, m_phi, v)
    return sigma_transfer_ab(a, b, attractive=attractive, particles=particles,
                             kappa_max=kappa_max, method=method, accuracy=accuracy) / m_phi**2


def sigma_viscosity(alpha, m_x, m_phi, v, *, attractive=True, particles="distinguishable",
                    kappa_max=50.0, method="auto", accuracy="exact"):
    """σ_V in GeV⁻² (σ_V = ∫dΩ sin²θ dσ/dΩ); arguments as `sigma_transfer`."""
    a, b, m_phi = _ab(alpha, m_x, m_phi, v)
    return sigma_viscosity_ab(a, b, attractive=attractive, particles=particles,
                              kappa_max=kappa_max, method=method, accuracy=accuracy) / m_phi**2


def _per_mass_cm2_g(sigma_gev2, m_x):
    return sigma_gev2 * C.GEV_INV2_TO_CM2 / (jnp.asarray(m_x, jnp.float64) * C.GEV_TO_GRAM)


def sigma_over_m(alpha, m_x, m_phi, v_km_s, *, kind="transfer", attractive=True,
                 particles="distinguishable", kappa_max=50.0, method="auto", accuracy="exact"):
    """σ/m_x in cm²/g at relative velocity v_km_s [km/s] (kind "transfer" or "viscosity";
    accuracy "exact" or "fit", see `sigma_transfer_ab`)."""
    v = jnp.asarray(v_km_s, jnp.float64) * C.KM_S_TO_C
    fn = sigma_transfer if kind == "transfer" else sigma_viscosity
    sig = fn(alpha, m_x, m_phi, v, attractive=attractive, particles=particles,
             kappa_max=kappa_max, method=method, accuracy=accuracy)
    return _per_mass_cm2_g(sig, m_x)


@lru_cache(maxsize=None)
def _laguerre1(n):
    y, w = roots_genlaguerre(n, 1.0)
    return y, w


@partial(jax.jit, static_argnames=("kind", "attractive", "particles", "kappa_max", "method",
                                   "n_quad", "accuracy"))
def averaged_sigma_v_over_m(alpha, m_x, m_phi, v_mean_km_s, *, kind="transfer", attractive=True,
                            particles="distinguishable", kappa_max=50.0, method="auto",
                            n_quad=16, accuracy="exact"):
    """⟨σ v⟩/m_x in cm²/g · km/s, averaged over a Maxwell–Boltzmann distribution.

    The relative velocity follows the (untruncated) Maxwell–Boltzmann law
        f(v) = 4 v²/(√π v₀³) e^{−v²/v₀²},   v₀ = √π v_mean/2,
    i.e. two DM particles each Maxwellian with 1D dispersion σ₀ = v₀/2, and
    **v_mean = ⟨v⟩ is the mean relative speed** (= 4σ₀/√π, the abscissa of paper
    002 Fig. 3 and of Kaplinghat, Tulin, Yu, PRL 116 (2016) 041302).  With
    y = v²/v₀²:  ⟨σv⟩ = (2v₀/√π) ∫₀^∞ y e^{−y} σ(v₀√y) dy, done by n_quad-point
    generalised Gauss–Laguerre quadrature (α = 1).  Broadcasts over all inputs;
    the quadrature nodes are the last (internal) axis.
    """
    y, w = (jnp.asarray(t) for t in _laguerre1(int(n_quad)))
    alpha, m_x, m_phi, vm = jnp.broadcast_arrays(*(jnp.asarray(t, jnp.float64)
                                                   for t in (alpha, m_x, m_phi, v_mean_km_s)))
    v0 = jnp.sqrt(jnp.pi) * vm / 2.0
    v_nodes = v0[..., None] * jnp.sqrt(y)
    s = sigma_over_m(alpha[..., None], m_x[..., None], m_phi[..., None], v_nodes, kind=kind,
                     attractive=attractive, particles=particles, kappa_max=kappa_max,
                     method=method, accuracy=accuracy)
    return 2.0 * v0 / jnp.sqrt(jnp.pi) * jnp.sum(w * s, axis=-1)
