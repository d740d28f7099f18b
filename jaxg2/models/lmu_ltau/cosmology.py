r"""N_eff of the model (paper 002 sec. II B, eqs. 10–15, appendix B).

The entropy-transfer system of eqs. (11)–(13) with the Hubble rate (15) is solved
by :func:`jaxg2.cosmo.n_eff` (three baths (γ,e), ν_e and (ν_μ, ν_τ, Z′, φ) with full
Bose/Fermi integrals); this module supplies the model's loop-induced ε_AZ′(g′) of
eq. (3), so that the Z′ → e⁺e⁻ heat transfer of eq. (14) is the one the model
predicts, and puts φ (g = 1) in the (ν_μ, ν_τ, Z′) bath, where φφ ↔ Z′Z′ and
φν ↔ Z′ν keep it (sec. II B; Fig. 1 right, dashed).  ``m_phi=None`` leaves φ out
(Fig. 1 right, solid) and ``eps_az=0.0`` switches the transfer off (blue curve).
The baseline without a Z′ effect is 3.032 (instantaneous decoupling at 1.5 MeV), as
in the paper, not the modern 3.044.
"""

from __future__ import annotations

import jax.numpy as jnp

from . import zprime


def n_eff(g_prime, m_zprime, m_phi=None, eps_az=None):
    """N_eff after e⁺e⁻ annihilation (dimensionless); ε_AZ′ from eq. (3) unless given.

    Broadcasts over its array arguments (``jnp.vectorize`` over the scalar solver)."""
    from ... import cosmo

    eps = zprime.eps_az(g_prime) if eps_az is None else jnp.asarray(eps_az, dtype=jnp.float64)
    if m_phi is None:
        return jnp.vectorize(lambda m, g, e: cosmo.n_eff(m, g, e))(m_zprime, g_prime, eps)
    return jnp.vectorize(lambda m, g, e, p: cosmo.n_eff(m, g, e, m_phi=p))(m_zprime, g_prime, eps, m_phi)


__all__ = ["n_eff"]
