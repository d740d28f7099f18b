r"""ℓi → ℓj γ at one loop: dipole coefficients and branching ratios.

Amplitude convention (Lavoura, Eur. Phys. J. C29 (2003) 191):

    M(ℓi(p) → ℓj(p′) γ(q)) = e ε*_μ ū_j [ iσ^{μν} q_ν (σ_L P_L + σ_R P_R) ] u_i,

so that

    Γ(ℓi → ℓj γ) = e² (m_i² − m_j²)³ (|σ_L|² + |σ_R|²) / (16π m_i³)

and, for i = j, Δa_ℓ = m_ℓ Re(σ_L + σ_R) (the EDM is ∝ Im).  σ_L, σ_R have
units GeV⁻¹ when masses are in GeV.

One function returns (σ_L, σ_R) for ONE internal pair (fermion F, boson B);
a model sums these over its internal states (mass eigenstates, flavours) and
then converts the sum with :func:`br_li_lj_gamma` (or the named
:func:`br_mu_e_gamma`, :func:`br_tau_mu_gamma`, :func:`br_tau_e_gamma`).

Couplings (the same convention as :mod:`jaxg2.loops.g2`, written per external
lepton a ∈ {i, j}; complex allowed)::

    scalar:  L = Σ_a ℓ̄_a (C_S^a + C_P^a γ5) F S + h.c.
    vector:  L = Σ_a ℓ̄_a γ^α (C_V^a + C_A^a γ5) F V_α + h.c.

(chiral form: C_S ± C_P γ5 = c_L P_L + c_R P_R with c_L = C_S − C_P, c_R = C_S + C_P,
see :func:`chiral_to_sp`).  For a real boson with a hermitian coupling matrix
ℓ̄_a Y_ab ℓ_b S (F = ℓ_k) pass C^i = Y_ik, C^j = Y_jk.

**Exact one-loop formulas.**  With Feynman parameters x₁ (propagator next to
ℓi), x₂ (next to ℓj), x₃ = 1 − u (the third line), u = x₁ + x₂,
x₁ = u t, x₂ = u (1 − t), ∫dF = ∫₀¹ du u ∫₀¹ dt, and
m_t² = t m_i² + (1 − t) m_j², the dipole parts of the diagrams are (derived
here; the i = j limit is exactly the Jegerlehner–Nyffeler integrals of
:mod:`jaxg2.loops.g2`, which the tests check, and the heavy-mass limit gives
Lavoura's F̃₂ and the Ma–Raidal F₂):

* photon on F (charge q_F in units of the lepton charge), scalar B:
  σ_R = q_F/(16π²) ∫dF [x₃(x₂ m_j c^j_L c^{i*}_L + x₁ m_i c^j_R c^{i*}_R) + u m_F c^j_R c^{i*}_L] / Δ_F,
  Δ_F = u m_F² + (1−u) M² − u(1−u) m_t²
* photon on S (charge q_S = 1 − q_F), scalar B:
  σ_R = −q_S/(16π²) ∫dF x₃ [x₂ m_j c^j_L c^{i*}_L + x₁ m_i c^j_R c^{i*}_R + m_F c^j_R c^{i*}_L] / Δ_S,
  Δ_S = u M² + (1−u) m_F² − u(1−u) m_t²
* photon on F, vector B (unitary gauge) = transverse + longitudinal:
  σ_R^T = q_F/(16π²) ∫dF { 4 m_F x₃ g^j_L g^{i*}_R − 2x₃[(1−x₁) m_i g^j_L g^{i*}_L + (1−x₂) m_j g^j_R g^{i*}_R] } / Δ_F,
  and the k^α k^β/M² part of the propagator equals 1/M² times the scalar
  photon-on-F diagram with the effective couplings
  ĉ^a_L = m_a g^a_L − m_F g^a_R, ĉ^a_R = m_a g^a_R − m_F g^a_L (Ward reduction
  of k̸ between an on-shell ℓ_a and F; the pinched terms carry no dipole).

σ_L is σ_R with L ↔ R everywhere.  With x₁ = ut, x₂ = u(1−t), x₃ = 1−u each
u-integral is a combination of the moments M_{p,q} = ∫₀¹du u^p(1−u)^q/Δ
((p,q) = (2,1), (2,0), (1,1), (1,2); e.g. ∫du u x₃x₂/Δ = (1−t) M21,
∫du u x₃(1−x₁)/Δ = M12 + (1−t) M21), evaluated in closed form
(:mod:`jaxg2.loops._closed`: logs of the roots of Δ, series where they cancel).
The t-integral uses a 12-node Gauss–Legendre rule in a variable graded
towards the m_t threshold (see ``_t_nodes``; ≤ 1e-10 relative to the 40-node
rule down to 0.01 % above threshold, and exact for m_i = m_j, where
:mod:`jaxg2.loops.g2` uses the 1-node rule).  ``method="quad"`` replaces the
closed-form moments by the fixed-node rule of :mod:`jaxg2.loops._quad` (the
pre-closed-form path, kept as a reference).  Valid below threshold,
m_i < m_F + M (the decaying lepton cannot decay into F + B on shell).

**Paper note (004, eqs. 25–29).**  With this convention the heavy-mass limit of
the photon-on-F diagram with c_R only is
σ_R = m_i c^j_R c^{i*}_R F̃₂(m_F²/M²) / (32π² M²) (and σ_L the same with m_j) —
Lavoura's F̃₂ with argument m_F²/M_B² and prefactor 1/M_B², → m_i c c*/(192π² m_F²)
for m_F ≫ M.  004 eq. (25) writes F̃₂(M_Φ²/M_E²)/M_E², which is twice this in
the heavy-fermion limit (1/3 instead of 1/6) and a different function
elsewhere; and Γ = α m_μ⁵ |A_R|²/4 for the dipole
Lagrangian −(e m_μ/2) A_R ē σ P_R μ F, i.e. BR = 48π³ α |A_R|²/G_F², not the
24π³ printed in 004 eq. (29).
"""

