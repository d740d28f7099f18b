r"""W-boson loop with a massive neutral lepton (active–heavy mixing), for Δa_μ.

With charged-current couplings (g/√2) ℓ̄ γ^μ P_L U_ℓn n W⁻_μ to mass eigenstates n,

    a_ℓ^W = G_F m_ℓ² /(8√2 π²) Σ_n |U_ℓn|² F_W(x_n),   x_n = M_n²/m_W²,
    F_W(x) = [10 − 43x + 78x² − 49x³ + 4x⁴ + 18x³ ln x] / [3(1 − x)⁴],

F_W(0) = 10/3 (the SM value).  By unitarity (Σ_n |U_ℓn|² = 1 over all nine states)
the new-physics shift is

    Δa_ℓ^W = G_F m_ℓ²/(8√2 π²) Σ_n |U_ℓn|² [F_W(x_n) − 10/3].

This is the leading term in m_ℓ²/m_W²; the tests check it against the unitary-gauge
charged-vector integral of Jegerlehner & Nyffeler, Phys. Rept. 477 (2009) 1, eq. (262),
evaluated with mpmath.  Removable points: x → 1, where the closed form loses
~15 − 4 log₁₀|x−1| digits, by its Taylor series in d = x − 1 to d¹⁹ for |d| < 0.2
(17/6 − 3d/10 + d²/10 − 3d³/70 + …, coefficients from sympy; truncation < 1e-15,
closed-form error ≲ 1e-12 at the switch), and x → 0 (x³ ln x → 0), both by
double-where.
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import constants as C


_SERIES_AT_ONE = (17 / 6, -3 / 10, 1 / 10, -3 / 70, 3 / 140, -1 / 84, 1 / 140, -1 / 220,
                  1 / 330, -3 / 1430, 3 / 2002, -1 / 910, 3 / 3640, -3 / 4760, 1 / 2040,
                  -1 / 2584, 1 / 3230, -1 / 3990, 3 / 14630, -3 / 17710)  # F_W(1 + d) = Σ c_k d^k


def f_w(x):
    """F_W(x) above; finite with finite gradient for x ≥ 0, including x = 0 and x = 1."""
    x = jnp.asarray(x, dtype=jnp.float64)
    near_one = jnp.abs(x - 1.0) < 0.2
    positive = x > 0
    xs = jnp.where(near_one, 0.5, x)
    xl = jnp.where(positive, xs, 1.0)
    xlogx3 = jnp.where(positive, xl**3 * jnp.log(xl), 0.0)
    closed = (10 - 43 * xs + 78 * xs**2 - 49 * xs**3 + 4 * xs**4 + 18 * xlogx3) / (3 * (1 - xs) ** 4)
    d = x - 1.0
    series = jnp.polyval(jnp.array(_SERIES_AT_ONE[::-1]), d)
    return jnp.where(near_one, series, closed)


def delta_a_w(m_l, masses, u_row):
    """Δa_ℓ from the W loop: G_F m_ℓ²/(8√2π²) Σ_n |U_ℓn|² [F_W(M_n²/m_W²) − 10/3].

    ``masses`` [GeV] and ``u_row`` (the row U_ℓn of the full unitary mixing matrix) run
    over all neutral mass eigenstates.
    """
    x = (jnp.asarray(masses) / C.M_W) ** 2
    pref = C.G_FERMI * m_l**2 / (8.0 * jnp.sqrt(2.0) * jnp.pi**2)
    return pref * jnp.sum(jnp.abs(u_row) ** 2 * (f_w(x) - 10.0 / 3.0), axis=-1)
