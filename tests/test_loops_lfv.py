"""ℓi → ℓj γ dipoles and branching ratios.

Checks: the diagonal limit reproduces the g2_* functions (themselves checked
against mpmath of the JN integrals); heavy-mass limits against the closed
forms of Lavoura (F̃₂) and Ma–Raidal (F₂) including the classic
BR(μ → eγ) = 3α/(64π G_F² m_η⁴)|Σ y y* F₂|²; the off-diagonal two-parameter
integrals against adaptive scipy quadrature; hermiticity; JAX transforms.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import experiments, loops
from jaxg2.constants import ALPHA_EM, G_FERMI, HBAR_GEV_S, M_E, M_MU, M_TAU
from jaxg2.loops import functions, lfv

from loop_refs import lfv_reference

DIPOLES = {
    "neutral_scalar": (lfv.dipole_neutral_scalar, loops.g2_neutral_scalar),
    "charged_scalar": (lfv.dipole_charged_scalar, loops.g2_charged_scalar),
    "neutral_vector": (lfv.dipole_neutral_vector, loops.g2_neutral_vector),
}


@pytest.mark.parametrize("kind", sorted(DIPOLES))
def test_diagonal_limit_equals_g2(kind):
    """m_i = m_j, c_i = c_j: m Re(σ_L + σ_R) from the 8-node t-rule equals g2_* (1-node rule)."""
    dipole, g2 = DIPOLES[kind]
    rng = np.random.default_rng(11)
    m_l = M_MU
    a = 10.0 ** rng.uniform(-3, 3, 8)
    b = 10.0 ** rng.uniform(-3, 3, 8)
    keep = a + b > 1.05
    a, b = a[keep], b[keep]
    c1, c2 = rng.normal(size=2)
    sl, sr = dipole(m_l, m_l, a * m_l, b * m_l, c1, c2, c1, c2)
    np.testing.assert_allclose(lfv.g2_from_dipole(m_l, sl, sr), g2(m_l, a * m_l, b * m_l, c1, c2), rtol=1e-12)
    np.testing.assert_allclose(sl, sr, rtol=1e-12)  # real couplings: σ_L = σ_R* = σ_R
    # the electric dipole part vanishes for real couplings, Δa sees only |C|² for complex ones
    cz1, cz2 = c1 * np.exp(0.4j), c2 * np.exp(-0.9j)
    zl, zr = dipole(m_l, m_l, a * m_l, b * m_l, cz1, cz2, cz1, cz2)
    np.testing.assert_allclose(zl, np.conj(zr), rtol=1e-12)
    np.testing.assert_allclose(lfv.g2_from_dipole(m_l, zl, zr), g2(m_l, a * m_l, b * m_l, cz1, cz2), rtol=1e-12)


# (m_i, m_j, m_F, M): τ→μ near and far from the m_t threshold, μ→e with a light boson
OFFDIAG = [(M_TAU, M_MU, 1.0, 2.5), (M_TAU, M_MU, M_MU, 1.8), (M_TAU, M_E, 1.0, 0.7775), (M_MU, M_E, M_TAU, 0.05)]


def _random_offdiag(seed, n):
    """Seeded τ→μ / τ→e / μ→e points with m_F, M log-uniform in [0.01, 100] GeV, below threshold."""
    rng = np.random.default_rng(seed)
    pairs = [(M_TAU, M_MU), (M_TAU, M_E), (M_MU, M_E)]
    out = []
    while len(out) < n:
        m_i, m_j = pairs[len(out) % 3]
        m_f, m_b = 10.0 ** rng.uniform(-2, 2, 2)
        if m_f + m_b > 1.05 * m_i:
            out.append((m_i, m_j, m_f, m_b))
    return out


@pytest.mark.parametrize("kind", sorted(DIPOLES))
def test_offdiagonal_vs_adaptive_quadrature(kind):
    dipole, _ = DIPOLES[kind]
    ci, cj = (0.3 + 0.1j, -0.2), (0.05, 0.4 - 0.3j)
    for masses in OFFDIAG + _random_offdiag(seed=len(kind), n=3):
        ref_l, ref_r = lfv_reference(kind, *masses, ci, cj)
        got_l, got_r = dipole(*masses, *ci, *cj)
        np.testing.assert_allclose(complex(got_l), ref_l, rtol=1e-8)
        np.testing.assert_allclose(complex(got_r), ref_r, rtol=1e-8)


@pytest.mark.parametrize("x", [1e-4, 0.3, 1.0, 4.0, 1e3])
def test_heavy_limit_neutral_scalar_is_lavoura_f2_tilde(x):
    """c_R only, m_i, m_j ≪ M: σ_R = m_i c^j c^{i*} F̃₂(m_F²/M²)/(32π² M²), σ_L the same with m_j."""
    M = 1e4
    m_f = math.sqrt(x) * M
    y_mu, y_e = 0.7 * np.exp(0.3j), 0.2 * np.exp(-1.2j)
    # c_L = 0, c_R = y  ⇔  C_S = C_P = y/2
    sl, sr = lfv.dipole_neutral_scalar(M_MU, M_E, m_f, M, y_mu / 2, y_mu / 2, y_e / 2, y_e / 2)
    f = float(functions.f2_tilde_lavoura(x)) / (32 * math.pi**2 * M**2) * y_e * np.conj(y_mu)
    np.testing.assert_allclose(complex(sr), M_MU * f, rtol=1e-8)
    np.testing.assert_allclose(complex(sl), M_E * f, rtol=1e-8)


@pytest.mark.parametrize("x", [0.0, 1e-4, 0.3, 1.0, 4.0, 1e3])
def test_heavy_limit_charged_scalar_is_ma_raidal_f2(x):
    """c_R only: σ_R = −m_i c^j c^{i*} F₂(m_N²/M²)/(32π² M²); with c_L only the roles of m_i, m_j swap."""
    M = 1e4
    m_n = math.sqrt(x) * M
    y_mu, y_e = 0.9, -0.4 + 0.1j
    f = -float(functions.f2_ma_raidal(x)) / (32 * math.pi**2 * M**2) * y_e * np.conj(y_mu)
    sl, sr = lfv.dipole_charged_scalar(M_MU, M_E, m_n, M, y_mu / 2, y_mu / 2, y_e / 2, y_e / 2)
    np.testing.assert_allclose(complex(sr), M_MU * f, rtol=1e-8)
    np.testing.assert_allclose(complex(sl), M_E * f, rtol=1e-8)
    sl, sr = lfv.dipole_charged_scalar(M_MU, M_E, m_n, M, y_mu / 2, -y_mu / 2, y_e / 2, -y_e / 2)  # c_L only
    np.testing.assert_allclose(complex(sl), M_MU * f, rtol=1e-8)
    np.testing.assert_allclose(complex(sr), M_E * f, rtol=1e-8)


def test_classic_scotogenic_br_mu_e_gamma():
    """Sum over two N_k with the Ma–Raidal/Toma–Vicente closed form.

    L = y_{αk} ℓ̄_α P_R N_k η⁺: BR(μ→eγ) = 3α/(64π G_F² m_η⁴) |Σ_k y_{ek} y*_{μk} F₂(m_k²/m_η²)|²
    in the m_e → 0, m_μ ≪ m_η limit; the exact phase space (1 − m_e²/m_μ²)³ and
    the σ_L ∝ m_e term (× (1 + m_e²/m_μ²)) are restored for the comparison.
    """
    m_eta = 800.0
    m_n = jnp.array([300.0, 1500.0])
    y_mu = jnp.array([0.5, -0.3 + 0.2j])
    y_e = jnp.array([0.01j, 0.02])
    sl, sr = lfv.dipole_charged_scalar(M_MU, M_E, m_n, m_eta, y_mu / 2, y_mu / 2, y_e / 2, y_e / 2)
    br = lfv.br_mu_e_gamma(jnp.sum(sl), jnp.sum(sr))  # models sum amplitudes, then convert
    amp = sum(complex(y_e[k] * np.conj(y_mu[k])) * float(functions.f2_ma_raidal((m_n[k] / m_eta) ** 2))
              for k in range(2))
    classic = 3 * ALPHA_EM / (64 * math.pi * G_FERMI**2 * m_eta**4) * abs(amp) ** 2
    r = (M_E / M_MU) ** 2
    np.testing.assert_allclose(br, classic * (1 - r) ** 3 * (1 + r), rtol=1e-7)


def test_widths_and_tau_branching_ratios():
    """Γ_μ = G_F² m_μ⁵/(192π³); Γ_τ = ħ/τ_τ from the registry; BR = Γ(ℓi→ℓjγ)/Γ_i."""
    np.testing.assert_allclose(lfv.muon_width(), G_FERMI**2 * M_MU**5 / (192 * math.pi**3), rtol=1e-14)
    tau = experiments.get("tau_lifetime")
    np.testing.assert_allclose(lfv.tau_width(), HBAR_GEV_S / tau.value, rtol=1e-14)
    sl, sr = 1e-9 + 2e-9j, -3e-9
    gam = 4 * math.pi * ALPHA_EM * (M_TAU**2 - M_MU**2) ** 3 * (abs(sl) ** 2 + abs(sr) ** 2) / (16 * math.pi * M_TAU**3)
    np.testing.assert_allclose(lfv.br_tau_mu_gamma(sl, sr), gam / (HBAR_GEV_S / tau.value), rtol=1e-12)
    gam_e = 4 * math.pi * ALPHA_EM * (M_TAU**2 - M_E**2) ** 3 * (abs(sl) ** 2 + abs(sr) ** 2) / (16 * math.pi * M_TAU**3)
    np.testing.assert_allclose(lfv.br_tau_e_gamma(sl, sr), gam_e / (HBAR_GEV_S / tau.value), rtol=1e-12)
    np.testing.assert_allclose(lfv.br_li_lj_gamma(M_TAU, M_MU, sl, sr, 1.0), gam, rtol=1e-12)


def test_hermiticity_of_the_dipole():
    """The operator ℓ̄_j σ(σ_L P_L + σ_R P_R) ℓ_i + h.c. ⇒ σ_R(i→j) = σ_L(j→i)* (masses and couplings swapped)."""
    ci, cj = (0.3 + 0.1j, -0.2), (0.05, 0.4 - 0.3j)
    for dipole, _ in DIPOLES.values():
        l_ij, r_ij = dipole(M_TAU, M_MU, 1.2, 2.0, *ci, *cj)
        l_ji, r_ji = dipole(M_MU, M_TAU, 1.2, 2.0, *cj, *ci)
        np.testing.assert_allclose(r_ij, np.conj(l_ji), rtol=1e-9)
        np.testing.assert_allclose(l_ij, np.conj(r_ji), rtol=1e-9)


def test_general_charges_interpolate_the_two_topologies():
    """dipole_scalar(q_f) = q_f · (photon on F) + (1 − q_f) · (photon on S)."""
    args = (M_TAU, M_MU, 1.0, 2.5, 0.3, 0.1, 0.2, -0.4)
    f = lfv.dipole_neutral_scalar(*args)
    s = lfv.dipole_charged_scalar(*args)
    g = lfv.dipole_scalar(*args, -1.0)  # e.g. ℓ^c inside, doubly charged scalar
    np.testing.assert_allclose(g[1], -f[1] + 2 * s[1], rtol=1e-13)
    np.testing.assert_allclose(lfv.dipole_scalar(*args, 1.0)[0], f[0], rtol=1e-13)


def test_chiral_to_sp_roundtrip():
    cs, cp = lfv.chiral_to_sp(0.2, 0.7)
    assert (float(cs - cp), float(cs + cp)) == pytest.approx((0.2, 0.7))


def test_lfv_transforms():
    """jit == eager, vmap == loop, float64/complex128 dtypes, grad of a BR vs central differences."""
    def br(p):  # p = (ln m_N, ln m_η, phase)
        y_mu = 0.5 * jnp.exp(1j * p[2])
        sl, sr = lfv.dipole_charged_scalar(M_MU, M_E, jnp.exp(p[0]), jnp.exp(p[1]), y_mu / 2, y_mu / 2, 0.01, 0.01)
        sl2, sr2 = lfv.dipole_neutral_scalar(M_MU, M_E, jnp.exp(p[0]), jnp.exp(p[1]), 0.3, 0.1, 0.02 * y_mu, 0.0)
        return lfv.br_mu_e_gamma(sl + sl2, sr + sr2)

    p0 = jnp.array([5.0, 6.5, 0.4])
    jbr = jax.jit(br)
    assert jbr(p0).dtype == jnp.float64
    np.testing.assert_allclose(jbr(p0), br(p0), rtol=1e-13)
    g = jax.jit(jax.grad(br))(p0)
    step = 1e-5
    fd = jnp.array([(jbr(p0 + step * e) - jbr(p0 - step * e)) / (2 * step) for e in jnp.eye(3)])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-10 * float(jbr(p0)))
    assert np.all(np.isfinite(g))

    ps = jnp.array([[5.0, 6.5, 0.4], [1.0, 2.0, -1.0], [0.0, -1.0, 2.0]])
    mapped = jax.vmap(jbr)(ps)
    np.testing.assert_allclose(mapped, jnp.stack([jbr(p) for p in ps]), rtol=1e-13)
    sl, _ = lfv.dipole_neutral_vector(M_TAU, M_MU, 1.0, 2.0, 0.1j, 0.0, 0.2, 0.1)
    assert sl.dtype == jnp.complex128


def test_finite_gradients_at_massless_and_degenerate_points():
    """m_N = 0, m_F = M and m_F = m_i: values and gradients finite."""
    def f(m_f, m_b):
        sl, sr = lfv.dipole_charged_scalar(M_MU, M_E, m_f, m_b, 0.3, 0.3, 0.1, 0.1)
        tl, tr = lfv.dipole_neutral_vector(M_TAU, M_MU, m_f + M_MU, m_b, 0.2, 0.1, 0.3, -0.2)
        return jnp.abs(sl) ** 2 + jnp.abs(sr) ** 2 + jnp.abs(tl) ** 2 + jnp.abs(tr) ** 2

    gf = jax.jit(jax.grad(f, argnums=(0, 1)))
    for m_f, m_b in [(0.0, 200.0), (200.0, 200.0), (M_MU, 2.0), (0.0, M_TAU)]:
        assert np.isfinite(float(f(m_f, m_b)))
        assert all(np.isfinite(np.asarray(v)) for v in gf(m_f, m_b)), (m_f, m_b)