from __future__ import annotations

import numpy as np
import jax.numpy as jnp

from .. import constants
from . import _closed, _quad

_INV_16PI2 = 1.0 / (16.0 * np.pi**2)

_T_NODES, _T_WEIGHTS = np.polynomial.legendre.leggauss(12)
T_RULE = (0.5 * (_T_NODES + 1.0), 0.5 * _T_WEIGHTS)  # 12-node GL on [0, 1] (graded by _t_nodes)
T_RULE_DIAGONAL = (np.array([0.5]), np.array([1.0]))  # exact when m_i = m_j


def chiral_to_sp(c_l, c_r):
    """(c_L, c_R) of ℓ̄ (c_L P_L + c_R P_R) → (C_S, C_P) of ℓ̄ (C_S + C_P γ5)."""
    return 0.5 * (c_r + c_l), 0.5 * (c_r - c_l)


def _sp_to_chiral(c_s, c_p):
    return c_s - c_p, c_s + c_p


def _prep(*args):
    out = []
    for a in args:
        a = jnp.asarray(a)
        if not jnp.issubdtype(a.dtype, jnp.complexfloating):
            a = a.astype(jnp.float64)
        out.append(a[..., None])  # trailing t axis
    return out


def _t_nodes(t_rule, m_i, m_j, m_threshold):
    """t-nodes (…, n_t) and weights (…, n_t) graded towards the threshold in m_t.

    The t-integrand depends on t through m_t² = t m_i² + (1−t) m_j² and is
    singular where m_t reaches the threshold m_F + M, at t* = 1 + d,
    d = ((m_F + M)² − m_i²)/(m_i² − m_j²) > 0.  With 1 − t = d (e^{vL} − 1),
    L = ln(1 + 1/d), powers and logs of (t* − t) become entire functions of v,
    so the Gauss–Legendre rule in v ∈ [0, 1] converges fast however close the
    threshold; for d → ∞ (m_i, m_j ≪ m_F + M, or m_i = m_j) the map is the identity.
    """
    v, wv = (jnp.asarray(a, dtype=jnp.float64) for a in t_rule)
    gap = m_i * m_i - m_j * m_j
    far = gap <= 0.0  # m_i = m_j (or m_i < m_j): no t-dependence near a threshold
    d = jnp.where(far, 1.0, (m_threshold**2 - m_i * m_i)) / jnp.where(far, 1.0, gap)
    d = jnp.where(far, 1e30, jnp.clip(d, 1e-300, 1e30))
    big_l = jnp.log1p(1.0 / d)
    vl = v * big_l  # (..., n_t)
    t = 1.0 - d * jnp.expm1(vl)
    w = wv * d * big_l * jnp.exp(vl)
    return t, w


