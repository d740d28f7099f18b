"""A′ two-body widths of the dark-TMM model against explicit Dirac-trace evaluations."""

import numpy as np
import jax
import jax.numpy as jnp
import pytest

from jaxg2.models import dark_tmm_decays as dec

# Dirac matrices (Dirac representation), metric (+,−,−,−)
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_SIG = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
G0 = np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)
GAM = [G0] + [np.block([[_Z2, s], [-s, _Z2]]).astype(complex) for s in _SIG]
G5 = 1j * GAM[0] @ GAM[1] @ GAM[2] @ GAM[3]
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])


def slash(p):
    return sum(METRIC[m, m] * p[m] * GAM[m] for m in range(4))


def width_from_trace(m, M1, M2, vertex, sign2):
    """Γ(V → f1 f2) = |p|/(8π m²) · ⅓ Σ|M|² with Σ|M|² from the trace
    (−g_μν + k_μk_ν/m²) Tr[(p̸₁ + M₁) Γ^μ (p̸₂ + sign2·M₂) Γ̄^ν], unit coupling."""
    lam = (m**2 - (M1 + M2) ** 2) * (m**2 - (M1 - M2) ** 2)
    p = np.sqrt(lam) / (2 * m)
    E1, E2 = np.sqrt(p**2 + M1**2), np.sqrt(p**2 + M2**2)
    p1, p2, k = np.array([E1, 0, 0, p]), np.array([E2, 0, 0, -p]), np.array([m, 0, 0, 0])
    A, B = slash(p1) + M1 * np.eye(4), slash(p2) + sign2 * M2 * np.eye(4)
    bar = lambda X: G0 @ X.conj().T @ G0  # noqa: E731
    total = 0.0
    for mu in range(4):
        for nu in range(4):
            pol = -METRIC[mu, nu] + (METRIC[mu, mu] * k[mu]) * (METRIC[nu, nu] * k[nu]) / m**2
            if pol == 0:
                continue
            total += pol * np.trace(A @ vertex(mu) @ B @ bar(vertex(nu))).real
    return p / (8 * np.pi * m**2) * total / 3.0


@pytest.mark.parametrize("M1,M2", [(0.10, 0.10), (0.05, 0.12), (0.01, 0.2), (0.13, 0.13)])
def test_n1n2_width_is_the_axial_trace_with_one_mass_sign_flipped(M1, M2):
    m, g = 0.3, 0.7
    # N₁N₂ through N̄₁γ^μγ5N₂: the γ5 in N = (N₂ + γ5N₁)/√2 flips the sign of one mass, so
    # the spin sum of the second state is (p̸₂ + M₂) instead of the antiparticle's (p̸₂ − M₂);
    # equivalently the vector trace with the ordinary antiparticle sum
    ref = g**2 * width_from_trace(m, M1, M2, lambda mu: GAM[mu] @ G5, +1.0)
    assert ref == pytest.approx(g**2 * width_from_trace(m, M1, M2, lambda mu: GAM[mu], -1.0), rel=1e-12)
    assert float(dec.width_n1n2(g, m, M1, M2)) == pytest.approx(ref, rel=1e-12)


def test_n1n2_width_is_the_dirac_vector_width_when_degenerate():
    m, M, g = 0.3, 0.11, 0.4
    dirac = g**2 * width_from_trace(m, M, M, lambda mu: GAM[mu], -1.0)   # V → N N̄ (vector)
    x = (M / m) ** 2
    assert dirac == pytest.approx(g**2 * m * (1 + 2 * x) * np.sqrt(1 - 4 * x) / (12 * np.pi), rel=1e-12)
    assert float(dec.width_n1n2(g, m, M, M)) == pytest.approx(dirac, rel=1e-12)


def test_scalar_pair_width_equal_masses_is_rho_to_pipi_form():
    m, mh, g = 0.9, 0.2, 0.5
    beta = np.sqrt(1 - 4 * mh**2 / m**2)
    # |M|² summed over polarisations: g² (p_H − p_A)·(−g + kk/m²)·(p_H − p_A) = g² 4|p|², average ⅓
    p = beta * m / 2
    ref = p / (8 * np.pi * m**2) * g**2 * 4 * p**2 / 3
    assert float(dec.width_scalar_pair(g, 1.0, 1.0, m, mh, mh)) == pytest.approx(ref, rel=1e-12)
    assert ref == pytest.approx(g**2 * m * beta**3 / (48 * np.pi), rel=1e-12)


def test_widths_vanish_below_threshold_with_finite_gradients():
    f = lambda m: dec.width_n1n2(0.5, m, 0.1, 0.1) + dec.width_scalars(0.5, 1.0, 0.3, 1.0, m, 0.2, 0.3, 0.25, 0.35)  # noqa: E731
    assert float(f(0.15)) == 0.0
    for m in (0.15, 0.2, 0.2000001, 0.45, 0.8):
        assert np.isfinite(float(jax.grad(f)(m)))
    ms = jnp.linspace(0.1, 1.0, 7)
    assert np.allclose(jax.vmap(f)(ms), [f(x) for x in ms], rtol=1e-13)
    assert np.allclose(jax.jit(f)(0.7), f(0.7), rtol=1e-13)


def test_nunu_width():
    mu = jnp.array([1e-6, 0.0, 2e-6])
    assert float(dec.width_nunu(mu, 0.2)) == pytest.approx((1e-12 + 4e-12) * 0.2**3 / (24 * np.pi), rel=1e-13)
