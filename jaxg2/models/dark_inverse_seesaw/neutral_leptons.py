r"""Neutral leptons of the dynamical inverse seesaw (paper 001, sec. 2.2).

Mass matrix (eq. 2.12) in the basis (ν_e, ν_μ, ν_τ, N₁₋₃, N′₁₋₃), in the Majorana
convention L = −½ ψᵀ 𝓜 ψ + h.c. of :func:`jaxg2.neutrino.takagi.takagi`:

    𝓜 = 1/√2 [[0, y_ν v_φ, 0], [y_νᵀ v_φ, y_N ω₂, √2 m], [0, √2 mᵀ, y_N′ ω₂]],

i.e. M_D = y_ν v_φ/√2 (3×3, flavour × N), the N–N′ block m, μ_N = y_N ω₂/√2 and
μ′ = y_N′ ω₂/√2 (the inverse-seesaw μ term).  The paper's normalisation of the
Majorana entries is taken as the definition of y_N, y_N′.

Light masses at leading order (block inversion of the heavy 6×6 part, μ ≪ m):

    m_light ≃ −M_D (𝓜_heavy⁻¹)_NN M_Dᵀ = M_D m⁻ᵀ μ′ m⁻¹ M_Dᵀ
            = (v_φ²ω₂ / 2√2) · y_ν m⁻ᵀ y_N′ m⁻¹ y_νᵀ.

**Paper discrepancy (eq. 2.13).**  The paper prints
m_ν ≃ (y_νᵀ v_φ)(1/mᵀ)(y_N′ ω₂)(1/m)(y_ν v_φ): it drops the factor (1/√2)³ = 0.354
that its own eq. 2.12 carries, and writes y_νᵀ … y_ν where eq. 2.12 (ν rows, N
columns) gives y_ν … y_νᵀ.  The exact 9×9 Takagi factorisation used here agrees with
the corrected form (tests).

Casas–Ibarra for the inverse seesaw: with F = m⁻ᵀ μ′ m⁻¹ = W diag(f) Wᵀ (Takagi) and
the light-neutrino target U diag(m_ν) Uᵀ (U the PMNS matrix in this convention),

    M_D = U diag(√m_ν) R diag(1/√f) W†,   R Rᵀ = 1 (complex orthogonal),

reproduces the target exactly at leading order in the seesaw expansion; the residual
(relative O(M_D²/m²), ~|U_αN|²) is measured by the tests on the exact spectrum.
"""

from __future__ import annotations

import jax.numpy as jnp

from ...neutrino.takagi import takagi

SQRT2 = jnp.sqrt(2.0)


def mass_matrix(y_nu, m, y_n, y_np, v_phi, omega2):
    """The 9×9 complex symmetric matrix of eq. 2.12 [GeV]."""
    y_nu = jnp.asarray(y_nu, dtype=jnp.complex128)
    z = jnp.zeros((3, 3), dtype=jnp.complex128)
    md = y_nu * v_phi / SQRT2
    row1 = jnp.concatenate([z, md, z], axis=1)
    row2 = jnp.concatenate([md.T, y_n * omega2 / SQRT2, m.astype(jnp.complex128)], axis=1)
    row3 = jnp.concatenate([z, m.T.astype(jnp.complex128), y_np * omega2 / SQRT2], axis=1)
    return jnp.concatenate([row1, row2, row3], axis=0)


def light_mass_matrix_leading(y_nu, m, y_np, v_phi, omega2):
    """m_light ≃ M_D m⁻ᵀ μ′ m⁻¹ M_Dᵀ [GeV] (corrected eq. 2.13, see module docstring)."""
    md = jnp.asarray(y_nu, dtype=jnp.complex128) * v_phi / SQRT2
    minv = jnp.linalg.inv(m.astype(jnp.complex128))
    return md @ minv.T @ (y_np * omega2 / SQRT2) @ minv @ md.T


def light_mass_matrix_paper(y_nu, m, y_np, v_phi, omega2):
    """Paper eq. 2.13 as printed: (y_νᵀ v_φ) m⁻ᵀ (y_N′ ω₂) m⁻¹ (y_ν v_φ) [GeV]."""
    y_nu = jnp.asarray(y_nu, dtype=jnp.complex128)
    minv = jnp.linalg.inv(m.astype(jnp.complex128))
    return (y_nu.T * v_phi) @ minv.T @ (y_np * omega2) @ minv @ (y_nu * v_phi)


def casas_ibarra_y_nu(u_pmns, m_light, R, m, y_np, v_phi, omega2):
    """y_ν (3×3 complex) reproducing U diag(m_light) Uᵀ at leading order.

    ``m_light`` [GeV] ascending (may contain 0), ``R`` complex orthogonal, ``m`` and
    ``y_np`` 3×3 (m invertible, y_N′ non-singular so that F has full rank).  At a
    massless state y_ν ∝ √m has an infinite derivative; the double-where sets it to 0
    there so gradients stay finite (sampling m_lightest > 0 is unaffected).
    """
    minv = jnp.linalg.inv(m.astype(jnp.complex128))
    F = minv.T @ (y_np.astype(jnp.complex128) * omega2 / SQRT2) @ minv
    f, W = takagi(F)
    positive = m_light > 0
    sqrt_m = jnp.where(positive, jnp.sqrt(jnp.where(positive, m_light, 1.0)), 0.0)  # double-where
    md = u_pmns @ jnp.diag(sqrt_m.astype(jnp.complex128)) @ R \
        @ jnp.diag((1.0 / jnp.sqrt(f)).astype(jnp.complex128)) @ jnp.conj(W).T
    return md * SQRT2 / v_phi


def spectrum(M):
    """Masses (ascending, GeV) and the 9×9 unitary U with 𝓜 = U diag(m) Uᵀ."""
    return takagi(M)


def active_heavy_mixing(U):
    """|U_αN|² summed over the six heavy states, per flavour (e, μ, τ)."""
    return jnp.sum(jnp.abs(U[:3, 3:]) ** 2, axis=1)
