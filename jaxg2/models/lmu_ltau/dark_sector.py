r"""Pseudo-Dirac dark matter: mass matrix (eq. 16), spectrum, and the relic Yukawa.

Mass matrix in the (N, N̄) Weyl basis, eq. (16), with y_L the Yukawa of eq. (1):

    M = [[y_L v_Φ/√2, m_N], [m_N, y_L v_Φ/√2]],   v_Φ = m_Z′/g′.

Its eigenvalues are y_L v_Φ/√2 ± m_N, so the physical (positive) masses are
M₁ = m_N − y_L v_Φ/√2, M₂ = m_N + y_L v_Φ/√2 exactly and ΔM = √2 y_L v_Φ.  The φN̄₁N₁
vertex is λ = y_L/√2 (eq. 19; M₁(φ) = M₁ − λφ), and the model parameter ``y`` is that
vertex (the y of eqs. 20 and 22; see :mod:`.relic` for the derivation):

* ``convention="vertex"`` (default): y = λ = y_L/√2, ΔM = 2 y v_Φ, m_N = M₁ + y v_Φ;
* ``convention="paper"``: ΔM = √2 y v_Φ as printed in sec. III A (eq. 16 read with y_L = y
  while eqs. 20/22 use the vertex y — the paper's inconsistency; Fig. 2's ΔM lines).

The model parameter is M₁ (``m_dm``).

Relic Yukawa, :func:`relic_yukawa` (``relic=`` option):

* ``"freeze_out"`` (default): Ωh² from the Boltzmann equation (semi-analytic solution, or
  the ODE with ``method="boltzmann"``) with N₁N₁ → φφ and → Z′_L Z′_L, N₂N₂, and N₁N₂ → φZ′_L
  co-annihilation, all with M₁, M₂ (not m_N), set equal to Planck's Ω_c h² — :mod:`.relic`.
* ``"paper_eq20"``: eqs. (20)–(21) as printed (reproduces Fig. 3 and the paper's y):

      ⟨σv⟩₁₁ = ⟨σv⟩₂₂ = 9y⁴/(64π m_N²) x⁻¹,   ⟨σv⟩₁₂ = y⁴/(64π m_N²) − 9y⁴/(256π m_N²) x⁻¹,
      ⟨σv⟩_eff = ⟨σv⟩₁₁ r₁² + ⟨σv⟩₂₂ r₂² + 2⟨σv⟩₁₂ r₁r₂,
      r₁ = 1/(1 + e^{−Δx}),  r₂ = e^{−Δx}/(1 + e^{−Δx}),  Δ = ΔM/m_N,

  set equal to the canonical value (registry ``relic_canonical_sigma_v``, 3e-26 cm³/s) at
  x_f = 20, with the paper's ΔM = √2 y v_Φ and m_N (:func:`sigma_v_eff`).  Its N₁N₁ term
  is the textbook p-wave 3λ⁴v²/(128πm²) with ⟨v²⟩ = 6/x for the vertex λ = y; it omits
  N₁N₁ → Z′_L Z′_L (0.7–0.9 of φφ), matches a p-wave to an s-wave canonical ⟨σv⟩ at a
  fixed x_f, and its ⟨σv⟩₁₂ is 4× smaller than the vertex-y result (:mod:`.relic`).

How the relic Yukawa moves at the Fig. 1 star (g′, m_Z′) = (5e-4, 10 MeV): paper_eq20 gives
y = 0.1004 at M₁ = 8 GeV and 0.2090 at 40 GeV (y = 0.1 at M₁ ≈ 7.9 GeV; an earlier note
said ~9 GeV); freeze_out gives 0.0896 and 0.1920 (10% and 8% smaller; y = 0.1 at
M₁ ≈ 10.2 GeV).  Two effects nearly cancel: the Z′_L channel adds 0.71 (8 GeV) to 0.87
(40 GeV) of the φφ rate, while a p-wave freeze-out at Planck's Ω needs
⟨σv⟩_eff(x_f ≈ 21–23) ≈ 4.0–4.2e-26 cm³/s instead of the canonical s-wave 3e-26 at
x_f = 20.  (Tested in tests/test_lmu_ltau_relic.py.)

:func:`relic_yukawa` solves the paper_eq20 condition ln⟨σv⟩_eff(y) = ln⟨σv⟩_can for ln y with
:func:`jaxg2.numerics.newton_root` (optimistix Newton; dy/dθ is the implicit-function
derivative −(∂f/∂θ)/(∂f/∂y) at the root; jit/vmap/grad-safe); the freeze-out condition is
solved in :mod:`.relic`.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from ... import constants as C
from ... import experiments
from ...numerics import newton_root
from . import relic as _relic

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


SPLITTING = {"vertex": 2.0, "paper": math.sqrt(2.0)}  # ΔM / (y v_Φ)


def spectrum(m_dm, y, g_prime, m_zprime, convention="vertex"):
    """Dark-sector spectrum: dict v_phi, m_n, m_dm2 (M₂), delta_m [GeV], and the eq. (1)
    Yukawa y_lagrangian = ΔM/(√2 v_Φ) (``convention``: see module docstring)."""
    v_phi = m_zprime / g_prime
    delta_m = SPLITTING[convention] * y * v_phi
    return {"v_phi": v_phi, "m_n": m_dm + 0.5 * delta_m, "m_dm2": m_dm + delta_m,
            "delta_m": delta_m, "y_lagrangian": delta_m / (math.sqrt(2.0) * v_phi)}


def sigma_v_eff(y, m_dm, g_prime, m_zprime, x=X_F):
    """⟨σ_ann v_rel⟩_eff of eqs. (20)–(21) as printed (``relic="paper_eq20"``) at x = M₁/T [GeV⁻²]."""
    sp = spectrum(m_dm, y, g_prime, m_zprime, convention="paper")
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


RELIC_OPTIONS = ("freeze_out", "paper_eq20")


def relic_yukawa(m_dm, g_prime, m_zprime, *, relic="freeze_out", method="expansion", sigma_v=SIGMA_V_CANONICAL,
                 x_f=X_F, iterations=40):
    """The Yukawa y > 0 fixed by the relic density (dimensionless; broadcasts over its inputs).

    ``relic="freeze_out"`` (default): Ωh² = Planck (:func:`.relic.relic_yukawa`, ``method``
    "expansion" or "boltzmann"); ``relic="paper_eq20"``: ⟨σv⟩_eff(x_f) = ``sigma_v`` [GeV⁻²]
    of eqs. (20)–(21)."""
    if relic == "freeze_out":
        return _relic.relic_yukawa(m_dm, g_prime, m_zprime, method=method)
    if relic != "paper_eq20":
        raise ValueError(f"relic must be one of {RELIC_OPTIONS}, got {relic!r}")
    m_dm, g_prime, m_zprime = jnp.broadcast_arrays(*(jnp.asarray(a, dtype=jnp.float64)
                                                     for a in (m_dm, g_prime, m_zprime)))
    f = lambda u, a: _log_residual(u, *a, sigma_v, x_f)  # noqa: E731

    def one(m, g, mz):
        # start: no co-annihilation, m_N = M₁  →  9y⁴/(64π M₁² x) = σv
        u0 = jax.lax.stop_gradient(0.25 * jnp.log(sigma_v * 64.0 * jnp.pi * m**2 * x_f / 9.0))
        return newton_root(f, u0, (m, g, mz), max_steps=iterations, lower=u0 - 20.0, upper=u0 + 20.0)

    return jnp.exp(jnp.vectorize(one)(m_dm, g_prime, m_zprime))


__all__ = ["mass_matrix", "physical_masses", "spectrum", "sigma_v_eff", "relic_yukawa",
           "SIGMA_V_CANONICAL", "X_F", "CM3_S_TO_GEV_M2", "SPLITTING", "RELIC_OPTIONS"]