def _moments(method, m_t, m_a, m_b):
    """(M21, M20, M11, M12) of Δ = u m_a² + (1−u) m_b² − u(1−u) m_t² (see :mod:`._closed`)."""
    if method == "closed":
        return _closed.moments(m_t, m_a, m_b)
    if method == "quad":
        return _quad.moments(m_t, m_a, m_b)
    raise ValueError(f"method must be 'closed' or 'quad', not {method!r}")


def _scalar_f(t, m_i, m_j, m_f, mom, li, ri, lj, rj):
    """(σ_L, σ_R)·16π²/q_F of the photon-on-F scalar diagram at one t (module doc).

    ∫du u x₃x₂/Δ = (1−t) M21, ∫du u x₃x₁/Δ = t M21, ∫du u²/Δ = M20.
    """
    m21, m20 = mom[0], mom[1]
    s_r = ((1.0 - t) * m_j * lj * jnp.conj(li) + t * m_i * rj * jnp.conj(ri)) * m21 + m_f * rj * jnp.conj(li) * m20
    s_l = ((1.0 - t) * m_j * rj * jnp.conj(ri) + t * m_i * lj * jnp.conj(li)) * m21 + m_f * lj * jnp.conj(ri) * m20
    return s_l, s_r


def _dipole(topology, m_i, m_j, m_f, m_b, ci, cj, t_rule, method="closed"):
    """(σ_L, σ_R) × 16π²/q for one diagram; ``ci``, ``cj`` chiral (L, R) pairs.

    The u-integrals are the moments M_{p,q} = ∫du u^p(1−u)^q/Δ (closed form,
    :mod:`jaxg2.loops._closed`, or the quadrature rule, ``method="quad"``), the
    t-integral the graded rule of :func:`_t_nodes` (σ is linear in t for m_i = m_j).
    """
    m_i, m_j, m_f, m_b, li, ri, lj, rj = _prep(m_i, m_j, m_f, m_b, *ci, *cj)
    t, t_weights = _t_nodes(t_rule, m_i, m_j, m_f + m_b)
    m_t = jnp.sqrt(t * m_i * m_i + (1.0 - t) * m_j * m_j)
    if topology == "charged_scalar":  # Δ_S = u M² + (1−u) m_F² − u(1−u) m_t²
        m21, _, m11, _ = _moments(method, m_t, m_b, m_f)
        s_r = ((1.0 - t) * m_j * lj * jnp.conj(li) + t * m_i * rj * jnp.conj(ri)) * m21 + m_f * rj * jnp.conj(li) * m11
        s_l = ((1.0 - t) * m_j * rj * jnp.conj(ri) + t * m_i * lj * jnp.conj(li)) * m21 + m_f * lj * jnp.conj(ri) * m11
    else:  # Δ_F = u m_F² + (1−u) M² − u(1−u) m_t²
        mom = _moments(method, m_t, m_f, m_b)
        s_l, s_r = _scalar_f(t, m_i, m_j, m_f, mom, li, ri, lj, rj)
        if topology == "neutral_vector":  # transverse (s_l, s_r ← longitudinal/M²) — module doc
            m21, _, m11, m12 = mom
            k1 = m12 + (1.0 - t) * m21  # ∫du u x₃(1 − x₁)/Δ
            k2 = m12 + t * m21  # ∫du u x₃(1 − x₂)/Δ
            inv_m2 = 1.0 / (m_b * m_b)
            hat = (m_i * li - m_f * ri, m_i * ri - m_f * li, m_j * lj - m_f * rj, m_j * rj - m_f * lj)
            h_l, h_r = _scalar_f(t, m_i, m_j, m_f, mom, *hat)
            s_r = 4.0 * m_f * lj * jnp.conj(ri) * m11 - 2.0 * (
                k1 * m_i * lj * jnp.conj(li) + k2 * m_j * rj * jnp.conj(ri)) + h_r * inv_m2
            s_l = 4.0 * m_f * rj * jnp.conj(li) * m11 - 2.0 * (
                k2 * m_j * lj * jnp.conj(li) + k1 * m_i * rj * jnp.conj(ri)) + h_l * inv_m2
    return jnp.sum(s_l * t_weights, axis=-1), jnp.sum(s_r * t_weights, axis=-1)


