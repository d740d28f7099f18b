r"""Gauge sector of the dynamical inverse seesaw (paper 001, sec. 2.3): Z_D exactly.

The neutral gauge fields (W³, B, X) get masses from the four vevs.  A scalar with
vev u/√2 and charges (T³, Y, Q_D) contributes u² c cᵀ to the mass² matrix
(coefficient of ½ V M² V), with c = (g T³, g′ Y, g_D Q_D):

    H: (−g/2, g′/2, 0) v,  φ: (−g/2, g′/2, g_D) v_φ,  S₁: (0, 0, g_D) ω₁,  S₂: (0, 0, 2 g_D) ω₂.

Diagonalising gives the photon (massless), Z and Z_D.  The paper's approximations are
m²_{Z_D} ≃ g_D² (ω₁² + v_φ² + 4ω₂²) (eq. 2.18) and the mass mixing
ε′ ≃ (2 g_D/(g/c_W)) v_φ²/v² (eq. 2.19), which the tests recover; here ε′ is read off
the exact rotation as the Z-component of the Z_D eigenvector.

Kinetic mixing: the Lagrangian of eq. 2.17 couples Z_D to e ε J_em (ε a tree-level
input, as in the paper) and to (g/c_W) ε′ J_Z.  The loop-induced value, eq. 2.21,
ε_loop ~ e g_D m²_{Z_D}/(480 π² m²_{H_D±}), is returned for comparison (the paper
requires ε_tree ≫ ε_loop).

Couplings of Z_D to a charged lepton ℓ (Q = −1, T³ = −½), in the convention
ℓ̄ γ^μ (c_V + c_A γ5) ℓ Z_D,μ of :mod:`jaxg2.loops`:

    c_V = −e ε + (g/c_W) ε′ (T³/2 − Q s_W²) = −e ε + (g/c_W) ε′ (−¼ + s_W²),
    c_A = −(g/c_W) ε′ T³/2 = (g/c_W) ε′ / 4,

with J_Z = Σ f̄ γ^μ (T³ P_L − Q s_W²) f.  The weak couplings are in the G_F scheme,
g = 2 m_W/v, c_W = m_W/m_Z (on-shell), g′ = g s_W/c_W, so the Z mass of the exact
matrix equals m_Z; the Z_D coupling to J_em uses e = √(4πα(0)) (q² ≈ 0).

Sign of ε′: returned as the physical coefficient of (g/c_W) Z_D J_Z for the
orientation of Z_D with a positive X component (positive for g_D > 0 with these
charges); eq. 2.19's sign depends on the convention for X, so tests compare |ε′|.
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import constants as C


def weak_couplings():
    """(e, g, g′, c_W, s_W²): e = √(4πα(0)); g = 2 m_W/v, c_W = m_W/m_Z, g′ = g s_W/c_W."""
    s2 = C.SIN2_THETA_W_ON_SHELL
    cw = C.M_W / C.M_Z
    g = 2.0 * C.M_W / C.HIGGS_VEV
    gp = g * jnp.sqrt(s2) / cw
    return C.E_EM, g, gp, cw, s2


def neutral_mass_matrix(v, v_phi, omega1, omega2, g_d):
    """Mass² matrix of (W³, B, X) [GeV²]."""
    _, g, gp, _, _ = weak_couplings()
    zero = jnp.zeros_like(jnp.asarray(g_d, dtype=jnp.float64))
    charges = [
        (v, jnp.stack([-g / 2 + zero, gp / 2 + zero, zero])),
        (v_phi, jnp.stack([-g / 2 + zero, gp / 2 + zero, g_d + zero])),
        (omega1, jnp.stack([zero, zero, g_d + zero])),
        (omega2, jnp.stack([zero, zero, 2.0 * g_d + zero])),
    ]
    return sum(u**2 * jnp.outer(c, c) for u, c in charges)


def zd_mass_and_mixing(v, v_phi, omega1, omega2, g_d):
    """Exact Z_D mass [GeV], Z mass [GeV] and mass mixing ε′ (dimensionless).

    ε′ is the component of the Z_D eigenvector along the SM Z direction
    Z = c_W W³ − s_W B, i.e. the coefficient of (g/c_W) Z_D J_Z.
    """
    M2 = neutral_mass_matrix(v, v_phi, omega1, omega2, g_d)
    vals, vecs = jnp.linalg.eigh(M2)  # ascending: photon, Z_D, Z (for m_ZD < m_Z)
    _, _, _, cw, s2 = weak_couplings()
    z_dir = jnp.array([cw, -jnp.sqrt(s2), 0.0])
    zd = vecs[:, 1] * jnp.sign(vecs[2, 1])  # X component positive
    eps_prime = jnp.dot(z_dir, zd)
    return jnp.sqrt(jnp.abs(vals[1])), jnp.sqrt(jnp.abs(vals[2])), eps_prime


def eps_prime_approx(v, v_phi, g_d):
    """Paper eq. 2.19: ε′ ≃ 2 g_D v_φ² / ((g/c_W) v²)."""
    _, g, _, cw, _ = weak_couplings()
    return 2.0 * g_d * v_phi**2 / ((g / cw) * v**2)


def eps_loop(g_d, m_zd, m_hd_charged):
    """Paper eq. 2.21 (order of magnitude): ε_loop ~ e g_D m²_{Z_D}/(480 π² m²_{H_D±})."""
    return C.E_EM * g_d * m_zd**2 / (480.0 * jnp.pi**2 * m_hd_charged**2)


def lepton_couplings(eps, eps_prime):
    """(c_V, c_A) of Z_D to a charged lepton (see module docstring)."""
    e, g, _, cw, s2 = weak_couplings()
    gz = g / cw
    return -e * eps + gz * eps_prime * (-0.25 + s2), gz * eps_prime * 0.25


def vector_couplings(eps, eps_prime):
    """Vector couplings c_V^f of Z_D to the charged fermions f = e, μ, τ, u, d, s:
    c_V^f = e ε Q_f + (g/c_W) ε′ (T3_f/2 − Q_f s_W²) (kinetic mixing plus the vector part of
    the Z current through the mass mixing ε′); for the leptons this is
    :func:`lepton_couplings`' c_V.  The axial parts ((g/c_W) ε′ T3_f/2) are O(ε′) ≲ 1e-13 and
    are not part of the generic light-vector section."""
    from ...constraints import FERMION_CHARGES

    e, g, _, cw, s2 = weak_couplings()
    gz = g / cw
    return {f: e * eps * q + gz * eps_prime * (t3 / 2.0 - q * s2) for f, (q, t3) in FERMION_CHARGES.items()}


def width_to_fermions(m_v, m_f, c_v, c_a, n_colour=1.0):
    """Γ(V → f f̄) [GeV] for couplings f̄ γ^μ (c_V + c_A γ5) f V_μ.

    Γ = N_c m_V/(12π) √(1−4r) [c_V² (1+2r) + c_A² (1−4r)],  r = m_f²/m_V²; zero below
    threshold (double-where keeps gradients finite there).
    """
    r = (m_f / m_v) ** 2
    open_ = r < 0.25
    r_safe = jnp.where(open_, r, 0.0)
    beta = jnp.sqrt(1.0 - 4.0 * r_safe)
    gamma = n_colour * m_v / (12.0 * jnp.pi) * beta * (c_v**2 * (1 + 2 * r_safe) + c_a**2 * (1 - 4 * r_safe))
    return jnp.where(open_, gamma, 0.0)


def width_to_light_neutrinos(m_v, coupling_matrix):
    """Γ(V → Σ ν_i ν_j) [GeV] for massless neutrinos with left-handed couplings
    ν̄_i γ^μ G_ij P_L ν_j V_μ:  Γ = m_V/(24π) Σ_ij |G_ij|² (one Weyl pair per (i, j))."""
    return m_v / (24.0 * jnp.pi) * jnp.sum(jnp.abs(coupling_matrix) ** 2)
