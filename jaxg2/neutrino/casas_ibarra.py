r"""Casas–Ibarra parametrisation of Yukawa couplings that reproduce oscillation data.

For a light-neutrino mass matrix generated as (tree-level seesaw, or one loop as
in the scotogenic model)

    (M_ν)_αβ = Σ_k y_αk y_βk Λ_k,      i.e.  M_ν = y Λ yᵀ,  Λ = diag(Λ_1 … Λ_n),

with y the 3×n Yukawa matrix (lepton flavour α, heavy state k) and Λ_k the
(possibly negative) loop or seesaw factors, the general solution of
M_ν = U diag(m) Uᵀ (:mod:`jaxg2.neutrino.pmns` convention) is

    y = U D^{1/2} R Λ^{−1/2},       R Rᵀ-condition below,

(J.A. Casas, A. Ibarra, Nucl. Phys. B618 (2001) 171, hep-ph/0103065; for the
scotogenic model T. Toma, A. Vicente, JHEP 01 (2014) 160, arXiv:1312.2840),
since y Λ yᵀ = U D^{1/2} R Rᵀ D^{1/2} Uᵀ.  Λ^{−1/2} is the principal complex
square root, so negative Λ_k give imaginary columns (the sign is physical only
through y Λ yᵀ).

* n = 3 heavy states: R is any complex orthogonal 3×3 matrix, R Rᵀ = 𝟙
  (:func:`orthogonal_3x3`: three complex angles and an optional reflection).
* n = 2 heavy states: M_ν has rank 2, the lightest neutrino is massless, and R is
  3×2 with Rᵀ R = 𝟙₂ and zero row at the massless state
  (Ibarra–Ross, Phys. Lett. B591 (2004) 285, hep-ph/0312138):

      NO (m₁ = 0): R = [[0, 0], [cos z, −sin z], [ξ sin z, ξ cos z]],
      IO (m₃ = 0): R = [[cos z, −sin z], [ξ sin z, ξ cos z], [0, 0]],

  with one complex angle z and ξ = ±1 (:func:`orthogonal_3x2`); then
  D^{1/2} R Rᵀ D^{1/2} = D exactly.

Units: D and Λ in the same mass unit (GeV in jaxg2); y is dimensionless.
Everything is pure JAX and broadcasts over leading axes.
"""

from __future__ import annotations

import jax.numpy as jnp

__all__ = ["rotation", "orthogonal_3x3", "orthogonal_3x2", "casas_ibarra", "mass_matrix"]


def _c(x):
    return jnp.asarray(x, dtype=jnp.complex128)


def rotation(z, i: int, j: int, n: int = 3):
    """Complex rotation by angle z in the (i, j) plane: R_ii = R_jj = cos z,
    R_ij = sin z, R_ji = −sin z (complex orthogonal for complex z)."""
    z = _c(z)
    c, s = jnp.cos(z), jnp.sin(z)
    eye = jnp.broadcast_to(jnp.eye(n, dtype=jnp.complex128), z.shape + (n, n))
    R = eye.at[..., i, i].set(c).at[..., j, j].set(c)
    return R.at[..., i, j].set(s).at[..., j, i].set(-s)


def orthogonal_3x3(z12, z13, z23, reflection: bool = False):
    """Complex orthogonal R = R₁₂(z₁₂) R₁₃(z₁₃) R₂₃(z₂₃) (times diag(1, 1, −1) if
    ``reflection``), R Rᵀ = 𝟙; angles complex (real part: rotation, imaginary
    part: boost, which enlarges |y|)."""
    R = rotation(z12, 0, 1) @ rotation(z13, 0, 2) @ rotation(z23, 1, 2)
    if reflection:
        R = R * jnp.array([1.0, 1.0, -1.0])[None, :]
    return R


def orthogonal_3x2(z, ordering: str = "normal", xi: int = 1):
    """The 3×2 R of the two-heavy-state case (lightest neutrino massless)."""
    z = _c(z)
    c, s, zero = jnp.cos(z), jnp.sin(z), jnp.zeros_like(z)
    top = [jnp.stack([c, -s], -1), jnp.stack([xi * s, xi * c], -1)]
    zrow = jnp.stack([zero, zero], -1)
    if ordering == "normal":
        rows = [zrow] + top
    elif ordering == "inverted":
        rows = top + [zrow]
    else:
        raise ValueError(f"ordering must be 'normal' or 'inverted', got {ordering!r}")
    return jnp.stack(rows, axis=-2)


def casas_ibarra(U, m_light, lam, R):
    """Yukawa matrix y = U D^{1/2} R Λ^{−1/2} (shape (..., 3, n)).

    Parameters: U (..., 3, 3) PMNS; m_light (..., 3) light masses (≥ 0);
    lam (..., n) the loop/seesaw factors Λ_k (nonzero, any sign); R (..., 3, n).
    """
    sqrt_m = jnp.sqrt(_c(m_light))
    inv_sqrt_lam = 1.0 / jnp.sqrt(_c(lam))
    return (_c(U) * sqrt_m[..., None, :]) @ (_c(R) * inv_sqrt_lam[..., None, :])


def mass_matrix(y, lam):
    """M_ν = y diag(Λ) yᵀ (the inverse map, for checks and for non-CI inputs)."""
    return jnp.einsum("...ak,...k,...bk->...ab", _c(y), _c(lam), _c(y))
