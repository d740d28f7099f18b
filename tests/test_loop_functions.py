"""Named loop functions: mpmath references, removable singularity at x = 1, transforms."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxg2.loops import functions

mp.mp.dps = 40


def _xlogx_ref(x):
    x = mp.mpf(x)
    if x == 0:
        return mp.mpf(0)
    if x == 1:
        return mp.mpf(1)
    return x * mp.log(x) / (x - 1)


def _ma_raidal_ref(x):
    """Closed form at 100 digits; the integral representation within 1e-12 of x = 1."""
    x = mp.mpf(x)
    if abs(x - 1) < mp.mpf("1e-12"):  # integral representation at the singular point
        return mp.quad(lambda u: u**2 * (1 - u) / (u + x * (1 - u)), [0, 1])
    if x == 0:
        return mp.mpf(1) / 6
    with mp.workdps(100):  # (1 − x)⁴ ≥ 1e-48: 100 digits leave > 50 after the cancellation
        return +((1 - 6 * x + 3 * x**2 + 2 * x**3 - 6 * x**2 * mp.log(x)) / (6 * (1 - x) ** 4))


def _lavoura_ref(x):
    x = mp.mpf(x)
    if abs(x - 1) < mp.mpf("1e-12"):
        return mp.quad(lambda u: u * (1 - u) ** 2 / (u + x * (1 - u)), [0, 1])
    if x == 0:
        return mp.mpf(1) / 3
    with mp.workdps(100):
        return +((2 + 3 * x - 6 * x**2 + x**3 + 6 * x * mp.log(x)) / (6 * (1 - x) ** 4))


CASES = {
    "xlogx_over_xm1": (functions.xlogx_over_xm1, _xlogx_ref),
    "f2_ma_raidal": (functions.f2_ma_raidal, _ma_raidal_ref),
    "f2_tilde_lavoura": (functions.f2_tilde_lavoura, _lavoura_ref),
}

NEAR_ONE = [1.0] + [1.0 + s * 10.0**-k for k in range(1, 16, 2) for s in (1, -1)] + [0.8, 1.2, 0.8000001, 1.1999999]


def _points(seed):
    rng = np.random.default_rng(seed)
    return list(10.0 ** rng.uniform(-12, 12, 12)) + [0.0, 1e-300] + NEAR_ONE


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_vs_mpmath(name):
    f, ref = CASES[name]
    xs = np.array(_points(seed=len(name)))
    got = np.asarray(jax.jit(f)(jnp.asarray(xs)))
    want = np.array([float(ref(x)) for x in xs])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_integral_representation(name):
    """F₂ = ∫u²(1−u)/(u + x(1−u)), F̃₂ = ∫u(1−u)²/(u + x(1−u)): independent of the closed forms."""
    if name == "xlogx_over_xm1":  # x ln x/(x−1) = ∫₀¹ x du/(u + x(1−u))·… : d/d ln x representation
        integrand = lambda x: (lambda u: x / (u + x * (1 - u)))  # noqa: E731
    elif name == "f2_ma_raidal":
        integrand = lambda x: (lambda u: u**2 * (1 - u) / (u + x * (1 - u)))  # noqa: E731
    else:
        integrand = lambda x: (lambda u: u * (1 - u) ** 2 / (u + x * (1 - u)))  # noqa: E731
    f, _ = CASES[name]
    for x in [0.01, 0.5, 1.0, 1.0 + 1e-9, 3.0, 250.0]:
        with mp.workdps(25):
            want = mp.quad(integrand(mp.mpf(x)), [0, mp.mpf("1e-6"), mp.mpf("1e-3"), 1])
        np.testing.assert_allclose(float(f(x)), float(want), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_vs_mpmath_and_finite_at_one(name):
    f, ref = CASES[name]
    grad = jax.jit(jax.vmap(jax.grad(f)))
    xs = jnp.array([1e-6, 0.03, 0.5, 0.8, 0.8 - 1e-9, 0.8 + 1e-9, 1.0 - 1e-12, 1.0, 1.0 + 1e-7, 1.2, 2.5, 1e5])
    got = np.asarray(grad(xs))
    assert np.all(np.isfinite(got))
    with mp.workdps(40):
        want = np.array([float(mp.diff(lambda t: ref(t), mp.mpf(float(x)))) for x in xs])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_series_and_closed_form_agree_at_the_switch(name):
    """Both branches evaluated on either side of |x − 1| = 0.2 agree (continuity of the double-where)."""
    f, _ = CASES[name]
    eps = 1e-12
    for edge in (0.8, 1.2):
        lo, hi = f(edge - eps), f(edge + eps)
        np.testing.assert_allclose(lo, hi, rtol=1e-10)


def test_known_values_and_dtype():
    assert float(functions.f2_ma_raidal(0.0)) == pytest.approx(1 / 6, rel=1e-15)
    assert float(functions.f2_ma_raidal(1.0)) == pytest.approx(1 / 12, rel=1e-15)
    assert float(functions.f2_tilde_lavoura(0.0)) == pytest.approx(1 / 3, rel=1e-15)
    assert float(functions.f2_tilde_lavoura(1.0)) == pytest.approx(1 / 12, rel=1e-15)
    assert float(functions.xlogx_over_xm1(1.0)) == 1.0
    for f in (functions.f2_ma_raidal, functions.f2_tilde_lavoura, functions.xlogx_over_xm1):
        assert f(1.0).dtype == jnp.float64
        assert f(jnp.ones(3, dtype=jnp.float32)).dtype == jnp.float64  # float32 input promoted
        assert f(jnp.ones((2, 3))).shape == (2, 3)
        xs = jnp.array([0.1, 1.0, 7.0])
        np.testing.assert_allclose(jax.vmap(f)(xs), jnp.stack([f(x) for x in xs]), rtol=1e-15)
