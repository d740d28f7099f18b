"""jaxg2.cosmo.thermo against mpmath quadrature, Bessel series and analytic limits."""

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import importlib

th = importlib.import_module("jaxg2.cosmo.thermo")

mp.mp.dps = 30


def _mp_momentum(x, fermion, what):
    """Per-d.o.f. dimensionless integrals by mpmath quadrature in p/T (the defining integrals)."""
    eta = 1 if fermion else -1

    def integrand(u):
        E = mp.sqrt(u * u + x * x)
        occ = 1 / (mp.exp(E) + eta)
        if what == "n":
            return u * u * occ
        if what == "rho":
            return u * u * E * occ
        if what == "p":
            return u**4 / (3 * E) * occ
        return u * u * E * E * mp.exp(E) / (mp.exp(E) + eta) ** 2  # ∂ρ/∂T

    return mp.quad(integrand, [0, 1, 3, 10, 30, 100, mp.inf]) / (2 * mp.pi**2)


def _mp_bessel(x, fermion, what, kmax=4):
    """Bessel-K series Σ_k (±1)^{k+1} (Maxwell–Boltzmann at T/k): independent of any quadrature."""
    x = mp.mpf(x)
    tot = 0
    for k in range(1, kmax + 1):
        c = (-1) ** (k + 1) if fermion else 1
        y = k * x
        if what == "n":
            t = x * x * mp.besselk(2, y) / k
        elif what == "p":
            t = x * x * mp.besselk(2, y) / k**2
        elif what == "rho":
            t = 3 * x * x * mp.besselk(2, y) / k**2 + x**3 * mp.besselk(1, y) / k
        else:  # ∂ρ/∂T of each MB term: (T/k)³ [12 y²K2 + 5 y³K1 + y⁴K0]/(2π²) per T³, divided by k
            t = (12 * y**2 * mp.besselk(2, y) + 5 * y**3 * mp.besselk(1, y) + y**4 * mp.besselk(0, y)) / k**4
        tot += c * t
    return tot / (2 * mp.pi**2)


QUANTITIES = ("n", "rho", "p", "d")


@pytest.mark.parametrize("fermion", [False, True])
@pytest.mark.parametrize("x", [0.0, 1e-3, 0.34, 2.0, 10.0, 30.0])
def test_against_mpmath_quadrature(x, fermion):
    got = [float(v) for v in th._dimensionless(x, fermion)]
    for val, what in zip(got, QUANTITIES):
        ref = float(_mp_momentum(x, fermion, what))
        assert val == pytest.approx(ref, rel=1e-10), (what, x, fermion)


@pytest.mark.parametrize("fermion", [False, True])
@pytest.mark.parametrize("x", [50.0, 200.0, 600.0])
def test_against_bessel_series_heavy(x, fermion):
    got = [float(v) for v in th._dimensionless(x, fermion)]
    for val, what in zip(got, QUANTITIES):
        ref = float(_mp_bessel(x, fermion, what))
        assert val == pytest.approx(ref, rel=1e-10), (what, x, fermion)


def test_dimensionful_scaling_and_entropy():
    """ρ = g T⁴ ρ̂(m/T) etc., s = (ρ+P)/T, with g and units carried correctly."""
    m, T, g = 0.0105, 0.0021, 3.0
    t = th.thermodynamics(m, T, g, False)
    x = m / T
    rho_ref = g * T**4 * float(_mp_momentum(x, False, "rho"))
    p_ref = g * T**4 * float(_mp_momentum(x, False, "p"))
    assert float(t.rho) == pytest.approx(rho_ref, rel=1e-11)
    assert float(t.p) == pytest.approx(p_ref, rel=1e-11)
    assert float(t.s) == pytest.approx((rho_ref + p_ref) / T, rel=1e-11)
    assert float(th.energy_density(m, T, g, False)) == float(t.rho)
    assert float(th.pressure(m, T, g, False)) == float(t.p)
    assert float(th.entropy_density(m, T, g, False)) == float(t.s)
    assert float(th.number_density(m, T, g, False)) == float(t.n)
    assert float(th.heat_capacity(m, T, g, False)) == float(t.drho_dT)


