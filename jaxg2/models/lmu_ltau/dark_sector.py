r"""Pseudo-Dirac dark matter: mass matrix (eq. 16) and relic Yukawa (eqs. 20–21).

Mass matrix in the (N, N̄) Weyl basis, eq. (16):

    M = [[y_N v_Φ/√2, m_N], [m_N, y_N̄ v_Φ/√2]],   v_Φ = m_Z′/g′.

For y_N = y_N̄ = y the eigenvalues are y v_Φ/√2 ± m_N, so the physical (positive)
masses are M₁ = m_N − y v_Φ/√2, M₂ = m_N + y v_Φ/√2 exactly, and
ΔM = M₂ − M₁ = √2 y v_Φ.  The model parameter is M₁ (``m_dm``), hence
m_N = M₁ + y v_Φ/√2.

Relic density, eqs. (20)–(21) as printed (g′ terms dropped by the paper):

    ⟨σv⟩₁₁ = ⟨σv⟩₂₂ = 9y⁴/(64π m_N²) x⁻¹,   ⟨σv⟩₁₂ = y⁴/(64π m_N²) − 9y⁴/(256π m_N²) x⁻¹,
    ⟨σv⟩_eff = ⟨σv⟩₁₁ r₁² + ⟨σv⟩₂₂ r₂² + 2⟨σv⟩₁₂ r₁r₂,
    r₁ = 1/(1 + e^{−Δx}),  r₂ = e^{−Δx}/(1 + e^{−Δx}),  Δ = ΔM/m_N,

set equal to the canonical value (registry ``relic_canonical_sigma_v``) at x_f = 20.
(The paper's Δ = ΔM/m_N rather than ΔM/M₁ in the Boltzmann factor, and its omission
of the (M₂/M₁)^{3/2} density-of-states factor, are kept: both are O(Δ) effects on
r₂, which is itself e^{−Δx} small for ΔM ~ GeV.)  The annihilation cross sections
of eq. (20) are taken from the paper, not re-derived here; their N₁N₁ term is the
textbook p-wave σv = 3λ⁴v²/(128πm²) for a φN₁N₁ vertex λ = y, whereas eq. (19) gives
λ = y/√2 — see :mod:`.self_interaction` for what this normalisation question does
(and does not) change.  ΔM = √2 y v_Φ is kept as printed (eq. 16 normalisation).

At the Fig. 1 star (g′, m_Z′) = (5e-4, 10 MeV), the relic y reaches 0.1 at M₁ ≈ 7.9 GeV
(tested; an earlier note said ~9 GeV).

:func:`relic_yukawa` solves ln⟨σv⟩_eff(y) = ln⟨σv⟩_can for ln y with
:func:`jaxg2.numerics.newton_root` (optimistix Newton; dy/dθ is the implicit-function
derivative −(∂f/∂θ)/(∂f/∂y) at the root; jit/vmap/grad-safe).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from ... import constants as C
from ... import experiments
from ...numerics import newton_root

_RELIC = experiments.get("relic_canonical_sigma_v").values
CM3_S_TO_GEV_M2 = 1.0 / (C.GEV_INV2_TO_CM2 * C.C_KM_S * 1.0e5)  # (cm³/s) → GeV⁻²
SIGMA_V_CANONICAL = float(_RELIC["sigma_v_cm3_s"]) * CM3_S_TO_GEV_M2  # GeV⁻²
X_F = float(_RELIC["x_f"])


def mass_matrix(m_n, y_n, y_nbar, v_phi):
    """The 2×2 symmetric mass matrix of eq. (16) [GeV], trailing shape (2, 2)."""
    m_n, y_n, y_nbar, v_phi = (jnp.asarray(a, dtype=jnp.float64) for a in (m_n, y_n, y_nbar, v_phi))
    a, d = y_n * v_phi / math.sqrt(2.0), y_nbar * v_phi / math.sqrt(2.0)
    row1 = jnp.stack(jnp.broadcast_arrays(a, m_n), axis=-1)
    row2 = jnp.stack(jnp.broadcast_arrays(m_n, d), axis=-1)
    return jnp.stack([row1, row2], axis=-2)


def physical_masses(matrix):
    """Sorted |eigenvalues| of a real symmetric mass matrix (Takagi values) [GeV]."""
    return jnp.sort(jnp.abs(jnp.linalg.eigvalsh(matrix)), axis=-1)


def spectrum(m_dm, y, g_prime, m_zprime):
    """Dark-sector spectrum for y_N = y_N̄ = y: dict v_phi, m_n, m_dm2 (M₂), delta_m [GeV]."""
    v_phi = m_zprime / g_prime
    half_split = y * v_phi / math.sqrt(2.0)
    return {"v_phi": v_phi, "m_n": m_dm + half_split, "m_dm2": m_dm + 2.0 * half_split,
            "delta_m": 2.0 * half_split}


def sigma_v_eff(y, m_dm, g_prime, m_zprime, x=X_F):
    """⟨σ_ann v_rel⟩_eff of eqs. (20)–(21) at x = M₁/T [GeV⁻²]."""
    sp = spectrum(m_dm, y, g_prime, m_zprime)
    m_n = sp["m_n"]
    pref = y**4 / (64.0 * jnp.pi * m_n**2)
    sv11 = 9.0 * pref / x
    sv12 = pref - 9.0 * pref / (4.0 * x)
    dx = sp["delta_m"] / m_n * x
    r1 = 1.0 / (1.0 + jnp.exp(-dx))
    r2 = jnp.exp(-dx) * r1
    return sv11 * (r1**2 + r2**2) + 2.0 * sv12 * r1 * r2


def _log_residual(log_y, m_dm, g_prime, m_zprime, sigma_v, x):
    return jnp.log(sigma_v_eff(jnp.exp(log_y), m_dm, g_prime, m_zprime, x)) - jnp.log(sigma_v)


def relic_yukawa(m_dm, g_prime, m_zprime, *, sigma_v=SIGMA_V_CANONICAL, x_f=X_F, iterations=40):
    """The Yukawa y > 0 with ⟨σv⟩_eff(x_f) = ``sigma_v`` [GeV⁻²] (dimensionless).

    Differentiable root-find (see module docstring; ``iterations`` caps the Newton
    steps); broadcasts over its inputs."""
    m_dm, g_prime, m_zprime = jnp.broadcast_arrays(*(jnp.asarray(a, dtype=jnp.float64)
                                                     for a in (m_dm, g_prime, m_zprime)))
    f = lambda u, a: _log_residual(u, *a, sigma_v, x_f)  # noqa: E731

    def one(m, g, mz):
        # start: no co-annihilation, m_N = M₁  →  9y⁴/(64π M₁² x) = σv
        u0 = jax.lax.stop_gradient(0.25 * jnp.log(sigma_v * 64.0 * jnp.pi * m**2 * x_f / 9.0))
        return newton_root(f, u0, (m, g, mz), max_steps=iterations, lower=u0 - 20.0, upper=u0 + 20.0)

    return jnp.exp(jnp.vectorize(one)(m_dm, g_prime, m_zprime))


__all__ = ["mass_matrix", "physical_masses", "spectrum", "sigma_v_eff", "relic_yukawa",
           "SIGMA_V_CANONICAL", "X_F", "CM3_S_TO_GEV_M2"]