def dipole_neutral_scalar(m_i, m_j, m_f, m_s, cs_i, cp_i, cs_j, cp_j, *, t_rule=T_RULE, method="closed"):
    r"""(σ_L, σ_R) of ℓi → ℓj γ from a neutral scalar S and a fermion F of lepton charge.

    L = Σ_a ℓ̄_a (C_S^a + C_P^a γ5) F S + h.c. (a = i, j); photon on F.
    Masses in GeV, result in GeV⁻¹.  Exact in all masses (module doc).
    """
    sig = _dipole("neutral_scalar", m_i, m_j, m_f, m_s, _sp_to_chiral(cs_i, cp_i),
                  _sp_to_chiral(cs_j, cp_j), t_rule, method)
    return sig[0] * _INV_16PI2, sig[1] * _INV_16PI2


def dipole_charged_scalar(m_i, m_j, m_f, m_s, cs_i, cp_i, cs_j, cp_j, *, t_rule=T_RULE, method="closed"):
    r"""(σ_L, σ_R) of ℓi → ℓj γ from a scalar S of lepton charge and a neutral fermion F.

    L = Σ_a ℓ̄_a (C_S^a + C_P^a γ5) F S + h.c.; photon on S.  m_f = 0 allowed.
    Heavy-S limit with c_R only: σ_R = −m_i c^j_R c^{i*}_R F₂(m_F²/M²)/(32π² M²),
    F₂ the Ma–Raidal function.
    """
    sig = _dipole("charged_scalar", m_i, m_j, m_f, m_s, _sp_to_chiral(cs_i, cp_i),
                  _sp_to_chiral(cs_j, cp_j), t_rule, method)
    return -sig[0] * _INV_16PI2, -sig[1] * _INV_16PI2


def dipole_scalar(m_i, m_j, m_f, m_s, cs_i, cp_i, cs_j, cp_j, q_f, *, t_rule=T_RULE, method="closed"):
    r"""(σ_L, σ_R) for a scalar loop with both lines charged: Q_F = q_f, Q_S = 1 − q_f.

    Charges in units of the external lepton charge (q_f = 1: neutral scalar;
    q_f = 0: neutral fermion; e.g. q_f = −1, q_S = 2 for a doubly charged scalar
    with a charge-conjugate lepton inside).  Sum of the two diagrams.
    """
    f = dipole_neutral_scalar(m_i, m_j, m_f, m_s, cs_i, cp_i, cs_j, cp_j, t_rule=t_rule, method=method)
    s = dipole_charged_scalar(m_i, m_j, m_f, m_s, cs_i, cp_i, cs_j, cp_j, t_rule=t_rule, method=method)
    q_s = 1.0 - q_f
    return q_f * f[0] + q_s * s[0], q_f * f[1] + q_s * s[1]


