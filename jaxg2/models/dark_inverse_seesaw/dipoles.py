r"""Charged-lepton dipoles of the dark inverse seesaw: ℓ_i → ℓ_j γ and Δa_ℓ from ONE matrix.

Convention (:mod:`jaxg2.loops.lfv`, Lavoura): M(ℓ_i → ℓ_j γ) = e ε*_μ ū_j iσ^{μν} q_ν
(σ_L P_L + σ_R P_R)^{ji} u_i; σ complex 3×3, [j, i], flavour order (e, μ, τ), GeV⁻¹;
Δa_ℓ = m_ℓ Re(σ_L + σ_R)^{ℓℓ}.  The flavour-diagonal part of every loop below IS the
model's Δa_ℓ (the model reads its g-2 off the diagonal of these matrices).

Mass-eigenstate couplings (9 Majorana states n_n, the Takagi factorisation 𝓜 = U diag(m) Uᵀ
of :mod:`.neutral_leptons`; the overall phase convention — U or U* everywhere — cancels in
every |σ|, what matters is that both loops use the same one):

* charged dark scalar: −y_ν L̄ φ̃ N ⊃ y_ν ℓ̄_L N_R φ⁻, and the physical H_D⁻ holds φ⁻ with
  amplitude O_φ (the charged rotation), so

      L ⊃ ℓ̄_a c_{an} P_R n_n H_D⁻ + h.c.,   c_{an} = O_φ (y_ν U*_{N,·})_{an}

  (U_{N,·} the N rows 3…5 of U); the H⁻ admixture couples through m_ℓ/v and is dropped.
  Photon on the scalar: :func:`jaxg2.loops.dipole_charged_scalar` (exact in all masses),
  summed over the nine states.  For M_N ≪ M_{H_D^±} the sum over n is unitary and
  σ_R^{ji} → −m_i O_φ² (y_ν y_ν†)_{ji}/(192π² M²_{H_D^±}).
* W with active–heavy mixing: L ⊃ (g/√2) ℓ̄_a γ^μ P_L U_{an} n_n W⁻_μ + h.c.  In the
  leading order in m_ℓ²/m_W² (as for Δa_μ in :mod:`.wloop`)

      σ_R^{ji} = K m_i S_{ji},  σ_L^{ji} = K m_j S_{ji},  K = G_F/(16√2 π²),
      S_{ji} = Σ_n U_{jn} U*_{in} [F_W(x_n) − 10/3],  x_n = M_n²/m_W²,

  (the −10/3 is the SM part: Σ_n U_{jn}U*_{in} = δ_{ji} over all nine states).  With
  F_W − 10/3 = −4 G_γ this is the standard non-unitary-mixing result
  BR(μ → eγ) = 3α/(2π) |Σ_n U_{en} U*_{μn} G_γ(x_n)|² (Ilakovac & Pilaftsis, Nucl. Phys.
  B437 (1995) 491; Alonso et al., arXiv:1209.2679), equivalently 3α/(32π)|Σ U U* F_W|²
  (Cheng & Li).  The library has no charged-vector topology, hence this closed form.
* Z_D (kinetic mixing ε and the ε′ Z-current part) and the CP-even scalars (Higgs
  admixture, SM Higgs subtracted) couple flavour-diagonally: they add to the diagonal only
  (:func:`jaxg2.loops.g2_neutral_vector`, :func:`jaxg2.loops.g2_neutral_scalar`, which are
  the i = j case of the same library dipoles), as σ_L = σ_R = Δa_ℓ/(2m_ℓ).

Both flavour-changing loops couple to ℓ_L only, so they interfere (same chirality, σ_R ∝ m_i).
The dipole operator is hermitian: σ_L^{ij} = (σ_R^{ji})*, σ_R^{ij} = (σ_L^{ji})* (tested).
"""

from __future__ import annotations

import jax.numpy as jnp

from ... import constants as C
from ...loops import dipole_charged_scalar, g2_neutral_scalar, g2_neutral_vector
from ...loops.lfv import T_RULE, T_RULE_DIAGONAL
from .wloop import f_w

LEPTON_MASSES = jnp.array(C.LEPTON_MASSES)  # (e, μ, τ), GeV
PAIRS = {"mu_e": (0, 1), "tau_mu": (1, 2), "tau_e": (0, 2)}  # name → (j, i) for ℓ_i → ℓ_j γ
_PAIR_J, _PAIR_I = (jnp.array(a) for a in zip(*PAIRS.values()))


def charged_scalar_couplings(y_nu, U, phi_fraction):
    """c_{an} = O_φ (y_ν U*_{N,·})_{an}: ℓ̄_a c P_R n_n H_D⁻ (3 flavours × 9 states)."""
    return phi_fraction * (y_nu @ jnp.conj(U[3:6, :]))


M_S_FLOOR = 1.05 * C.M_TAU  # GeV: below it τ → n H_D^± opens (light ν: m_n ≈ 0)


def _charged_scalar_entries(jj, ii, masses, c, m_s, t_rule):
    """(σ_L, σ_R) at the entries [jj[k], ii[k]], summed over the states n: one library call."""
    m, m_s, half = LEPTON_MASSES, jnp.maximum(m_s, M_S_FLOOR), 0.5 * c
    s_l, s_r = dipole_charged_scalar(m[ii, None], m[jj, None], masses[None, :], m_s,
                                     half[ii], half[ii], half[jj], half[jj], t_rule=t_rule)
    return jnp.sum(s_l, axis=-1), jnp.sum(s_r, axis=-1)


