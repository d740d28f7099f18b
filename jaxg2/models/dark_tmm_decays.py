r"""A′ decays into dark states and neutrino pairs in the dark-TMM model (paper 004).

Three invisible channels, each a standard two-body width (m = m_A′, x_i = m_i²/m²,
λ(a, b, c) = a² + b² + c² − 2ab − 2ac − 2bc the Källén function):

* N₁N₂ through the off-diagonal current.  With N = (N₂ + γ5 N₁)/√2 (eq. 12) the
  Dirac current is g_D Q_N N̄γ^μN = g_D Q_N N̄₁γ^μγ5N₂ (Majorana vector currents
  vanish), and

      Γ(A′ → N₁N₂) = g² m/(12π) λ^{1/2}(1, x₁, x₂) [1 − (x₁ + x₂)/2 − (x₁ − x₂)²/2 + 3√(x₁x₂)],

  g = g_D Q_N, Q_N = +1.  For M₁ = M₂ = M this is the Dirac vector width
  g² m (1 + 2x)√(1 − 4x)/(12π) of A′ → N N̄, as it must be (N₁, N₂ are the two
  Majorana halves of the Dirac N); the tests check that limit.
* H_k A_m through the scalar current −g_D Q_S A′^μ W_km H_k ∂↔_μ A_m (eq. 18,
  W = Rᵀ I):

      Γ(A′ → H_k A_m) = (g_D Q_S W_km)² m λ^{3/2}(1, x_H, x_A)/(48π)

  (the ρ → ππ form g² m β³/(48π) for equal masses).
* ν_iν_j (i < j) through the transition moments (issue 13; Majorana ν, moment
  μ_ij = |λ_ij| in GeV⁻¹): Γ = |μ_ij|² m³/(24π).

All widths in GeV, zero (with zero gradient) below threshold (double-where on λ).
"""

from __future__ import annotations

import math

import jax.numpy as jnp

Q_N = 1.0  # U(1)_D charge of N (paper 004, eq. 6)


def _kallen(a, b, c):
    return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)


def _sqrt_kallen(x1, x2):
    """λ^{1/2}(1, x₁, x₂) above threshold, 0 below (safe for gradients)."""
    lam = _kallen(1.0, x1, x2)
    above = (jnp.sqrt(x1) + jnp.sqrt(x2) < 1.0) & (lam > 0.0)
    return jnp.where(above, jnp.sqrt(jnp.where(above, lam, 1.0)), 0.0)


def width_n1n2(g_D, m_Aprime, M1, M2):
    """Γ(A′ → N₁N₂) [GeV] through the off-diagonal current (module docstring)."""
    m = jnp.asarray(m_Aprime, dtype=jnp.float64)
    x1, x2 = (jnp.asarray(M1) / m) ** 2, (jnp.asarray(M2) / m) ** 2
    shape = 1.0 - 0.5 * (x1 + x2) - 0.5 * (x1 - x2) ** 2 + 3.0 * jnp.sqrt(x1 * x2)
    return (g_D * Q_N) ** 2 * m / (12.0 * math.pi) * _sqrt_kallen(x1, x2) * shape


def width_scalar_pair(g_D, Q_S, w, m_Aprime, m_H, m_A):
    """Γ(A′ → H A) [GeV] for one pair with current coefficient ``w`` = W_km."""
    m = jnp.asarray(m_Aprime, dtype=jnp.float64)
    s = _sqrt_kallen((jnp.asarray(m_H) / m) ** 2, (jnp.asarray(m_A) / m) ** 2)
    return (g_D * Q_S * w) ** 2 * m * s**3 / (48.0 * math.pi)


def width_scalars(g_D, Q_S, theta_R, theta_I, m_Aprime, M_H1, M_H2, M_A1, M_A2):
    """Σ_km Γ(A′ → H_k A_m) [GeV] with W₁₁ = W₂₂ = cos(θ_R − θ_I), |W₁₂| = |W₂₁| = |sin(θ_R − θ_I)|."""
    c, s = jnp.cos(theta_R - theta_I), jnp.sin(theta_R - theta_I)
    pairs = ((M_H1, M_A1, c), (M_H2, M_A2, c), (M_H1, M_A2, s), (M_H2, M_A1, s))
    return sum(width_scalar_pair(g_D, Q_S, w, m_Aprime, h, a) for h, a, w in pairs)


def width_nunu(mu_gev_inv, m_Aprime):
    """Σ_{i<j} Γ(A′ → ν_iν_j) = Σ |μ_ij|² m³/(24π) [GeV], ``mu_gev_inv`` (…, n_pairs) in GeV⁻¹."""
    m = jnp.asarray(m_Aprime, dtype=jnp.float64)
    return jnp.sum(jnp.abs(mu_gev_inv) ** 2, axis=-1) * m**3 / (24.0 * math.pi)


__all__ = ["Q_N", "width_n1n2", "width_scalar_pair", "width_scalars", "width_nunu"]