def dipole_neutral_vector(m_i, m_j, m_f, m_v, cv_i, ca_i, cv_j, ca_j, *, t_rule=T_RULE, method="closed"):
    r"""(σ_L, σ_R) of ℓi → ℓj γ from a neutral vector V and a fermion F of lepton charge.

    L = Σ_a ℓ̄_a γ^α (C_V^a + C_A^a γ5) F V_α + h.c., unitary gauge; photon on F.
    Includes the longitudinal k^αk^β/M² part (∝ (m_a ∓ m_F)²/M²; it vanishes for
    a conserved current, F = ℓ with a vector coupling).
    """
    sig = _dipole("neutral_vector", m_i, m_j, m_f, m_v, _sp_to_chiral(cv_i, ca_i),
                  _sp_to_chiral(cv_j, ca_j), t_rule, method)
    return sig[0] * _INV_16PI2, sig[1] * _INV_16PI2


def g2_from_dipole(m_l, sigma_l, sigma_r):
    """Δa_ℓ = m_ℓ Re(σ_L + σ_R) for a flavour-diagonal dipole (i = j)."""
    return m_l * jnp.real(sigma_l + sigma_r)


def width_li_lj_gamma(m_i, m_j, sigma_l, sigma_r):
    r"""Γ(ℓi → ℓj γ) = e² (m_i² − m_j²)³ (|σ_L|² + |σ_R|²)/(16π m_i³), GeV.

    e² = 4π α(0) (on-shell photon).
    """
    e2 = constants.E_EM**2
    s2 = jnp.abs(sigma_l) ** 2 + jnp.abs(sigma_r) ** 2
    return e2 * (m_i * m_i - m_j * m_j) ** 3 * s2 / (16.0 * np.pi * m_i**3)


def br_li_lj_gamma(m_i, m_j, sigma_l, sigma_r, gamma_i):
    """BR(ℓi → ℓj γ) = Γ(ℓi → ℓj γ)/Γ_i for a total width ``gamma_i`` in GeV."""
    return width_li_lj_gamma(m_i, m_j, sigma_l, sigma_r) / gamma_i


def muon_width():
    r"""Γ_μ = G_F² m_μ⁵/(192π³) (tree level, the normalisation of G_F; GeV)."""
    return constants.G_FERMI**2 * constants.M_MU**5 / (192.0 * np.pi**3)


def tau_width():
    r"""Γ_τ = ħ/τ_τ from the registry entry ``tau_lifetime`` (GeV)."""
    from .. import experiments

    return constants.HBAR_GEV_S / experiments.get("tau_lifetime").value


def br_mu_e_gamma(sigma_l, sigma_r):
    """BR(μ → e γ) from the summed (σ_L, σ_R) [GeV⁻¹]; m_e kept in the phase space."""
    return br_li_lj_gamma(constants.M_MU, constants.M_E, sigma_l, sigma_r, muon_width())


def br_tau_mu_gamma(sigma_l, sigma_r):
    """BR(τ → μ γ) from the summed (σ_L, σ_R) [GeV⁻¹]; Γ_τ from the τ lifetime."""
    return br_li_lj_gamma(constants.M_TAU, constants.M_MU, sigma_l, sigma_r, tau_width())


def br_tau_e_gamma(sigma_l, sigma_r):
    """BR(τ → e γ) from the summed (σ_L, σ_R) [GeV⁻¹]; Γ_τ from the τ lifetime."""
    return br_li_lj_gamma(constants.M_TAU, constants.M_E, sigma_l, sigma_r, tau_width())


__all__ = [
    "dipole_neutral_scalar", "dipole_charged_scalar", "dipole_scalar", "dipole_neutral_vector",
    "chiral_to_sp", "g2_from_dipole", "width_li_lj_gamma", "br_li_lj_gamma",
    "muon_width", "tau_width", "br_mu_e_gamma", "br_tau_mu_gamma", "br_tau_e_gamma",
    "T_RULE", "T_RULE_DIAGONAL",
]