def charged_scalar_diagonal(masses, c, m_s):
    """(σ_L, σ_R) (3,) on the diagonal ℓ = e, μ, τ of :func:`charged_scalar_dipoles`: the
    H_D^± loop's Δa_ℓ, by the one-node t-rule, exact at m_i = m_j
    (:data:`jaxg2.loops.lfv.T_RULE_DIAGONAL`) — 3 × n moments."""
    k = jnp.arange(3)
    return _charged_scalar_entries(k, k, masses, c, m_s, T_RULE_DIAGONAL)


def charged_scalar_pairs(masses, c, m_s):
    """(σ_L, σ_R) (3,) at the decay entries [j, i] of :data:`PAIRS` (in its order), by the
    graded 12-node t-rule — 3 × n × 12 moments."""
    return _charged_scalar_entries(_PAIR_J, _PAIR_I, masses, c, m_s, T_RULE)


def charged_scalar_dipoles(masses, c, m_s):
    """(σ_L, σ_R), 3×3 [j, i], from H_D^± and the neutral states ``masses`` [GeV].

    ``c`` (3, n): the right-handed couplings c_{an} above ((C_S, C_P) = (c/2, c/2): c_L = 0,
    c_R = c), summed over n.  The diagonal is :func:`charged_scalar_diagonal`, the decay
    entries j < i :func:`charged_scalar_pairs`, the entries j > i follow by hermiticity,
    σ_L^{ij} = (σ_R^{ji})*.  The model reads its Δa_ℓ from the diagonal function and its
    ℓ_i → ℓ_j γ from the pairs, so that a likelihood reading only Δa_μ carries 3 × 9
    moments, not the 9 × 9 × 12 of one full-matrix call (a scatter into a matrix would
    keep every entry alive in the pruned graph).  The library dipole holds below threshold
    (m_i < m_n + M); for M_{H_D^±} < :data:`M_S_FLOOR` (or a tachyonic H_D^±, signed
    mass < 0) ℓ_i → n H_D^± is open and the loop is evaluated at M = M_S_FLOOR instead —
    finite values and gradients, flagged by the model's ``validity``.
    """
    return lepton_matrix(charged_scalar_diagonal(masses, c, m_s), charged_scalar_pairs(masses, c, m_s))


def lepton_matrix(diagonal, pairs):
    """(σ_L, σ_R) 3×3 [j, i] from their diagonals (3,) and their :data:`PAIRS` entries (3,)
    (j < i), the rest by hermiticity."""
    (d_l, d_r), (p_l, p_r), (jj, ii) = diagonal, pairs, (_PAIR_J, _PAIR_I)
    k = jnp.arange(3)
    s_l = jnp.zeros((3, 3), jnp.complex128).at[k, k].set(d_l).at[jj, ii].set(p_l).at[ii, jj].set(jnp.conj(p_r))
    s_r = jnp.zeros((3, 3), jnp.complex128).at[k, k].set(d_r).at[jj, ii].set(p_r).at[ii, jj].set(jnp.conj(p_l))
    return s_l, s_r


def w_dipoles(masses, U):
    """(σ_L, σ_R), 3×3 [j, i], of the W loop with the nine neutral states (module doc)."""
    f = f_w((jnp.asarray(masses) / C.M_W) ** 2) - 10.0 / 3.0
    s = jnp.einsum("jn,in,n->ji", U[:3, :], jnp.conj(U[:3, :]), f)
    k = C.G_FERMI / (16.0 * jnp.sqrt(2.0) * jnp.pi**2)
    m = LEPTON_MASSES
    return k * m[:, None] * s, k * m[None, :] * s


def diagonal_g2(m_zd, c_v, c_a, scalar_masses, higgs_fraction, m_h_sm):
    """Δa_ℓ (e, μ, τ) of the flavour-diagonal loops: (Z_D, CP-even scalars − SM Higgs)."""
    m = LEPTON_MASSES
    zd = g2_neutral_vector(m, m, m_zd, c_v, c_a)
    y = (m / C.HIGGS_VEV)[:, None]
    scal = jnp.sum(g2_neutral_scalar(m[:, None], m[:, None], jnp.abs(scalar_masses)[None, :],
                                     y * higgs_fraction[None, :], 0.0), axis=-1)
    return zd, scal - g2_neutral_scalar(m, m, m_h_sm, y[:, 0], 0.0)


def g2_diagonal(sigma_l, sigma_r):
    """Δa_ℓ = m_ℓ Re(σ_L + σ_R)^{ℓℓ} for ℓ = e, μ, τ."""
    return LEPTON_MASSES * jnp.real(jnp.diagonal(sigma_l) + jnp.diagonal(sigma_r))


def full_matrix(upper_l, upper_r, delta_a):
    """Rebuild (σ_L, σ_R) 3×3 from the decay entries [j, i] (j < i, dict by :data:`PAIRS`
    name) by hermiticity, with the (CP-conserving) diagonal σ_L = σ_R = Δa_ℓ/(2m_ℓ)."""
    diag = jnp.asarray(delta_a) / (2.0 * LEPTON_MASSES)
    sl = jnp.zeros(diag.shape[:-1] + (3, 3), dtype=jnp.complex128)
    sl = sl.at[..., jnp.arange(3), jnp.arange(3)].set(diag)
    sr = sl
    for name, (j, i) in PAIRS.items():
        sl = sl.at[..., j, i].set(upper_l[name]).at[..., i, j].set(jnp.conj(upper_r[name]))
        sr = sr.at[..., j, i].set(upper_r[name]).at[..., i, j].set(jnp.conj(upper_l[name]))
    return sl, sr
