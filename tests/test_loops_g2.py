"""Δa_ℓ one-loop functions: mpmath references, analytic limits, JAX transforms.

References are the DESIGN.md (Jegerlehner–Nyffeler) integrals written out
literally in ``tests/loop_refs.py`` and integrated with mpmath; the code under
test integrates the two-parameter dipole form of :mod:`jaxg2.loops.lfv`, so the
agreement also checks the reduction derived there.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxg2 import loops
from jaxg2.constants import M_MU
from jaxg2.loops import functions

from loop_refs import g2_reference

G2 = {
    "neutral_scalar": loops.g2_neutral_scalar,
    "neutral_vector": loops.g2_neutral_vector,
    "charged_scalar": loops.g2_charged_scalar,
}
RTOL = 1e-10


def _random_points(kind, n, seed):
    """n seeded points: m_f/m_l, M/m_l log-uniform in [1e-6, 1e6], below threshold."""
    rng = np.random.default_rng(seed)
    pts = []
    while len(pts) < n:
        a, b = 10.0 ** rng.uniform(-6, 6, size=2)
        if a + b < 1.02:  # the lepton must be stable: m_l < m_f + M
            continue
        c1, c2 = rng.normal(size=2)
        pts.append((a, b, c1, c2))
    return pts


@pytest.mark.parametrize("kind", sorted(G2))
def test_random_points_vs_mpmath(kind):
    pts = _random_points(kind, 12, seed={"neutral_scalar": 1, "neutral_vector": 2, "charged_scalar": 3}[kind])
    m_l = 0.3  # an arbitrary external mass: only ratios matter
    a, b, c1, c2 = (np.array(v) for v in zip(*pts))
    got = np.asarray(G2[kind](m_l, a * m_l, b * m_l, c1, c2))  # one broadcast call
    ref = np.array([g2_reference(kind, m_l, ai * m_l, bi * m_l, x, y) for ai, bi, x, y in pts])
    np.testing.assert_allclose(got, ref, rtol=RTOL, atol=0)


# (m_f/m_l, M/m_l) in every limiting regime of the issue; couplings (c1, c2)
LIMITS = {
    "neutral_scalar": [
        (1.0, 1e-6), (1.0, 1e6), (1e-6, 1e6), (1e6, 1e-6), (1e6, 1e6),  # light / heavy boson, light / heavy F
        (0.0, 1.5), (0.0, 1e6),  # massless F
        (1e-3, 1e-3 + 1.0), (3.0, 3.0), (1e6, 1e6), (1e-6 + 1.0, 1e-6),  # degenerate-ish and m_f = M
        (0.3, 0.701),  # 0.1 % above threshold, roots pinch the real axis
    ],
    "neutral_vector": [
        (1.0, 1e-6), (1.0, 1e6), (1e-6, 1e6), (1e6, 1e-6), (1e6, 1e6),
        (0.0, 1.5), (0.0, 1e6), (3.0, 3.0), (1e-6 + 1.0, 1e-6), (0.3, 0.701),
    ],
    "charged_scalar": [
        (0.0, 1.5), (0.0, 1e6), (0.0, 1.001),  # massless neutrino, light to heavy scalar
        (1e-6, 1e6), (1e6, 1e-6), (1e6, 1e6), (1e-6, 1.001), (1.0, 1e-6),
        (3.0, 3.0), (1e3, 1e3), (0.3, 0.701),
    ],
}


@pytest.mark.parametrize("kind", sorted(G2))
def test_limiting_regimes_vs_mpmath(kind):
    m_l = 1.0
    a = np.array([p[0] for p in LIMITS[kind]])
    b = np.array([p[1] for p in LIMITS[kind]])
    for c1, c2 in [(0.0, 1.0), (0.7, -0.3)]:
        got = np.asarray(G2[kind](m_l, a, b, c1, c2))
        ref = np.array([g2_reference(kind, m_l, ai, bi, c1, c2) for ai, bi in zip(a, b)])
        assert np.all(np.isfinite(got))
        np.testing.assert_allclose(got, ref, rtol=RTOL, atol=0)


# --- analytic limits (independent of any quadrature) -----------------------------------


@pytest.mark.parametrize("ratio", [1e4, 1e6])
def test_heavy_neutral_scalar_internal_muon(ratio):
    """Δa → y² m²/(4π² M²)(ln(M/m) − 7/12) (scalar); −y² m²/(4π² M²)(ln(M/m) − 11/12) (pseudoscalar).

    Derived from the integral: x²(2−x)/(1−x) = x² + x²/(1−x) → 1/3 + 2 ln(M/m) − 3/2.
    Next order is O(m²/M² ln²), so rtol 1e-6 at M/m = 1e4.
    """
    y, m = 0.37, M_MU
    M = ratio * m
    lead = y**2 * m**2 / (4 * math.pi**2 * M**2)
    np.testing.assert_allclose(loops.g2_neutral_scalar(m, m, M, y, 0.0),
                               lead * (math.log(M / m) - 7.0 / 12.0), rtol=1e-6)
    np.testing.assert_allclose(loops.g2_neutral_scalar(m, m, M, 0.0, y),
                               -lead * (math.log(M / m) - 11.0 / 12.0), rtol=1e-6)


def test_light_boson_limits():
    """Light vector → g²/(8π²); light scalar → 3y²/(16π²); light pseudoscalar → −y²/(16π²)·… (F = ℓ)."""
    g, m = 0.21, M_MU
    M = 1e-7 * m  # corrections are O(M/m)
    np.testing.assert_allclose(loops.g2_neutral_vector(m, m, M, g, 0.0), g**2 / (8 * math.pi**2), rtol=1e-5)
    np.testing.assert_allclose(loops.g2_neutral_scalar(m, m, M, g, 0.0), 3 * g**2 / (16 * math.pi**2), rtol=1e-5)
    # pseudoscalar: ∫ −x³/(λ²x²) · λ² → −1/2 · 1/(8π²)
    np.testing.assert_allclose(loops.g2_neutral_scalar(m, m, M, 0.0, g), -g**2 / (16 * math.pi**2), rtol=1e-5)


def test_heavy_vector_limit():
    """Δa → g² m²/(12π² M²) for a heavy vector coupled vectorially to ℓ (F = ℓ)."""
    g, m = 0.5, M_MU
    M = 1e5 * m
    np.testing.assert_allclose(loops.g2_neutral_vector(m, m, M, g, 0.0),
                               g**2 * m**2 / (12 * math.pi**2 * M**2), rtol=1e-8)


@pytest.mark.parametrize("x_n", [0.0, 1e-3, 0.5, 1.0, 7.0, 1e3])
def test_charged_scalar_matches_ma_raidal(x_n):
    """Chiral y ℓ̄ P_R N η⁺ (C_S = C_P = y/2): Δa → −y² m²/(16π² M²) F₂(m_N²/M²) for m ≪ M."""
    y, m = 1.3, M_MU
    M = 1e5 * m
    m_n = math.sqrt(x_n) * M
    ref = -(y**2) * m**2 / (16 * math.pi**2 * M**2) * float(functions.f2_ma_raidal(x_n))
    np.testing.assert_allclose(loops.g2_charged_scalar(m, m_n, M, y / 2, y / 2), ref, rtol=1e-8)


def test_chiral_coupling_cancels_exactly():
    """C_S = C_P with m_f = 0: the ε-term drops out exactly (no numerical cancellation)."""
    a = loops.g2_charged_scalar(M_MU, 0.0, 200.0, 0.3, 0.3)
    b = loops.g2_charged_scalar(M_MU, 0.0, 200.0, 0.3, -0.3)
    np.testing.assert_allclose(a, b, rtol=1e-14)


def test_complex_couplings_enter_as_modulus_squared():
    m, mf, M = M_MU, 1.777, 50.0
    a = loops.g2_neutral_scalar(m, mf, M, 0.3 * np.exp(0.7j), 0.2 * np.exp(-1.1j))
    b = loops.g2_neutral_scalar(m, mf, M, 0.3, 0.2)
    np.testing.assert_allclose(a, b, rtol=1e-13)
    assert a.dtype == jnp.float64


# --- JAX transforms ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(G2))
def test_jit_vmap_dtype_and_broadcast(kind):
    f = G2[kind]
    m_f = jnp.array([0.0, 0.5, 1.0, 30.0]) * M_MU
    m_b = jnp.array([2.0, 1.0, 1e-3, 1e3]) * M_MU
    eager = f(M_MU, m_f, m_b, 0.4, 0.1)
    jitted = jax.jit(f)(M_MU, m_f, m_b, 0.4, 0.1)
    mapped = jax.vmap(f, in_axes=(None, 0, 0, None, None))(M_MU, m_f, m_b, 0.4, 0.1)
    jf = jax.jit(f)
    loop = jnp.stack([jf(M_MU, a, b, 0.4, 0.1) for a, b in zip(m_f, m_b)])
    assert eager.shape == (4,) and eager.dtype == jnp.float64
    np.testing.assert_allclose(jitted, eager, rtol=1e-13)
    np.testing.assert_allclose(mapped, loop, rtol=1e-13)
    grid = f(M_MU, m_f[:, None], m_b[None, :], 0.4, 0.1)  # outer-product broadcasting
    assert grid.shape == (4, 4)
    np.testing.assert_allclose(jnp.diagonal(grid), eager, rtol=1e-13)


@pytest.mark.parametrize("kind", sorted(G2))
def test_grad_vs_central_differences(kind):
    """d Δa / d(ln m_f, ln M, c1, c2) against central differences in float64."""
    f = G2[kind]

    @jax.jit
    def h(p):
        return f(M_MU, M_MU * jnp.exp(p[0]), M_MU * jnp.exp(p[1]), p[2], p[3])

    grad = jax.jit(jax.grad(h))
    for p0 in ([0.3, 1.2, 0.7, 0.2], [-2.0, 4.0, 0.5, -0.4], [2.0, -1.5, 0.3, 0.3]):
        p0 = jnp.array(p0)
        g = grad(p0)
        step = 1e-5
        fd = jnp.array([(h(p0 + step * e) - h(p0 - step * e)) / (2 * step) for e in jnp.eye(4)])
        np.testing.assert_allclose(g, fd, rtol=2e-6, atol=1e-9 * abs(float(h(p0))))


SINGULAR = [  # (m_f, M) in units of m_l: massless F, degenerate m_f = M, m_f = m_l, end-point splits
    (0.0, 1.5), (0.0, 1e6), (1.0, 1.0), (2.0, 2.0), (1.0, 1e-6), (1.0, 1e6), (1e6, 1e-6), (0.5, 0.5 + 1e-12),
]


@pytest.mark.parametrize("kind", sorted(G2))
def test_finite_gradients_at_singular_points(kind):
    f = G2[kind]
    for a, b in SINGULAR:
        if kind == "charged_scalar" and a + b <= 1.0:
            continue
        grads = jax.grad(lambda mf, mb, c1, c2: f(1.0, mf, mb, c1, c2), argnums=(0, 1, 2, 3))(a, b, 0.6, 0.2)
        assert all(np.isfinite(np.asarray(gi)) for gi in grads), (kind, a, b, grads)
    if kind == "charged_scalar":
        # photon on S: Δa is analytic in m_f at 0, so the gradient there is the limit from m_f → 0⁺.
        # (With the photon on F the m_f-flip term is ∝ m_f ln m_f: d/dm_f diverges
        # logarithmically at 0 and the rule returns a large finite value, cut off at T_MIN.)
        g0 = jax.grad(f, argnums=1)(1.0, 0.0, 3.0, 0.6, 0.2)
        g1 = jax.grad(f, argnums=1)(1.0, 1e-9, 3.0, 0.6, 0.2)
        np.testing.assert_allclose(g0, g1, rtol=1e-6)