@pytest.mark.parametrize("fermion", [False, True])
@pytest.mark.parametrize("m_over_T", [0.0, 1e-5])
def test_relativistic_limit(fermion, m_over_T):
    """Paper 002 eqs. (B4)–(B5) and n = g (3/4) ζ(3) T³/π²."""
    T, g = 2.0e-3, 2.0
    t = th.thermodynamics(m_over_T * T, T, g, fermion)
    f = 7.0 / 8.0 if fermion else 1.0
    fn = 3.0 / 4.0 if fermion else 1.0
    rtol = 1e-12 if m_over_T == 0 else 1e-8
    assert float(t.rho) == pytest.approx(g * f * np.pi**2 / 30 * T**4, rel=rtol)
    assert float(t.p) == pytest.approx(g * f * np.pi**2 / 90 * T**4, rel=rtol)
    assert float(t.s) == pytest.approx(g * f * 2 * np.pi**2 / 45 * T**3, rel=rtol)
    assert float(t.n) == pytest.approx(g * fn * float(mp.zeta(3)) / np.pi**2 * T**3, rel=rtol)
    assert float(t.drho_dT) == pytest.approx(4 * g * f * np.pi**2 / 30 * T**3, rel=rtol)


@pytest.mark.parametrize("fermion", [False, True])
def test_nonrelativistic_limit(fermion):
    """m ≫ T: n → g (mT/2π)^{3/2} e^{-m/T}(1 + 15/8x + 105/128x²), P → nT, ρ/n → m + 3T/2."""
    m, g, x = 0.5, 2.0, 80.0
    T = m / x
    t = th.thermodynamics(m, T, g, fermion)
    n_nr = g * (m * T / (2 * np.pi)) ** 1.5 * np.exp(-x) * (1 + 15 / (8 * x) + 105 / (128 * x**2))
    assert float(t.n) == pytest.approx(n_nr, rel=1e-6)
    assert float(t.p) == pytest.approx(float(t.n) * T, rel=1e-12)  # Boltzmann statistics, e^{-80} corrections
    assert (float(t.rho) / float(t.n) - m) / T == pytest.approx(1.5, rel=3 / x)


def test_extreme_masses_finite():
    """Underflow to 0 for m/T ≫ 700 with finite (zero) gradients; massless finite too."""
    for fermion in (False, True):
        t = th.thermodynamics(1.0, 1e-5, 3.0, fermion)  # m/T = 1e5
        assert all(float(v) == 0.0 for v in t)
        g = jax.grad(lambda m: th.energy_density(m, 1e-5, 3.0, fermion))(1.0)
        assert np.isfinite(float(g))
        g0 = jax.grad(lambda m: th.energy_density(m, 1e-3, 3.0, fermion))(0.0)
        assert np.isfinite(float(g0)) and float(g0) == pytest.approx(0.0, abs=1e-14)


def test_transforms():
    """dtype float64, jit(vmap) == eager broadcasting == scalar calls, autodiff ∂ρ/∂T == the
    heat-capacity integral and ∂P/∂T == s (Gibbs–Duhem at μ = 0)."""
    ms = jnp.array([0.0, 1e-4, 5.11e-4, 3e-3, 2e-2])
    T = 1.3e-3
    for fermion in (False, True):
        def one(m, t):
            return (th.thermodynamics(m, t, 2.0, fermion),
                    jax.grad(lambda tt: th.energy_density(m, tt, 2.0, fermion))(t),
                    jax.grad(lambda tt: th.pressure(m, tt, 2.0, fermion))(t))

        batched, drho, dp = jax.jit(jax.vmap(one, in_axes=(0, None)))(ms, T)
        eager = th.thermodynamics(ms, T, 2.0, fermion)
        scalar = th.thermodynamics(ms[3], T, 2.0, fermion)
        for a, b, c in zip(eager, batched, scalar):
            assert a.dtype == jnp.float64 and b.dtype == jnp.float64
            np.testing.assert_allclose(b, a, rtol=1e-14, atol=0)
            np.testing.assert_allclose(b[3], c, rtol=1e-14, atol=0)
        np.testing.assert_allclose(drho, eager.drho_dT, rtol=1e-12)
        np.testing.assert_allclose(dp, eager.s, rtol=1e-12)
